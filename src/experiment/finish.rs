//! The end of a sweep: a sweep rebuilt from its output folder, shards merged into one folder,
//! and the summary and sensitivity files written from runs.csv.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::design::Design;
use super::results::{self, Indices};
use super::runs;
use super::sweep::{DesignKind, Sweep, SweepFile, design_of, factors, file_factors};
use crate::output::sensitivity::plot_sensitivity;
use crate::output::write_table;
use crate::scenario;

/// Files that identify a sweep in its folder.
const IDENTITY: [&str; 3] = ["sweep.toml", "design.csv", "base.resolved.toml"];

/// Rebuilds a sweep from a folder written by `medesert sweep` (its sweep.toml, design.csv and
/// base.resolved.toml): the points are those of design.csv.
pub fn from_saved(dir: &Path) -> Result<Sweep> {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).with_context(|| {
            format!(
                "{} is not a sweep folder: cannot read {name}",
                dir.display()
            )
        })
    };
    let file: SweepFile = toml::from_str(&read("sweep.toml")?)
        .with_context(|| format!("{}", dir.join("sweep.toml").display()))?;
    let base_path = dir.join("base.resolved.toml");
    let base_tree = scenario::load_tree(&base_path)?;
    let base = scenario::from_tree(base_tree.clone(), &base_path, &[])?;
    let design_path = dir.join("design.csv");
    let mut reader = csv::Reader::from_path(&design_path)
        .with_context(|| format!("cannot read {}", design_path.display()))?;
    let names: Vec<String> = reader.headers()?.iter().skip(1).map(String::from).collect();
    let mut points = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{}", design_path.display()))?;
        let row: Result<Vec<f64>, _> = record.iter().skip(1).map(str::parse::<f64>).collect();
        points.push(row.with_context(|| format!("{}: bad value", design_path.display()))?);
    }
    let (factors, design) = if file.design == DesignKind::File {
        let factors = file_factors(&names, &points);
        (
            factors,
            Design::File {
                rows: points.clone(),
            },
        )
    } else {
        let err = |m: String| anyhow::anyhow!("{}: {m}", dir.join("sweep.toml").display());
        (factors(&file).map_err(err)?, design_of(&file).map_err(err)?)
    };
    Ok(Sweep {
        file,
        path: dir.join("sweep.toml"),
        base_path,
        base_tree,
        base,
        design,
        factors,
        points,
    })
}

/// Writes summary.csv, and sensitivity.csv with one plot per output for Sobol and Morris
/// designs, from `out/runs.csv`; returns notes on what could not be computed.
pub fn finalize(sweep: &Sweep, out: &Path) -> Result<Vec<String>> {
    let header = runs::header(sweep);
    let rows = runs::read(&out.join("runs.csv"), &header)?;
    write_table(&out.join("summary.csv"), &results::summary(sweep, &rows))?;
    let (sens, notes) = results::sensitivity(sweep, &rows);
    if !sens.is_empty() {
        let sobol = matches!(sens[0].indices, Indices::Sobol { .. });
        write_table(
            &out.join("sensitivity.csv"),
            &results::sensitivity_rows(&sens, sobol),
        )?;
        for name in sweep.output_names() {
            let of: Vec<_> = sens.iter().filter(|r| r.output == name).collect();
            if !of.is_empty() {
                plot_sensitivity(&out.join(format!("sensitivity-{name}.png")), &name, &of)?;
            }
        }
    }
    Ok(notes)
}

/// What a merge found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    /// Runs in the merged runs.csv.
    pub runs: u64,
    /// Runs of the design found in no folder.
    pub missing: u64,
}

/// Merges the runs of shard folders into `out` (same files as a single-machine sweep).
pub fn merge(dirs: &[std::path::PathBuf], out: &Path) -> Result<(Sweep, Merged)> {
    let Some(first) = dirs.first() else {
        bail!("give at least one shard folder to merge");
    };
    let sweep = from_saved(first)?;
    let identity: Vec<String> = IDENTITY
        .iter()
        .map(|f| std::fs::read_to_string(first.join(f)).unwrap_or_default())
        .collect();
    let header = runs::header(&sweep);
    let mut all: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for dir in dirs {
        for (f, text) in IDENTITY.iter().zip(&identity) {
            let other = std::fs::read_to_string(dir.join(f))
                .with_context(|| format!("{} is not a sweep folder: no {f}", dir.display()))?;
            if &other != text {
                bail!(
                    "{} and {} hold different sweeps ({f} differs)",
                    first.display(),
                    dir.display()
                );
            }
        }
        for (id, row) in runs::read(&dir.join("runs.csv"), &header)? {
            match all.get(&id) {
                Some(r) if r != &row => bail!(
                    "run {id} differs between shard folders (found again in {})",
                    dir.display()
                ),
                _ => {
                    all.insert(id, row);
                }
            }
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (f, text) in IDENTITY.iter().zip(&identity) {
        runs::write_atomically(&out.join(f), text.as_bytes())?;
    }
    runs::write_sorted(&out.join("runs.csv"), &header, &all)?;
    let years: Vec<Vec<String>> = dirs
        .iter()
        .filter(|d| d.join("runs_years.csv").exists())
        .map(|d| super::runner::read_long(&d.join("runs_years.csv")))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    if sweep.file.per_year {
        let mut years = years;
        years.sort_by_key(|r| r[0].parse::<u64>().unwrap_or(u64::MAX));
        let mut text = runs::line(&super::runner::long_header());
        for r in &years {
            text.push_str(&runs::line(r));
        }
        runs::write_atomically(&out.join("runs_years.csv"), text.as_bytes())?;
    }
    let merged = Merged {
        runs: all.len() as u64,
        missing: sweep.runs() - all.len() as u64,
    };
    Ok((sweep, merged))
}
