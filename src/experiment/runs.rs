//! `runs.csv`: one line per finished run, appended and synced as runs finish (safe against
//! Ctrl-C, kill -9 or power loss: at worst a last partial line, dropped on resume), read back
//! (every line checked against the design) to skip finished runs, merged across shards, and
//! finally sorted by run id.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

use super::sweep::{Sweep, value_text};

/// Fixed columns before the varied parameters.
pub const KEYS: [&str; 4] = ["run_id", "point_id", "replicate", "seed"];

/// The header of runs.csv for a sweep: keys, parameters, status, error, outputs.
pub fn header(sweep: &Sweep) -> Vec<String> {
    KEYS.iter()
        .map(|k| k.to_string())
        .chain(sweep.factors.iter().map(|f| f.name.clone()))
        .chain(["status".to_string(), "error".to_string()])
        .chain(sweep.output_names())
        .collect()
}

/// One finished run's line: outputs already formatted (empty when it failed).
pub fn row(
    sweep: &Sweep,
    id: u64,
    outcome: &std::result::Result<Vec<String>, String>,
) -> Vec<String> {
    let (point, replicate, seed) = sweep.run(id);
    let mut r = vec![
        id.to_string(),
        point.to_string(),
        replicate.to_string(),
        seed.to_string(),
    ];
    r.extend(
        sweep
            .factors
            .iter()
            .zip(&sweep.points[point])
            .map(|(f, x)| value_text(*x, f)),
    );
    match outcome {
        Ok(values) => {
            r.extend(["ok".to_string(), String::new()]);
            r.extend(values.iter().cloned());
        }
        Err(e) => {
            r.extend(["failed".to_string(), e.replace(['\n', '\r'], " ")]);
            r.extend(sweep.output_names().iter().map(|_| String::new()));
        }
    }
    r
}

/// CSV text of one record, with its newline.
pub fn line(cells: &[String]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(cells).expect("writing to memory");
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 cells")
}

/// Rows of a runs file keyed by run id, each checked against the sweep (see [`check_row`]); a
/// last line without its newline is dropped: it was being written when the process stopped.
pub fn read(path: &Path, sweep: &Sweep) -> Result<BTreeMap<u64, Vec<String>>> {
    let expected = header(sweep);
    let mut text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.truncate(text.rfind('\n').map_or(0, |end| end + 1));
    let mut rows = BTreeMap::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let at = || format!("{} line {}", path.display(), i + 1);
        let record = record.with_context(at)?;
        let cells: Vec<String> = record.iter().map(String::from).collect();
        if i == 0 {
            if cells != expected {
                bail!(
                    "{} was written by another sweep (its columns differ): use another --out, \
                     or delete the folder to start again",
                    path.display()
                );
            }
            continue;
        }
        let id =
            check_row(sweep, &expected, &cells).map_err(|e| anyhow::anyhow!("{}: {e}", at()))?;
        if rows.insert(id, cells).is_some() {
            bail!("{}: run {id} appears a second time", at());
        }
    }
    Ok(rows)
}

/// Checks a line of runs.csv against the sweep and returns its run id: the id is one of the
/// design's, its point, replicate, seed and parameter values are those the design gives that
/// id, its status is `ok` (every output a finite number) or `failed` (no output). `names` is
/// the sweep's [`header`].
pub fn check_row(sweep: &Sweep, names: &[String], cells: &[String]) -> Result<u64, String> {
    if cells.len() != names.len() {
        return Err(format!(
            "{} cells, expected {} ({})",
            cells.len(),
            names.len(),
            names.join(",")
        ));
    }
    let runs = sweep.runs();
    let id = cells[0]
        .parse::<u64>()
        .ok()
        .filter(|id| *id < runs)
        .ok_or_else(|| {
            format!(
                "run_id {:?} is not a run of this sweep (expected 0 to {})",
                cells[0],
                runs.saturating_sub(1)
            )
        })?;
    let fixed = KEYS.len() + sweep.factors.len();
    let expected = row(sweep, id, &Err(String::new()));
    for k in 1..fixed {
        if cells[k] != expected[k] {
            return Err(format!(
                "run {id}: {} = {:?}, but the design gives {:?}",
                names[k], cells[k], expected[k]
            ));
        }
    }
    let outputs = &cells[fixed + 2..];
    match cells[fixed].as_str() {
        "ok" => {
            for (name, v) in names[fixed + 2..].iter().zip(outputs) {
                if !v.parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(format!(
                        "run {id}: {name} = {v:?}, expected a finite number"
                    ));
                }
            }
        }
        "failed" => {
            if let Some(v) = outputs.iter().find(|v| !v.is_empty()) {
                return Err(format!("run {id} failed but has an output {v:?}"));
            }
        }
        other => {
            return Err(format!(
                "run {id}: status {other:?}, expected \"ok\" or \"failed\""
            ));
        }
    }
    Ok(id)
}

/// The append-only runs file of a sweep in progress.
pub struct RunLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl RunLog {
    /// Rewrites `path` whole (atomically) with the header and the `rows` kept so far (on a
    /// resume, a partial or dropped line goes), then opens it for appending.
    pub fn start<'a>(
        path: &Path,
        header: &[String],
        rows: impl IntoIterator<Item = &'a Vec<String>>,
    ) -> Result<RunLog> {
        let mut text = line(header);
        for r in rows {
            text.push_str(&line(r));
        }
        write_atomically(path, text.as_bytes())?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        Ok(RunLog {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Appends several lines in a single write, then syncs.
    pub fn append_lines(&self, rows: &[Vec<String>]) -> Result<()> {
        let text: String = rows.iter().map(|r| line(r)).collect();
        let mut f = self
            .file
            .lock()
            .expect("no writer panics while holding the lock");
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_data())
            .with_context(|| format!("cannot append to {}", self.path.display()))
    }

    /// Appends one run's line in a single write, then syncs it to disk.
    pub fn append(&self, cells: &[String]) -> Result<()> {
        self.append_lines(std::slice::from_ref(&cells.to_vec()))
    }
}

/// Writes a file atomically (temporary file in the same folder, synced, then renamed).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::files::write_file_atomically(path, |f| Ok(f.write_all(bytes)?))
}

/// Writes the rows sorted by run id under the header (the final form of runs.csv).
pub fn write_sorted(
    path: &Path,
    header: &[String],
    rows: &BTreeMap<u64, Vec<String>>,
) -> Result<()> {
    let mut text = line(header);
    for r in rows.values() {
        text.push_str(&line(r));
    }
    write_atomically(path, text.as_bytes())
}
