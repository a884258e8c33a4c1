//! Sweeps and calibrations read a département's row of departements.csv with `COLUMN@CODE`:
//! the départements' values add up to the national one, and a département outside the
//! territory or a malformed code is refused with the reason.

mod common;

use common::{ok, read, sweep};

#[test]
fn departement_outputs_add_up_to_the_national_value() {
    let out = common::tmp("sweep-departements", "run");
    ok(sweep("tests/sweeps/departements.toml", &out, &[]));
    let runs = read(&out, "runs.csv");
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (all, a, b) = (col("gps_2022"), col("gps@29_2022"), col("gps@56_2022"));
    let mut n = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let v = |i: usize| cells[i].parse::<f64>().unwrap();
        assert!(v(a) > 0.0 && v(b) > 0.0, "{line}");
        assert_eq!(
            v(a) + v(b),
            v(all),
            "Finistère + Morbihan = the territory: {line}"
        );
        n += 1;
    }
    assert_eq!(n, 2);
}

/// The test sweep with `gps@56` replaced by `output`, written in a scratch folder `name`;
/// returns the sweep file and the output folder to give it.
fn with_output(name: &str, output: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = common::tmp("sweep-departements", name);
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::canonicalize("tests/sweeps/short.toml").unwrap();
    let text = std::fs::read_to_string("tests/sweeps/departements.toml")
        .unwrap()
        .replace("base = \"short.toml\"", &format!("base = {base:?}"))
        .replace("\"gps@56\"", &format!("{output:?}"));
    let file = dir.join("sweep.toml");
    std::fs::write(&file, text).unwrap();
    (file, dir.join("out"))
}

#[test]
fn a_departement_outside_the_territory_fails_its_runs_with_the_reason() {
    let (file, out) = with_output("outside", "gps@75");
    let _ = sweep(file.to_str().unwrap(), &out, &[]);
    let runs = read(&out, "runs.csv");
    assert!(
        runs.contains("département 75 is not in the simulated territory"),
        "{runs}"
    );
}

#[test]
fn a_malformed_departement_code_is_refused_before_any_run() {
    let (file, out) = with_output("malformed", "gps@Morbihan");
    let o = sweep(file.to_str().unwrap(), &out, &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("\"Morbihan\" is not a département code"),
        "{err}"
    );
    assert!(!out.join("runs.csv").exists());
}
