//! `runs_years.csv`, the long table of every kept output for every year of every run
//! (`per_year = true`): appended as runs finish (before their line in runs.csv), checked on a
//! resume so that a run whose years are incomplete (a truncated file) is run again, and sorted
//! by run id at the end.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::runs::{self, RunLog};
use super::sweep::Sweep;

/// Header of runs_years.csv.
pub fn long_header() -> Vec<String> {
    ["run_id", "year", "output", "value"]
        .map(String::from)
        .to_vec()
}

/// Rows of runs_years.csv (a partial last line dropped), each checked: a run id of the
/// design, a kept output, a finite value.
pub fn read_long(path: &Path, sweep: &Sweep) -> Result<Vec<Vec<String>>> {
    let mut text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.truncate(text.rfind('\n').map_or(0, |e| e + 1));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    if reader.headers().ok().map(|h| h.iter().eq(long_header())) == Some(false) {
        bail!(
            "{}: its header is not {}",
            path.display(),
            long_header().join(",")
        );
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let at = || format!("{} line {}", path.display(), i + 2);
        let r: Vec<String> = record.with_context(at)?.iter().map(String::from).collect();
        let problem = if r.len() != 4 {
            Some(format!("{} cells, expected 4", r.len()))
        } else if !r[0].parse::<u64>().is_ok_and(|id| id < sweep.runs()) {
            Some(format!("run_id {:?} is not a run of this sweep", r[0]))
        } else if !sweep.file.outputs.contains(&r[2]) {
            Some(format!("output {:?} is not one of the sweep's", r[2]))
        } else if !r[3].parse::<f64>().is_ok_and(f64::is_finite) {
            Some(format!("value {:?} is not a finite number", r[3]))
        } else {
            None
        };
        if let Some(p) = problem {
            bail!("{}: {p}", at());
        }
        rows.push(r);
    }
    Ok(rows)
}

/// Rows runs_years.csv holds for one successful run: every year of the run, every kept output.
pub(crate) fn rows_per_run(sweep: &Sweep) -> usize {
    let years = usize::from(sweep.base.end_year.saturating_sub(sweep.base.start_year)) + 1;
    years * sweep.file.outputs.len()
}

/// The per-year log of a sweep in progress.
pub struct LongLog {
    path: PathBuf,
    log: RunLog,
}

impl LongLog {
    /// Opens `path` for a (resumed) sweep. Finished runs (`done`, from runs.csv) whose rows
    /// are not all there (the file was cut) are removed from `done`, to be run again, and
    /// their rows dropped, as are rows of unfinished runs; returns the log and how many
    /// finished runs go back to be run again.
    pub fn resume(
        path: &Path,
        sweep: &Sweep,
        done: &mut BTreeMap<u64, Vec<String>>,
    ) -> Result<(LongLog, u64)> {
        let rows = if path.exists() {
            read_long(path, sweep)?
        } else {
            Vec::new()
        };
        let mut count: BTreeMap<u64, usize> = BTreeMap::new();
        for r in &rows {
            *count.entry(id_of(r)).or_default() += 1;
        }
        let status = super::runs::KEYS.len() + sweep.factors.len();
        let incomplete: Vec<u64> = done
            .iter()
            .filter(|(id, row)| {
                let expected = if row[status] == "ok" {
                    rows_per_run(sweep)
                } else {
                    0
                };
                count.get(id).copied().unwrap_or(0) != expected
            })
            .map(|(id, _)| *id)
            .collect();
        for id in &incomplete {
            done.remove(id);
        }
        let kept = rows.iter().filter(|r| done.contains_key(&id_of(r)));
        let log = RunLog::start(path, &long_header(), kept)?;
        let long = LongLog {
            path: path.to_path_buf(),
            log,
        };
        Ok((long, incomplete.len() as u64))
    }

    /// Appends the rows of one run in a single write.
    pub fn append_many(&self, rows: &[Vec<String>]) -> Result<()> {
        self.log.append_lines(rows)
    }

    /// Keeps the rows of the finished runs `done`, sorted by run id (rows of one run keep
    /// their order).
    pub fn finish(self, sweep: &Sweep, done: &BTreeMap<u64, Vec<String>>) -> Result<()> {
        let path = self.path.clone();
        drop(self.log);
        let rows = read_long(&path, sweep)?;
        write_sorted(
            &path,
            rows.into_iter().filter(|r| done.contains_key(&id_of(r))),
        )
    }
}

/// Writes runs_years.csv atomically from `rows`, sorted by run id (stable).
pub fn write_sorted(path: &Path, rows: impl Iterator<Item = Vec<String>>) -> Result<()> {
    let mut rows: Vec<Vec<String>> = rows.collect();
    rows.sort_by_key(|r| id_of(r));
    let mut text = runs::line(&long_header());
    for r in &rows {
        text.push_str(&runs::line(r));
    }
    runs::write_atomically(path, text.as_bytes())
}

/// The run id of a row checked by [`read_long`].
fn id_of(row: &[String]) -> u64 {
    row[0].parse().unwrap_or(u64::MAX)
}
