//! The end of a sweep: a sweep rebuilt from its output folder, and shards merged into one
//! folder (the summary and sensitivity files are then written from runs.csv by
//! `app::sweep::finalize`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::design::Design;
use super::per_year::{self, read_long};
use super::runs;
use super::sweep::{DesignKind, Sweep, SweepFile, design_of, factors, file_factors};
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
    if file.replicates == 0 {
        bail!(
            "{}: `replicates` = 0: expected at least 1",
            dir.join("sweep.toml").display()
        );
    }
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
    if !factors.iter().map(|f| &f.name).eq(&names) || points.is_empty() {
        bail!(
            "{}: its columns are not the parameters of sweep.toml, or it has no point",
            design_path.display()
        );
    }
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

/// What a merge found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    /// Runs in the merged runs.csv.
    pub runs: u64,
    /// Runs of the design found in no folder.
    pub missing: u64,
}

/// Merges the runs of shard folders into `out` (same files as a single-machine sweep). Every
/// line is checked against the design; a folder given twice, a run found in two folders, a
/// shard still being written, or an `out` holding another sweep (or being a shard) is refused.
/// The caller holds the lock on `out` (see [`super::folder::claim`]).
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<(Sweep, Merged)> {
    let Some(first) = dirs.first() else {
        bail!("give at least one shard folder to merge");
    };
    let mut seen: Vec<(PathBuf, &PathBuf)> = Vec::new();
    for dir in dirs {
        let canon = dir
            .canonicalize()
            .with_context(|| format!("cannot read the shard folder {}", dir.display()))?;
        if let Some((_, other)) = seen.iter().find(|(c, _)| *c == canon) {
            bail!(
                "{} and {} are the same folder: give each shard folder once",
                other.display(),
                dir.display()
            );
        }
        seen.push((canon, dir));
    }
    if let Ok(target) = out.canonicalize()
        && seen.iter().any(|(c, _)| *c == target)
    {
        bail!(
            "--out {} is one of the shard folders: merge into a new folder",
            out.display()
        );
    }
    for dir in dirs {
        // A shard still being written would be merged half done.
        crate::files::lock::FolderLock::check_free(dir)?;
    }
    let sweep = from_saved(first)?;
    let identity: Vec<String> = IDENTITY
        .iter()
        .map(|f| std::fs::read_to_string(first.join(f)).unwrap_or_default())
        .collect();
    for dir in dirs {
        same_sweep(dir, first, &identity, true)?;
    }
    same_sweep(out, first, &identity, false)?;
    let mut all: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut source: BTreeMap<u64, usize> = BTreeMap::new();
    for (k, dir) in dirs.iter().enumerate() {
        for (id, row) in runs::read(&dir.join("runs.csv"), &sweep)? {
            if let Some(&j) = source.get(&id) {
                bail!(
                    "run {id} is in both {} and {}: each run must come from one shard folder \
                     (shards of two different --shard splits?)",
                    dirs[j].display(),
                    dir.display()
                );
            }
            source.insert(id, k);
            all.insert(id, row);
        }
    }
    // Everything read and checked before the first write.
    let mut years = Vec::new();
    if sweep.file.per_year {
        for (k, dir) in dirs.iter().enumerate() {
            let path = dir.join("runs_years.csv");
            if path.exists() {
                // Only the rows of runs this folder gave: no row counted twice.
                years.extend(
                    read_long(&path, &sweep)?
                        .into_iter()
                        .filter(|r| r[0].parse().ok().and_then(|id| source.get(&id)) == Some(&k)),
                );
            }
        }
        complete_years(&sweep, &all, &years, dirs, &source)?;
    }
    for (f, text) in IDENTITY.iter().zip(&identity) {
        runs::write_atomically(&out.join(f), text.as_bytes())?;
    }
    runs::write_sorted(&out.join("runs.csv"), &runs::header(&sweep), &all)?;
    if sweep.file.per_year {
        per_year::write_sorted(&out.join("runs_years.csv"), years.into_iter())?;
    }
    let merged = Merged {
        runs: all.len() as u64,
        missing: sweep.runs() - all.len() as u64,
    };
    Ok((sweep, merged))
}

/// Checks that every successful run has all its rows in runs_years.csv (none for a failed run).
fn complete_years(
    sweep: &Sweep,
    all: &BTreeMap<u64, Vec<String>>,
    years: &[Vec<String>],
    dirs: &[PathBuf],
    source: &BTreeMap<u64, usize>,
) -> Result<()> {
    let mut count: BTreeMap<u64, usize> = BTreeMap::new();
    for r in years {
        *count.entry(r[0].parse().unwrap_or(u64::MAX)).or_default() += 1;
    }
    let status = runs::KEYS.len() + sweep.factors.len();
    for (id, row) in all {
        let expected = if row[status] == "ok" {
            per_year::rows_per_run(sweep)
        } else {
            0
        };
        let found = count.get(id).copied().unwrap_or(0);
        if found != expected {
            bail!(
                "{}: run {id} has {found} rows of runs_years.csv, expected {expected} (the file \
                 was cut?): rerun its `medesert sweep --shard` into that folder to repair it",
                dirs[source[id]].display()
            );
        }
    }
    Ok(())
}

/// Checks that `dir` holds the sweep whose identity files are `identity` (those of `first`).
/// A shard (`required`) must hold every identity file; a merge target may hold none (a new
/// folder) or those of this same sweep, never another sweep's.
fn same_sweep(dir: &Path, first: &Path, identity: &[String], required: bool) -> Result<()> {
    let mut found = 0;
    for (f, text) in IDENTITY.iter().zip(identity) {
        let other = match std::fs::read_to_string(dir.join(f)) {
            Ok(t) => t,
            Err(_) if !required => continue,
            Err(_) => bail!("{} is not a sweep folder: no {f}", dir.display()),
        };
        found += 1;
        if &other != text {
            bail!(
                "{} and {} hold different sweeps ({f} differs){}",
                first.display(),
                dir.display(),
                if required {
                    ""
                } else {
                    ": merge into a new folder"
                }
            );
        }
    }
    if found == 0 && dir.join("runs.csv").exists() {
        bail!(
            "{} holds a runs.csv but no sweep.toml: merge into a new folder",
            dir.display()
        );
    }
    Ok(())
}
