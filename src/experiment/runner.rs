//! Runs a sweep (or one shard of it) in parallel: one run per rayon task, each run's result a
//! function of its scenario and seed only; finished runs are appended to runs.csv as they
//! come, and runs already there are skipped, so an interrupted sweep resumes where it stopped.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use super::per_year::LongLog;
use super::runs::{self, RunLog};
use super::sweep::{Sweep, split_output};
use crate::inputs::Inputs;
use crate::model::Simulation;
use crate::tables::{national_rows, unit_rows};

/// Which share of the design a process runs: runs whose id ≡ index − 1 (mod count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based index.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` (1 ≤ I ≤ N).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 3/10"))?;
        let parse = |v: &str| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| format!("{s:?}: {v:?} is not a whole number"))
        };
        let (index, count) = (parse(i)?, parse(n)?);
        if count == 0 || index == 0 || index > count {
            return Err(format!("{s:?}: expected 1 ≤ I ≤ N"));
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard runs run `id`.
    pub fn has(&self, id: u64) -> bool {
        id % self.count == self.index - 1
    }
}

/// What a call to [`execute`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Runs of this shard already in runs.csv, skipped.
    pub skipped: u64,
    /// Runs done now.
    pub ran: u64,
    /// Of which failed (recorded with their error).
    pub failed: u64,
    /// Runs found finished whose rows of runs_years.csv were incomplete, run again.
    pub repaired: u64,
}

/// Outputs of one run at the kept years, formatted as in national.csv, plus the per-year
/// long rows when asked; or the run's error.
fn run_one(
    sweep: &Sweep,
    inputs: &Inputs,
    id: u64,
) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let s = sweep.scenario(id).map_err(|e| e.to_string())?;
    let wants_departements = sweep
        .file
        .outputs
        .iter()
        .any(|o| split_output(o).1.is_some());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut sim = Simulation::new(&s, inputs).map_err(|e| e.to_string())?;
        sim.run(|_| {});
        let departements = if wants_departements {
            unit_rows(sim.records(), sim.communes(), true)
        } else {
            Vec::new()
        };
        Ok::<_, String>((national_rows(sim.records()), departements))
    }));
    let (national, departements) = match result {
        Ok(r) => r?,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(format!("the run panicked: {msg}"));
        }
    };
    let tables = Tables {
        national: &national,
        departements: &departements,
    };
    let mut values = Vec::new();
    for &year in &sweep.file.years {
        for o in &sweep.file.outputs {
            values.push(tables.value(o, &year.to_string())?);
        }
    }
    let mut long = Vec::new();
    if sweep.file.per_year {
        for row in national.iter().skip(1) {
            for o in &sweep.file.outputs {
                let v = tables.value(o, &row[0])?;
                long.push(vec![id.to_string(), row[0].clone(), o.clone(), v]);
            }
        }
    }
    Ok((values, long))
}

/// A run's national and département rows (header first), as the tables format them.
struct Tables<'a> {
    national: &'a [Vec<String>],
    departements: &'a [Vec<String>],
}

impl Tables<'_> {
    /// The value of output `o` (`COLUMN` or `COLUMN@CODE`) in `year`, as formatted.
    fn value(&self, o: &str, year: &str) -> Result<String, String> {
        let (column, code) = split_output(o);
        let (rows, key) = match code {
            None => (self.national, None),
            Some(code) => (self.departements, Some(code)),
        };
        let header = rows.first().ok_or("the run wrote no rows")?;
        let col = |name: &str| header.iter().position(|h| h == name);
        let c = col(column).ok_or_else(|| format!("no column {column}"))?;
        let unit = col("departement");
        let row = rows
            .iter()
            .skip(1)
            .find(|r| r[0] == year && key.is_none_or(|k| unit.is_some_and(|u| r[u] == k)));
        match (row, key) {
            (Some(r), _) => Ok(r[c].clone()),
            (None, Some(k)) => Err(format!(
                "output {o}: département {k} is not in the simulated territory (or year {year} is not run)"
            )),
            (None, None) => Err(format!("year {year} missing from the run")),
        }
    }
}

/// Saves the sweep file and the design, or checks that `out` holds this same sweep.
fn prepare(sweep: &Sweep, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut design = runs::line(
        &std::iter::once("point_id".to_string())
            .chain(sweep.factors.iter().map(|f| f.name.clone()))
            .collect::<Vec<_>>(),
    );
    for (i, p) in sweep.points.iter().enumerate() {
        let mut cells = vec![i.to_string()];
        cells.extend(
            sweep
                .factors
                .iter()
                .zip(p)
                .map(|(f, x)| super::sweep::value_text(*x, f)),
        );
        design.push_str(&runs::line(&cells));
    }
    let base = toml::to_string(&sweep.base).expect("a scenario serialises");
    let file = toml::to_string(&sweep.file).expect("a sweep serialises");
    for (name, text) in [
        ("design.csv", design),
        ("sweep.toml", file),
        ("base.resolved.toml", base),
    ] {
        let path = out.join(name);
        match std::fs::read_to_string(&path) {
            Ok(old) if old != text => bail!(
                "{} holds another sweep ({name} differs): use another --out, or delete the \
                 folder to start again",
                out.display()
            ),
            Ok(_) => {}
            Err(_) => runs::write_atomically(&path, text.as_bytes())?,
        }
    }
    Ok(())
}

/// Runs every run of `shard` (all when `None`) not yet in `out/runs.csv`; `on_done(failed)`
/// is called after each. Returns the tally; runs.csv is left sorted by run id.
pub fn execute(
    sweep: &Sweep,
    inputs: &Inputs,
    out: &Path,
    shard: Option<Shard>,
    on_done: impl Fn(bool) + Sync,
) -> Result<Tally> {
    prepare(sweep, out)?;
    let header = runs::header(sweep);
    let runs_path = out.join("runs.csv");
    let mut done = if runs_path.exists() {
        runs::read(&runs_path, sweep)?
    } else {
        BTreeMap::new()
    };
    // Before runs.csv is rewritten: a finished run whose years were cut is run again.
    let (long, repaired) = if sweep.file.per_year {
        let (long, n) = LongLog::resume(&out.join("runs_years.csv"), sweep, &mut done)?;
        (Some(long), n)
    } else {
        (None, 0)
    };
    let log = RunLog::start(&runs_path, &header, done.values())?;
    let mine: Vec<u64> = (0..sweep.runs())
        .filter(|id| shard.is_none_or(|s| s.has(*id)))
        .collect();
    let pending: Vec<u64> = mine
        .iter()
        .copied()
        .filter(|id| !done.contains_key(id))
        .collect();
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let failed = std::sync::atomic::AtomicU64::new(0);
    pending.par_iter().for_each(|&id| {
        if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
            return;
        }
        let outcome = run_one(sweep, inputs, id);
        let written = (|| {
            if let (Some(log), Ok((_, rows))) = (&long, &outcome) {
                log.append_many(rows)?;
            }
            let values = outcome
                .as_ref()
                .map(|(v, _)| v.clone())
                .map_err(Clone::clone);
            log.append(&runs::row(sweep, id, &values))
        })();
        match written {
            Ok(()) => {
                if outcome.is_err() {
                    failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                on_done(outcome.is_err());
            }
            Err(e) => {
                if let Ok(mut f) = failure.lock() {
                    f.get_or_insert(e);
                }
            }
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    drop(log);
    let rows = runs::read(&runs_path, sweep)?;
    runs::write_sorted(&runs_path, &header, &rows)?;
    if let Some(long) = long {
        long.finish(sweep, &rows)?;
    }
    Ok(Tally {
        skipped: (mine.len() - pending.len()) as u64,
        ran: pending.len() as u64,
        failed: failed.into_inner(),
        repaired,
    })
}
