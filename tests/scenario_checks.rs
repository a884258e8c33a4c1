//! Every scenario value is checked from one registry before anything runs: hard ranges
//! refused, plausible ranges warned about, NaN and infinity refused everywhere, and the
//! errors name what the user wrote (`--set`, the file, the line of `extends`).

mod common;

use std::path::{Path, PathBuf};

use medesert::scenario::registry::{self, Kind, Param};
use medesert::scenario::{self, Loaded};

fn baseline() -> PathBuf {
    common::repo().join("configs/baseline.toml")
}

fn load_set(set: &str) -> Result<Loaded, String> {
    scenario::load_with_warnings(&baseline(), &[set.to_string()]).map_err(|e| e.to_string())
}

/// A value written as a user would: integers without a decimal point.
fn text(p: &Param, x: f64) -> String {
    match p.kind {
        Kind::Integer => format!("{}", x.round() as i64),
        Kind::Real => format!("{x}"),
    }
}

#[test]
fn nan_and_inf_are_refused_for_every_parameter_of_the_registry() {
    for p in registry::all() {
        for v in ["nan", "inf", "-inf"] {
            let set = format!("{}={v}", p.name);
            let err = load_set(&set)
                .err()
                .unwrap_or_else(|| panic!("{set} accepted"));
            assert!(
                err.starts_with(&format!("--set {set}: ")) && err.contains("hard range"),
                "{err}"
            );
        }
    }
}

#[test]
fn a_value_outside_its_hard_range_is_refused_naming_parameter_value_range_and_source() {
    for p in registry::all() {
        let (lo, hi) = p.hard;
        let step = |x: f64| match p.kind {
            Kind::Integer => 1.0,
            Kind::Real => x.abs().max(1.0) * 0.5,
        };
        // Past i64::MAX a TOML integer does not parse: the seed's top is TOML's own.
        let tops = (hi < 1e18).then_some(hi + step(hi));
        for x in [Some(lo - step(lo)), tops].into_iter().flatten() {
            let set = format!("{}={}", p.name, text(p, x));
            let err = load_set(&set)
                .err()
                .unwrap_or_else(|| panic!("{set} accepted"));
            assert!(
                err.starts_with(&format!("--set {set}: "))
                    && err.contains(&format!(
                        "between {} and {}",
                        p.bound_text(lo),
                        p.bound_text(hi)
                    ))
                    && err.contains("hard range"),
                "{err}"
            );
        }
    }
}

#[test]
fn a_value_outside_its_plausible_range_warns_naming_parameter_value_range_and_source() {
    let mut warned = 0;
    for p in registry::all() {
        let ((hlo, hhi), (lo, hi)) = (p.hard, p.plausible);
        let step = |room: f64| match p.kind {
            Kind::Integer => 1.0,
            Kind::Real => room * 0.01,
        };
        let above = (hi < hhi).then(|| hi + step(hhi - hi));
        let below = (lo > hlo).then(|| lo - step(lo - hlo));
        // One side may break a rule between fields (zoning tiers): the other must warn.
        let warning = [above, below].into_iter().flatten().find_map(|x| {
            let set = format!("{}={}", p.name, text(p, x));
            let loaded = load_set(&set).ok()?;
            assert_eq!(loaded.warnings.len(), 1, "{set}: {:?}", loaded.warnings);
            Some((set, loaded.warnings[0].clone()))
        });
        if above.is_none() && below.is_none() {
            continue;
        }
        let (set, w) = warning.unwrap_or_else(|| panic!("{}: no side warns", p.name));
        let (lo, hi) = (p.bound_text(lo), p.bound_text(hi));
        let range = if lo == hi {
            lo
        } else {
            format!("{lo} to {hi}")
        };
        assert!(
            w.starts_with(&format!("--set {set}: `{}` = ", p.name))
                && w.contains(&range)
                && w.contains(&p.range_source),
            "{w}"
        );
        warned += 1;
    }
    assert!(warned > 80, "{warned} parameters warned");
}

#[test]
fn every_shipped_scenario_is_inside_its_hard_ranges_and_warns_of_nothing() {
    let root = common::repo();
    let mut n = 0;
    for dir in ["configs", "configs/policies", "tests/policies"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let loaded = scenario::load_with_warnings(&path, &[])
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert_eq!(loaded.warnings, Vec::<String>::new(), "{}", path.display());
                n += 1;
            }
        }
    }
    assert!(n >= 20, "{n} scenarios");
}

#[test]
fn a_bad_set_value_is_blamed_on_the_set_not_on_the_file() {
    let err = load_set("workload.acceptance_threshold_share=nan").unwrap_err();
    assert_eq!(
        err,
        "--set workload.acceptance_threshold_share=nan: expected a finite number between 0.3 and 1.5 \
         (hard range: what the model can run)"
    );
    let err = load_set("workload.acceptance_threshold_share=abc").unwrap_err();
    assert!(
        err.starts_with("--set workload.acceptance_threshold_share=abc: expected a number"),
        "{err}"
    );
    // A rule between fields broken by a `--set` is the `--set`'s too.
    let err = load_set("structures.group_max_gps=3").unwrap_err();
    assert!(
        err.starts_with("--set structures.group_max_gps=3: `structures.start_group_size` = 4"),
        "{err}"
    );
    let err = load_set("gps.pension_age_years=62.5").unwrap_err();
    assert!(err.contains("a whole number between 55 and 75"), "{err}");
}

#[test]
fn an_unknown_set_key_suggests_the_nearest_names() {
    let err = load_set("workload.aceptance_threshold_share=1.0").unwrap_err();
    assert!(
        err.contains("did you mean `workload.acceptance_threshold_share`"),
        "{err}"
    );
    let err = load_set("matching.reach=20").unwrap_err();
    assert!(err.contains("`matching.reach_minutes`"), "{err}");
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = common::tmp("scenario-checks", name);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    file
}

fn load_file(file: &Path) -> Result<Loaded, String> {
    scenario::load_with_warnings(file, &[]).map_err(|e| e.to_string())
}

#[test]
fn a_missing_extends_names_the_file_the_line_and_the_path_tried() {
    let file = scratch(
        "extends",
        "# a variant\n\nextends = \"nope.toml\"\nname = \"x\"\n",
    );
    let err = load_file(&file).unwrap_err();
    let tried = file.parent().unwrap().join("nope.toml");
    assert!(
        err.contains(&format!("scenario file {}, line 3", file.display()))
            && err.contains("`extends = \"nope.toml\"`")
            && err.contains(&tried.display().to_string()),
        "{err}"
    );
}

#[test]
fn a_name_that_is_not_a_plain_file_name_is_refused() {
    for name in ["..", ".", "a/b", "", ".hidden", "../outside"] {
        let file = scratch(
            "name",
            &format!(
                "extends = {:?}\nname = {name:?}\n",
                baseline().to_str().unwrap()
            ),
        );
        let err = load_file(&file)
            .err()
            .unwrap_or_else(|| panic!("{name:?} accepted"));
        assert!(
            err.contains(&format!("field `name` = {name:?}")) && err.contains("plain file name"),
            "{err}"
        );
    }
    let err = load_set("name=..").unwrap_err();
    assert!(err.starts_with("--set name=..: "), "{err}");
}

fn with_policies(name: &str, policies: &str) -> Result<Loaded, String> {
    let text = format!(
        "extends = {:?}\nname = \"p\"\n{policies}",
        baseline().to_str().unwrap()
    );
    load_file(&scratch(name, &text))
}

fn delegation(years: &str, scope: &str) -> String {
    format!(
        "\n[[policy]]\nlever = \"delegation\"\n{years}\nscope = {scope}\n\
         assistant_fte_per_gp = 1.0\nuptake_share = 0.5\ncost_per_gp_eur = 21000.0\n"
    )
}

#[test]
fn two_levers_of_one_kind_overlapping_in_years_and_scope_are_refused_naming_both() {
    let both = delegation("from_year = 2025", "\"france\"")
        + &delegation("from_year = 2030", "{ departements = [\"29\"] }");
    let err = with_policies("overlap", &both).unwrap_err();
    assert!(
        err.contains("policy[1] (delegation)")
            && err.contains("policy[0] (delegation)")
            && err.contains("multiply"),
        "{err}"
    );
    // A yearly path, and the same lever on separate départements, are fine.
    let path = delegation("from_year = 2025\nto_year = 2029", "\"france\"")
        + &delegation("from_year = 2030", "\"france\"");
    with_policies("path", &path).unwrap();
    let apart = delegation("from_year = 2025", "{ departements = [\"29\"] }")
        + &delegation("from_year = 2025", "{ departements = [\"56\"] }");
    with_policies("apart", &apart).unwrap();
}

#[test]
fn a_non_finite_lever_size_is_refused_naming_the_policy() {
    let bad = "\n[[policy]]\nlever = \"delegation\"\nfrom_year = 2025\n\
               assistant_fte_per_gp = nan\nuptake_share = 0.5\ncost_per_gp_eur = 21000.0\n";
    let err = with_policies("nan-lever", bad).unwrap_err();
    assert!(
        err.contains("`policy[0] (delegation).assistant_fte_per_gp` = nan"),
        "{err}"
    );
}

#[test]
fn messages_use_the_names_written_in_toml_not_rust_ones() {
    let bad = "\n[[policy]]\nlever = \"numerus\"\nfrom_year = 2025\nscope = \"under_dense\"\n\
               intake_per_year = 16000.0\n";
    let err = with_policies("scope", bad).unwrap_err();
    assert!(
        err.contains("= \"under_dense\"") && !err.contains("UnderDense"),
        "{err}"
    );
}

#[test]
fn the_app_prints_each_warning_once_on_stderr() {
    let out = common::medesert(&[
        "run",
        "configs/tiny.toml",
        "-q",
        "--set",
        "workload.acceptance_threshold_share=1.2",
        "--data",
        "no/such/data",
        "--out",
        common::tmp("scenario-checks", "warn").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    let line = "warning: --set workload.acceptance_threshold_share=1.2: \
                `workload.acceptance_threshold_share` = 1.2 is outside its plausible range 0.85 to 1.05";
    assert_eq!(err.matches(line).count(), 1, "{err}");
}
