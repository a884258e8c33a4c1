//! The calibrated baseline against the observed French figures (data/calibration-targets.csv),
//! printed side by side. Run: `cargo test --release --test calibration -- --nocapture`.

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
fn the_baseline_sits_on_the_observed_path() {
    let out_dir = std::env::temp_dir().join(format!("medesert-calibration-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_medesert"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "-q", "--out", out_dir.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let rows = table(&out_dir.join("national.csv"));
    let at = |year: u32, col: &str| -> f64 {
        rows.iter().find(|r| r["year"] == year.to_string()).unwrap()[col]
            .parse()
            .unwrap()
    };
    let checks: [(&str, u32, f64, f64); 10] = [
        (
            "share_without_mt_17plus",
            2018,
            0.098,
            at(2018, "share_without_mt_17plus"),
        ), // observed 2017
        (
            "share_without_mt_17plus",
            2021,
            0.110,
            at(2021, "share_without_mt_17plus"),
        ),
        (
            "share_without_mt_17plus_lost",
            2021,
            0.058,
            at(2021, "share_without_mt_17plus_lost"),
        ),
        (
            "share_without_mt_17plus_never",
            2021,
            0.052,
            at(2021, "share_without_mt_17plus_never"),
        ),
        ("gps_liberal", 2020, 52500.0, at(2020, "gps_liberal")),
        (
            "mt_list_mean (CNAM counts under-17s too)",
            2021,
            1060.0,
            at(2021, "mt_list_mean"),
        ),
        ("mean_gp_age", 2021, 51.1, at(2021, "mean_gp_age")),
        ("share_gps_women", 2021, 0.494, at(2021, "share_gps_women")),
        (
            "group_practice_share",
            2019,
            0.61,
            at(2019, "group_practice_share"),
        ),
        ("msp_count", 2021, 2000.0, at(2021, "msp_count")),
    ];
    println!(
        "{:<45} {:>6} {:>12} {:>12}",
        "indicator", "year", "observed", "simulated"
    );
    for (name, year, observed, simulated) in checks {
        println!("{name:<45} {year:>6} {observed:>12.3} {simulated:>12.3}");
    }
    let s2018 = at(2018, "share_without_mt_17plus");
    assert!(
        (0.098..=0.1105).contains(&s2018),
        "2018 between 9.8 % (2017) and 11.0 % (2021): {s2018}"
    );
    let s2021 = at(2021, "share_without_mt_17plus");
    assert!((s2021 - 0.110).abs() < 0.015, "2021 near 11.0 %: {s2021}");
    let gps = at(2020, "gps_liberal");
    assert!(
        (gps / 52500.0 - 1.0).abs() < 0.05,
        "liberal GPs 2020 near 52,500: {gps}"
    );
    std::fs::remove_dir_all(&out_dir).ok();
}
