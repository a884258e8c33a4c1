//! The waves of a calibration run through the sweep engine: wave K's parameter sets are written
//! once as a sweep of design `file` (`designs/wave-K.toml` and `designs/wave-K-points.csv`),
//! and its runs go to the sweep folder `wave-K/`. So a wave runs in parallel, resumes after a
//! `kill -9` with no lost or duplicated run, and can be sharded across machines with
//! `medesert sweep designs/wave-K.toml --shard I/N` and merged into `wave-K/` with
//! `medesert sweep-merge`; `medesert calibrate` then carries on from there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::file::Calibration;
use super::history::{self, Evaluated, Exhausted, Wave};
use crate::experiment::design::Factor;
use crate::experiment::results::by_point;
use crate::experiment::runs;
use crate::experiment::sweep::{self, Sweep};
use crate::scenario::registry;

/// The sweep folder of wave `k`.
pub fn wave_dir(out: &Path, k: usize) -> PathBuf {
    out.join(format!("wave-{k}"))
}

/// The sweep file of wave `k`.
pub fn design_path(out: &Path, k: usize) -> PathBuf {
    out.join("designs").join(format!("wave-{k}.toml"))
}

/// Wave `k`'s sweep: read back if it was designed before (a resumed calibration runs the same
/// sets), else designed from the waves before it and saved. `Err(Exhausted)` inside `Ok` when
/// no set survives the earlier waves.
pub fn wave_sweep(
    c: &Calibration,
    out: &Path,
    k: usize,
    before: &[Wave],
) -> Result<Result<Sweep, Exhausted>> {
    let path = design_path(out, k);
    if !path.exists() {
        let valid = valid_sets(c)?;
        let unit = match history::design_wave(
            k,
            c.priors.len(),
            before,
            &c.targets,
            &c.settings(),
            &valid,
        ) {
            Ok(points) => points,
            Err(e) => return Ok(Err(e)),
        };
        save_design(c, out, k, &unit)?;
    }
    let sweep = sweep::load(&path)
        .with_context(|| format!("the design of wave {k} in {}", path.display()))?;
    Ok(Ok(sweep))
}

/// Does a set (unit cube) make a valid scenario? Checked as its sweep will read it, so that no
/// set that breaks a rule between parameters is ever run.
fn valid_sets(c: &Calibration) -> Result<impl Fn(&[f64]) -> bool + Sync + '_> {
    let tree = crate::scenario::load_tree(&c.scenario_path)
        .with_context(|| format!("cannot read {}", c.scenario_path.display()))?;
    let factors: Vec<Factor> = c
        .priors
        .iter()
        .map(|(name, lo, hi)| Factor {
            name: name.clone(),
            min: *lo,
            max: *hi,
            kind: registry::find(name).map_or(registry::Kind::Real, |p| p.kind),
            values: None,
        })
        .collect();
    Ok(move |u: &[f64]| {
        let values: Vec<f64> = u.iter().enumerate().map(|(i, &x)| c.scale(i, x)).collect();
        sweep::point_scenario(&tree, &c.scenario_path, &factors, &values).is_ok()
    })
}

/// Writes the points (in parameter units) and the sweep file of wave `k`.
fn save_design(c: &Calibration, out: &Path, k: usize, unit: &[Vec<f64>]) -> Result<()> {
    let dir = out.join("designs");
    let names: Vec<String> = c.priors.iter().map(|p| p.0.clone()).collect();
    let mut points = runs::line(&names);
    for u in unit {
        let cells: Vec<String> = u
            .iter()
            .enumerate()
            .map(|(i, &x)| format!("{}", c.scale(i, x)))
            .collect();
        points.push_str(&runs::line(&cells));
    }
    let points_name = format!("wave-{k}-points.csv");
    runs::write_atomically(&dir.join(&points_name), points.as_bytes())?;
    let scenario = std::path::absolute(&c.scenario_path)
        .with_context(|| format!("cannot locate {}", c.scenario_path.display()))?;
    let file = sweep::SweepFile {
        name: format!("{}-wave-{k}", c.file.name),
        base: scenario,
        design: sweep::DesignKind::File,
        points: None,
        levels: None,
        file: Some(points_name.into()),
        replicates: c.file.replicates,
        seed: c.file.seed,
        outputs: c.outputs(),
        years: c.years(),
        per_year: false,
        parameters: Vec::new(),
    };
    let text = toml::to_string(&file).context("a sweep file serialises")?;
    runs::write_atomically(&design_path(out, k), text.as_bytes())
}

/// The runs of a finished wave, per set and replicate, as the targets' values; sets with no
/// successful run are left out (their count is returned).
pub fn evaluated(c: &Calibration, sweep: &Sweep, dir: &Path) -> Result<(Evaluated, usize)> {
    let rows = runs::read(&dir.join("runs.csv"), sweep)?;
    let values = by_point(sweep, &rows);
    let mut points = Vec::new();
    let mut outputs = Vec::new();
    let mut failed = 0;
    for (p, by_name) in sweep.points.iter().zip(values) {
        let reps = replicate_values(c, &by_name);
        if reps.is_empty() {
            failed += 1;
            continue;
        }
        points.push(
            p.iter()
                .enumerate()
                .map(|(i, &x)| {
                    let (_, lo, hi) = &c.priors[i];
                    ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
                })
                .collect(),
        );
        outputs.push(reps);
    }
    Ok((Evaluated { points, outputs }, failed))
}

/// `[replicate][target]` from one set's kept outputs (`<column>_<year>` → values by
/// replicate, in run order).
fn replicate_values(
    c: &Calibration,
    by_name: &std::collections::BTreeMap<String, Vec<f64>>,
) -> Vec<Vec<f64>> {
    let at = |column: &str, year: u16| by_name.get(&format!("{column}_{year}"));
    let n = c
        .reads
        .iter()
        .map(|r| {
            let len = at(&r.column, r.year).map_or(0, Vec::len);
            r.change_from
                .map_or(len, |f| len.min(at(&r.column, f).map_or(0, Vec::len)))
        })
        .min()
        .unwrap_or(0);
    (0..n)
        .map(|r| {
            c.reads
                .iter()
                .map(|read| {
                    let end = at(&read.column, read.year).expect("counted above")[r];
                    match read.change_from {
                        Some(f) => end - at(&read.column, f).expect("counted above")[r],
                        None => end,
                    }
                })
                .collect()
        })
        .collect()
}
