//! An advisory lock on an output folder (a sweep, a calibration, a comparison) while a process
//! writes to it, so that two processes never interleave their files.
//!
//! The lock is `DIR/.medesert.lock`, held with the operating system's file lock (`flock` on
//! Linux): the kernel releases it when its process ends, even by `kill -9`, so a lock left by
//! a killed process is seen as stale and taken over. The file holds the holder's pid, host and
//! start time, to tell the user who holds it (and, on a file system without file locks, as
//! the only evidence: a holder whose pid no longer runs on this host is stale). Dropping the
//! [`FolderLock`] removes the file.
//!
//! ```no_run
//! use medesert::files::lock::FolderLock;
//! # fn main() -> anyhow::Result<()> {
//! let dir = std::path::Path::new("outputs/compare/baseline-vs-x");
//! std::fs::create_dir_all(dir)?;
//! let lock = FolderLock::acquire(dir, "compare")?; // refused while another process writes
//! if let Some(note) = lock.stale_note() {
//!     eprintln!("note: {note}");
//! }
//! // … write into `dir` …
//! drop(lock); // or let it go out of scope: the lock file is removed
//! # Ok(())
//! # }
//! ```

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Name of the lock file in a locked folder.
pub const LOCK_FILE: &str = ".medesert.lock";

/// Exclusive right to write into a folder, for as long as the value lives.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    file: File,
    stale: Option<String>,
}

impl FolderLock {
    /// Locks `dir` (which must exist) for `what` (e.g. "sweep"), or says which process holds
    /// it: "DIR is being written by medesert process PID (…): wait for it, or choose another
    /// --out". A lock file left by a process that no longer runs is taken over (see
    /// [`FolderLock::stale_note`]).
    pub fn acquire(dir: &Path, what: &str) -> Result<FolderLock> {
        FolderLock::acquire_at(&dir.join(LOCK_FILE), dir, what)
    }

    /// Locks `target` (a folder that may not exist yet, such as an output swapped into place
    /// when complete) through the lock file `path` beside it; as [`FolderLock::acquire`].
    pub fn acquire_at(path: &Path, target: &Path, what: &str) -> Result<FolderLock> {
        let dir = target;
        let path = path.to_path_buf();
        // A holder removes the file when it finishes: a file opened just before that removal
        // is no longer the lock, so the lock is taken again on the file now at `path`.
        for _ in 0..100 {
            let mut file = open_lock_file(&path)?;
            let mut previous = String::new();
            let busy = |previous: &str| {
                anyhow::anyhow!(
                    "{} is being written by {}: wait for it, or choose another --out",
                    dir.display(),
                    holder(previous)
                )
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    file.read_to_string(&mut previous).ok();
                    return Err(busy(&previous));
                }
                // Some cluster file systems (Lustre mounted without `flock`) have no file
                // locks: the pid in the file is then the only evidence of a live holder.
                Err(TryLockError::Error(e)) if no_os_locks(&e) => {
                    file.read_to_string(&mut previous).ok();
                    if pid_may_run(&previous) {
                        return Err(busy(&previous)).with_context(|| {
                            format!(
                                "(no file locks on this file system: if that process is gone, \
                                 delete {})",
                                path.display()
                            )
                        });
                    }
                }
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
            if !same_file(&file, &path) {
                continue;
            }
            if previous.is_empty() {
                file.read_to_string(&mut previous).ok();
            }
            let stale = (!previous.trim().is_empty()).then(|| {
                format!(
                    "{} was left by {}, which no longer runs: lock taken over",
                    path.display(),
                    holder(&previous)
                )
            });
            let me = format!(
                "pid = {}\nhost = {}\nstarted = {}\nwhat = {what}\n",
                std::process::id(),
                host(),
                now_utc()
            );
            file.set_len(0)
                .and_then(|_| file.rewind())
                .and_then(|_| file.write_all(me.as_bytes()))
                .and_then(|_| file.sync_data())
                .with_context(|| format!("cannot write the lock file {}", path.display()))?;
            return Ok(FolderLock { path, file, stale });
        }
        bail!(
            "cannot lock {}: its lock file keeps being replaced",
            dir.display()
        )
    }

    /// Checks, without locking it, that no process holds a lock on `dir` (e.g. before reading
    /// a folder that another process may be writing): the error names the holder.
    pub fn check_free(dir: &Path) -> Result<()> {
        let path = dir.join(LOCK_FILE);
        let mut options = OpenOptions::new();
        options.read(true);
        super::marker::no_follow(&mut options);
        let Ok(mut file) = options.open(&path) else {
            return Ok(());
        };
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Ok(());
        }
        if let Err(TryLockError::WouldBlock) = file.try_lock_shared() {
            let mut text = String::new();
            file.read_to_string(&mut text).ok();
            bail!(
                "{} is being written by {}: wait for it to finish",
                dir.display(),
                holder(&text)
            );
        }
        Ok(())
    }

    /// A note to show the user when a stale lock (from a killed process) was taken over.
    pub fn stale_note(&self) -> Option<&str> {
        self.stale.as_deref()
    }

    /// Path of the lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still held, so no other process can hold a lock on this file then;
        // only if it is still ours (a user may have deleted and another process recreated it).
        if same_file(&self.file, &self.path) {
            std::fs::remove_file(&self.path).ok();
        }
        self.file.unlock().ok();
    }
}

/// Opens (or creates) the lock file at `path`: a regular file reached without following a
/// link, or a refusal. A new file is created exclusively (`O_EXCL`), so a link or a FIFO put
/// there in the meantime is never opened through.
fn open_lock_file(path: &Path) -> Result<File> {
    let refuse = || {
        anyhow::anyhow!(
            "{} is not a regular file (a link, a folder or a device): medesert's lock file \
             must be a plain file; remove it or choose another --out",
            path.display()
        )
    };
    let open = |create_new: bool| {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(create_new);
        super::marker::no_follow(&mut options);
        options.open(path)
    };
    let file = match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(refuse()),
        Ok(_) => open(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match open(true) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => open(false),
            other => other,
        },
        Err(e) => Err(e),
    };
    let file = match file {
        Ok(f) => f,
        // ELOOP: a link appeared at `path` (O_NOFOLLOW).
        Err(e) if e.raw_os_error() == Some(40) => return Err(refuse()),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot create the lock file {}", path.display()));
        }
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(refuse());
    }
    Ok(file)
}

/// Whether a lock error means the file system has no file locks at all.
fn no_os_locks(e: &std::io::Error) -> bool {
    // ENOLCK, ENOSYS, EOPNOTSUPP on Linux.
    e.kind() == std::io::ErrorKind::Unsupported || matches!(e.raw_os_error(), Some(37 | 38 | 95))
}

/// Whether the process named in a lock file's text may still run: on this host, whether it
/// exists (Linux: /proc/PID; elsewhere assumed alive); on another host, assumed alive.
fn pid_may_run(text: &str) -> bool {
    let field = |key: &str| field(text, key);
    let Some(pid) = field("pid") else {
        return false;
    };
    if field("host").as_deref() != Some(host().as_str()) {
        return true;
    }
    if pid == std::process::id().to_string() {
        return false;
    }
    !cfg!(target_os = "linux") || Path::new("/proc").join(&pid).exists()
}

/// The value of `key = value` in a lock file's text.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.split_once(" = "))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.trim().to_string())
}

/// "medesert process PID (host H, started T, sweep)" from a lock file's text.
fn holder(text: &str) -> String {
    let field = |key: &str| field(text, key);
    match field("pid") {
        Some(pid) => format!(
            "medesert process {pid} (host {}, started {}, {})",
            field("host").unwrap_or_else(|| "?".into()),
            field("started").unwrap_or_else(|| "?".into()),
            field("what").unwrap_or_else(|| "?".into())
        ),
        None => "another medesert process".to_string(),
    }
}

/// Whether the open `file` is the file now at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "?".into())
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC` (civil date from days, no time zone
/// database needed).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("medesert-lock-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_second_lock_on_a_locked_folder_is_refused_and_names_the_holder() {
        let dir = scratch("twice");
        let first = FolderLock::acquire(&dir, "sweep").unwrap();
        let err = format!("{:#}", FolderLock::acquire(&dir, "sweep").unwrap_err());
        assert!(
            err.contains("is being written by medesert process"),
            "{err}"
        );
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        assert!(err.contains("choose another --out"), "{err}");
        assert!(first.stale_note().is_none());
        let busy = format!("{:#}", FolderLock::check_free(&dir).unwrap_err());
        assert!(busy.contains("is being written by"), "{busy}");
        drop(first);
        FolderLock::check_free(&dir).expect("free once dropped");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn dropping_the_lock_removes_its_file_and_frees_the_folder() {
        let dir = scratch("drop");
        let lock = FolderLock::acquire(&dir, "sweep").unwrap();
        assert!(lock.path().exists());
        drop(lock);
        assert!(!dir.join(LOCK_FILE).exists());
        let again = FolderLock::acquire(&dir, "sweep").unwrap();
        assert!(again.stale_note().is_none(), "a released lock is not stale");
        drop(again);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_lock_file_left_by_a_killed_process_is_taken_over_with_a_note() {
        let dir = scratch("stale");
        // What a process killed by kill -9 leaves: the file, but no lock held on it.
        std::fs::write(
            dir.join(LOCK_FILE),
            "pid = 4000000\nhost = elsewhere\nstarted = 2026-01-01 00:00:00 UTC\nwhat = sweep\n",
        )
        .unwrap();
        let lock = FolderLock::acquire(&dir, "sweep").unwrap();
        let note = lock.stale_note().expect("a note on the stale lock");
        assert!(
            note.contains("4000000") && note.contains("no longer runs"),
            "{note}"
        );
        let text = std::fs::read_to_string(dir.join(LOCK_FILE)).unwrap();
        assert!(
            text.contains(&format!("pid = {}", std::process::id())),
            "{text}"
        );
        drop(lock);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn without_file_locks_a_pid_that_runs_here_holds_the_folder_and_a_dead_one_does_not() {
        let here = host();
        let me = format!("pid = 1\nhost = {here}\n");
        assert!(pid_may_run(&me), "pid 1 runs");
        assert!(!pid_may_run(&format!("pid = 4000000000\nhost = {here}\n")));
        assert!(pid_may_run(
            "pid = 4000000000\nhost = another-host-entirely\n"
        ));
        assert!(!pid_may_run(""), "an empty lock file holds nothing");
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_path_that_is_a_link_or_a_folder_is_refused_and_its_target_left_alone() {
        let dir = scratch("link");
        let notes = dir.join("notes.txt");
        std::fs::write(&notes, "my notes").unwrap();
        std::os::unix::fs::symlink(&notes, dir.join(LOCK_FILE)).unwrap();
        let err = format!("{:#}", FolderLock::acquire(&dir, "sweep").unwrap_err());
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");
        // A dangling link: no file is created through it.
        std::fs::remove_file(dir.join(LOCK_FILE)).unwrap();
        std::os::unix::fs::symlink(dir.join("created.txt"), dir.join(LOCK_FILE)).unwrap();
        assert!(FolderLock::acquire(&dir, "sweep").is_err());
        assert!(!dir.join("created.txt").exists());
        std::fs::remove_file(dir.join(LOCK_FILE)).unwrap();
        std::fs::create_dir(dir.join(LOCK_FILE)).unwrap();
        assert!(FolderLock::acquire(&dir, "sweep").is_err());
        FolderLock::check_free(&dir).expect("a folder is no lock");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_start_time_is_a_civil_utc_date() {
        let t = now_utc();
        assert_eq!(t.len(), "2026-11-28 18:30:00 UTC".len(), "{t}");
        assert!(t.starts_with("20") && t.ends_with(" UTC"), "{t}");
    }
}
