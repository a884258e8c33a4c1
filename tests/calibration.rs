//! The calibrated baseline against the observed French figures (data/calibration-targets.csv),
//! through `medesert validate` over 5 seeds: the headline targets must pass, the shares without
//! an MT as CNAM counts them included (2017, 2021, 2018 between the two, and the rise from 2017
//! to 2021). Prints the whole table:
//! `cargo test --release --test calibration -- --nocapture`.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn table(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn the_baseline_passes_the_headline_targets_over_five_seeds() {
    let dir = std::env::temp_dir().join(format!("medesert-calibration-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The shipped targets, plus one: 2018 must sit between the observed 2017 (9.8 %) and
    // 2021 (11.0 %) values, given in the tolerance column.
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/calibration-targets.csv"),
    )
    .unwrap();
    let mut targets: Vec<String> = shipped.lines().map(str::to_string).collect();
    assert!(
        targets[0].starts_with("indicator,year,value,tolerance,"),
        "{}",
        targets[0]
    );
    targets.push("share_without_mt_17plus,2018,0.104,0.0065,share,between 2017 and 2021,,".into());
    let targets_file = dir.join("targets.csv");
    std::fs::write(&targets_file, targets.join("\n") + "\n").unwrap();
    let out_dir = dir.join("report");
    let out = Command::new(env!("CARGO_BIN_EXE_medesert"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "validate",
            "--replicates",
            "5",
            "--set",
            "end_year=2024",
            "--targets",
            targets_file.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{}", String::from_utf8_lossy(&out.stdout));
    let rows = table(&out_dir.join("validation.csv"));
    let row = |indicator: &str, year: &str| {
        rows.iter()
            .find(|r| r["indicator"] == indicator && r["year"] == year)
            .unwrap_or_else(|| panic!("{indicator} {year} missing"))
    };
    for (indicator, year) in [
        ("share_without_mt_17plus_never", "2021"),
        // The MT's concept: active conventionné GPs (the 52,500 liberal GPs of 2020 count
        // every liberal GP excl. MEP; the model's 6 % below it is reported as a miss).
        ("gp_liberal_conventionne_active", "2021"),
        ("gp_group_practice_share", "2019"),
        ("msp_count", "2021"),
        ("apl_mean", "2021"),
        ("new_gp_share_settling_in_birth_region", "2019"),
        ("population", "2021"),
    ] {
        assert_eq!(
            row(indicator, year)["pass"],
            "true",
            "{indicator} {year} misses"
        );
    }
    // The shares as CNAM counts them (a patient who moved keeps their declaration), from the
    // calibrated baseline (`medesert calibrate configs/calibration/baseline.toml`).
    for (indicator, year) in [
        ("share_without_mt_17plus", "2017"),
        ("share_without_mt_17plus", "2018"),
        ("share_without_mt_17plus", "2021"),
        ("share_without_mt_17plus_lost", "2021"),
        ("change:share_without_mt_17plus", "2017-2021"),
        ("change:share_without_mt_17plus_lost", "2017-2021"),
    ] {
        assert_eq!(
            row(indicator, year)["pass"],
            "true",
            "{indicator} {year} misses"
        );
    }
    // Group practice by age in 2019 within 5 points of the DREES panel (81 / 57 / 44 %), from
    // careers (join_groups) and the start shares (issue 16).
    for age in ["under50", "50_59", "60plus"] {
        let r = row(&format!("gp_group_practice_share_{age}"), "2019");
        let (observed, simulated): (f64, f64) = (
            r["observed"].parse().unwrap(),
            r["simulated_mean"].parse().unwrap(),
        );
        assert!(
            (simulated - observed).abs() <= 0.05,
            "group practice {age}: {simulated} against {observed}"
        );
    }
}
