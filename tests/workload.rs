//! Workload as a user sees it: the hours of the cohorts of GPs change how many people find a
//! médecin traitant.

mod common;

use std::path::Path;

/// The share of 17+ without an MT in `year` of a run's national.csv.
fn share_without_mt(dir: &Path, year: &str) -> f64 {
    common::table_value(dir, "national.csv", None, year, "share_without_mt_17plus")
}

fn run(name: &str, set: &[&str]) -> f64 {
    let out = common::tmp("workload", name);
    let mut args = vec![
        "run",
        "configs/tiny.toml",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ];
    for s in set {
        args.extend(["--set", s]);
    }
    common::ok(common::medesert(&args));
    share_without_mt(&out, "2035")
}

#[test]
fn younger_cohorts_working_the_hours_of_their_elders_leave_fewer_people_without_an_mt() {
    let baseline = run("baseline", &[]);
    // Every cohort given the weekly hours of the over-50s of 2019 (DREES): more consultations.
    let elders = run(
        "elders-hours",
        &["workload.weekly_hours_men_younger_cohorts=48.0"],
    );
    assert!(elders < baseline - 0.005, "{elders} against {baseline}");
    // Women working the hours of men of their cohort: the same direction.
    let equal = run("equal-hours", &["workload.women_hours_factor=1.0"]);
    assert!(equal < baseline - 0.005, "{equal} against {baseline}");
}
