//! The hidden folders an output is filled in, and what a killed command leaves of them
//! (see [`super::folder`]): their stamps, which name the process that made them (id and
//! start time) and what they may hold, and the cleaning of those a process that no longer
//! runs left behind. A folder is removed only when its stamp proves it is medesert's and its
//! process is gone; of a previous output moved aside, only the files its marker lists and
//! that are still what medesert wrote.

use std::path::Path;

use anyhow::{Context, Result};

use super::marker::{self, MARKER, Marker};

/// Prefix of the hidden folders an output is filled in before it is swapped into place.
pub(super) const TMP_PREFIX: &str = ".medesert-tmp-";
/// The stamp file inside such a folder: its process and the folder's own device and inode.
pub(super) const TMP_STAMP: &str = ".medesert-tmp-stamp";
/// The next stamp, written whole before it is renamed over [`TMP_STAMP`].
pub(super) const TMP_STAMP_NEXT: &str = ".medesert-tmp-stamp-next";

/// Deletes, from a previous output moved aside, the files `marker` lists that are still what
/// medesert wrote, then the marker, the stamp and the folders left empty: nothing else.
pub(super) fn discard_previous(aside: &Path, marker: Option<&Marker>) {
    for entry in marker.iter().flat_map(|m| m.files.iter()) {
        if marker::still_written(aside, entry) {
            std::fs::remove_file(aside.join(entry.path())).ok();
        }
    }
    // The marker before the stamp: a folder stamped without its marker has nothing left to
    // delete but empty folders; the stamp last, so that a kill leaves an empty folder at
    // worst (cleaned as such: [`clean_stale_siblings`]).
    let old_marker = aside.join(MARKER);
    if std::fs::symlink_metadata(&old_marker).is_ok_and(|m| m.is_file()) {
        std::fs::remove_file(&old_marker).ok();
    }
    if let Ok(entries) = std::fs::read_dir(aside) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
            }
        }
    }
    let stamp = aside.join(TMP_STAMP);
    if std::fs::symlink_metadata(&stamp).is_ok_and(|m| m.is_file()) {
        std::fs::remove_file(&stamp).ok();
    }
    std::fs::remove_dir(aside).ok();
}

/// Removes `dir` and the folders below it that are empty, bottom up (links never followed).
pub(super) fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
            }
        }
    }
    std::fs::remove_dir(dir).ok();
}

/// Prefix of this process's temporary files and folders: a later command can tell whether
/// their process still runs.
pub(crate) fn tmp_prefix() -> String {
    format!("{TMP_PREFIX}{}-", std::process::id())
}

/// The identity of a folder: its device and inode (Unix), which a copy or an archive cannot
/// carry over.
pub(super) fn folder_identity(dir: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(dir).ok()?;
        meta.is_dir()
            .then(|| format!("{}:{}", meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// What a temporary folder holds, which says how a later command may clean it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holds {
    /// A new output being written: every file in it is medesert's (removed whole).
    New,
    /// A marked output that may hold files medesert did not write (a previous output moved
    /// aside to be discarded, or a new one receiving the outputs nested in the previous
    /// folder): only the files its marker lists and that are still what medesert wrote are
    /// removed.
    Previous,
}

impl Holds {
    fn name(self) -> &'static str {
        match self {
            Holds::New => "new",
            Holds::Previous => "previous",
        }
    }
}

/// A process: its id and its start time (clock ticks after boot, Linux; 0 elsewhere), which
/// a later process reusing the id does not share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Process {
    pub(super) pid: u32,
    pub(super) started: u64,
}

impl Process {
    /// This process.
    pub(super) fn this() -> Process {
        let pid = std::process::id();
        Process {
            pid,
            started: process_start(pid).unwrap_or(0),
        }
    }

    /// Whether it still runs: its id runs and started at the same time (Linux; elsewhere
    /// assumed to, so nothing is cleaned by mistake).
    pub(super) fn runs(self) -> bool {
        !cfg!(target_os = "linux")
            || self.pid == std::process::id()
            || process_start(self.pid) == Some(self.started)
    }
}

/// The start time of process `pid` (field 22 of /proc/PID/stat), if it runs (Linux).
pub(super) fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name (field 2) may hold spaces and parentheses: fields 3… follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// The text of the stamp of folder `identity`, made by process `p`, holding `holds`.
pub(super) fn stamp_text(p: Process, identity: &str, holds: Holds) -> String {
    format!(
        "pid = {}\nstarted = {}\nfolder = {identity}\nholds = {}\n",
        p.pid,
        p.started,
        holds.name()
    )
}

/// Writes the stamp that marks `dir` as this process's temporary folder, in one step (a
/// file renamed over the previous stamp): a kill leaves the old stamp or the new one.
pub(super) fn stamp_temporary(dir: &Path, holds: Holds) -> Result<()> {
    let identity = folder_identity(dir).unwrap_or_default();
    let text = stamp_text(Process::this(), &identity, holds);
    let (next, path) = (dir.join(TMP_STAMP_NEXT), dir.join(TMP_STAMP));
    std::fs::write(&next, text).with_context(|| format!("cannot write {}", next.display()))?;
    std::fs::rename(&next, &path).with_context(|| format!("cannot write {}", path.display()))
}

/// Removes the stamp of `dir`.
pub(super) fn unstamp_temporary(dir: &Path) -> Result<()> {
    let path = dir.join(TMP_STAMP);
    std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))
}

/// What stamp file `name` of `dir` holds, and its process: `None` unless `dir` is a real
/// folder and the stamp a regular file that names the folder's own device and inode.
pub(super) fn read_stamp(dir: &Path, name: &str) -> Option<(Process, Holds)> {
    let identity = folder_identity(dir)?;
    let stamp = dir.join(name);
    if !std::fs::symlink_metadata(&stamp).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let text = std::fs::read_to_string(&stamp).ok()?;
    let mut lines = text.lines();
    let pid = lines.next()?.strip_prefix("pid = ")?.parse().ok()?;
    let started = lines.next()?.strip_prefix("started = ")?.parse().ok()?;
    let p = Process { pid, started };
    [Holds::New, Holds::Previous]
        .into_iter()
        .find(|&holds| text == stamp_text(p, &identity, holds))
        .map(|holds| (p, holds))
}

/// Removes from output folder `dir` the stamps a medesert process left there when it was
/// killed while swapping it into place (naming that folder's own inode, and a process that no
/// longer runs).
pub(super) fn clear_stale_stamp(dir: &Path) {
    for name in [TMP_STAMP, TMP_STAMP_NEXT] {
        if let Some((p, _)) = read_stamp(dir, name)
            && !p.runs()
        {
            std::fs::remove_file(dir.join(name)).ok();
        }
    }
}

/// Whether `dir` holds nothing but what a process killed right after creating it, or right
/// before removing it, leaves: no entry, or stamp files of process `pid` only (whole or cut
/// short). Removing it loses nothing.
pub(super) fn holds_nothing_but_stamps(dir: &Path, pid: u32) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let head = format!("pid = {pid}\n");
    entries.into_iter().all(|e| {
        let Ok(e) = e else { return false };
        let name = e.file_name();
        if name != TMP_STAMP && name != TMP_STAMP_NEXT {
            return false;
        }
        if !e.file_type().is_ok_and(|t| t.is_file()) {
            return false;
        }
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            return false;
        };
        text.len() <= 256 && (text.starts_with(&head) || head.starts_with(&text))
    })
}

/// What `dir`, named for process `pid`, holds when it is a temporary folder that medesert
/// made: a real folder holding a stamp (a regular file) that names the same process and the
/// folder's own device and inode. `None` for anything else.
pub(super) fn own_temporary(dir: &Path, pid: u32) -> Option<(Process, Holds)> {
    read_stamp(dir, TMP_STAMP).filter(|(p, _)| p.pid == pid)
}

/// Removes the temporary folders of `parent` left by medesert processes that no longer run
/// (killed while writing), each only when its stamp proves it is medesert's (see
/// [`own_temporary`]). Temporary files left by a killed process are never removed: nothing
/// can prove a file is one.
pub(crate) fn clean_stale_siblings(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix(TMP_PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let path = e.path();
        match own_temporary(&path, pid) {
            Some((p, _)) if p.runs() => {}
            Some((_, Holds::New)) => {
                std::fs::remove_dir_all(path).ok();
            }
            Some((_, Holds::Previous)) => {
                // Its marker, read and checked like any other, says what may go.
                let marker = marker::read(&path).ok().flatten();
                discard_previous(&path, marker.as_ref());
                if path.exists() {
                    eprintln!(
                        "warning: kept {}, left by a medesert command that was stopped: it \
                         holds files medesert did not write",
                        path.display()
                    );
                }
            }
            None if !process_alive(pid) && holds_nothing_but_stamps(&path, pid) => {
                std::fs::remove_dir_all(path).ok();
            }
            None => {}
        }
    }
}

/// Whether process `pid` still runs (Linux: /proc; elsewhere assumed to, so nothing is
/// cleaned by mistake).
pub(crate) fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}
