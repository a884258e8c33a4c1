//! Unit tests of `validation`: comparing targets with runs.

use super::*;
use crate::model::{Counts, YearRecord};

fn record(year: u16, without: u64) -> YearRecord {
    let mut c = Counts {
        population: 1000,
        population_17plus: 800,
        ..Counts::default()
    };
    c.without_mt_17plus[0] = without;
    year_of(year, c)
}

/// A year whose nation, only région and only département all have the counts `c`.
pub(super) fn year_of(year: u16, c: Counts) -> YearRecord {
    YearRecord {
        year,
        national: c.clone(),
        regions: vec![c.clone()],
        departements: vec![c],
        mt_lists: [0.0; 4],
        install_km_median: f64::NAN,
        communes: Vec::new(),
    }
}

/// A target row with no tolerance or source.
pub(super) fn target(indicator: &str, year: &str, value: &str) -> TargetRow {
    TargetRow {
        indicator: indicator.into(),
        year: year.into(),
        value: value.into(),
        tolerance: None,
        source: None,
    }
}

const SCOPE: Scope = Scope {
    first_year: 2018,
    last_year: 2021,
    whole_france: false,
    france_factor: 1.03,
};

#[test]
fn percentiles_interpolate_between_ranks() {
    let v = [1.0, 2.0, 3.0, 4.0, 5.0];
    assert_eq!(percentile(&v, 0.5), 3.0);
    assert!((percentile(&v, 0.05) - 1.2).abs() < 1e-12);
    assert_eq!(summary(&[3.0, 1.0, 2.0])[0], 2.0);
}

#[test]
fn bad_targets_become_report_lines_not_errors() {
    let runs: Vec<Records> = [80u64, 96]
        .iter()
        .map(|&w| Records {
            years: vec![record(2018, w), record(2021, w)],
            record_communes: false,
        })
        .collect();
    let targets = [
        target("share_without_mt_17plus", "2021", "0.11"),
        target("share_without_mt_17plus", "2017", "0.098"),
        target("no_such_indicator", "2021", "1"),
        target("share_without_mt_17plus", "20x1", "0.1"),
        target("gp_liberal_count", "2020", "52500"),
        target("gp_all_modes_count", "2020", "101355"),
        target("share_without_mt_17plus", "2018", "lots"),
    ];
    let rows = compare(&targets, &runs, &SCOPE, &Vec::new());
    // (0.10 + 0.12) / 2 = 0.11: passes.
    let s = rows[0].simulated.unwrap();
    assert!((s[0] - 0.11).abs() < 1e-12, "{s:?}");
    assert_eq!(rows[0].pass, Some(true));
    assert!(rows[1].note.contains("outside the run"), "{}", rows[1].note);
    assert!(rows[2].note.contains("unknown indicator"));
    assert!(rows[3].note.contains("is not a year such as 2021"));
    assert!(rows[4].note.contains("national figure"), "{}", rows[4].note);
    assert!(rows[5].note.contains("primary-care GPs only"));
    assert!(rows[6].note.contains("not a number"));
    assert!(rows[1..].iter().all(|r| r.pass.is_none()));
}

#[test]
fn a_tolerance_column_overrides_the_default() {
    let runs = vec![Records {
        years: vec![record(2021, 96)],
        record_communes: false,
    }];
    let mut t = target("share_without_mt_17plus", "2021", "0.10");
    assert_eq!(
        compare(&[t.clone()], &runs, &SCOPE, &Vec::new())[0].pass,
        Some(false)
    );
    t.tolerance = Some("25%".into());
    assert_eq!(
        compare(&[t], &runs, &SCOPE, &Vec::new())[0].pass,
        Some(true)
    );
}
