//! Which folders a sweep (or a merge) may write into, and the lock held while it does.
//!
//! A sweep writes only into a new or empty folder, or into a folder that already holds a sweep
//! (to resume it; its identity files then decide whether it is the same sweep). A folder
//! holding anything else is refused before anything is written. Within a sweep folder, only
//! medesert's own files (listed in docs/sweeps.md) are written: a user's notes or sub-folders
//! there are never touched.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::files::folder::{missing_folders, remove_created};
use crate::files::lock::{FolderLock, LOCK_FILE};

/// Files and folders that mark a folder as written by `medesert sweep` (or `--emit-slurm`).
const MARKS: [&str; 6] = [
    "sweep.toml",
    "design.csv",
    "base.resolved.toml",
    "runs.csv",
    "slurm",
    "merged",
];

/// Whether `name` in a folder is one of medesert's: a mark, a shard folder (`shard-I-of-N`,
/// which `--shard` and `--emit-slurm` put inside the sweep's folder), or a temporary file of
/// a killed process (cleaned by the next write there).
fn is_mark(name: &str) -> bool {
    MARKS.contains(&name)
        || (name.starts_with("shard-") && name.contains("-of-"))
        || name.starts_with(".medesert-tmp-")
}

/// Refuses `dir` when it exists and holds files but no sweep (see the module's doc).
pub fn refuse_foreign(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!("--out {} is a file, not a folder", dir.display());
    }
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != LOCK_FILE)
        .collect();
    if names.is_empty() || names.iter().any(|n| is_mark(n)) {
        return Ok(());
    }
    names.sort();
    bail!(
        "{} holds files that are not a sweep's ({}): a sweep is written only into a new or \
         empty folder, or into one of its own sweep folders; choose another --out",
        dir.display(),
        names.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            + if names.len() > 3 { ", …" } else { "" }
    )
}

/// A folder claimed by [`claim`]: locked while the value lives; when dropped, the lock is
/// released and a folder that `claim` created and nothing filled (a command refused after the
/// claim) is removed again, so a refusal leaves no trace.
#[derive(Debug)]
pub struct Claim {
    lock: Option<FolderLock>,
    /// Folders `claim` created, outermost first.
    created: Vec<std::path::PathBuf>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        drop(self.lock.take());
        // Each removal fails, as meant, on a folder holding anything.
        remove_created(&self.created);
    }
}

/// Checks that `dir` may hold a sweep, creates it and locks it for `what` ("sweep",
/// "sweep-merge"): the lock lives as long as the returned value; a note on a stale lock taken
/// over is printed to stderr.
pub fn claim(dir: &Path, what: &str) -> Result<Claim> {
    refuse_foreign(dir)?;
    let created = missing_folders(dir);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let lock = match FolderLock::acquire(dir, what) {
        Ok(lock) => lock,
        Err(e) => {
            remove_created(&created);
            return Err(e);
        }
    };
    if let Some(note) = lock.stale_note() {
        eprintln!("note: {note}");
    }
    Ok(Claim {
        lock: Some(lock),
        created,
    })
}
