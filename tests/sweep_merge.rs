//! `medesert sweep-merge` trusts no shard folder: every line is checked against the design, a
//! folder given twice or a run found twice is refused, a target holding another sweep is never
//! overwritten, and a user's files in the target are never touched.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{bin, fails_with, ok, read};

const LHS: &str = "tests/sweeps/lhs.toml";

fn tmp(name: &str) -> PathBuf {
    common::tmp("merge", name)
}

/// The two shards of the test sweep, made once for every test of this file.
fn shards() -> &'static (PathBuf, PathBuf) {
    static SHARDS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    SHARDS.get_or_init(|| {
        let dir = tmp("shards");
        let (a, b) = (dir.join("a"), dir.join("b"));
        for (shard, out) in [("1/2", &a), ("2/2", &b)] {
            ok(bin()
                .args(["sweep", LHS, "-q", "--shard", shard, "--out"])
                .arg(out)
                .output()
                .unwrap());
        }
        (a, b)
    })
}

fn merge(dirs: &[&Path], out: &Path) -> Output {
    bin()
        .arg("sweep-merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// A copy of shard `a` whose first run line is edited by `edit`.
fn edited(name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let copy = tmp(name);
    std::fs::create_dir_all(&copy).unwrap();
    for e in std::fs::read_dir(&shards().0).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
    }
    let runs = read(&copy, "runs.csv");
    let mut lines: Vec<String> = runs.lines().map(String::from).collect();
    lines[1] = edit(&lines[1]);
    std::fs::write(copy.join("runs.csv"), lines.join("\n") + "\n").unwrap();
    copy
}

fn refused(dirs: &[&Path], needles: &[&str]) {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out_dir = tmp(&format!("refused-{n}"));
    fails_with(&merge(dirs, &out_dir), needles);
    assert!(
        !out_dir.exists(),
        "a refused merge wrote {}",
        out_dir.display()
    );
}

#[test]
fn a_run_id_outside_the_design_is_refused() {
    let bad = edited("outside", |l| {
        format!("18446744073709551606{}", &l[l.find(',').unwrap()..])
    });
    let b = &shards().1;
    refused(
        &[&bad, b],
        &[
            "18446744073709551606",
            "not a run of this sweep",
            "runs.csv line 2",
        ],
    );
}

#[test]
fn a_shard_folder_given_twice_or_a_run_found_twice_is_refused() {
    let (a, b) = shards();
    refused(&[a, b, a], &["same folder", "once"]);
    refused(&[a, &a.join("."), b], &["same folder"]);
    let copy = edited("copy", |l| l.to_string());
    refused(&[a, b, &copy], &["run 0 is in both"]);
}

#[test]
fn non_finite_values_and_unknown_statuses_are_refused() {
    let b = &shards().1;
    let nan = edited("nan", |l| format!("{},NaN", &l[..l.rfind(',').unwrap()]));
    refused(&[&nan, b], &["gps_2022", "\"NaN\"", "finite number"]);
    let status = edited("status", |l| l.replace(",ok,", ",maybe,"));
    refused(&[&status, b], &["status \"maybe\"", "\"ok\" or \"failed\""]);
    let moved = edited("point", |l| {
        let mut cells: Vec<&str> = l.split(',').collect();
        cells[3] = "7";
        cells.join(",")
    });
    refused(&[&moved, b], &["seed = \"7\"", "the design gives"]);
}

#[test]
fn a_shard_whose_runs_years_csv_was_cut_is_refused() {
    let cut = edited("years-cut", |l| l.to_string());
    let years = read(&cut, "runs_years.csv");
    let end = years[..years.len() / 2].rfind('\n').unwrap() + 1;
    std::fs::write(cut.join("runs_years.csv"), &years[..end]).unwrap();
    refused(
        &[&cut, &shards().1],
        &["rows of runs_years.csv, expected", "repair"],
    );
}

#[test]
fn a_shard_with_a_damaged_sweep_toml_or_design_csv_is_refused_without_a_panic() {
    let zero = edited("zero-replicates", |l| l.to_string());
    let toml = read(&zero, "sweep.toml").replace("replicates = 2", "replicates = 0");
    std::fs::write(zero.join("sweep.toml"), toml).unwrap();
    refused(&[&zero], &["`replicates` = 0"]);
    let narrow = edited("narrow-design", |l| l.to_string());
    let design: String = read(&narrow, "design.csv")
        .lines()
        .map(|l| l[..l.rfind(',').unwrap()].to_string() + "\n")
        .collect();
    std::fs::write(narrow.join("design.csv"), design).unwrap();
    refused(
        &[&narrow],
        &["design.csv", "not the parameters of sweep.toml"],
    );
}

#[test]
fn a_target_holding_another_sweep_is_not_overwritten() {
    let (a, b) = shards();
    let other = tmp("other-sweep");
    let text = read(&common::repo(), LHS).replace("seed = 3", "seed = 4");
    let file = common::repo()
        .join("tests/sweeps")
        .join(format!("merge-seed4-{}.tmp.toml", std::process::id()));
    std::fs::write(&file, text).unwrap();
    let made = bin()
        .args(["sweep", file.to_str().unwrap(), "-q", "--out"])
        .arg(&other)
        .output()
        .unwrap();
    std::fs::remove_file(&file).ok();
    ok(made);
    let before = read(&other, "runs.csv");
    fails_with(
        &merge(&[a, b], &other),
        &["hold different sweeps", "new folder"],
    );
    assert_eq!(read(&other, "runs.csv"), before);
    fails_with(&merge(&[a, b], a), &["is one of the shard folders"]);
}

#[test]
fn a_merge_never_touches_a_users_files_in_its_target() {
    let (a, b) = shards();
    let plant = |dir: &Path| {
        std::fs::create_dir_all(dir.join("mine")).unwrap();
        std::fs::write(dir.join("notes.txt"), "my notes").unwrap();
        std::fs::write(dir.join("mine/keep.csv"), "a,b\n1,2\n").unwrap();
    };
    let untouched = |dir: &Path| {
        assert_eq!(read(dir, "notes.txt"), "my notes");
        assert_eq!(read(dir, "mine/keep.csv"), "a,b\n1,2\n");
    };
    // A folder of the user's: refused, left as it was.
    let foreign = tmp("foreign");
    plant(&foreign);
    fails_with(&merge(&[a, b], &foreign), &["not a sweep's", "notes.txt"]);
    untouched(&foreign);
    assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 2);
    // A merged folder where the user added files: merged again, their files kept.
    let merged = tmp("merged");
    ok(merge(&[a, b], &merged));
    let runs = read(&merged, "runs.csv");
    assert_eq!(runs.lines().count(), 1 + 10);
    plant(&merged);
    ok(merge(&[a, b], &merged));
    untouched(&merged);
    assert_eq!(read(&merged, "runs.csv"), runs);
}
