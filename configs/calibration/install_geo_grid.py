#!/usr/bin/env python3
"""The installation choice's fit (docs/model.md, "Installation"): a Latin-hypercube design over
the installation coefficients' plausible ranges (src/scenario/parameters.csv), each point run by
`medesert validate` on configs/calibration/install-geo.toml (France 1:100, 2014-2020, one seed)
and scored on:

- Spearman's rho of the départements' relative RPPS change 2014->2018 (target 1; scale 0.3),
- the INSEE 2019 margins: 60 % settling in the birth région (scale 0.05), median 85 km from the
  birth commune (scale 15 km), median 43 km from the faculty town (scale 10 km),
- the BPE 2020 communes with a liberal GP, 9,185 (scale 900).

score = sum of squared (simulated - observed) / scale; the lowest wins. Usage, from the
repository root after `cargo build --release`:

    python3 configs/calibration/install_geo_grid.py OUT_DIR [POINTS] [SEED]

writes OUT_DIR/points.csv (one row per point: coefficients, metrics, score), sorted by score.
Standard library only; the design is fixed by SEED (default 2014), so a rerun is identical.
"""

import csv
import random
import subprocess
import sys
from pathlib import Path

# (parameter, low, high): the plausible ranges of parameters.csv.
PRIORS = [
    ("installation.beta_log_population", 0.5, 1.2),
    ("installation.beta_urban_cluster", 0.0, 1.0),
    ("installation.beta_distance_per_100km", -3.0, -0.5),
    ("installation.beta_faculty_distance_per_100km", -3.0, -0.3),
    ("installation.beta_birth_region", 0.0, 1.5),
    ("installation.beta_training_subdivision", 0.0, 1.5),
    ("installation.beta_gp_density_per_1000", -1.0, 1.0),
    ("installation.beta_colleagues", 0.0, 1.5),
    ("installation.beta_msp_present", 0.0, 1.0),
]

# (validation.csv indicator, observed, scale)
TARGETS = [
    ("spearman:gp_change_by_departement", 1.0, 0.3),
    ("new_gp_share_settling_in_birth_region", 0.60, 0.05),
    ("new_gp_median_km_from_birth_commune", 85.0, 15.0),
    ("new_gp_median_km_from_university", 43.0, 10.0),
    ("communes_with_liberal_gp", 9185.0, 900.0),
]


def design(n, seed):
    """A Latin hypercube: each parameter's range cut in n strata, one point per stratum."""
    rng = random.Random(seed)
    columns = []
    for _, low, high in PRIORS:
        strata = list(range(n))
        rng.shuffle(strata)
        columns.append([low + (high - low) * (s + rng.random()) / n for s in strata])
    return [[c[i] for c in columns] for i in range(n)]


def run(point, out):
    args = ["./target/release/medesert", "validate", "configs/calibration/install-geo.toml",
            "--replicates", "1", "--out", str(out), "-q", "--force"]
    for (name, _, _), value in zip(PRIORS, point):
        args += ["--set", f"{name}={value:.4f}"]
    subprocess.run(args, check=True, stderr=subprocess.DEVNULL)
    rows = {r["indicator"]: r for r in csv.DictReader(open(out / "validation.csv"))}
    metrics = [float(rows[name]["simulated_mean"]) for name, _, _ in TARGETS]
    score = sum(((m - o) / s) ** 2 for m, (_, o, s) in zip(metrics, TARGETS))
    return metrics, score


def main():
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2014
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for i, point in enumerate(design(n, seed)):
        metrics, score = run(point, out / "validation")
        results.append(point + metrics + [score])
        print(i, [round(x, 3) for x in point + metrics + [score]], flush=True)
    results.sort(key=lambda r: r[-1])
    with open(out / "points.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([p[0] for p in PRIORS] + [t[0] for t in TARGETS] + ["score"])
        w.writerows([[f"{x:.4f}" for x in r] for r in results])


if __name__ == "__main__":
    main()
