//! `medesert calibrate` as a researcher runs it: a small history matching of the tiny scenario,
//! resumed after `kill -9` with the same result, and malformed files refused before any run.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{bin, fails_with, ok, repo};

const TINY: &str = "tests/calibrations/tiny.toml";

fn tmp(name: &str) -> PathBuf {
    let dir = common::tmp("calibrate", name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn calibrate(file: &Path, out: &Path) -> std::process::Output {
    bin()
        .arg("calibrate")
        .arg(file)
        .args(["-q", "--out"])
        .arg(out)
        .output()
        .unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_calibration_killed_at_any_moment_resumes_to_the_same_result() {
    let dir = tmp("resume");
    let whole = dir.join("whole");
    let started = Instant::now();
    ok(calibrate(&repo().join(TINY), &whole));
    let duration = started.elapsed();
    let posterior = read(&whole.join("posterior.csv"));
    assert!(
        posterior.lines().count() > 1,
        "no set retained:\n{posterior}"
    );
    for file in [
        "implausibility.csv",
        "waves.csv",
        "calibration.md",
        "posterior.png",
    ] {
        assert!(whole.join(file).is_file(), "{file}");
    }

    let resumed = dir.join("resumed");
    for k in 1..4 {
        let mut child = bin()
            .arg("calibrate")
            .arg(repo().join(TINY))
            .args(["-q", "--out"])
            .arg(&resumed)
            .spawn()
            .unwrap();
        std::thread::sleep(duration.mul_f64(0.25 * f64::from(k)));
        child.kill().ok();
        child.wait().unwrap();
    }
    ok(calibrate(&repo().join(TINY), &resumed));
    assert_eq!(read(&resumed.join("posterior.csv")), posterior);
    assert_eq!(
        read(&resumed.join("implausibility.csv")),
        read(&whole.join("implausibility.csv"))
    );
    // Every run once: no run lost or repeated by the kills.
    for wave in ["wave-1", "wave-2"] {
        let runs = read(&resumed.join(wave).join("runs.csv"));
        let ids: Vec<&str> = runs
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique, "{wave}");
        assert_eq!(ids.len(), 24, "{wave}: 12 sets × 2 seeds");
    }
}

/// A copy of the tiny calibration with `from` replaced by `to`, refused before any run with
/// every needle in its message.
fn refused(name: &str, from: &str, to: &str, needles: &[&str]) {
    let dir = tmp(name);
    let text = read(&repo().join(TINY)).replace(from, to);
    assert!(text.contains(to), "{name}: {from:?} not found");
    let file = repo()
        .join("tests/calibrations")
        .join(format!("broken-{name}-{}.toml", std::process::id()));
    std::fs::write(&file, text).unwrap();
    let started = Instant::now();
    let out = calibrate(&file, &dir.join("out"));
    std::fs::remove_file(&file).ok();
    let mut all = vec!["calibration file"];
    all.extend_from_slice(needles);
    fails_with(&out, &all);
    assert!(!dir.join("out").exists(), "{name}: wrote something");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{name}: ran first"
    );
}

#[test]
fn malformed_calibration_files_are_refused_before_any_run() {
    refused(
        "unknown-parameter",
        "name = \"workload.acceptance_threshold_share\"",
        "name = \"gps.capacity_scal\"",
        &["gps.capacity_scal", "not a scenario parameter"],
    );
    refused(
        "empty-prior",
        "min = 0.3\nmax = 1.0",
        "min = 0.9\nmax = 0.3",
        &["demand.seek_after_loss_share_per_year", "not a range"],
    );
    refused(
        "unknown-output",
        "output = \"share_without_mt_17plus_lost\"",
        "output = \"share_lost\"",
        &["target 2", "share_lost", "not a column"],
    );
    refused(
        "year-out-of-run",
        "year = 2021\nobserved = 0.110",
        "year = 2030\nobserved = 0.110",
        &["target 1", "2030", "cannot produce"],
    );
    refused(
        "zero-error",
        "sd = 0.01\nsource = \"CNAM\"",
        "sd = 0.0\nsource = \"CNAM\"",
        &["target 1", "sd", "positive"],
    );
    refused(
        "departement-without-observed",
        "output = \"share_without_mt_17plus_lost\"\nyear = 2021",
        "output = \"share_without_mt_17plus_lost\"\ndepartement = \"29\"\nyear = 2021",
        &[
            "target 2",
            "share_without_mt_17plus_lost in 29",
            "needs `observed`",
        ],
    );
    refused(
        "departement-malformed",
        "year = 2021\nobserved = 0.110",
        "departement = \"Finistère\"\nyear = 2021\nobserved = 0.110",
        &["target 1", "`departement`", "not a département code"],
    );
    refused(
        "one-replicate",
        "replicates = 2",
        "replicates = 1",
        &["replicates", "at least 2"],
    );
}

#[test]
fn a_folder_holding_other_files_or_another_calibration_is_refused() {
    let dir = tmp("folders");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    fails_with(&calibrate(&repo().join(TINY), &dir), &["not empty"]);
    assert_eq!(read(&dir.join("notes.txt")), "mine");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

/// A line of national_summary.csv: (mean, p5, p50, p95, runs, variance share).
fn summary(dir: &Path, year: &str, column: &str) -> Vec<String> {
    read(&dir.join("national_summary.csv"))
        .lines()
        .map(|l| l.split(',').map(String::from).collect::<Vec<_>>())
        .find(|c| c[0] == year && c[1] == column)
        .unwrap_or_else(|| panic!("no {year} {column}"))
}

#[test]
fn a_run_over_an_ensemble_summarises_every_run_and_splits_the_variance() {
    let dir = tmp("ensemble-run");
    let posterior = dir.join("posterior.csv");
    std::fs::write(
        &posterior,
        "wave,set,workload.acceptance_threshold_share,max_implausibility,weight\n1,0,0.8,1,0.5\n1,1,1.2,1,0.5\n",
    )
    .unwrap();
    let (seeds, both) = (dir.join("seeds"), dir.join("both"));
    let run = |out: &Path, extra: &[&str]| {
        ok(bin()
            .args([
                "run",
                "configs/tiny.toml",
                "-q",
                "--replicates",
                "3",
                "--out",
            ])
            .arg(out)
            .args(extra)
            .output()
            .unwrap())
    };
    run(&seeds, &[]);
    run(&both, &["--ensemble", posterior.to_str().unwrap()]);
    let s = summary(&seeds, "2030", "share_without_mt_17plus");
    let q: Vec<f64> = s[3..6].iter().map(|v| v.parse().unwrap()).collect();
    assert!(q[0] <= q[1] && q[1] <= q[2], "{s:?}");
    assert_eq!(s[6], "3");
    assert!(s[7].is_empty(), "one parameter set: no variance split");
    let b = summary(&both, "2030", "share_without_mt_17plus");
    assert_eq!(b[6], "6", "2 sets × 3 seeds");
    let share: f64 = b[7].parse().unwrap();
    // Capacity 0.8 against 1.2 moves the share far more than the seed does.
    assert!(share > 0.5, "{b:?}");
    let width = |r: &[String]| r[5].parse::<f64>().unwrap() - r[3].parse::<f64>().unwrap();
    assert!(width(&b) > width(&s), "{b:?} vs {s:?}");
}
