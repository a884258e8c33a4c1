//! Tidy CSV tables: one row per year and unit; columns documented in docs/outputs.md.

use std::path::Path;

use anyhow::{Context, Result};

use crate::model::{Communes, Counts, GP_AGE_BANDS, PracticeMode, Reason, Records};

/// Indicator columns shared by the three tables, after the key columns.
pub const COLUMNS: [&str; 44] = [
    "population",
    "population_17plus",
    "gps",
    "gps_liberal",
    "gps_per_100k",
    "share_without_mt_17plus",
    "share_without_mt_17plus_cnam",
    "share_without_mt_17plus_never_declared",
    "share_without_mt_17plus_no_gp_with_room_in_reach",
    "share_without_mt_17plus_gp_retired",
    "share_without_mt_17plus_gp_left",
    "share_without_mt_17plus_moved",
    "share_without_mt_17plus_gp_reduced_activity",
    "share_without_mt_17plus_lost",
    "share_without_mt_17plus_never",
    "patients_without_mt_17plus",
    "share_chronic_17plus_without_mt",
    "mt_list_mean",
    "capacity_utilisation",
    "share_gps_closed_to_new_patients",
    "msp_count",
    "health_centre_count",
    "group_practice_share",
    "working_retiree_share",
    "health_centre_gp_share",
    "cpts_coverage_share",
    "under_dense_population_share",
    "priority_zone_population_share",
    "apl_mean",
    "apl_under_65_mean",
    "share_population_apl_below_2_5",
    "communes_with_gp",
    "mean_gp_age",
    "share_gps_women",
    "installations",
    "installations_under_dense",
    "exits",
    "retirements",
    "births",
    "deaths",
    "net_migration",
    "patients_finding_mt",
    "patients_losing_mt",
    "policy_cost_eur",
];

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn per_unit(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

fn per_person(sum: f64, population: u64) -> f64 {
    if population == 0 {
        0.0
    } else {
        sum / population as f64
    }
}

/// The indicator values of one unit-year, in `COLUMNS` order, formatted.
fn values(c: &Counts) -> Vec<String> {
    let share = |n: u64| format!("{:.6}", ratio(n, c.population_17plus));
    let mode = |m: PracticeMode| {
        c.gps_by_mode[PracticeMode::ALL.iter().position(|x| *x == m).unwrap_or(0)]
    };
    let lost: u64 = Reason::ALL
        .iter()
        .filter(|r| r.is_lost())
        .map(|r| c.without(*r))
        .sum();
    let never: u64 = Reason::ALL
        .iter()
        .filter(|r| r.is_never_declared())
        .map(|r| c.without(*r))
        .sum();
    let mut v = vec![
        c.population.to_string(),
        c.population_17plus.to_string(),
        c.gps.to_string(),
        c.gps_liberal().to_string(),
        format!("{:.2}", 1e5 * ratio(c.gps, c.population)),
        share(c.without_mt_17plus_total()),
        share(c.without_mt_17plus_cnam()),
    ];
    v.extend(Reason::ALL.iter().map(|r| share(c.without(*r))));
    v.extend([
        share(lost),
        share(never),
        c.without_mt_17plus_total().to_string(),
        format!(
            "{:.6}",
            ratio(c.chronic_without_mt_17plus, c.chronic_17plus)
        ),
        format!("{:.1}", ratio(c.with_mt, c.gps)),
        format!("{:.4}", per_unit(c.list_consultations, c.list_offer)),
        format!("{:.6}", ratio(c.gps_closed, c.gps)),
        c.msp_count.to_string(),
        c.health_centre_count.to_string(),
        format!("{:.6}", ratio(c.gps_in_group, c.gps_liberal())),
        format!("{:.6}", ratio(mode(PracticeMode::WorkingRetiree), c.gps)),
        format!("{:.6}", ratio(mode(PracticeMode::HealthCentre), c.gps)),
        format!("{:.6}", ratio(c.cpts_population, c.population)),
        format!("{:.6}", ratio(c.under_dense_population, c.population)),
        format!("{:.6}", ratio(c.priority_zone_population, c.population)),
        format!("{:.4}", per_person(c.apl_sum, c.population)),
        format!("{:.4}", per_person(c.apl_under_65_sum, c.population)),
        format!("{:.6}", ratio(c.population_apl_below_2_5, c.population)),
        c.communes_with_gp.to_string(),
        format!("{:.2}", ratio(c.gp_age_sum, c.gps)),
        format!("{:.6}", ratio(c.gps_women, c.gps)),
        c.installations.to_string(),
        c.installations_under_dense.to_string(),
        c.exits.to_string(),
        c.retirements.to_string(),
        c.births.to_string(),
        c.deaths.to_string(),
        c.migrants.to_string(),
        c.matches.to_string(),
        c.losses.to_string(),
        format!("{:.0}", c.policy_cost_eur),
    ]);
    debug_assert_eq!(v.len(), COLUMNS.len());
    v
}

/// Rows of `national.csv`, header first.
pub fn national_rows(records: &Records) -> Vec<Vec<String>> {
    let mut rows = vec![header(&[])];
    for y in &records.years {
        let mut row = vec![y.year.to_string()];
        row.extend(values(&y.national));
        rows.push(row);
    }
    rows
}

/// Rows of `departements.csv` (`departements = true`) or `regions.csv`, header first.
pub fn unit_rows(records: &Records, communes: &Communes, departements: bool) -> Vec<Vec<String>> {
    let keys: &[&str] = if departements {
        &["departement", "departement_name"]
    } else {
        &["region", "region_name"]
    };
    let units = if departements {
        &communes.departements
    } else {
        &communes.regions
    };
    let mut rows = vec![header(keys)];
    for y in &records.years {
        let counts = if departements {
            &y.departements
        } else {
            &y.regions
        };
        for (unit, c) in units.iter().zip(counts) {
            let mut row = vec![y.year.to_string(), unit.code.clone(), unit.name.clone()];
            row.extend(values(c));
            rows.push(row);
        }
    }
    rows
}

fn header(keys: &[&str]) -> Vec<String> {
    std::iter::once("year")
        .chain(keys.iter().copied())
        .chain(COLUMNS)
        .map(String::from)
        .collect()
}

/// Writes rows as CSV.
pub fn write_table(path: &Path, rows: &[Vec<String>]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    for row in rows {
        w.write_record(row)?;
    }
    w.flush()?;
    Ok(())
}

/// Columns of `communes.csv`.
pub const COMMUNE_COLUMNS: [&str; 12] = [
    "year",
    "commune",
    "departement",
    "population",
    "population_17plus",
    "patients_without_mt_17plus",
    "share_without_mt_17plus",
    "gps",
    "apl",
    "apl_under_65",
    "apl_under_62",
    "zone",
];

/// Streams `communes.csv` (one row per commune and year); nothing when communes were not
/// recorded.
pub fn write_communes(path: &Path, records: &Records, communes: &Communes) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    w.write_record(COMMUNE_COLUMNS)?;
    for y in &records.years {
        let year = y.year.to_string();
        for (c, r) in communes.communes.iter().zip(&y.communes) {
            let zone = ["none", "intermediate", "priority"][r.zone.min(2) as usize];
            w.write_record([
                year.as_str(),
                &c.code,
                &communes.departements[c.departement as usize].code,
                &r.population.to_string(),
                &r.population_17plus.to_string(),
                &r.without_mt_17plus.to_string(),
                &format!("{:.6}", ratio(r.without_mt_17plus, r.population_17plus)),
                &r.gps.to_string(),
                &format!("{:.4}", r.apl),
                &format!("{:.4}", r.apl_under_65),
                &format!("{:.4}", r.apl_under_62),
                zone,
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Rows of `gp_ages.csv` (national GPs by year, sex and age band), header first.
pub fn gp_age_rows(records: &Records) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "year".to_string(),
        "sex".to_string(),
        "age_from".to_string(),
        "gps".to_string(),
    ]];
    for y in &records.years {
        for (sex, bands) in ["men", "women"].iter().zip(&y.national.gps_by_sex_age) {
            for (from, n) in GP_AGE_BANDS.iter().zip(bands) {
                rows.push(vec![
                    y.year.to_string(),
                    sex.to_string(),
                    from.to_string(),
                    n.to_string(),
                ]);
            }
        }
    }
    rows
}
