//! `medesert params`, `medesert sweep` and `medesert sweep-merge`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use super::budget::Say;
use super::{bar, init_pools};
use crate::cli::{ParamsArgs, ParamsFormat, SweepArgs, SweepMergeArgs};
use crate::experiment::finish::merge as merge_shards;
use crate::experiment::folder::claim;
use crate::experiment::results::{self, Indices};
use crate::experiment::runner::{Shard, execute};
use crate::experiment::sweep::{self, Sweep};
use crate::experiment::{runs, slurm};
use crate::files::write_table;
use crate::inputs::Inputs;
use crate::output::sensitivity::plot_sensitivity;
use crate::scenario::{self, registry};

/// `medesert params`.
pub fn params(args: ParamsArgs) -> Result<()> {
    let s = scenario::load(&args.scenario, &[])?;
    if args.uncertain && args.format != ParamsFormat::Salib {
        anyhow::bail!("--uncertain applies to --format salib only");
    }
    print!("{}", params_text(&s, args.format, args.uncertain)?);
    Ok(())
}

/// The registry (run settings, then parameters) with `s`'s values as defaults, in a format;
/// `uncertain` keeps only what a sensitivity analysis should vary in SALib's problem.
pub fn params_text(
    s: &scenario::Scenario,
    format: ParamsFormat,
    uncertain: bool,
) -> Result<String> {
    let reg = registry::all();
    let default = |name: &str| registry::value(s, name).map_or(String::new(), |v| format!("{v}"));
    // A fact (equal ends) is shown as its one value.
    let range = |p: &registry::Param, (a, b): (f64, f64)| match a == b {
        true => p.bound_text(a),
        false => format!("{} – {}", p.bound_text(a), p.bound_text(b)),
    };
    Ok(match format {
        ParamsFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "name",
                "kind",
                "unit",
                "default",
                "hard_min",
                "hard_max",
                "min",
                "max",
                "range_source",
                "meaning",
                "source",
            ])?;
            for p in reg {
                let kind = format!("{:?}", p.kind).to_lowercase();
                let bounds =
                    [p.hard.0, p.hard.1, p.plausible.0, p.plausible.1].map(|b| p.bound_text(b));
                w.write_record(
                    [p.name.as_str(), &kind, &p.unit, &default(&p.name)]
                        .into_iter()
                        .chain(bounds.iter().map(String::as_str))
                        .chain([p.range_source.as_str(), &p.meaning, &p.source]),
                )?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        ParamsFormat::Json => {
            let rows: Vec<serde_json::Value> = reg
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name, "kind": p.kind, "unit": p.unit,
                        "default": registry::value(s, &p.name),
                        "hard_min": p.hard.0, "hard_max": p.hard.1,
                        "min": p.plausible.0, "max": p.plausible.1,
                        "range_source": p.range_source,
                        "meaning": p.meaning, "source": p.source,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows)? + "\n"
        }
        ParamsFormat::Salib => {
            // The model parameters whose plausible range is an interval (not the run
            // settings, not the facts).
            let ranged: Vec<_> = registry::registry()
                .iter()
                .filter(|p| !uncertain || p.uncertain())
                .filter_map(|p| Some((p, p.interval()?)))
                .collect();
            let problem = serde_json::json!({
                "num_vars": ranged.len(),
                "names": ranged.iter().map(|(p, _)| &p.name).collect::<Vec<_>>(),
                "bounds": ranged.iter().map(|(_, (a, b))| [a, b]).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&problem)? + "\n"
        }
        ParamsFormat::Md => {
            let mut t = String::from(
                "| parameter | unit | default | plausible range | its source | hard range | meaning | source |\n\
                 |---|---|---|---|---|---|---|---|\n",
            );
            let cell = |text: &str| text.replace('|', "/");
            for p in reg {
                t.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
                    p.name,
                    cell(&p.unit),
                    default(&p.name),
                    range(p, p.plausible),
                    cell(&p.range_source),
                    range(p, p.hard),
                    cell(&p.meaning),
                    cell(&p.source)
                ));
            }
            t
        }
    })
}

/// Default output folder of a sweep.
fn default_out(sweep: &Sweep, shard: Option<Shard>) -> PathBuf {
    let base = PathBuf::from("outputs")
        .join("sweeps")
        .join(&sweep.file.name);
    match shard {
        Some(s) => base.join(format!("shard-{}-of-{}", s.index, s.count)),
        None => base,
    }
}

/// The runs of `sweep` that `shard` (all without one) holds.
fn shard_runs(sweep: &Sweep, shard: Option<Shard>) -> u64 {
    match shard {
        Some(s) => (0..sweep.runs()).filter(|id| s.has(*id)).count() as u64,
        None => sweep.runs(),
    }
}

/// `medesert sweep`.
pub fn sweep(args: SweepArgs) -> Result<()> {
    let started = Instant::now();
    // Every check of the sweep file happens here, before any run.
    let sweep = sweep::load_with(&args.sweep, args.force)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&sweep, args.shard));
    if args.emit_slurm {
        return emit_slurm(&sweep, &args, &out);
    }
    if args.estimate {
        let threads = init_pools(args.threads, Some(1));
        let inputs = Inputs::load(&args.data).context("cannot load the data files")?;
        let total = shard_runs(&sweep, args.shard);
        let concurrent = (threads as u64).min(total.max(1)) as usize;
        return super::budget::announce(
            "sweep",
            &sweep.base,
            &inputs,
            (total, threads, concurrent),
            Say::Always,
        );
    }
    // Held until the end: a second sweep on this folder is refused, not interleaved.
    let _claim = claim(&out, "sweep")?;
    // Rayon runs `threads` runs at a time; each run's ECS passes stay on its own thread (bevy's
    // pool gets one), so runs scale across cores without oversubscribing them.
    let threads = init_pools(args.threads, Some(1));
    let inputs = Inputs::load(&args.data).context("cannot load the data files")?;
    let total = shard_runs(&sweep, args.shard);
    let concurrent = (threads as u64).min(total.max(1)) as usize;
    super::guard::check_memory(&sweep.base, &inputs, concurrent)?;
    super::budget::announce(
        "sweep",
        &sweep.base,
        &inputs,
        (total, threads, concurrent),
        Say::from_flags(false, args.quiet),
    )?;
    let progress = bar(
        total,
        args.quiet,
        "sweep [{bar:30}] {pos}/{len} runs, {msg} ({elapsed}, {eta} left)",
    );
    progress.set_message("0 failed");
    let failed = std::sync::atomic::AtomicU64::new(0);
    let tally = execute(&sweep, &inputs, &out, args.shard, |f| {
        if f {
            let n = failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress.set_message(format!("{n} failed"));
        }
        progress.inc(1);
    })?;
    progress.finish_and_clear();
    if tally.repaired > 0 {
        eprintln!(
            "note: runs_years.csv lacked years of {} finished runs (a cut file): they were run again",
            tally.repaired
        );
    }
    let notes = if args.shard.is_none() {
        finalize(&sweep, &out)?
    } else {
        Vec::new()
    };
    if !args.quiet {
        println!(
            "{} runs: {} done now ({} failed), {} already done; {} threads; wrote {} in {:.1} s",
            total,
            tally.ran,
            tally.failed,
            tally.skipped,
            threads,
            out.display(),
            started.elapsed().as_secs_f64()
        );
        for n in notes {
            println!("note: {n}");
        }
        if args.shard.is_some() {
            println!("merge the shards with: medesert sweep-merge <shard folders> --out DIR");
        }
    }
    Ok(())
}

/// `medesert sweep-merge`.
pub fn merge(args: SweepMergeArgs) -> Result<()> {
    let _claim = claim(&args.out, "sweep-merge")?;
    let (sweep, merged) = merge_shards(&args.dirs, &args.out)?;
    let notes = finalize(&sweep, &args.out)?;
    println!(
        "merged {} runs of {} into {}{}",
        merged.runs,
        sweep.runs(),
        args.out.display(),
        if merged.missing > 0 {
            format!(" ({} runs missing: rerun their shards)", merged.missing)
        } else {
            String::new()
        }
    );
    for n in notes {
        println!("note: {n}");
    }
    Ok(())
}

fn absolute(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p).with_context(|| format!("cannot resolve {}", p.display()))
}

/// Writes `slurm/sweep.sbatch` (an array of `--shards` tasks), `slurm/merge.sbatch` and
/// `slurm/submit.sh` (submits both, the merge after the array succeeds).
fn emit_slurm(sweep: &Sweep, args: &SweepArgs, out: &Path) -> Result<()> {
    let _claim = claim(out, "sweep --emit-slurm")?;
    let dir = out.join("slurm");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let exe = std::env::current_exe().context("cannot find the medesert binary")?;
    let (exe, file, data, out_abs) = (
        absolute(&exe)?,
        absolute(&args.sweep)?,
        absolute(&args.data)?,
        absolute(out)?,
    );
    let paths = slurm::Paths {
        exe: &exe,
        sweep: &file,
        data: &data,
        out: &out_abs,
    };
    for (f, text) in slurm::scripts(&sweep.file.name, sweep.runs(), args.shards, paths) {
        let path = dir.join(f);
        runs::write_atomically(&path, text.as_bytes())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    println!(
        "wrote {}/{{sweep.sbatch, merge.sbatch, submit.sh}}: run `{}/submit.sh` on the cluster",
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// Writes summary.csv, and sensitivity.csv with one plot per output for Sobol and Morris
/// designs, from `out/runs.csv`; returns notes on what could not be computed.
fn finalize(sweep: &Sweep, out: &Path) -> Result<Vec<String>> {
    let rows = runs::read(&out.join("runs.csv"), sweep)?;
    write_table(&out.join("summary.csv"), &results::summary(sweep, &rows))?;
    let (sens, mut notes) = results::sensitivity(sweep, &rows);
    if !sens.is_empty() {
        let sobol = matches!(sens[0].indices, Indices::Sobol { .. });
        let n = sweep.file.points.unwrap_or(0);
        write_table(
            &out.join("sensitivity.csv"),
            &results::sensitivity_rows(&sens, sobol, (n, sweep.file.replicates)),
        )?;
        for name in sweep.output_names() {
            let of: Vec<_> = sens.iter().filter(|r| r.output == name).collect();
            if !of.is_empty() {
                let warning = results::sample_warning(&of, n);
                let path = out.join(format!("sensitivity-{name}.png"));
                plot_sensitivity(&path, &name, &of, (n, warning.as_deref()))?;
                notes.extend(warning.map(|w| format!("{name}: {w}")));
            }
        }
    }
    Ok(notes)
}
