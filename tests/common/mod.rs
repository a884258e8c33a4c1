//! Helpers shared by the integration tests: the binary, scratch folders, and checks of a
//! command's outcome. (Each test crate uses some of them.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The medesert binary, run from `cwd`.
pub fn bin_in(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_medesert"));
    c.current_dir(cwd);
    c
}

/// The medesert binary, run from the repository root.
pub fn bin() -> Command {
    bin_in(&repo())
}

/// Runs medesert from the repository root with `args`.
pub fn medesert(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary starts")
}

/// An empty scratch folder for test `name` of suite `suite` (not created).
pub fn tmp(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("medesert-{suite}-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    dir
}

/// The output of a command that must succeed (its stderr otherwise).
pub fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A command that must fail with every needle in its message, and never panic.
pub fn fails_with(out: &Output, needles: &[&str]) {
    assert!(!out.status.success(), "expected a failure");
    let err = String::from_utf8_lossy(&out.stderr);
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// Runs `medesert sweep FILE -q --out OUT EXTRA…` from the repository root.
pub fn sweep(file: &str, out: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["sweep", file, "-q", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("the binary starts")
}

/// The text of file `f` in folder `dir` (the test fails naming it when it cannot be read).
pub fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(f).display()))
}

/// A small run into `out`: configs/tiny.toml on the départements `territory` (a TOML list such
/// as `["01", "29"]`) at 500 people per agent, 2014–2016, with communes; `extra` arguments
/// last. Returns the process's output (not checked).
pub fn small_run(out: &Path, territory: &str, extra: &[&str]) -> Output {
    let territory = format!("territory.departements={territory}");
    let mut args = vec![
        "run",
        "configs/tiny.toml",
        "-q",
        "--communes",
        "--set",
        &territory,
        "--set",
        "persons_per_agent=500",
        "--set",
        "end_year=2016",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    medesert(&args)
}

/// A number of a run's table `table` (national.csv, regions.csv, departements.csv): the
/// `column` of the row of `year` and, for a unit table, of the unit whose code is `unit`.
pub fn table_value(dir: &Path, table: &str, unit: Option<&str>, year: &str, column: &str) -> f64 {
    let text = read(dir, table);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == column).unwrap();
    lines
        .map(|l| l.split(',').collect::<Vec<&str>>())
        .find(|c| c[0] == year && unit.is_none_or(|u| c[1] == u))
        .map(|c| c[col].parse().unwrap())
        .unwrap()
}

/// A copy of `data/` in a scratch folder with `file` rewritten by `edit` (removed when
/// dropped).
pub fn corrupt(file: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a scratch folder");
    for entry in std::fs::read_dir(repo().join("data")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    dir
}
