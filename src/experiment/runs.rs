//! `runs.csv`: one line per finished run, appended and synced as runs finish (safe against
//! Ctrl-C, kill -9 or power loss: at worst a last partial line, dropped on resume), read back
//! to skip finished runs, merged across shards, and finally sorted by run id.

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

/// Rows of a runs file keyed by run id (a last line without its newline is dropped: it was
/// being written when the process stopped).
pub fn read(path: &Path, expected: &[String]) -> Result<BTreeMap<u64, Vec<String>>> {
    let mut text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if let Some(end) = text.rfind('\n') {
        text.truncate(end + 1);
    } else {
        text.clear();
    }
    let mut rows = BTreeMap::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{} line {}", path.display(), i + 1))?;
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
        if cells.len() != expected.len() {
            bail!(
                "{} line {}: {} cells, expected {}",
                path.display(),
                i + 1,
                cells.len(),
                expected.len()
            );
        }
        let id: u64 = cells[0]
            .parse()
            .with_context(|| format!("{} line {}: bad run_id", path.display(), i + 1))?;
        rows.insert(id, cells);
    }
    Ok(rows)
}

/// The append-only runs file of a sweep in progress.
pub struct RunLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl RunLog {
    /// Opens `path` for appending, writing the header when new and cutting a partial last
    /// line; returns the log and the runs already finished.
    pub fn open(path: &Path, header: &[String]) -> Result<(RunLog, BTreeMap<u64, Vec<String>>)> {
        let done = if path.exists() {
            let done = read(path, header)?;
            // Rewrite what was read whole (drops a partial last line), atomically.
            let mut text = line(header);
            for r in done.values() {
                text.push_str(&line(r));
            }
            write_atomically(path, text.as_bytes())?;
            done
        } else {
            write_atomically(path, line(header).as_bytes())?;
            BTreeMap::new()
        };
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        Ok((
            RunLog {
                path: path.to_path_buf(),
                file: Mutex::new(file),
            },
            done,
        ))
    }

    /// Opens a file for appending with no resume logic (writes the header when new).
    pub fn open_plain(path: &Path, header: &[String]) -> Result<RunLog> {
        if !path.exists() {
            write_atomically(path, line(header).as_bytes())?;
        }
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
    crate::output::write_file_atomically(path, |f| Ok(f.write_all(bytes)?))
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
