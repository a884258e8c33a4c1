//! INSEE demography: life tables, fertility by age, population by age on 1 January of each
//! year 2014–2026, each file checked as it is read (data/README.md, "Demographic data").

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::DepartementRow;
use super::START_YEARS;
use super::check::{DataError, Row, Table, Unique};

/// Oldest age with a death quotient in the INSEE tables.
pub const MAX_TABLE_AGE: usize = 104;

/// The edition of the life tables the model reads (INSEE triennial tables of January 2026).
const LIFE_TABLE_EDITION: &str = "TRI-2026";

/// Years a demographic file may cite: observed series and the INSEE projections to 2070.
const YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

/// Centre years of the life tables of edition TRI-2026 (2016-2018 … 2023-2025): each one must
/// be in `mortality-france.csv`, so a file cut short is refused rather than read as a shorter
/// series (data/README.md).
const LIFE_TABLE_CENTRES: std::ops::RangeInclusive<u16> = 2017..=2024;

/// Years of the INSEE populations on 1 January (by single age, and by département and band):
/// each one must be in its file.
const POPULATION_YEARS: std::ops::RangeInclusive<u16> = 2014..=2026;
// Every start year has its populations.
const _: () = assert!(
    *START_YEARS.start() >= *POPULATION_YEARS.start()
        && *START_YEARS.end() <= *POPULATION_YEARS.end()
);

/// Years of the INSEE fertility rates by age band: each one must be in
/// `demography-france.csv`.
const FERTILITY_YEARS: std::ops::RangeInclusive<u16> = 2014..=2025;

/// The four INSEE age bands of `population-age-departements.csv`, in file order.
pub const AGE_BANDS: [(&str, u8, u8); 4] = [
    ("0-19", 0, 19),
    ("20-59", 20, 59),
    ("60-74", 60, 74),
    ("75+", 75, 99),
];

/// Fertility age bands (INSEE 2381384), inclusive ages.
pub const FERTILITY_BANDS: [(u8, u8); 5] = [(15, 24), (25, 29), (30, 34), (35, 39), (40, 50)];

/// Indicators of `demography-france.csv` holding the fertility of each band, in
/// `FERTILITY_BANDS` order (births per 100 women per year of age).
const FERTILITY_INDICATORS: [&str; 5] = [
    "fertility_rate_15_24",
    "fertility_rate_25_29",
    "fertility_rate_30_34",
    "fertility_rate_35_39",
    "fertility_rate_40_50",
];

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
    /// Population on 1 January by year, then département and band (`AGE_BANDS` order);
    /// every year of the file has every département.
    age_bands: BTreeMap<u16, HashMap<String, [AgeBand; 4]>>,
    /// France on 1 January by year, then single age 0..=99 (99 = 99+): (men, women); every
    /// year of the file has every age.
    single_ages: BTreeMap<u16, Vec<(u32, u32)>>,
    /// France (with the DOM) on 1 January: (year, persons, "observed" or "projection"), the
    /// INSEE estimates then the 2021 central projection.
    pub population_1jan: Vec<(u16, f64, &'static str)>,
}

impl Demography {
    /// Reads the INSEE files; every département of `departements` must have its age bands.
    pub(super) fn load(
        dir: &Path,
        departements: &[DepartementRow],
    ) -> Result<Demography, DataError> {
        let series = Table::read(
            &dir.join("demography-france.csv"),
            &["year", "indicator", "value"],
        )?;
        let series = series_rows(&series)?;
        Ok(Demography {
            life_tables: life_tables(&dir.join("mortality-france.csv"))?,
            fertility: fertility(&series),
            age_bands: age_bands(&dir.join("population-age-departements.csv"), departements)?,
            single_ages: single_ages(&dir.join("population-single-age-france.csv"))?,
            population_1jan: population_1jan(&series),
        })
    }

    /// Population on 1 January of `year` by département and band, or of the nearest year of
    /// the file (the loader guarantees every start year, 2014–2018).
    pub fn age_bands(&self, year: u16) -> &HashMap<String, [AgeBand; 4]> {
        nearest(&self.age_bands, year)
    }

    /// France on 1 January of `year` by single age 0..=99 (99 = 99+): (men, women), or the
    /// nearest year of the file (the loader guarantees every start year, 2014–2018).
    pub fn single_ages(&self, year: u16) -> &[(u32, u32)] {
        nearest(&self.single_ages, year).as_slice()
    }
}

/// The value of the year nearest `year` in a map the loader has made non-empty.
fn nearest<T>(by_year: &BTreeMap<u16, T>, year: u16) -> &T {
    by_year
        .range(..=year)
        .next_back()
        .into_iter()
        .chain(by_year.range(year..).next())
        .min_by_key(|(y, _)| y.abs_diff(year))
        .map(|(_, v)| v)
        .expect("the loader refuses a file without the start years")
}

/// The rows of `demography-france.csv`: (year, indicator, value), each (year, indicator)
/// once, values finite; fertility rates 0–100 per 100 women, populations > 0.
fn series_rows(table: &Table) -> Result<Vec<(u16, String, f64)>, DataError> {
    let mut keys = Unique::new("indicator");
    let mut out = Vec::new();
    let mut fertility_years: HashMap<u16, (Row, [bool; 5])> = HashMap::new();
    for row in table.rows() {
        let year = row.year("year", YEARS)?;
        let indicator = row.text("indicator")?;
        keys.insert(&row, (year, indicator))?;
        let value = if indicator.starts_with("fertility_rate_") {
            let b = FERTILITY_INDICATORS
                .iter()
                .position(|i| *i == indicator)
                .ok_or_else(|| row.error("indicator", FERTILITY_INDICATORS.join(", ")))?;
            fertility_years.entry(year).or_insert((row, [false; 5])).1[b] = true;
            row.number("value", 0.0..=100.0)?
        } else if indicator.ends_with("population_1jan") {
            // France has about 68 million people: a billion is a misplaced digit.
            row.number("value", 1.0..=1e9)?
        } else {
            row.finite("value")?
        };
        out.push((year, indicator.to_string(), value));
    }
    // A year with some fertility bands must have them all (the model reads every band).
    for (year, (row, seen)) in &fertility_years {
        if let Some(b) = seen.iter().position(|s| !s) {
            return Err(table.missing(
                format!(
                    "no {} row for {year} (line {} has another band of that year)",
                    FERTILITY_INDICATORS[b],
                    row.line()
                ),
                "the five fertility_rate_* bands of every year that has one",
            ));
        }
    }
    if let Some(year) = FERTILITY_YEARS
        .clone()
        .find(|y| !fertility_years.contains_key(y))
    {
        return Err(table.missing(
            format!("no fertility_rate_* row for {year} (is the file cut short?)"),
            format!(
                "the five fertility_rate_* bands of every year {}–{}",
                FERTILITY_YEARS.start(),
                FERTILITY_YEARS.end()
            ),
        ));
    }
    Ok(out)
}

fn population_1jan(series: &[(u16, String, f64)]) -> Vec<(u16, f64, &'static str)> {
    let mut out: Vec<(u16, f64, &'static str)> = series
        .iter()
        .filter_map(|(year, indicator, value)| match indicator.as_str() {
            "population_1jan" => Some((*year, *value, "observed")),
            "projection2021_central_population_1jan" => Some((*year, *value, "projection")),
            _ => None,
        })
        .collect();
    out.sort_by_key(|r| r.0);
    out
}

fn fertility(series: &[(u16, String, f64)]) -> Vec<(u16, FertilityBand)> {
    let mut by_year: HashMap<u16, FertilityBand> = HashMap::new();
    for (year, indicator, value) in series {
        if let Some(b) = FERTILITY_INDICATORS.iter().position(|i| i == indicator) {
            // Births per 100 women → per woman; every band is present (series_rows).
            by_year.entry(*year).or_default()[b] = value / 100.0;
        }
    }
    let mut out: Vec<(u16, FertilityBand)> = by_year.into_iter().collect();
    out.sort_by_key(|(y, _)| *y);
    out
}

/// Life tables of the 2026 edition (2016-2018 … 2023-2025, centres 2017–2024): every age
/// 0–104 for men and women in each; quotients 0–100,000 per 100,000.
fn life_tables(path: &Path) -> Result<Vec<LifeTable>, DataError> {
    let table = Table::read(
        path,
        &["center_year", "edition", "sex", "age", "qx_per_100000"],
    )?;
    let mut keys = Unique::new("age");
    let mut tables: Vec<(u16, [Vec<Option<f64>>; 2])> = Vec::new();
    for row in table.rows() {
        let year = row.year("center_year", YEARS)?;
        let edition = row.text("edition")?;
        let sex = row.one_of("sex", &["male", "female", "all"])?;
        let age: usize = row.whole("age", 0..=MAX_TABLE_AGE)?;
        let q = row.number("qx_per_100000", 0.0..=100_000.0)? / 100_000.0;
        keys.insert(&row, (year, edition, sex, age))?;
        let s = match sex {
            _ if edition != LIFE_TABLE_EDITION => continue,
            "male" => 0,
            "female" => 1,
            _ => continue,
        };
        let i = match tables.iter().position(|t| t.0 == year) {
            Some(i) => i,
            None => {
                let blank = vec![None; MAX_TABLE_AGE + 1];
                tables.push((year, [blank.clone(), blank]));
                tables.len() - 1
            }
        };
        tables[i].1[s][age] = Some(q);
    }
    if let Some(year) = LIFE_TABLE_CENTRES
        .clone()
        .find(|y| !tables.iter().any(|t| t.0 == *y))
    {
        return Err(table.missing(
            format!(
                "no {LIFE_TABLE_EDITION} life table centred on {year} (is the file cut short?)"
            ),
            format!(
                "the male and female {LIFE_TABLE_EDITION} tables of every centre year {}–{}, \
                 every age 0–{MAX_TABLE_AGE}",
                LIFE_TABLE_CENTRES.start(),
                LIFE_TABLE_CENTRES.end()
            ),
        ));
    }
    tables.sort_by_key(|t| t.0);
    let mut out = Vec::new();
    for (year, [male, female]) in tables {
        let complete = |qs: Vec<Option<f64>>, sex: &str| {
            qs.iter().copied().collect::<Option<Vec<f64>>>().ok_or_else(|| {
                let age = qs.iter().position(Option::is_none).unwrap_or(0);
                table.missing(
                    format!("the {sex} {LIFE_TABLE_EDITION} life table {year} has no row for age {age}"),
                    format!("every age 0–{MAX_TABLE_AGE} for male and female in each table"),
                )
            })
        };
        out.push((year, complete(male, "male")?, complete(female, "female")?));
    }
    Ok(out)
}

/// Population by year, département and band: every year of the file has the four bands of
/// every département of `departements`, and the file has every start year.
fn age_bands(
    path: &Path,
    departements: &[DepartementRow],
) -> Result<BTreeMap<u16, HashMap<String, [AgeBand; 4]>>, DataError> {
    let table = Table::read(path, &["departement", "year", "age_band", "men", "women"])?;
    let names = AGE_BANDS.map(|b| b.0);
    let known: std::collections::HashSet<&str> =
        departements.iter().map(|d| d.code.as_str()).collect();
    let mut keys = Unique::new("departement");
    let mut found: BTreeMap<u16, HashMap<String, [Option<AgeBand>; 4]>> =
        POPULATION_YEARS.map(|y| (y, HashMap::new())).collect();
    for row in table.rows() {
        let d = row.text("departement")?;
        if !known.contains(d) {
            return Err(row.error("departement", "a code of departements.csv"));
        }
        let year = row.year("year", YEARS)?;
        let name = row.one_of("age_band", &names)?;
        let band = AgeBand {
            men: row.count("men")?,
            women: row.count("women")?,
        };
        keys.insert(&row, (d, year, name))?;
        let b = names.iter().position(|n| *n == name).unwrap_or(0);
        found
            .entry(year)
            .or_default()
            .entry(d.to_string())
            .or_default()[b] = Some(band);
    }
    let mut out = BTreeMap::new();
    for (year, mut by_departement) in found {
        let mut bands = HashMap::new();
        for d in departements {
            let got = by_departement.remove(&d.code).unwrap_or_default();
            let Some(complete) = got.iter().copied().collect::<Option<Vec<AgeBand>>>() else {
                let b = got.iter().position(Option::is_none).unwrap_or(0);
                return Err(table.missing(
                    format!(
                        "no {year} row for département {}, age band {}",
                        d.code, names[b]
                    ),
                    format!(
                        "the bands {} of every département of departements.csv in every year \
                         {}–{}",
                        names.join(", "),
                        POPULATION_YEARS.start(),
                        POPULATION_YEARS.end()
                    ),
                ));
            };
            bands.insert(
                d.code.clone(),
                [complete[0], complete[1], complete[2], complete[3]],
            );
        }
        out.insert(year, bands);
    }
    Ok(out)
}

/// France by year and single age 0–98 and 99+: every age of every year of the file, and
/// every start year.
fn single_ages(path: &Path) -> Result<BTreeMap<u16, Vec<(u32, u32)>>, DataError> {
    let table = Table::read(path, &["year", "age", "men", "women"])?;
    let mut keys = Unique::new("age");
    let mut found: BTreeMap<u16, Vec<Option<(u32, u32)>>> =
        POPULATION_YEARS.map(|y| (y, vec![None; 100])).collect();
    for row in table.rows() {
        let year = row.year("year", YEARS)?;
        let age = match row.cell("age") {
            "99+" => 99,
            _ => row
                .whole("age", 0..=98)
                .map_err(|_| row.error("age", "a whole age 0–98, or 99+"))?,
        };
        let people = (row.count("men")?, row.count("women")?);
        keys.insert(&row, (year, age))?;
        found.entry(year).or_insert_with(|| vec![None; 100])[age] = Some(people);
    }
    let mut out = BTreeMap::new();
    for (year, ages) in found {
        let complete = ages
            .iter()
            .copied()
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                let age = ages.iter().position(Option::is_none).unwrap_or(0);
                table.missing(
                    format!("no {year} row for age {age}"),
                    format!(
                        "every age 0–98 and 99+ in every year {}–{}",
                        POPULATION_YEARS.start(),
                        POPULATION_YEARS.end()
                    ),
                )
            })?;
        out.insert(year, complete);
    }
    Ok(out)
}
