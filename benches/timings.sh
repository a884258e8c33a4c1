#!/usr/bin/env bash
# Measures every timing the README, the docs and the config files quote, and the estimate
# `--estimate` prints for each batch beside its measured time (BENCHMARKS.md, "Documented
# timings"). Prints a Markdown table on stdout; run it on a machine doing nothing else:
#
#   cargo build --release && bash benches/timings.sh > /tmp/timings.md
#
# The large batches are measured on a shard (`--shard 1/N`): a batch's runs are alike, so a
# shard's time × N is the batch's (the estimate of the shard is printed beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/medesert
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
threads=${THREADS:-2}

# Seconds of wall time of a command (its output discarded).
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$start $end" | awk '{printf "%.1f", $2 - $1}'
}

# The estimate a batch command prints with --estimate, in seconds.
estimate() {
    "$@" --estimate 2>&1 | sed -n 's/.*: about \([0-9hmins ]*\) (.*/\1/p' | awk '
        { s = 0; for (i = 1; i < NF; i += 2) { v = $i; u = $(i + 1);
              s += (u == "h") ? v * 3600 : (u == "min") ? v * 60 : v } ; print s }'
}

row() { echo "| $1 | \`$2\` | $3 | $4 |"; }

echo "| what | command | estimate | measured |"
echo "|---|---|---:|---:|"
row "default run (France 1:20, 2014–2040)" "medesert run" "" \
    "$(seconds $bin run -q --out "$tmp/default") s"
row "classroom run (Centre-Val de Loire 1:50, 2014–2035, ring)" \
    "medesert run configs/classroom.toml" "" \
    "$(seconds $bin run configs/classroom.toml -q --out "$tmp/classroom") s"
row "classroom animation (the run and its GIF)" "medesert animate configs/classroom.toml" "" \
    "$(seconds $bin animate configs/classroom.toml -q --run-dir "$tmp/anim" --out "$tmp/anim.gif") s"
row "Cantal 1:1, 2014–2040, ring, one thread" "medesert run configs/cantal.toml --threads 1" "" \
    "$(seconds $bin run configs/cantal.toml -q --threads 1 --out "$tmp/cantal") s"
row "Finistère 1:1, 2014–2040, ring, one thread" "medesert run configs/finistere.toml --threads 1" "" \
    "$(seconds $bin run configs/finistere.toml -q --threads 1 --out "$tmp/finistere") s"
row "validation, 5 seeds of the default scenario" "medesert validate" "" \
    "$(seconds $bin validate -q --out "$tmp/validate") s"
row "comparison, baseline + numerus, 4 replicates (8 runs)" \
    "medesert compare configs/baseline.toml configs/policies/numerus.toml --replicates 4" \
    "$(estimate $bin compare configs/baseline.toml configs/policies/numerus.toml --replicates 4 --threads "$threads") s" \
    "$(seconds $bin compare configs/baseline.toml configs/policies/numerus.toml --replicates 4 --threads "$threads" -q --out "$tmp/compare") s"
$bin run -q --communes --regions 84 --set persons_per_agent=50 --out "$tmp/r84" >/dev/null 2>&1
$bin run -q --communes --out "$tmp/frc" >/dev/null 2>&1
row "figures with commune maps, Auvergne-Rhône-Alpes (4,000 communes)" \
    "medesert figures RUN --communes" "" "$(seconds $bin figures "$tmp/r84" --communes) s"
row "figures with commune maps, metropolitan France (34,700 communes)" \
    "medesert figures RUN --communes" "" "$(seconds $bin figures "$tmp/frc" --communes) s"
for sweep in lhs-finistere:1 sobol-doubts:8 bench-cantal:20 morris-france:40; do
    name=${sweep%%:*}
    n=${sweep##*:}
    shard=()
    what="$name (all its runs)"
    if [ "$n" -gt 1 ]; then
        shard=(--shard "1/$n")
        what="$name, shard 1/$n (× $n for the whole sweep)"
    fi
    file=configs/sweeps/$name.toml
    row "$what" "medesert sweep $file ${shard[*]} --threads $threads" \
        "$(estimate $bin sweep "$file" "${shard[@]}" --threads "$threads") s" \
        "$(seconds $bin sweep "$file" "${shard[@]}" --threads "$threads" -q --out "$tmp/$name") s"
done
row "baseline calibration (estimate only: every wave)" \
    "medesert calibrate configs/calibration/baseline.toml" \
    "$(estimate $bin calibrate configs/calibration/baseline.toml --threads "$threads") s" ""
