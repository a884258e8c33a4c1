//! `medesert compare --set`/`--regions`/`--departements`: the shipped policy files run on any
//! territory unchanged, an override reaches every scenario of the comparison, and scenarios
//! that cannot be compared are refused naming what differs.

mod common;

use std::path::{Path, PathBuf};

use common::{fails_with, medesert, ok, read, repo};

fn tmp(name: &str) -> PathBuf {
    common::tmp("compare-set", name)
}

const BASE: &str = "configs/tiny.toml";
const DELEGATION: &str = "tests/policies/tiny-delegation.toml";

/// Runs `compare BASE DELEGATION -q --replicates 2 --out OUT EXTRA…` (checked to succeed).
fn compare(out: &Path, extra: &[&str]) {
    let mut args = vec!["compare", BASE, DELEGATION, "-q", "--replicates", "2"];
    args.extend_from_slice(extra);
    args.extend(["--out", out.to_str().unwrap()]);
    ok(medesert(&args));
}

/// (scope, year) of every row of comparison.csv.
fn scopes_and_years(dir: &Path) -> Vec<(String, u16)> {
    read(dir, "comparison.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[2].to_string(), c[3].parse().expect("a year"))
        })
        .collect()
}

#[test]
fn an_override_changes_every_scenario_of_the_comparison() {
    let (years, place, same) = (tmp("years"), tmp("place"), tmp("same"));
    compare(&years, &["--set", "end_year=2030"]);
    let rows = scopes_and_years(&years);
    assert!(rows.iter().all(|(_, y)| *y <= 2030), "a row after 2030");
    assert!(rows.iter().any(|(_, y)| *y == 2030), "no row in 2030");

    // tiny.toml is Finistère and Morbihan; on Finistère alone no row is about Morbihan.
    compare(&place, &["--departements", "29"]);
    let rows = scopes_and_years(&place);
    assert!(
        rows.iter().any(|(s, _)| s == "Finistère"),
        "no Finistère row"
    );
    assert!(
        !rows.iter().any(|(s, _)| s.contains("Morbihan")),
        "a Morbihan row"
    );
    // The shortcut is its --set.
    compare(&same, &["--set", r#"territory.departements=["29"]"#]);
    assert_eq!(
        read(&place, "comparison.csv"),
        read(&same, "comparison.csv")
    );
}

/// Writes a scenario `name` extending configs/tiny.toml with `extra` TOML lines into `dir`.
fn variant(dir: &Path, name: &str, extra: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    let base = repo().join(BASE);
    let text = format!(
        "extends = {:?}\nname = \"{name}\"\n{extra}",
        base.to_str().unwrap()
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_refused_comparison_names_what_differs_with_both_values() {
    let dir = tmp("refused");
    let base = variant(&dir, "base", "");
    let short = variant(&dir, "short", "end_year = 2030\n");
    let coarse = variant(&dir, "coarse", "persons_per_agent = 100\n");
    let refused = |policy: &Path, extra: &[&str]| {
        let out_dir = dir.join("out");
        let mut args = vec!["compare", base.to_str().unwrap(), policy.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.extend(["--replicates", "2", "--out", out_dir.to_str().unwrap()]);
        let out = medesert(&args);
        assert!(
            !out_dir.exists(),
            "refused, yet wrote {}",
            out_dir.display()
        );
        out
    };
    let out = refused(&short, &[]);
    fails_with(
        &out,
        &[
            "cannot be compared",
            "years differ",
            "2014–2030",
            "2014–2040",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("territory differs") && !err.contains("persons_per_agent differs"));

    fails_with(
        &refused(&coarse, &[]),
        &["persons_per_agent differs", "100 in", "50 in"],
    );
    // The same override of every scenario makes them comparable.
    let accepted = dir.join("accepted");
    ok(medesert(&[
        "compare",
        base.to_str().unwrap(),
        short.to_str().unwrap(),
        "-q",
        "--set",
        "end_year=2030",
        "--replicates",
        "2",
        "--out",
        accepted.to_str().unwrap(),
    ]));

    // A territory given twice is refused before anything runs.
    fails_with(
        &refused(&base, &["--regions", "53", "--departements", "29"]),
        &["--regions and --departements cannot be given together"],
    );
    fails_with(
        &refused(
            &base,
            &[
                "--regions",
                "53",
                "--set",
                r#"territory.departements=["29"]"#,
            ],
        ),
        &["--regions cannot be given with --set territory.departements"],
    );
}

#[test]
fn the_shipped_policies_run_unchanged_on_a_region() {
    let out = tmp("region-24");
    let mut policies: Vec<PathBuf> = std::fs::read_dir(repo().join("configs/policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    policies.sort();
    assert!(policies.len() >= 10, "{policies:?}");
    let mut args: Vec<String> = ["compare", "--set", r#"territory.regions=["24"]"#]
        .map(String::from)
        .to_vec();
    args.push("configs/baseline.toml".into());
    args.extend(policies.iter().map(|p| p.to_str().unwrap().to_string()));
    // Coarse and short to keep the test quick: the policies' years run to 2035.
    args.extend(
        [
            "--set",
            "persons_per_agent=500",
            "--set",
            "end_year=2035",
            "--replicates",
            "2",
            "-q",
            "--out",
        ]
        .map(String::from),
    );
    args.push(out.to_str().unwrap().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(medesert(&args));
    let table = read(&out, "comparison.csv");
    assert!(table.contains(",Centre-Val de Loire,"), "the région's rows");
    for p in &policies {
        let name = p.file_stem().unwrap().to_str().unwrap();
        assert!(table.contains(&format!("\n{name},")), "no row of {name}");
    }
}
