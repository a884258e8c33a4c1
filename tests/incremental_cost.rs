//! A lever's cost in `compare` is what it adds to the baseline's spending, year by year
//! (docs/outputs.md): nothing when the lever is off, nothing for the baseline against itself.

mod common;

use std::path::Path;

use common::{medesert, ok, repo};

/// (year, incremental cost) of every `incremental_cost_eur` row of `policy` on the territory.
fn incremental(dir: &Path, policy: &str) -> Vec<(u16, f64)> {
    let text = std::fs::read_to_string(dir.join("comparison.csv")).unwrap();
    text.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c[0] == policy && c[1] == "incremental_cost_eur")
        .map(|c| (c[3].parse().unwrap(), c[6].parse().unwrap()))
        .collect()
}

fn compare(out: &Path, policy: &str) {
    ok(medesert(&[
        "compare",
        "configs/tiny.toml",
        policy,
        "-q",
        "--replicates",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]));
}

#[test]
fn the_baseline_against_itself_costs_nothing_more() {
    let dir = common::tmp("incremental-cost", "self");
    std::fs::create_dir_all(&dir).unwrap();
    let again = dir.join("tiny-again.toml");
    let base = repo().join("configs/tiny.toml");
    std::fs::write(
        &again,
        format!(
            "extends = {:?}\nname = \"tiny-again\"\n",
            base.to_str().unwrap()
        ),
    )
    .unwrap();
    let out = dir.join("cmp");
    compare(&out, again.to_str().unwrap());
    let rows = incremental(&out, "tiny-again");
    assert!(rows.len() > 10, "{rows:?}");
    assert!(rows.iter().all(|&(_, c)| c == 0.0), "{rows:?}");
}

#[test]
fn the_health_centre_programme_costs_nothing_more_while_it_is_off() {
    let out = common::tmp("incremental-cost", "centres");
    compare(&out, "tests/policies/tiny-centres.toml");
    let rows = incremental(&out, "tiny-centres");
    let off = |y: u16| !(2030..=2034).contains(&y);
    assert!(
        rows.iter().filter(|r| off(r.0)).all(|r| r.1 == 0.0),
        "{rows:?}"
    );
    assert!(
        rows.iter().filter(|r| !off(r.0)).all(|r| r.1 > 0.0),
        "start-up grants and deficits paid while in force: {rows:?}"
    );
}
