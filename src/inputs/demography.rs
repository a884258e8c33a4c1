//! INSEE demography: life tables, fertility by age, population by age in 2018.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::read_csv;

/// Oldest age with a death quotient in the INSEE tables.
pub const MAX_TABLE_AGE: usize = 104;

/// The four INSEE age bands of `population-age-departements.csv`, in file order.
pub const AGE_BANDS: [(&str, u8, u8); 4] = [
    ("0-19", 0, 19),
    ("20-59", 20, 59),
    ("60-74", 60, 74),
    ("75+", 75, 99),
];

/// Fertility age bands (INSEE 2381384), inclusive ages.
pub const FERTILITY_BANDS: [(u8, u8); 5] = [(15, 24), (25, 29), (30, 34), (35, 39), (40, 50)];

/// Men and women of one age band in one département.
#[derive(Debug, Clone, Copy, Default)]
pub struct AgeBand {
    /// Men.
    pub men: u32,
    /// Women.
    pub women: u32,
}

/// A life table: (centre year, death probability by age for men, for women).
pub type LifeTable = (u16, Vec<f64>, Vec<f64>);

/// Births per woman per year of age, by fertility band, for one year.
pub type FertilityBand = [f64; 5];

/// Demographic inputs.
#[derive(Debug, Clone)]
pub struct Demography {
    /// Death probabilities (0–1) by centre year: (year, male by age, female by age).
    pub life_tables: Vec<LifeTable>,
    /// Fertility by year (births per woman per year of age).
    pub fertility: Vec<(u16, FertilityBand)>,
    /// Population on 1 January 2018 by département and band (`AGE_BANDS` order).
    pub age_bands_2018: HashMap<String, [AgeBand; 4]>,
    /// France on 1 January 2018 by single age 0..=99 (99 = 99+): (men, women).
    pub single_age_2018: Vec<(u32, u32)>,
    /// France (with the DOM) on 1 January: (year, persons, "observed" or "projection"), the
    /// INSEE estimates then the 2021 central projection.
    pub population_1jan: Vec<(u16, f64, &'static str)>,
}

#[derive(Deserialize)]
struct MortalityRow {
    center_year: u16,
    edition: String,
    sex: String,
    age: usize,
    qx_per_100000: f64,
}

#[derive(Deserialize)]
struct DemographyRow {
    year: u16,
    indicator: String,
    value: f64,
}

#[derive(Deserialize)]
struct BandRow {
    departement: String,
    year: u16,
    age_band: String,
    men: u32,
    women: u32,
}

#[derive(Deserialize)]
struct SingleAgeRow {
    year: u16,
    age: String,
    men: u32,
    women: u32,
}

impl Demography {
    /// Reads the INSEE files.
    pub fn load(dir: &Path) -> Result<Demography> {
        Ok(Demography {
            life_tables: life_tables(&dir.join("mortality-france.csv"))?,
            fertility: fertility(&dir.join("demography-france.csv"))?,
            age_bands_2018: age_bands(&dir.join("population-age-departements.csv"))?,
            single_age_2018: single_ages(&dir.join("population-single-age-france.csv"))?,
            population_1jan: population_1jan(&dir.join("demography-france.csv"))?,
        })
    }
}

fn population_1jan(path: &Path) -> Result<Vec<(u16, f64, &'static str)>> {
    let rows: Vec<DemographyRow> = read_csv(path)?;
    let mut out: Vec<(u16, f64, &'static str)> = rows
        .iter()
        .filter_map(|r| match r.indicator.as_str() {
            "population_1jan" => Some((r.year, r.value, "observed")),
            "projection2021_central_population_1jan" => Some((r.year, r.value, "projection")),
            _ => None,
        })
        .collect();
    out.sort_by_key(|r| r.0);
    Ok(out)
}

fn life_tables(path: &Path) -> Result<Vec<LifeTable>> {
    let rows: Vec<MortalityRow> = read_csv(path)?;
    let mut tables: Vec<LifeTable> = Vec::new();
    // The 2026 edition covers 2016-2018 … 2023-2025 (centres 2017–2024).
    for row in rows
        .iter()
        .filter(|r| r.edition == "TRI-2026" && r.age <= MAX_TABLE_AGE)
    {
        let i = match tables.iter().position(|t| t.0 == row.center_year) {
            Some(i) => i,
            None => {
                let blank = vec![f64::NAN; MAX_TABLE_AGE + 1];
                tables.push((row.center_year, blank.clone(), blank));
                tables.len() - 1
            }
        };
        let q = row.qx_per_100000 / 100_000.0;
        match row.sex.as_str() {
            "male" => tables[i].1[row.age] = q,
            "female" => tables[i].2[row.age] = q,
            _ => {}
        }
    }
    tables.sort_by_key(|t| t.0);
    if tables.is_empty() {
        bail!("data file {}: no TRI-2026 life table", path.display());
    }
    for (year, m, f) in &tables {
        if m.iter().chain(f).any(|q| !(0.0..=1.0).contains(q)) {
            bail!(
                "data file {}: life table {year} misses an age or sex",
                path.display()
            );
        }
    }
    Ok(tables)
}

fn fertility(path: &Path) -> Result<Vec<(u16, FertilityBand)>> {
    let rows: Vec<DemographyRow> = read_csv(path)?;
    let names = ["15_24", "25_29", "30_34", "35_39", "40_50"];
    let mut by_year: Vec<(u16, FertilityBand)> = Vec::new();
    for row in &rows {
        let Some(band) = row.indicator.strip_prefix("fertility_rate_") else {
            continue;
        };
        let Some(b) = names.iter().position(|n| *n == band) else {
            continue;
        };
        let i = match by_year.iter().position(|(y, _)| *y == row.year) {
            Some(i) => i,
            None => {
                by_year.push((row.year, [f64::NAN; 5]));
                by_year.len() - 1
            }
        };
        by_year[i].1[b] = row.value / 100.0; // births per 100 women → per woman
    }
    by_year.retain(|(_, r)| r.iter().all(|v| v.is_finite()));
    by_year.sort_by_key(|(y, _)| *y);
    if by_year.is_empty() {
        bail!(
            "data file {}: no complete year of fertility_rate_* rows",
            path.display()
        );
    }
    Ok(by_year)
}

fn age_bands(path: &Path) -> Result<HashMap<String, [AgeBand; 4]>> {
    let rows: Vec<BandRow> = read_csv(path)?;
    let mut out: HashMap<String, [AgeBand; 4]> = HashMap::new();
    for row in rows.iter().filter(|r| r.year == 2018) {
        let b = AGE_BANDS
            .iter()
            .position(|(name, _, _)| *name == row.age_band)
            .with_context(|| {
                format!(
                    "data file {}: unknown age band {:?}",
                    path.display(),
                    row.age_band
                )
            })?;
        out.entry(row.departement.clone()).or_default()[b] = AgeBand {
            men: row.men,
            women: row.women,
        };
    }
    Ok(out)
}

fn single_ages(path: &Path) -> Result<Vec<(u32, u32)>> {
    let rows: Vec<SingleAgeRow> = read_csv(path)?;
    let mut out = vec![(0, 0); 100];
    for row in rows.iter().filter(|r| r.year == 2018) {
        let age: usize = row
            .age
            .trim_end_matches('+')
            .parse()
            .with_context(|| format!("data file {}: bad age {:?}", path.display(), row.age))?;
        if age < 100 {
            out[age] = (row.men, row.women);
        }
    }
    if out.iter().any(|&(m, w)| m == 0 || w == 0) {
        bail!("data file {}: 2018 misses a single age", path.display());
    }
    Ok(out)
}
