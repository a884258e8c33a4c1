//! The binary as a user runs it: determinism, broken scenarios, every shipped config.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_medesert"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary starts")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("medesert-test-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    dir
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

const TABLES: [&str; 3] = ["national.csv", "regions.csv", "departements.csv"];

#[test]
fn same_scenario_and_seed_give_identical_tables_with_one_or_two_threads() {
    let (a, b, c) = (tmp("t1"), tmp("t2"), tmp("seed"));
    for (dir, threads, seed) in [(&a, "1", "7"), (&b, "2", "7"), (&c, "2", "8")] {
        let out = run(&[
            "run",
            "configs/tiny.toml",
            "-q",
            "--threads",
            threads,
            "--seed",
            seed,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for f in TABLES {
        assert_eq!(
            read(&a, f),
            read(&b, f),
            "{f} differs between 1 and 2 threads"
        );
    }
    assert_ne!(
        read(&a, "national.csv"),
        read(&c, "national.csv"),
        "another seed must change the run"
    );
    for f in [
        "manifest.json",
        "scenario.resolved.toml",
        "share_without_mt.png",
        "share_without_mt.svg",
        "gps.png",
    ] {
        assert!(a.join(f).exists(), "{f} missing");
    }
}

#[test]
fn the_resolved_scenario_reproduces_the_run() {
    let (a, b) = (tmp("orig"), tmp("rerun"));
    let out = run(&[
        "run",
        "configs/tiny.toml",
        "-q",
        "--set",
        "workload.acceptance_threshold_share=1.1",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let resolved = a.join("scenario.resolved.toml");
    let out = run(&[
        "run",
        resolved.to_str().unwrap(),
        "-q",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(read(&a, "national.csv"), read(&b, "national.csv"));
}

fn broken(name: &str, body: &str) -> (Output, PathBuf) {
    let dir = tmp(name);
    std::fs::create_dir_all(&dir).unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/baseline.toml");
    let text = format!("extends = {:?}\n{body}", base.to_str().unwrap());
    let file = dir.join("broken.toml");
    std::fs::write(&file, text).unwrap();
    let out_dir = dir.join("out");
    let out = run(&[
        "run",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    (out, out_dir)
}

fn assert_clear_error(out: &Output, out_dir: &Path, needles: &[&str]) {
    assert!(!out.status.success(), "a broken scenario must fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "no panic: {err}");
    for n in needles {
        assert!(err.contains(n), "message should name {n:?}: {err}");
    }
    assert!(!out_dir.exists(), "no output on failure");
}

#[test]
fn an_unknown_field_is_rejected_with_its_name_and_file() {
    let (out, dir) = broken("unknown", "[gps]\ncapacity_scael = 1.0\n");
    assert_clear_error(&out, &dir, &["broken.toml", "capacity_scael"]);
}

#[test]
fn a_wrong_type_is_rejected() {
    let (out, dir) = broken("type", "[matching]\ntries_per_year = \"four\"\n");
    assert_clear_error(&out, &dir, &["broken.toml", "tries_per_year", "four"]);
}

#[test]
fn a_share_above_one_is_rejected_with_field_value_and_range() {
    let (out, dir) = broken("share", "[demand]\ndeclare_rate_per_year = 1.5\n");
    assert_clear_error(
        &out,
        &dir,
        &[
            "broken.toml",
            "demand.declare_rate_per_year",
            "1.5",
            "between 0 and 1",
        ],
    );
}

#[test]
fn an_end_before_the_start_is_rejected() {
    let (out, dir) = broken("years", "end_year = 2010\n");
    assert_clear_error(&out, &dir, &["end_year", "2010"]);
}

#[test]
fn an_unknown_departement_is_rejected() {
    let (out, dir) = broken("dep", "[territory]\ndepartements = [\"99\"]\n");
    assert_clear_error(&out, &dir, &["territory.departements", "99"]);
}

#[test]
fn a_missing_data_file_is_named() {
    let dir = tmp("nodata");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let out_dir = dir.join("out");
    let out = run(&[
        "run",
        "configs/tiny.toml",
        "-q",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_clear_error(&out, &out_dir, &["communes.csv"]);
}

#[test]
fn a_bad_override_names_the_parameter() {
    let out = run(&[
        "run",
        "configs/tiny.toml",
        "-q",
        "--set",
        "gps.nope=1",
        "--out",
        tmp("set").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("gps.nope"));
}

#[test]
fn every_shipped_scenario_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in ["configs", "configs/policies"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                medesert::scenario::load(&path, &[])
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                n += 1;
            }
        }
    }
    assert!(n >= 12, "{n} scenarios");
}

#[test]
fn help_documents_every_flag() {
    let out = run(&["run", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in ["--seed", "--out", "--set", "--threads", "--data", "--quiet"] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}

/// The summary a run prints headlines the share as CNAM counts it, the column
/// `share_without_mt_17plus_cnam` of national.csv (a patient who moved keeps their
/// declaration), and shows `moved` on its own: the printed numbers are the table's.
#[test]
fn the_printed_summary_is_national_csv_s_cnam_share_with_moved_apart() {
    let out_dir = tmp("summary");
    let out = run(&[
        "run",
        "configs/tiny.toml",
        "--set",
        "end_year=2022",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    let header = printed
        .lines()
        .find(|l| l.trim_start().starts_with("year"))
        .expect("a summary table");
    assert!(
        header.contains("no MT 17+") && header.contains("+moved"),
        "{header}"
    );
    let mut table = csv::Reader::from_path(out_dir.join("national.csv")).unwrap();
    let columns = table.headers().unwrap().clone();
    let at = |name: &str| columns.iter().position(|c| c == name).unwrap();
    let (year, cnam, all) = (
        at("year"),
        at("share_without_mt_17plus_cnam"),
        at("share_without_mt_17plus"),
    );
    let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
    let mut checked = 0;
    for line in printed.lines().filter(|l| l.contains('%')) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let Some(row) = rows.iter().find(|r| r[year] == *cells[0]) else {
            continue;
        };
        let percent = |i: usize| cells[i].trim_end_matches('%').parse::<f64>().unwrap();
        let share = |i: usize| 100.0 * row[i].parse::<f64>().unwrap();
        assert!((percent(4) - share(cnam)).abs() <= 0.05 + 1e-9, "{line}");
        // The headline plus `moved` is the share of all reasons.
        assert!(
            (percent(4) + percent(7) - share(all)).abs() <= 0.1 + 1e-9,
            "{line}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "{printed}");
    std::fs::remove_dir_all(out_dir).ok();
}
