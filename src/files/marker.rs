//! `.medesert-output.json`: what an output folder holds, and the proof that a file in it is
//! still the one medesert wrote.
//!
//! A marker can be copied with a folder, shipped in an archive or forged, so nothing in it is
//! trusted as it stands:
//!
//! - every entry must be a plain relative name inside the folder (no `..`, no absolute path,
//!   no empty or `.` component, no backslash), or the whole marker is refused;
//! - every entry records the size and SHA-256 of what medesert wrote; a file counts as
//!   medesert's only while it is a regular file, reached without following a link, with that
//!   size and hash. Anything else is a user's file: left alone, and the folder is refused.
//!
//! So a marker can only ever name bytes medesert itself wrote: a forged entry for a user's
//! `notes.txt` does not match its content, and `../victim.txt` is refused before anything runs.

use std::io::Read;
use std::path::{Component, Path};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The marker file's name.
pub const MARKER: &str = ".medesert-output.json";

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
    /// `medesert estimate-places`.
    Places,
}

impl Kind {
    /// The kind in words, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Validation => "validation report",
            Kind::Comparison => "comparison",
            Kind::Figures => "figures folder",
            Kind::Frames => "frames folder",
            Kind::Places => "place estimate",
        }
    }
}

/// One file of an output: where it is and what medesert wrote there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Written {
    /// Relative to the folder, `/`-separated; a plain name inside it (checked on reading).
    pub path: String,
    /// Its size when written.
    pub bytes: u64,
    /// SHA-256 of its content when written, lower-case hex.
    pub sha256: String,
}

/// An entry as it may stand in a marker: stamped, or a bare name (markers written before
/// stamps, or forged), which can never be proved to be medesert's.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Entry {
    /// A file with its size and hash.
    Stamped(Written),
    /// A name alone.
    Bare(String),
}

impl Entry {
    /// The entry's path inside the folder.
    pub fn path(&self) -> &str {
        match self {
            Entry::Stamped(w) => &w.path,
            Entry::Bare(p) => p,
        }
    }
}

/// `.medesert-output.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Marker {
    /// What kind of output the folder is.
    pub kind: Kind,
    /// What produced it: the scenario's name (with its `--set` overrides), or the names compared.
    pub label: String,
    /// medesert's version.
    pub version: String,
    /// Every file the command wrote.
    pub files: Vec<Entry>,
    /// Files other commands wrote into it (animations), kept when it is replaced.
    #[serde(default)]
    pub derived: Vec<Entry>,
}

impl Marker {
    /// Every entry, the command's and the derived ones.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.files.iter().chain(&self.derived)
    }
}

/// Whether `name` is a plain relative path inside a folder: one or more `/`-separated normal
/// components, none empty, `.` or `..`; not absolute; no backslash or NUL.
pub(crate) fn is_plain_relative(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['\\', '\0'])
        && name
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
        && Path::new(name)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The marker of `dir`: `None` when there is none; an error when it cannot be read, is not a
/// marker, is not a regular file, or lists a path that leaves the folder.
pub(crate) fn read(dir: &Path) -> Result<Option<Marker>> {
    let path = dir.join(MARKER);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    if !meta.is_file() {
        bail!(
            "{} is not a regular file (a link or a folder): it is not a medesert output \
             marker; choose another folder",
            path.display()
        );
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let marker: Marker = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a medesert output marker: it was changed by hand; choose another folder",
            path.display()
        )
    })?;
    if let Some(bad) = marker.entries().find(|e| !is_plain_relative(e.path())) {
        bail!(
            "{} lists {:?}, which is not a file inside the folder: the marker was changed, \
             copied from elsewhere or forged, so medesert will not touch this folder; nothing \
             was deleted; choose another folder",
            path.display(),
            bad.path()
        );
    }
    Ok(Some(marker))
}

/// Writes `marker` into `dir`, atomically.
pub(crate) fn write(dir: &Path, marker: &Marker) -> Result<()> {
    let text = serde_json::to_string_pretty(marker)? + "\n";
    super::write_file_atomically(&dir.join(MARKER), |f| {
        use std::io::Write;
        Ok(f.write_all(text.as_bytes())?)
    })
}

/// The stamp of the file `path` inside `dir`, as medesert records it after writing it.
pub(crate) fn stamp(dir: &Path, path: &str) -> Result<Written> {
    let full = dir.join(path);
    let (bytes, sha256) =
        size_and_hash(&full).with_context(|| format!("cannot read {} back", full.display()))?;
    Ok(Written {
        path: path.to_string(),
        bytes,
        sha256,
    })
}

/// Whether the entry is, now, the file medesert wrote: a stamped entry whose path inside `dir`
/// is reached through real folders (no link), ends on a regular file, and has the recorded
/// size and SHA-256. A bare entry is never proved.
pub(crate) fn still_written(dir: &Path, entry: &Entry) -> bool {
    let Entry::Stamped(w) = entry else {
        return false;
    };
    if !is_plain_relative(&w.path) {
        return false;
    }
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = w.path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            return false;
        };
        let last = i + 1 == parts.len();
        if (last && !meta.is_file()) || (!last && !meta.is_dir()) {
            return false;
        }
        if last && meta.len() != w.bytes {
            return false;
        }
    }
    matches!(size_and_hash(&at), Ok((bytes, sha)) if bytes == w.bytes && sha == w.sha256)
}

/// Size and SHA-256 (hex) of a regular file, opened without following a link.
fn size_and_hash(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = open_no_follow(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    let hex = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((bytes, hex))
}

/// Opens `path` for reading; a link at the last component is an error (`O_NOFOLLOW`), and a
/// FIFO does not block (`O_NONBLOCK`).
pub(crate) fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    no_follow(&mut options);
    options.open(path)
}

/// Adds `O_NOFOLLOW | O_NONBLOCK` to `options` (Linux); elsewhere the callers' own
/// `symlink_metadata` checks stand alone.
pub(crate) fn no_follow(options: &mut std::fs::OpenOptions) {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = options;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_names_inside_the_folder_are_accepted() {
        for good in ["national.csv", "figures/map.png", "a b/é.png", ".hidden"] {
            assert!(is_plain_relative(good), "{good}");
        }
        for bad in [
            "",
            "../victim.txt",
            "a/../../b",
            "/etc/passwd",
            "a//b",
            "./x",
            "a/.",
            "a/",
            "..",
            "c:\\x",
            "a\\..\\b",
            "nul\0",
        ] {
            assert!(!is_plain_relative(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_file_is_medesert_s_only_while_its_size_and_hash_are_those_recorded() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("x.csv"), "a,b\n").unwrap();
        let entry = Entry::Stamped(stamp(d.path(), "x.csv").unwrap());
        assert!(still_written(d.path(), &entry));
        std::fs::write(d.path().join("x.csv"), "a,c\n").unwrap();
        assert!(!still_written(d.path(), &entry), "same size, other content");
        assert!(!still_written(d.path(), &Entry::Bare("x.csv".into())));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_never_taken_for_the_file_it_points_to() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("real.csv"), "a").unwrap();
        let mut entry = stamp(d.path(), "real.csv").unwrap();
        std::os::unix::fs::symlink(d.path().join("real.csv"), d.path().join("link.csv")).unwrap();
        entry.path = "link.csv".into();
        assert!(!still_written(d.path(), &Entry::Stamped(entry.clone())));
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("sub/real.csv"), "a").unwrap();
        std::os::unix::fs::symlink(d.path().join("sub"), d.path().join("dirlink")).unwrap();
        entry.path = "dirlink/real.csv".into();
        assert!(!still_written(d.path(), &Entry::Stamped(entry)));
    }
}
