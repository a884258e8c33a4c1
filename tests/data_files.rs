//! Corrupt data files are refused, never used: each test copies `data/`, corrupts one file
//! one way, and checks that loading fails with a message naming the file, the line (or the
//! missing rows), the column and the value: no panic, no hang. Most cases call the library's
//! loader; a few run the binary as a user would.

mod common;
#[path = "data_files/helpers.rs"]
mod helpers;

use std::path::{Path, PathBuf};

use helpers::*;
use medesert::inputs::Inputs;

#[test]
fn the_shipped_data_passes_every_check() {
    let inputs = Inputs::load(&common::repo().join("data")).expect("data/ loads");
    assert_eq!(inputs.communes.len(), 34_875);
    assert_eq!(inputs.departements.len(), 101);
}

#[test]
fn a_nan_longitude_is_refused_with_file_line_column_and_value() {
    let mut line = 0;
    let data = corrupt("communes.csv", |t| {
        let (t, n) = set_cell(&t, "29019,", "lon", "NaN");
        line = n;
        t
    });
    let lib = refused(data.path());
    says(
        &lib,
        &["communes.csv", &format!("line {line}"), "`lon`", "\"NaN\""],
    );
    // The binary on a scenario that simulates that commune (Brest) stops, and says why.
    let out = common::tmp("data_files", "nan");
    let (ok, err) = medesert_in(
        &common::repo(),
        &[
            "run",
            &tiny(),
            "-q",
            "--data",
            data.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!ok, "a NaN longitude must stop the run");
    says(
        &err,
        &["communes.csv", &format!("line {line}"), "`lon`", "\"NaN\""],
    );
}

#[test]
fn a_point_outside_its_departement_territory_is_refused() {
    // Latitude and longitude swapped: 48.39 is no longitude of metropolitan France.
    let data = corrupt("communes.csv", |t| set_cell(&t, "29019,", "lon", "48.39").0);
    says(
        &refused(data.path()),
        &["communes.csv", "`lon`", "\"48.39\"", "from -5.5 to 10"],
    );
}

#[test]
fn a_departement_without_communes_is_refused() {
    let text = std::fs::read_to_string(common::repo().join("data/departements.csv")).unwrap();
    let line = line_of(&text, "56,");
    let data = corrupt("communes.csv", |t| {
        keep_lines(&t, |l| l.split(',').nth(2) != Some("56"))
    });
    says(
        &refused(data.path()),
        &[
            "departements.csv",
            &format!("line {line}"),
            "`code`",
            "\"56\"",
            "communes.csv",
        ],
    );
}

#[test]
fn a_commune_of_an_unknown_departement_is_refused() {
    let data = corrupt("communes.csv", |t| {
        set_cell(&t, "29019,", "departement", "99").0
    });
    says(
        &refused(data.path()),
        &[
            "communes.csv",
            "`departement`",
            "\"99\"",
            "departements.csv",
        ],
    );
}

#[test]
fn missing_population_rows_of_a_departement_are_refused() {
    let data = corrupt("population-age-departements.csv", |t| {
        keep_lines(&t, |l| !l.starts_with("29,2018,75+"))
    });
    says(
        &refused(data.path()),
        &[
            "population-age-departements.csv",
            "département 29",
            "75+",
            "2018",
        ],
    );
}

#[test]
fn an_intake_that_is_not_a_number_is_refused() {
    let mut line = 0;
    let data = corrupt("training-pipeline.csv", |t| {
        let (t, n) = set_cell(&t, "1990,", "numerus_medicine", "abc");
        line = n;
        t
    });
    says(
        &refused(data.path()),
        &[
            "training-pipeline.csv",
            &format!("line {line}"),
            "`numerus_medicine`",
            "\"abc\"",
        ],
    );
}

#[test]
fn a_negative_intake_is_refused() {
    let data = corrupt("training-pipeline.csv", |t| {
        set_cell(&t, "1990,", "numerus_medicine", "-4000").0
    });
    says(
        &refused(data.path()),
        &["training-pipeline.csv", "`numerus_medicine`", "\"-4000\""],
    );
}

#[test]
fn a_pipeline_year_given_twice_is_refused() {
    let data = corrupt("training-pipeline.csv", |t| t.replace("\n1991,", "\n1990,"));
    says(
        &refused(data.path()),
        &[
            "training-pipeline.csv",
            "`year`",
            "\"1990\"",
            "already on line",
        ],
    );
}

#[test]
fn a_truncated_life_table_is_refused() {
    let data = corrupt("mortality-france.csv", |t| {
        keep_lines(&t, |l| {
            let c: Vec<&str> = l.split(',').collect();
            !(c[2] == "TRI-2026" && c[3] == "male" && c[4].parse::<u32>().is_ok_and(|a| a >= 90))
        })
    });
    says(
        &refused(data.path()),
        &["mortality-france.csv", "male", "age 90", "0–104"],
    );
}

#[test]
fn a_death_probability_above_one_is_refused() {
    let data = corrupt("mortality-france.csv", |t| {
        set_cell(
            &t,
            "2016-2018,2017,TRI-2026,male,80,",
            "qx_per_100000",
            "150000",
        )
        .0
    });
    says(
        &refused(data.path()),
        &[
            "mortality-france.csv",
            "`qx_per_100000`",
            "from 0 to 100000",
        ],
    );
}

#[test]
fn a_missing_single_age_is_refused() {
    let data = corrupt("population-single-age-france.csv", |t| {
        keep_lines(&t, |l| !l.starts_with("2018,42,"))
    });
    says(
        &refused(data.path()),
        &["population-single-age-france.csv", "age 42", "2018"],
    );
}

#[test]
fn an_incomplete_year_of_fertility_is_refused() {
    let data = corrupt("demography-france.csv", |t| {
        keep_lines(&t, |l| !l.starts_with("2016,fertility_rate_30_34,"))
    });
    says(
        &refused(data.path()),
        &["demography-france.csv", "fertility_rate_30_34", "2016"],
    );
}

#[test]
fn duplicated_commune_codes_are_refused() {
    let data = corrupt("communes.csv", |t| {
        let second = t.lines().nth(1).unwrap().to_string();
        format!("{t}{second}\n")
    });
    says(
        &refused(data.path()),
        &[
            "communes.csv",
            "line 34877",
            "`code_insee`",
            "\"01001\"",
            "already on line 2",
        ],
    );
}

#[test]
fn an_urban_cluster_outside_its_documented_set_is_refused() {
    let mut line = 0;
    let data = corrupt("communes.csv", |t| {
        let (t, n) = set_cell(&t, "29019,", "urban_cluster", "7");
        line = n;
        t
    });
    says(
        &refused(data.path()),
        &[
            "communes.csv",
            &format!("line {line}"),
            "`urban_cluster`",
            "\"7\"",
            "one of 0, 1",
        ],
    );
}

#[test]
fn an_unknown_density_class_is_refused() {
    let data = corrupt("departements.csv", |t| {
        t.replacen(",rural\n", ",remote\n", 1)
    });
    says(
        &refused(data.path()),
        &["departements.csv", "`density_class`", "\"remote\""],
    );
}

#[test]
fn a_share_outside_0_1_is_refused() {
    let data = corrupt("departements.csv", |t| {
        set_cell(&t, "29,", "rural_pop_share", "1.5").0
    });
    says(
        &refused(data.path()),
        &[
            "departements.csv",
            "`rural_pop_share`",
            "\"1.5\"",
            "from 0 to 1",
        ],
    );
}

#[test]
fn a_negative_gp_count_is_refused() {
    let data = corrupt("gp-density-2018.csv", |t| {
        set_cell(&t, "29,", "gps_all_modes_2018", "-3").0
    });
    says(
        &refused(data.path()),
        &["gp-density-2018.csv", "`gps_all_modes_2018`", "\"-3\""],
    );
}

#[test]
fn a_missing_column_is_refused() {
    let data = corrupt("communes.csv", |t| t.replacen(",lat,", ",latitude,", 1));
    says(
        &refused(data.path()),
        &["communes.csv", "line 1", "no column `lat`"],
    );
}

#[test]
fn an_empty_data_file_is_refused() {
    let data = corrupt("gp-density-2018.csv", |_| String::new());
    says(
        &refused(data.path()),
        &["gp-density-2018.csv", "line 1", "no column `departement`"],
    );
}

#[test]
fn a_territory_of_more_communes_than_a_commune_index_holds_is_refused() {
    // Every commune twice, under new codes: 69,750 communes, past the 65,536 a u16 indexes.
    let mut inputs = Inputs::load(&common::repo().join("data")).unwrap();
    let copies: Vec<_> = inputs
        .communes
        .iter()
        .map(|c| medesert::inputs::CommuneRow {
            code_insee: format!("{}b", c.code_insee),
            ..c.clone()
        })
        .collect();
    inputs.communes.extend(copies);
    let s = medesert::scenario::load(&common::repo().join("configs/baseline.toml"), &[]).unwrap();
    let err = medesert::model::check(&s, &inputs).expect_err("too many communes");
    says(&err.to_string(), &["65536"]);
}

#[test]
fn the_cpts_loop_ends_even_when_a_position_is_not_a_number() {
    // Unreachable through `Inputs::load`, which refuses NaN; the loop must end regardless.
    let mut inputs = Inputs::load(&common::repo().join("data")).unwrap();
    // No commune of the territory has a position: no distance is within a CPTS's radius.
    for c in &mut inputs.communes {
        c.lon = f64::NAN;
    }
    let s = medesert::scenario::load(&common::repo().join("configs/tiny.toml"), &[]).unwrap();
    within_limit(move || medesert::model::Simulation::new(&s, &inputs).map(|_| ()))
        .expect("the start year builds");
}

#[test]
fn an_empty_or_unusable_targets_file_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let read = |p: &Path| format!("{:#}", medesert::validation::read_targets(p).unwrap_err());
    says(
        &read(&file("empty.csv", "")),
        &["empty.csv", "line 1", "no column `indicator`"],
    );
    says(
        &read(&file("header.csv", "indicator,year,value\n")),
        &["header.csv", "line 2", "no target row"],
    );
    let bad = file(
        "bad.csv",
        "indicator,year,value,tolerance\napl_mean,20x8,3.9,\napl_mean,2018,lots,\n",
    );
    says(
        &read(&bad),
        &[
            "bad.csv",
            "line 2, column `year`: \"20x8\"",
            "line 3, column `value`: \"lots\"",
        ],
    );
    // One good row among bad ones: the bad ones become lines of the report.
    let mixed = file(
        "mixed.csv",
        "indicator,year,value\napl_mean,2018,3.9\napl_mean,2018,lots\n",
    );
    assert_eq!(medesert::validation::read_targets(&mixed).unwrap().len(), 2);
    // The binary refuses an empty targets file before running anything.
    let out = dir.path().join("report");
    let (ok, err) = medesert_in(
        &common::repo(),
        &[
            "validate",
            &tiny(),
            "-q",
            "--targets",
            dir.path().join("empty.csv").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!ok);
    says(&err, &["empty.csv", "line 1"]);
    assert!(
        !out.exists(),
        "nothing is written for a refused targets file"
    );
}

#[test]
fn a_run_outside_the_repository_points_at_the_data_option() {
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("out");
    let (ok, err) = medesert_in(
        elsewhere.path(),
        &["run", &tiny(), "-q", "--out", out.to_str().unwrap()],
    );
    assert!(!ok);
    says(&err, &["data folder \"data\" not found", "--data DIR"]);
}
