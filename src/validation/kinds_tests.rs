//! Each kind of target can fail: a change of the wrong sign, a trough outside its window
//! or too shallow, a ranking below its threshold.

use super::*;
use crate::model::Counts;
use crate::validation::compare;
use crate::validation::tests::{target, year_of};

/// A run whose share without an MT (17+) is `shares[k]` and GP count `gps[k]` in year
/// 2018 + k.
fn run(shares: &[u64], gps: &[u64]) -> Records {
    let years = shares
        .iter()
        .zip(gps)
        .enumerate()
        .map(|(k, (&w, &g))| {
            let mut c = Counts {
                population: 1000,
                population_17plus: 1000,
                gps: g,
                ..Counts::default()
            };
            c.without_mt_17plus[0] = w;
            year_of(2018 + k as u16, c)
        })
        .collect();
    Records {
        years,
        record_communes: false,
    }
}

const SCOPE: Scope = Scope {
    first_year: 2018,
    last_year: 2030,
    whole_france: false,
    france_factor: 1.03,
};

fn one(t: TargetRow, runs: &[Records], rankings: &Rankings) -> Row {
    compare(&[t], runs, &SCOPE, rankings).remove(0)
}

#[test]
fn years_are_one_year_a_span_or_a_reference_and_a_window() {
    let y = |r, f, t| {
        Some(Years {
            reference: r,
            from: f,
            to: t,
        })
    };
    assert_eq!(Years::parse("2021"), y(2021, 2021, 2021));
    assert_eq!(Years::parse("2017-2021"), y(2017, 2017, 2021));
    assert_eq!(Years::parse("2021:2024-2030"), y(2021, 2024, 2030));
    assert_eq!(Years::parse("2021-2017"), None);
    assert_eq!(Years::parse("2025:2024-2030"), None);
    assert!(!fits(Kind::Change, &Years::parse("2021").unwrap()));
    assert!(!fits(Kind::Level, &Years::parse("2017-2021").unwrap()));
    assert!(known("change:share_without_mt_17plus") && !known("change:nothing"));
    assert!(known("spearman:apl_by_departement") && !known("spearman:share_without_mt_17plus"));
}

#[test]
fn a_change_of_the_wrong_sign_is_a_miss_even_within_the_tolerance() {
    let shares = [100, 100, 100, 100, 100];
    let gps = [10; 5];
    let t = || target("change:share_without_mt_17plus", "2018-2021", "0.012");
    // Falls by 0.4 point: within ±1.5 points of +1.2, but the wrong sign.
    let mut falling = shares;
    falling[3] = 96;
    let row = one(t(), &[run(&falling, &gps)], &Vec::new());
    assert!((row.simulated.unwrap()[0] + 0.004).abs() < 1e-12);
    assert_eq!(row.pass, Some(false), "{}", row.note);
    assert!(row.note.contains("wrong sign"));
    // Rises by 1.0 point: passes.
    let mut rising = shares;
    rising[3] = 110;
    assert_eq!(
        one(t(), &[run(&rising, &gps)], &Vec::new()).pass,
        Some(true)
    );
    // Rises by 4 points: the right sign but too much.
    rising[3] = 140;
    assert_eq!(
        one(t(), &[run(&rising, &gps)], &Vec::new()).pass,
        Some(false)
    );
    // A change starting before the run is not compared.
    let early = one(
        target("change:share_without_mt_17plus", "2017-2021", "0.012"),
        &[run(&shares, &gps)],
        &Vec::new(),
    );
    assert_eq!(early.pass, None);
    assert!(early.note.contains("outside the run"), "{}", early.note);
}

#[test]
fn a_trough_passes_only_inside_its_window_and_deep_enough() {
    let shares = [0u64; 13];
    let t = || target("trough:gp_primary_care_count", "2021:2024-2030", "-0.02");
    // 2018..=2030: falls from 100 (2021) to 95 in 2026, then recovers.
    let dip = [100, 100, 100, 100, 99, 98, 97, 96, 95, 96, 97, 99, 101];
    let row = one(t(), &[run(&shares, &dip)], &Vec::new());
    assert_eq!(row.pass, Some(true), "{}", row.note);
    assert!((row.simulated.unwrap()[0] + 0.05).abs() < 1e-12);
    // Still falling at the end of the run: the minimum (2030) is the window's last year,
    // but a trough in 2031+ would not be; here a minimum in 2022 is outside the window.
    let early = [100, 100, 100, 100, 90, 95, 96, 97, 98, 99, 100, 100, 100];
    let row = one(t(), &[run(&shares, &early)], &Vec::new());
    assert_eq!(row.pass, Some(false));
    assert!(row.note.contains("outside the window"), "{}", row.note);
    // Too shallow: 1 % below 2021.
    let shallow = [100, 100, 100, 100, 100, 99, 99, 99, 99, 100, 100, 100, 100];
    assert_eq!(
        one(t(), &[run(&shares, &shallow)], &Vec::new()).pass,
        Some(false)
    );
    // Never falls: the minimum is the reference year itself.
    let flat = [100; 13];
    assert_eq!(
        one(t(), &[run(&shares, &flat)], &Vec::new()).pass,
        Some(false)
    );
}

#[test]
fn a_ranking_below_its_threshold_is_a_miss_and_a_missing_one_is_not_compared() {
    let runs = [run(&[0], &[1])];
    let years = Years::parse("2021").unwrap();
    let t = || target("spearman:apl_by_departement", "2021", "1");
    let with = |rho: f64| vec![("apl_by_departement", years, Ok(vec![rho]))];
    // Default tolerance 0.5: ρ = 0.6 passes, ρ = 0.3 misses.
    assert_eq!(one(t(), &runs, &with(0.6)).pass, Some(true));
    assert_eq!(one(t(), &runs, &with(0.3)).pass, Some(false));
    let none: Rankings = vec![(
        "apl_by_departement",
        years,
        Err("2021 is not simulated".into()),
    )];
    let row = one(t(), &runs, &none);
    assert_eq!(row.pass, None);
    assert!(row.note.contains("2021 is not simulated"), "{}", row.note);
}
