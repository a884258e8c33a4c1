//! `medesert compare` as a planner runs it: deterministic for a seed list whatever the
//! threads, intervals that narrow with more replicates, and scenarios that cannot be compared
//! refused before anything runs.

mod common;

use std::path::{Path, PathBuf};

use common::{medesert, ok};

fn tmp(name: &str) -> PathBuf {
    common::tmp("compare", name)
}

const BASE: &str = "configs/tiny.toml";
const DELEGATION: &str = "tests/policies/tiny-delegation.toml";
const TELE: &str = "tests/policies/tiny-teleconsultation.toml";
/// The scope of the whole territory of configs/tiny.toml in comparison.csv (not "France").
const TERRITORY: &str = "Finistère + Morbihan";

fn compare(out: &Path, replicates: &str, threads: &str) {
    ok(medesert(&[
        "compare",
        BASE,
        DELEGATION,
        TELE,
        "-q",
        "--replicates",
        replicates,
        "--threads",
        threads,
        "--out",
        out.to_str().unwrap(),
    ]));
}

/// (effect, low, high) of a row of comparison.csv.
fn effect(dir: &Path, policy: &str, metric: &str, scope: &str, year: &str) -> (f64, f64, f64) {
    let text = std::fs::read_to_string(dir.join("comparison.csv")).unwrap();
    let row = text
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|c| c[0] == policy && c[1] == metric && c[2] == scope && c[3] == year)
        .unwrap_or_else(|| panic!("no row {policy} {metric} {scope} {year}"));
    let f = |i: usize| row[i].parse::<f64>().unwrap();
    (f(6), f(7), f(8))
}

#[test]
fn a_comparison_is_identical_with_one_or_two_threads_and_its_intervals_narrow_with_replicates() {
    let (one, two, many) = (tmp("t1"), tmp("t2"), tmp("many"));
    compare(&one, "4", "1");
    compare(&two, "4", "2");
    for f in ["comparison.csv", "comparison.md", "causal.csv"] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    for f in [
        "difference.png",
        "map-effect-2035-tiny-delegation.png",
        "causal-tiny.png",
    ] {
        assert!(one.join(f).exists(), "{f}");
    }
    // The half-width is t(0.95, n − 1) · sd / √n: 1.18 sd at n = 4 and 0.30 sd at n = 32, so the
    // interval narrows unless the 4-replicate sd is far below the 32-replicate one.
    compare(&many, "32", "2");
    for policy in ["tiny-delegation", "tiny-teleconsultation"] {
        let (e4, lo4, hi4) = effect(&one, policy, "share_without_mt_17plus", TERRITORY, "2030");
        let (e32, lo32, hi32) = effect(&many, policy, "share_without_mt_17plus", TERRITORY, "2030");
        assert!(
            hi32 - lo32 < hi4 - lo4,
            "{policy}: [{lo4}, {hi4}] then [{lo32}, {hi32}]"
        );
        assert!(
            e4 < 0.0 && e32 < 0.0,
            "{policy} lowers the share: {e4}, {e32}"
        );
        assert!(
            hi32 < 0.0,
            "{policy}: the 90 % interval excludes 0 with 32 replicates"
        );
    }
    let (gained, _, _) = effect(
        &many,
        "tiny-delegation",
        "patient_years_with_mt_gained",
        TERRITORY,
        "2040",
    );
    assert!(gained > 0.0);
}

/// Runs `compare BASE policy` (2 replicates) into `out_dir`, expects it refused with nothing
/// written, and returns its error output.
fn refused(policy: &str, out_dir: &Path) -> String {
    let out = medesert(&[
        "compare",
        BASE,
        policy,
        "--replicates",
        "2",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success(), "{policy}: accepted");
    assert!(!out_dir.exists(), "{policy}: wrote something");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn scenarios_that_cannot_be_compared_are_refused_before_anything_runs() {
    let err = refused("configs/classroom.toml", &tmp("refused"));
    assert!(
        err.contains("cannot be compared") && err.contains("territory"),
        "{err}"
    );

    let dir = tmp("bad-scope");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join(DELEGATION);
    std::fs::write(
        &file,
        format!(
            "extends = {:?}\nname = \"bad\"\n\n[[policy]]\nlever = \"delegation\"\nfrom_year = 2025\n\
             scope = {{ departements = [\"75\"] }}\nassistant_fte_per_gp = 1.0\nuptake_share = 0.5\ncost_per_gp_eur = 1.0\n",
            base.to_str().unwrap()
        ),
    )
    .unwrap();
    let err = refused(file.to_str().unwrap(), &dir.join("out"));
    assert!(
        err.contains("75") && err.contains("simulated département"),
        "{err}"
    );
}

/// A row's cells of comparison.csv.
fn cells(dir: &Path, policy: &str, metric: &str, year: &str) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("comparison.csv")).unwrap();
    text.lines()
        .map(|l| l.split(',').map(String::from).collect::<Vec<_>>())
        .find(|c| c[0] == policy && c[1] == metric && c[2] == TERRITORY && c[3] == year)
        .unwrap_or_else(|| panic!("no row {policy} {metric} {year}"))
}

#[test]
fn an_ensemble_interval_carries_the_parameters_and_is_at_least_as_wide_as_chance_alone() {
    let dir = tmp("ensemble");
    std::fs::create_dir_all(&dir).unwrap();
    // Three sets that differ in the time an assistant frees and in how full GPs keep their
    // lists: the delegation's effect depends on both.
    let posterior = dir.join("posterior.csv");
    std::fs::write(
        &posterior,
        "wave,set,workload.time_freed_per_assistant_fte,workload.acceptance_threshold_share,\
         max_implausibility,weight\n\
         1,0,0.05,0.9,1,0.333\n1,1,0.15,1.0,1,0.333\n1,2,0.35,1.05,1,0.334\n",
    )
    .unwrap();
    let (plain, ensemble) = (dir.join("plain"), dir.join("ensemble"));
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "compare",
            BASE,
            DELEGATION,
            "-q",
            "--replicates",
            "3",
            "--lang",
            "en",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        ok(medesert(&args))
    };
    run(&plain, &[]);
    run(&ensemble, &["--ensemble", posterior.to_str().unwrap()]);
    let width = |dir: &Path| {
        let (_, lo, hi) = effect(
            dir,
            "tiny-delegation",
            "share_without_mt_17plus",
            TERRITORY,
            "2030",
        );
        hi - lo
    };
    assert!(
        width(&ensemble) >= width(&plain),
        "ensemble {} narrower than chance alone {}",
        width(&ensemble),
        width(&plain)
    );
    let row = cells(
        &ensemble,
        "tiny-delegation",
        "share_without_mt_17plus",
        "2030",
    );
    assert_eq!(row[9], "9", "3 sets × 3 seeds");
    let share: f64 = row[10].parse().expect("a variance share with an ensemble");
    assert!((0.0..=1.0).contains(&share), "{share}");
    assert!(cells(&plain, "tiny-delegation", "share_without_mt_17plus", "2030")[10].is_empty());
    let md = std::fs::read_to_string(ensemble.join("comparison.md")).unwrap();
    assert!(md.contains("3 parameter sets"), "{md}");

    // A malformed ensemble is refused before any run.
    std::fs::write(
        &posterior,
        "workload.acceptance_threshold_share\n0.8\nabc\n",
    )
    .unwrap();
    let bad = dir.join("bad");
    let out = medesert(&[
        "compare",
        BASE,
        DELEGATION,
        "-q",
        "--replicates",
        "2",
        "--ensemble",
        posterior.to_str().unwrap(),
        "--out",
        bad.to_str().unwrap(),
    ]);
    common::fails_with(
        &out,
        &["line 3", "workload.acceptance_threshold_share", "abc"],
    );
    assert!(!bad.exists());
}
