//! Output folders that never destroy a user's files.
//!
//! Every folder medesert writes carries a marker, `.medesert-output.json`, that says what kind
//! of output it is, what produced it and every file it wrote. A command writes into a new
//! folder, an empty one, or a folder whose marker shows a previous output of the same kind, and
//! then only replaces the files that marker lists. A folder holding anything else (a user's
//! notes, the project, the data) is refused before any run starts, `--force` or not.
//!
//! Outputs nested in a folder (a validation or figures folder inside a run, an animation drawn
//! from it) are carried over when the folder is replaced, so a rerun keeps them.
//!
//! The folder is filled as a hidden sibling (`.medesert-tmp-<pid>-…`) and swapped into place in
//! one step (Linux: `renameat2(RENAME_EXCHANGE)`), so a reader, or a `kill -9`, sees either the
//! previous complete output or the new one. A sibling left by a killed process is cleaned by the
//! next command writing there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::lock::FolderLock;

/// The marker file's name.
pub const MARKER: &str = ".medesert-output.json";
/// Prefix of the hidden folders an output is filled in before it is swapped into place.
const TMP_PREFIX: &str = ".medesert-tmp-";
/// How many foreign names a refusal lists.
const NAMES_SHOWN: usize = 3;

/// What a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `medesert run` (and a scenario run by `animate`).
    Run,
    /// `medesert validate`.
    Validation,
    /// `medesert compare`.
    Comparison,
    /// `medesert figures`.
    Figures,
    /// `medesert animate --frames`.
    Frames,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Validation => "validation report",
            Kind::Comparison => "comparison",
            Kind::Figures => "figures folder",
            Kind::Frames => "frames folder",
        }
    }
}

/// `.medesert-output.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Marker {
    kind: Kind,
    /// What produced it: the scenario's name (with its `--set` overrides), or the names compared.
    label: String,
    version: String,
    /// Every file the command wrote, relative, `/`-separated.
    files: Vec<String>,
    /// Files other commands wrote into it (animations), kept when it is replaced.
    #[serde(default)]
    derived: Vec<String>,
}

/// A folder checked before a command runs, to be written by [`Target::publish`]; locked
/// (`.<name>.medesert.lock` beside it) for as long as the value lives, so two commands never
/// write the same folder at once.
#[derive(Debug)]
pub struct Target {
    path: PathBuf,
    kind: Kind,
    label: String,
    force: bool,
    _lock: FolderLock,
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
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let lock_file = parent.join(format!(".{}.medesert.lock", name.to_string_lossy()));
        let lock = FolderLock::acquire_at(&lock_file, path, kind.noun())?;
        if let Some(note) = lock.stale_note() {
            eprintln!("note: {note}");
        }
        let target = Target {
            path: path.to_path_buf(),
            kind,
            label: label.to_string(),
            force,
            _lock: lock,
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
    /// output listed, and nothing else. An error leaves the previous folder as it was.
    pub fn publish(&self, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        let parent = parent_of(&self.path);
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        clean_stale_siblings(&parent);
        let tmp = tempfile::Builder::new()
            .prefix(&tmp_prefix())
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
        fill(tmp.path())?;
        let mut marker = Marker {
            kind: self.kind,
            label: self.label.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            files: files_below(tmp.path())?,
            derived: Vec::new(),
        };
        // Checked again: the folder may have changed while the command ran.
        let previous = self.previous()?;
        if let Some(old) = &previous {
            for name in old.carried() {
                let from = self.path.join(&name);
                if from.exists() && !tmp.path().join(&name).exists() {
                    std::fs::rename(&from, tmp.path().join(&name))
                        .with_context(|| format!("cannot keep {}", from.display()))?;
                    marker.derived.push(name);
                }
            }
            marker.derived.retain(|d| !old.nested.contains(d));
        }
        write_marker(tmp.path(), &marker)?;
        match previous {
            None => install(tmp, &self.path),
            Some(old) => swap(tmp, &self.path, &old),
        }
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
        let marker = read_marker(path)?;
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
    /// Entries medesert did not write.
    foreign: Vec<String>,
}

impl Previous {
    fn survey(dir: &Path, marker: Option<Marker>) -> Result<Previous> {
        let owned: BTreeSet<&str> = marker
            .iter()
            .flat_map(|m| m.files.iter().chain(&m.derived))
            .map(String::as_str)
            .collect();
        let mut nested = Vec::new();
        let mut foreign = Vec::new();
        for entry in sorted_entries(dir)? {
            let name = entry.to_string_lossy().to_string();
            let full = dir.join(&entry);
            if name == MARKER || owned.contains(name.as_str()) && full.is_file() {
                continue;
            }
            if name.starts_with('.') && name.ends_with(".medesert.lock") && full.is_file() {
                // The lock of an output nested here (figures being drawn): kept as it is.
                nested.push(name);
                continue;
            }
            if full.is_dir() && !full.is_symlink() {
                if full.join(MARKER).is_file() {
                    nested.push(name);
                    continue;
                }
                if owned.iter().any(|o| o.starts_with(&format!("{name}/"))) {
                    // A sub-folder the command wrote: every file in it must be listed.
                    for f in files_below(&full)? {
                        if !owned.contains(format!("{name}/{f}").as_str()) {
                            foreign.push(format!("{name}/{f}"));
                        }
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

    /// Entries kept when the folder is replaced: nested outputs and other commands' files.
    fn carried(&self) -> Vec<String> {
        let derived = self.marker.iter().flat_map(|m| m.derived.iter().cloned());
        self.nested.iter().cloned().chain(derived).collect()
    }
}

/// Registers `file` (written by another command into an output folder, e.g. an animation in a
/// run folder) so that a rerun of the folder's command keeps it. No-op outside such a folder.
pub fn register_derived(file: &Path) -> Result<()> {
    let dir = parent_of(file);
    let Some(mut marker) = read_marker(&dir)? else {
        return Ok(());
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if marker.files.contains(&name) || marker.derived.contains(&name) {
        return Ok(());
    }
    marker.derived.push(name);
    write_marker(&dir, &marker)
}

/// Whether `file` was written by medesert into an output folder (listed by its marker).
pub fn is_registered(file: &Path) -> bool {
    let name = file.file_name().map(|n| n.to_string_lossy().to_string());
    match (read_marker(&parent_of(file)), name) {
        (Ok(Some(m)), Some(n)) => m.files.contains(&n) || m.derived.contains(&n),
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

fn read_marker(dir: &Path) -> Result<Option<Marker>> {
    let path = dir.join(MARKER);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).with_context(|| {
            format!(
                "{} is not a medesert output marker: it was changed by hand; choose another folder",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn write_marker(dir: &Path, marker: &Marker) -> Result<()> {
    let text = serde_json::to_string_pretty(marker)? + "\n";
    super::write_file_atomically(&dir.join(MARKER), |f| {
        use std::io::Write;
        Ok(f.write_all(text.as_bytes())?)
    })
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

/// Every file below `dir`, relative, `/`-separated, sorted (the marker excluded).
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
            if full.is_dir() && !full.is_symlink() {
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
fn install(tmp: tempfile::TempDir, out: &Path) -> Result<()> {
    if out.is_dir() {
        // An empty folder (checked): removing it cannot lose anything.
        std::fs::remove_dir(out).with_context(|| format!("cannot replace {}", out.display()))?;
    }
    std::fs::rename(tmp.path(), out)
        .with_context(|| format!("cannot move the output into {}", out.display()))?;
    // Renamed away: nothing is left for the guard to delete.
    let _ = tmp.keep();
    Ok(())
}

/// Swaps a finished folder with the previous output, then deletes the previous output's own
/// files (those its marker lists) and the folders they leave empty: nothing else.
fn swap(tmp: tempfile::TempDir, out: &Path, old: &Previous) -> Result<()> {
    exchange(tmp.path(), out)?;
    // `tmp` now holds the previous output.
    let aside = tmp.keep();
    let listed = old
        .marker
        .iter()
        .flat_map(|m| m.files.iter())
        .map(String::as_str)
        .chain([MARKER]);
    for file in listed {
        let path = aside.join(file);
        if path.is_file() {
            std::fs::remove_file(&path).ok();
        }
    }
    remove_empty_dirs(&aside);
    if aside.exists() {
        eprintln!(
            "warning: kept {}: it holds files medesert did not write (added to {} while it ran)",
            aside.display(),
            out.display()
        );
    }
    Ok(())
}

/// Removes `dir` and the folders below it that are empty, bottom up.
fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() && !p.is_symlink() {
                remove_empty_dirs(&p);
            }
        }
    }
    std::fs::remove_dir(dir).ok();
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

/// Prefix of this process's temporary files and folders: a later command can tell they are
/// medesert's and whether their process still runs.
pub(crate) fn tmp_prefix() -> String {
    format!("{TMP_PREFIX}{}-", std::process::id())
}

/// Removes the temporary files and folders of `parent` left by medesert processes that no
/// longer run (killed while writing).
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
        if !process_alive(pid) {
            // medesert's own temporary: it holds only what a command wrote.
            let path = e.path();
            if path.is_dir() && !path.is_symlink() {
                std::fs::remove_dir_all(path).ok();
            } else {
                std::fs::remove_file(path).ok();
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn write(dir: &Path, files: &[&str]) -> Result<()> {
        for f in files {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().unwrap())?;
            std::fs::write(p, f)?;
        }
        Ok(())
    }

    #[test]
    fn a_new_folder_is_written_with_its_marker() {
        let d = scratch();
        let out = d.path().join("run");
        let t = Target::claim(&out, Kind::Run, "a", false).unwrap();
        t.publish(|dir| write(dir, &["x.csv", "sub/y.csv"]))
            .unwrap();
        let m = read_marker(&out).unwrap().unwrap();
        assert_eq!(m.files, ["sub/y.csv", "x.csv"]);
        assert_eq!(m.kind, Kind::Run);
    }

    #[test]
    fn a_folder_with_a_user_file_is_refused_and_left_untouched() {
        let d = scratch();
        let out = d.path().join("course");
        write(&out, &["notes.txt", "sub/thesis.docx"]).unwrap();
        for force in [false, true] {
            let err = Target::claim(&out, Kind::Run, "a", force).unwrap_err();
            assert!(err.to_string().contains("notes.txt"), "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "notes.txt"
        );
        assert!(out.join("sub/thesis.docx").is_file());
    }

    #[test]
    fn a_rerun_replaces_only_its_own_files_and_keeps_nested_outputs() {
        let d = scratch();
        let out = d.path().join("run");
        let t = Target::claim(&out, Kind::Run, "a", false).unwrap();
        t.publish(|dir| write(dir, &["old.csv", "x.csv"])).unwrap();
        let figs = Target::claim(&out.join("figures"), Kind::Figures, "a", false).unwrap();
        figs.publish(|dir| write(dir, &["map.png"])).unwrap();
        std::fs::write(out.join("animation.gif"), "gif").unwrap();
        register_derived(&out.join("animation.gif")).unwrap();
        drop((t, figs));
        let again = Target::claim(&out, Kind::Run, "a", false).unwrap();
        again.publish(|dir| write(dir, &["x.csv"])).unwrap();
        drop(again);
        assert!(!out.join("old.csv").exists());
        assert!(out.join("figures/map.png").is_file());
        assert!(out.join("animation.gif").is_file());
        assert!(is_registered(&out.join("animation.gif")));
        let leftovers: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folder is left");
    }

    #[test]
    fn another_kind_or_another_scenario_is_not_replaced_without_force() {
        let d = scratch();
        let out = d.path().join("run");
        Target::claim(&out, Kind::Run, "a", false)
            .unwrap()
            .publish(|dir| write(dir, &["x.csv"]))
            .unwrap();
        assert!(Target::claim(&out, Kind::Comparison, "a", true).is_err());
        assert!(Target::claim(&out, Kind::Run, "b", false).is_err());
        assert!(Target::claim(&out, Kind::Run, "b", true).is_ok());
    }

    #[test]
    fn a_failed_fill_leaves_the_previous_output_and_no_temporary_folder() {
        let d = scratch();
        let out = d.path().join("run");
        let t = Target::claim(&out, Kind::Run, "a", false).unwrap();
        t.publish(|dir| write(dir, &["x.csv"])).unwrap();
        let err = t.publish(|_| bail!("boom")).unwrap_err();
        assert!(err.to_string().contains("boom"));
        drop(t);
        assert!(out.join("x.csv").is_file());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_claimed_by_one_command_is_refused_to_another_until_released() {
        let d = scratch();
        let out = d.path().join("run");
        let first = Target::claim(&out, Kind::Run, "a", false).unwrap();
        let err = Target::claim(&out, Kind::Run, "a", false).unwrap_err();
        assert!(err.to_string().contains("being written"), "{err}");
        first.publish(|dir| write(dir, &["x.csv"])).unwrap();
        drop(first);
        assert!(Target::claim(&out, Kind::Run, "a", false).is_ok());
    }

    #[test]
    fn dot_and_files_are_refused() {
        let d = scratch();
        assert!(Target::claim(Path::new("."), Kind::Run, "a", true).is_err());
        assert!(Target::claim(Path::new(".."), Kind::Run, "a", true).is_err());
        let f = d.path().join("report.txt");
        std::fs::write(&f, "mine").unwrap();
        assert!(Target::claim(&f, Kind::Run, "a", true).is_err());
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "mine");
    }

    #[test]
    fn a_stale_fill_folder_of_a_dead_process_is_cleaned() {
        let d = scratch();
        // pid 0 is never a user process's.
        let stale = d.path().join(format!("{TMP_PREFIX}0-abc"));
        write(&stale, &["x.csv"]).unwrap();
        let user = d.path().join(".medesert-tmp-notes");
        write(&user, &["mine.txt"]).unwrap();
        Target::claim(&d.path().join("run"), Kind::Run, "a", false)
            .unwrap()
            .publish(|dir| write(dir, &["x.csv"]))
            .unwrap();
        assert!(!stale.exists());
        assert!(user.join("mine.txt").is_file());
    }
}
