//! `medesert estimate-places` as a user runs it: the file it writes is one the model reads,
//! with a row and an interval for every département; a sub-national scenario is refused with
//! a reason. (The estimator's recovery of known constants is tested on a synthetic world in
//! `src/experiment/places_tests.rs`; the shipped constants' fit is `validate`'s.)

mod common;

use common::{fails_with, medesert, ok, tmp};

#[test]
fn an_estimate_writes_a_constants_file_the_model_reads() {
    let out = tmp("places", "estimate");
    let dir = out.to_str().unwrap();
    ok(medesert(&[
        "estimate-places",
        "-q",
        "--seeds",
        "1",
        "--iterations",
        "2",
        "--set",
        "persons_per_agent=2000",
        "--out",
        dir,
    ]));
    let text = std::fs::read_to_string(out.join("place-attractiveness.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..2], ["departement", "constant"]);
    let mut n = 0;
    for row in rows.records() {
        let row = row.unwrap();
        let number = |i: usize| row[i].parse::<f64>().unwrap();
        let (constant, low, high) = (number(1), number(2), number(3));
        assert!(low <= constant && constant <= high, "{row:?}");
        n += 1;
    }
    assert_eq!(n, 96, "every metropolitan département");
    let report = std::fs::read_to_string(out.join("estimation.md")).unwrap();
    assert!(report.contains("Covariate model") && report.contains("latitude"));
    // The file is one the model reads: a run on a data folder holding it starts.
    let data = tmp("places", "data");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir(common::repo().join("data")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
        }
    }
    std::fs::copy(
        out.join("place-attractiveness.csv"),
        data.join("place-attractiveness.csv"),
    )
    .unwrap();
    let run = tmp("places", "run");
    ok(medesert(&[
        "run",
        "configs/tiny.toml",
        "-q",
        "--set",
        "end_year=2015",
        "--data",
        data.to_str().unwrap(),
        "--out",
        run.to_str().unwrap(),
    ]));
    for d in [out, data, run] {
        std::fs::remove_dir_all(d).ok();
    }
}

#[test]
fn a_subnational_scenario_is_refused_before_anything_runs() {
    let out = tmp("places", "tiny");
    let run = medesert(&[
        "estimate-places",
        "configs/tiny.toml",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    fails_with(&run, &["every département together", "France"]);
    assert!(!out.exists(), "nothing written");
}
