//! `medesert validate` as a user runs it: deterministic reports, bad targets reported as
//! lines, `--strict`, and a missing targets file failing before anything runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medesert"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary starts")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("medesert-validate-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    dir
}

fn validate(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "validate",
        "configs/tiny.toml",
        "-q",
        "--replicates",
        "3",
        "--set",
        "end_year=2022",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn the_report_is_identical_for_the_same_seeds_whatever_the_threads() {
    let (a, b) = (tmp("t1"), tmp("t2"));
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        let out = validate(dir, &["--threads", threads]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for f in [
        "validation.csv",
        "validation.md",
        "validation_share.png",
        "validation_departements.csv",
        "validation_gp_change.png",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    let csv = std::fs::read_to_string(a.join("validation.csv")).unwrap();
    assert!(csv.starts_with(
        "indicator,year,observed,simulated_mean,simulated_p05,simulated_p95,tolerance,pass"
    ));
    // Each département's RPPS change (data/gp-departements-2012-2018.csv) beside the model's.
    let changes = std::fs::read_to_string(a.join("validation_departements.csv")).unwrap();
    let lines: Vec<&str> = changes.lines().collect();
    assert_eq!(
        lines[0],
        "departement,nom,rpps_gps_2014,rpps_gps_2018,rpps_change,simulated_gps_2014,\
         simulated_gps_2018,simulated_change,simulated_installations_chosen,\
         simulated_salaried_entries,simulated_retirements,simulated_other_exits"
    );
    assert!(
        lines[1].starts_with("29,Finistère,1518,1538,0.0132,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("56,Morbihan,1126,1205,0.0702,"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 3);
    // Indicators the model cannot produce get a row with an empty simulated mean.
    assert!(
        csv.lines()
            .any(|l| l.starts_with("gp_all_modes_count,2018,99569,,"))
    );
}

#[test]
fn bad_targets_are_lines_of_the_report_and_strict_turns_misses_into_an_error() {
    let dir = tmp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let targets = dir.join("targets.csv");
    std::fs::write(
        &targets,
        "indicator,year,value,tolerance\n\
         share_without_mt_17plus,2021,0.09,\n\
         share_without_mt_17plus,2050,0.1,\n\
         made_up_indicator,2021,3,\n\
         apl_mean,2018,3.9,a lot\n\
         share_without_mt_17plus,2020,0.5,0.01\n",
    )
    .unwrap();
    let out_dir = dir.join("report");
    let t = targets.to_str().unwrap();
    let out = validate(&out_dir, &["--targets", t]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(out_dir.join("validation.md")).unwrap();
    for needle in [
        "year 2050 is outside the run (2014–2022)",
        "unknown indicator",
        "tolerance \"a lot\" is not a number",
        "**miss**",
    ] {
        assert!(md.contains(needle), "report should say {needle:?}:\n{md}");
    }
    let strict = validate(&dir.join("strict"), &["--targets", t, "--strict"]);
    assert!(!strict.status.success(), "--strict must fail on a miss");
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(err.contains("miss their tolerance"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn strict_fails_when_no_target_could_be_compared() {
    let dir = tmp("none-compared");
    std::fs::create_dir_all(&dir).unwrap();
    let targets = dir.join("targets.csv");
    // Well-formed, but outside the run's years: nothing is compared.
    std::fs::write(
        &targets,
        "indicator,year,value,tolerance\nshare_without_mt_17plus,2050,0.1,\n",
    )
    .unwrap();
    let t = targets.to_str().unwrap();
    let strict = validate(&dir.join("report"), &["--targets", t, "--strict"]);
    assert!(
        !strict.status.success(),
        "--strict passed with nothing compared"
    );
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(
        err.contains("no target") && err.contains("targets.csv"),
        "{err}"
    );
}

#[test]
fn a_missing_targets_file_fails_before_running_and_writes_nothing() {
    let dir = tmp("missing");
    let out = validate(&dir, &["--targets", "no/such/targets.csv"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no/such/targets.csv"), "{err}");
    assert!(!dir.exists());
}
