//! `medesert run --replicates N`: the summaries over the replicates (columns, order of the
//! quantiles, independence from the thread count) and N = 1 being a plain run.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, ok, read, tmp};

const TINY: &str = "configs/tiny.toml";
const SUMMARIES: [(&str, &[&str]); 3] = [
    ("national_summary.csv", &[]),
    ("regions_summary.csv", &["region", "region_name"]),
    (
        "departements_summary.csv",
        &["departement", "departement_name"],
    ),
];
const STATS: &str = "indicator,mean,p5,p50,p95,runs,variance_share_parameters";

/// Runs the tiny scenario into `suite`'s folder `name` with `extra` arguments.
fn run(name: &str, extra: &[&str]) -> PathBuf {
    let out = tmp("replicates", name);
    ok(bin()
        .args(["run", TINY, "-q", "--out"])
        .arg(&out)
        .args(extra)
        .output()
        .expect("the binary starts"));
    out
}

/// Files of a run folder medesert wrote, by name, the manifest aside (its wall time varies).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(n, _)| !n.starts_with('.') && n != "manifest.json")
        .map(|(n, p)| (n, std::fs::read(p).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn replicates_write_three_summaries_with_the_documented_columns_and_ordered_quantiles() {
    let dir = run("columns", &["--replicates", "3"]);
    let years = read(&dir, "national.csv").lines().count() - 1;
    for (file, units) in SUMMARIES {
        let text = read(&dir, file);
        let mut lines = text.lines();
        let keys: Vec<&str> = std::iter::once("year")
            .chain(units.iter().copied())
            .collect();
        assert_eq!(
            lines.next(),
            Some(format!("{},{STATS}", keys.join(",")).as_str())
        );
        let k = keys.len();
        let mut rows = 0;
        for line in lines {
            let c: Vec<&str> = line.split(',').collect();
            let q: Vec<f64> = c[k + 2..k + 5].iter().map(|v| v.parse().unwrap()).collect();
            assert!(q[0] <= q[1] && q[1] <= q[2], "{file}: {line}");
            assert_eq!(c[k + 5], "3", "{file}: {line}");
            assert_eq!(c[k + 6], "", "one parameter set: no variance split");
            rows += 1;
        }
        // tiny: one région, two départements; every indicator each year.
        let per_year = [1, 1, 2][SUMMARIES.iter().position(|s| s.0 == file).unwrap()];
        assert_eq!(
            rows,
            years * per_year * medesert::tables::COLUMNS.len(),
            "{file}"
        );
    }
    let manifest = read(&dir, "manifest.json");
    assert!(manifest.contains("\"runs\": 3"), "{manifest}");
}

#[test]
fn one_replicate_is_a_plain_run_and_the_first_replicate_writes_the_tables() {
    let plain = run("plain", &[]);
    let one = run("one", &["--replicates", "1"]);
    assert_eq!(files(&plain), files(&one), "tables and plots byte for byte");
    assert!(!one.join("national_summary.csv").exists());
    let three = run("three", &["--replicates", "3"]);
    for table in [
        "national.csv",
        "regions.csv",
        "departements.csv",
        "gp_ages.csv",
    ] {
        assert_eq!(read(&plain, table), read(&three, table), "{table}");
    }
}

#[test]
fn summaries_and_bands_do_not_depend_on_the_thread_count() {
    let one = run("threads-1", &["--replicates", "4", "--threads", "1"]);
    let two = run("threads-2", &["--replicates", "4", "--threads", "2"]);
    let (a, b) = (files(&one), files(&two));
    assert!(a.iter().any(|(n, _)| n == "departements_summary.csv"));
    assert_eq!(a, b, "every file but the manifest byte for byte");
}

#[test]
fn replicates_of_an_ensemble_summarise_every_set_and_seed_per_unit() {
    let dir = tmp("replicates", "ensemble");
    std::fs::create_dir_all(&dir).unwrap();
    let posterior = dir.join("posterior.csv");
    std::fs::write(
        &posterior,
        "set,workload.acceptance_threshold_share\n0,0.8\n1,1.2\n",
    )
    .unwrap();
    let out = run(
        "ensemble-run",
        &[
            "--replicates",
            "2",
            "--ensemble",
            posterior.to_str().unwrap(),
        ],
    );
    let text = read(&out, "departements_summary.csv");
    let row: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("2030,29,") && l.contains(",share_without_mt_17plus,"))
        .expect("Finistère 2030")
        .split(',')
        .collect();
    assert_eq!(row[8], "4", "2 sets × 2 seeds");
    // Capacity 0.8 against 1.2 moves the share far more than the seed does.
    assert!(row[9].parse::<f64>().unwrap() > 0.5, "{row:?}");
}
