//! Files and folders that never destroy a user's files, whatever they hold: output folders
//! written whole and swapped into place ([`folder`]), the marker that proves a file is still
//! the one medesert wrote ([`marker`]), the lock on a folder being written ([`lock`]), and
//! single files written atomically. Knows nothing of runs, experiments or plots: every layer
//! that writes (experiment, validation, output) builds on it.

pub mod folder;
pub mod lock;
mod marker;
mod temporary;

use std::path::Path;

use anyhow::{Context, Result};

/// Writes a file atomically: `fill` writes a temporary file in the same folder, which is
/// synced, made readable (0644) and renamed to `path`; a failure leaves `path` as it was.
pub fn write_file_atomically(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    folder::clean_stale_siblings(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&folder::tmp_prefix())
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    fill(tmp.as_file_mut()).with_context(|| format!("cannot write {}", path.display()))?;
    // A full disk may show only here, when the data reach it.
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    // A temporary file is created owner-only; outputs are readable like any other file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Writes rows of text as CSV (tables other than a run's: validation, sweeps, comparisons).
pub fn write_table(path: &std::path::Path, rows: &[Vec<String>]) -> anyhow::Result<()> {
    use anyhow::Context;
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    let cannot = || format!("cannot write {}", path.display());
    for row in rows {
        w.write_record(row).with_context(cannot)?;
    }
    w.flush().with_context(cannot)?;
    Ok(())
}
