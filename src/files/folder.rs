//! Output folders that never destroy a user's files.
//!
//! Every folder medesert writes carries a marker, `.medesert-output.json` (see
//! [`super::marker`]), that says what kind of output it is, what produced it and every file it
//! wrote, with each file's size and SHA-256. A command writes into a new folder, an empty one,
//! or a folder whose marker shows a previous output of the same kind, and then only replaces
//! the files that marker lists *and that are still, byte for byte, what medesert wrote*. A
//! folder holding anything else (a user's notes, a file changed since, the project, the data)
//! is refused before any run starts, `--force` or not; a marker naming a path outside its
//! folder is refused whole.
//!
//! Outputs nested in a folder (a validation or figures folder inside a run, an animation drawn
//! from it) are carried over when the folder is replaced, so a rerun keeps them.
//!
//! The folder is filled as a hidden sibling (`.medesert-tmp-<pid>-…`, holding a stamp file
//! that records its process and its own inode) and swapped into place in one step (Linux:
//! `renameat2(RENAME_EXCHANGE)`), so a reader, or a `kill -9`, sees either the previous
//! complete output or the new one. A sibling left by a killed process is cleaned by the next
//! command writing there, only when its stamp proves it is medesert's: a folder merely named
//! like one is left alone ([`super::temporary`]). The stamp names its process (id and start time, so a later
//! process with the same id is not taken for it) and says what the folder may hold: a new
//! output only (removed whole), or also outputs carried in from the previous folder or a
//! previous output moved aside (then only the files its marker lists go). It is written in one
//! step, stays until the output is in place (a stamp left there by a kill is removed by the
//! next command), and a folder left empty, or holding nothing but a stamp, is removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};

use super::marker::{self, Entry, Marker};
pub use super::marker::{Kind, MARKER};

use super::lock::FolderLock;
use super::temporary::{
    Holds, TMP_STAMP, clear_stale_stamp, discard_previous, stamp_temporary, unstamp_temporary,
};
pub(crate) use super::temporary::{clean_stale_siblings, tmp_prefix};

/// How many foreign names a refusal lists.
const NAMES_SHOWN: usize = 3;

/// A folder checked before a command runs, to be written by [`Target::publish`]; locked
/// (`.<name>.medesert.lock` beside it) for as long as the value lives, so two commands never
/// write the same folder at once. Dropped without a publish (a refusal after the claim), it
/// removes the parent folders its claim created, when they are still empty.
#[derive(Debug)]
pub struct Target {
    path: PathBuf,
    kind: Kind,
    label: String,
    force: bool,
    lock: Option<FolderLock>,
    /// Folders the claim created to hold the lock, outermost first.
    created: Vec<PathBuf>,
    published: AtomicBool,
}

impl Drop for Target {
    fn drop(&mut self) {
        drop(self.lock.take());
        if !self.published.load(Ordering::Relaxed) {
            remove_created(&self.created);
        }
    }
}

impl Target {
    /// Checks that `path` may receive a `kind` output produced by `label`: it does not exist,
    /// is empty, or holds a previous medesert output of the same kind (of another scenario
    /// only with `force`). Call it before any long work, so a refusal costs nothing.
    pub fn claim(path: &Path, kind: Kind, label: &str, force: bool) -> Result<Target> {
        let Some(name) = path.file_name() else {
            bail!(
                "{}: an output folder must be named by its own name (such as outputs/mine), \
                 not '.', '..' or '/'",
                path.display()
            );
        };
        let parent = parent_of(path);
        let created = missing_folders(&parent);
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let lock_file = parent.join(format!(".{}.medesert.lock", name.to_string_lossy()));
        let lock = match FolderLock::acquire_at(&lock_file, path, kind.noun()) {
            Ok(lock) => lock,
            Err(e) => {
                remove_created(&created);
                return Err(e);
            }
        };
        if let Some(note) = lock.stale_note() {
            eprintln!("note: {note}");
        }
        let target = Target {
            path: path.to_path_buf(),
            kind,
            label: label.to_string(),
            force,
            lock: Some(lock),
            created,
            published: AtomicBool::new(false),
        };
        target.previous()?;
        Ok(target)
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Fills a hidden sibling folder with `fill`, marks it, carries over the outputs nested in
    /// the previous folder, and swaps it into place; then deletes the files the previous
    /// output listed that are still what it wrote, and nothing else. An error leaves the
    /// previous folder as it was.
    pub fn publish(&self, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        let parent = parent_of(&self.path);
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        clean_stale_siblings(&parent);
        let tmp = tempfile::Builder::new()
            .prefix(&tmp_prefix())
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
        // Stamped from the start, so that a kill at any moment leaves a folder the next
        // command can clean (see [`clean_stale_siblings`]).
        stamp_temporary(tmp.path(), Holds::New)?;
        fill(tmp.path())?;
        let files = files_below(tmp.path())?
            .iter()
            .filter(|f| *f != TMP_STAMP)
            .map(|f| marker::stamp(tmp.path(), f).map(Entry::Stamped))
            .collect::<Result<Vec<_>>>()?;
        let mut marker = Marker {
            kind: self.kind,
            label: self.label.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            files,
            derived: Vec::new(),
        };
        // Checked again: the folder may have changed while the command ran.
        let previous = self.previous()?;
        // What the previous folder holds that the new one keeps: nested outputs, and the
        // derived files still in place (listed in the new marker).
        let mut carried = Vec::new();
        if let Some(old) = &previous {
            let derived = old.marker.iter().flat_map(|m| m.derived.iter());
            let nested = old.nested.iter().map(|n| (n.as_str(), None));
            for (name, entry) in nested.chain(derived.map(|e| (e.path(), Some(e)))) {
                let from = self.path.join(name);
                let to = tmp.path().join(name);
                if std::fs::symlink_metadata(&from).is_ok() && !to.exists() {
                    carried.push((from, to));
                    marker.derived.extend(entry.cloned());
                }
            }
        }
        marker::write(tmp.path(), &marker)?;
        // From here the folder may hold a user's files (carried in): a kill now leaves it
        // to be cleaned of the files its marker lists only.
        stamp_temporary(tmp.path(), Holds::Previous)?;
        let moved = carried.iter().try_for_each(|(from, to)| {
            std::fs::rename(from, to).with_context(|| format!("cannot keep {}", from.display()))
        });
        // Never dropped from here (which would delete it): it may hold outputs carried in.
        let tmp = tmp.keep();
        let done = moved.and_then(|()| match &previous {
            None => install(&tmp, &self.path),
            Some(old) => swap(&tmp, &self.path, old),
        });
        if let Err(e) = done {
            return Err(e.context(format!(
                "the new output, and what it kept of {}, are in {}",
                self.path.display(),
                tmp.display()
            )));
        }
        // The output is in place; its stamp came with it (a kill before this line leaves a
        // stamp the next command removes: [`clear_stale_stamp`]).
        unstamp_temporary(&self.path).ok();
        self.published.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// The previous output in the folder (`None` when it is new or empty), or why it may not
    /// be replaced.
    fn previous(&self) -> Result<Option<Previous>> {
        let path = &self.path;
        if path.file_name().is_none() {
            bail!(
                "{}: an output folder must be named by its own name (such as outputs/mine), \
                 not '.', '..' or '/'",
                path.display()
            );
        }
        clear_stale_stamp(path);
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        if meta.file_type().is_symlink() {
            bail!(
                "{} is a link: medesert writes outputs into real folders only",
                path.display()
            );
        }
        if !meta.is_dir() {
            bail!(
                "{} is a file: an output folder is needed here; choose another path",
                path.display()
            );
        }
        let marker = marker::read(path)?;
        if let Some(m) = &marker {
            if m.kind != self.kind {
                bail!(
                    "{} holds a medesert {}, not a {}: choose another folder",
                    path.display(),
                    m.kind.noun(),
                    self.kind.noun()
                );
            }
            if m.label != self.label && !self.force {
                bail!(
                    "{} holds the {} of {:?}, not of {:?}: add --force to replace it, or \
                     choose another folder",
                    path.display(),
                    m.kind.noun(),
                    m.label,
                    self.label
                );
            }
        }
        let previous = Previous::survey(path, marker)?;
        if !previous.foreign.is_empty() {
            let shown: Vec<&str> = previous
                .foreign
                .iter()
                .take(NAMES_SHOWN)
                .map(String::as_str)
                .collect();
            let more = previous.foreign.len().saturating_sub(NAMES_SHOWN);
            bail!(
                "{} holds files medesert did not write ({}{}): medesert never replaces a \
                 folder holding other files, even with --force; choose a new or empty folder",
                path.display(),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        Ok((previous.marker.is_some() || !previous.nested.is_empty()).then_some(previous))
    }
}

/// What an existing output folder holds.
#[derive(Debug)]
struct Previous {
    marker: Option<Marker>,
    /// Sub-folders that are outputs of their own (they carry a marker), and their locks.
    nested: Vec<String>,
    /// Entries medesert did not write, or that changed since it wrote them.
    foreign: Vec<String>,
}

impl Previous {
    fn survey(dir: &Path, marker: Option<Marker>) -> Result<Previous> {
        let owned: BTreeMap<&str, &Entry> = marker
            .iter()
            .flat_map(Marker::entries)
            .map(|e| (e.path(), e))
            .collect();
        // An entry is medesert's while it is what medesert wrote; otherwise it is a user's.
        let unproved = |name: &str| -> Option<String> {
            match owned.get(name) {
                Some(e) if marker::still_written(dir, e) => None,
                Some(Entry::Bare(_)) => Some(format!("{name} (listed without its size and hash)")),
                Some(_) => Some(format!("{name} (changed since medesert wrote it)")),
                None => Some(name.to_string()),
            }
        };
        let mut nested = Vec::new();
        let mut foreign = Vec::new();
        for entry in sorted_entries(dir)? {
            let name = entry.to_string_lossy().to_string();
            let full = dir.join(&entry);
            let meta = std::fs::symlink_metadata(&full)
                .with_context(|| format!("cannot read {}", full.display()))?;
            if name == MARKER && meta.is_file() {
                continue;
            }
            if owned.contains_key(name.as_str()) {
                foreign.extend(unproved(&name));
                continue;
            }
            if name.starts_with('.') && name.ends_with(".medesert.lock") && meta.is_file() {
                // The lock of an output nested here (figures being drawn): kept as it is.
                nested.push(name);
                continue;
            }
            if meta.is_dir() {
                let inner = std::fs::symlink_metadata(full.join(MARKER));
                if inner.is_ok_and(|m| m.is_file()) {
                    nested.push(name);
                    continue;
                }
                if owned.keys().any(|o| o.starts_with(&format!("{name}/"))) {
                    // A sub-folder the command wrote: every file in it must be its own.
                    for f in files_below(&full)? {
                        foreign.extend(unproved(&format!("{name}/{f}")));
                    }
                    continue;
                }
            }
            foreign.push(name);
        }
        Ok(Previous {
            marker,
            nested,
            foreign,
        })
    }
}

/// Registers `file` (written by another command into an output folder, e.g. an animation in a
/// run folder) with its size and hash, so that a rerun of the folder's command keeps it.
/// No-op outside such a folder.
pub fn register_derived(file: &Path) -> Result<()> {
    let dir = parent_of(file);
    let Some(mut marker) = marker::read(&dir)? else {
        return Ok(());
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let stamped = Entry::Stamped(marker::stamp(&dir, &name)?);
    let listed = marker
        .files
        .iter_mut()
        .chain(marker.derived.iter_mut())
        .find(|e| e.path() == name);
    match listed {
        Some(e) => *e = stamped,
        None => marker.derived.push(stamped),
    }
    marker::write(&dir, &marker)
}

/// Whether `file` is a file medesert wrote into an output folder (listed by its marker) and
/// still holds what it wrote.
pub fn is_registered(file: &Path) -> bool {
    let dir = parent_of(file);
    let name = file.file_name().map(|n| n.to_string_lossy().to_string());
    match (marker::read(&dir), name) {
        (Ok(Some(m)), Some(n)) => m
            .entries()
            .any(|e| e.path() == n && marker::still_written(&dir, e)),
        _ => false,
    }
}

/// The folder that holds `path` (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The folders `create_dir_all(dir)` would create, outermost first.
pub(crate) fn missing_folders(dir: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .take_while(|a| std::fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

/// Removes the folders a claim created, innermost first, each only when empty.
pub(crate) fn remove_created(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        // Fails, as meant, on a folder holding anything.
        std::fs::remove_dir(dir).ok();
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::ffi::OsString>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    names.sort();
    Ok(names)
}

/// Every file below `dir`, relative, `/`-separated, sorted (the marker excluded); links are
/// listed as files, never followed.
fn files_below(dir: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
        for name in sorted_entries(dir)? {
            let name = name.to_string_lossy().to_string();
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let full = dir.join(&name);
            let is_dir = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir());
            if is_dir {
                walk(&full, &rel, out)?;
            } else if rel != MARKER {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    Ok(out)
}

/// Moves a finished folder to a path that is free or an empty folder.
fn install(tmp: &Path, out: &Path) -> Result<()> {
    if out.is_dir() {
        // An empty folder (checked): removing it cannot lose anything.
        std::fs::remove_dir(out).with_context(|| format!("cannot replace {}", out.display()))?;
    }
    std::fs::rename(tmp, out)
        .with_context(|| format!("cannot move the output into {}", out.display()))
}

/// Swaps a finished folder with the previous output, then deletes the previous output's own
/// files (those its marker lists, each checked again to be still what medesert wrote) and the
/// folders they leave empty: nothing else.
fn swap(tmp: &Path, out: &Path, old: &Previous) -> Result<()> {
    // Stamped before it moves, so that a kill at any moment after leaves a folder the next
    // command finishes (see [`discard_previous`]); a kill before the exchange leaves the stamp
    // in the output, which the next command removes ([`clear_stale_stamp`]).
    stamp_temporary(out, Holds::Previous)?;
    if let Err(e) = exchange(tmp, out) {
        unstamp_temporary(out).ok();
        return Err(e);
    }
    // `tmp` now holds the previous output.
    let aside = tmp.to_path_buf();
    discard_previous(&aside, old.marker.as_ref());
    if aside.exists() {
        eprintln!(
            "warning: kept {}: it holds files medesert did not write (added to {} while it ran)",
            aside.display(),
            out.display()
        );
    }
    Ok(())
}

/// Exchanges two folders in one step where the system can (Linux), else in two renames.
fn exchange(a: &Path, b: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = a.with_extension("old");
    std::fs::rename(b, &aside)
        .with_context(|| format!("cannot move the previous {} aside", b.display()))?;
    std::fs::rename(a, b)
        .with_context(|| format!("cannot move the output into {}", b.display()))?;
    std::fs::rename(&aside, a).with_context(|| format!("cannot move {}", aside.display()))?;
    Ok(())
}

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
