//! Observed data read only by `medesert validate`: the DREES APL 2021 by commune and the
//! RPPS GP counts by département, checked as they are read (vocabulary of `check`).
//!
//! The APL file uses the 2021 geography. Its rows are mapped onto `communes.csv` (COG 2026):
//! - the arrondissements of Paris (751xx), Lyon (6938x) and Marseille (132xx) are summed
//!   into their commune (75056, 69123, 13055), the APL weighted by standardised population,
//!   because `communes.csv` has one row per city;
//! - a code absent from `communes.csv` (a commune merged into another after 2021) is skipped
//!   and counted: its APL is that of the former commune only, not of the merged one, so
//!   assigning it would mix two territories (about 90 communes, 0.15 % of the population).
//!   `data/commune-mergers-2021-2026.csv` was not yet shipped when this was written;
//! - a row whose four numbers are all empty is a commune DREES does not publish (the six
//!   uninhabited villages of the Meuse and Mayotte): skipped and counted.

use std::collections::HashMap;
use std::path::Path;

use super::CommuneRow;
use super::check::{DataError, Row, Table, Unique};

/// The APL of one commune in 2021 (DREES, revised method), on the `communes.csv` geography.
#[derive(Debug, Clone, PartialEq)]
pub struct AplCommune {
    /// INSEE code, as in `communes.csv`.
    pub code_insee: String,
    /// Population municipale (persons).
    pub population: f64,
    /// Population standardised by age-specific consumption (persons).
    pub standardised_population: f64,
    /// APL counting all GPs, consultations a year per standardised inhabitant.
    pub apl_all_gps: f64,
    /// APL counting GPs under 65.
    pub apl_gps_under_65: f64,
}

/// `apl-communes-2021.csv`, mapped onto `communes.csv`.
#[derive(Debug, Clone, Default)]
pub struct ObservedApl {
    /// One row per commune of `communes.csv` that the file covers, in file order.
    pub communes: Vec<AplCommune>,
    /// Rows skipped: codes absent from `communes.csv` (merged since 2021).
    pub skipped_absent: usize,
    /// Population of those rows.
    pub skipped_absent_population: f64,
    /// Rows skipped: communes without published values.
    pub skipped_unpublished: usize,
}

/// The commune of `communes.csv` holding a municipal arrondissement, if `code` is one.
fn city_of(code: &str) -> Option<&'static str> {
    match code {
        c if c.starts_with("751") && c != "75056" => Some("75056"),
        c if c.starts_with("6938") => Some("69123"),
        c if c.starts_with("132")
            && c.len() == 5
            && c[3..].parse::<u8>().is_ok_and(|n| (1..=16).contains(&n)) =>
        {
            Some("13055")
        }
        _ => None,
    }
}

/// The most an APL may be: ten times the highest published value (29), to catch a
/// misplaced decimal point.
const MAX_APL: f64 = 300.0;

const NUMBERS: [&str; 4] = [
    "population",
    "standardised_population",
    "apl_all_gps",
    "apl_gps_under_65",
];

/// One row's numbers, or `None` when all are empty (not published).
fn numbers(row: &Row) -> Result<Option<[f64; 4]>, DataError> {
    if NUMBERS.iter().all(|c| row.cell(c).is_empty()) {
        return Ok(None);
    }
    Ok(Some([
        row.number("population", 0.0..=1e7)?,
        row.number("standardised_population", 0.0..=1e7)?,
        row.number("apl_all_gps", 0.0..=MAX_APL)?,
        row.number("apl_gps_under_65", 0.0..=MAX_APL)?,
    ]))
}

/// Reads `apl-communes-2021.csv`: codes unique, year 2021, populations and APLs finite and
/// in range (all four empty for an unpublished commune), mapped as the module says.
pub fn load_apl(dir: &Path, communes: &[CommuneRow]) -> Result<ObservedApl, DataError> {
    let table = Table::read(
        &dir.join("apl-communes-2021.csv"),
        &[
            "code_insee",
            "year",
            NUMBERS[0],
            NUMBERS[1],
            NUMBERS[2],
            NUMBERS[3],
        ],
    )?;
    let known: HashMap<&str, ()> = communes
        .iter()
        .map(|c| (c.code_insee.as_str(), ()))
        .collect();
    let mut unique = Unique::new("code_insee");
    let mut out = ObservedApl::default();
    let mut at: HashMap<String, usize> = HashMap::new();
    for row in table.rows() {
        let code = row.text("code_insee")?;
        unique.insert(&row, code.to_string())?;
        row.year("year", 2021..=2021)?;
        let Some([pop, std_pop, all, under_65]) = numbers(&row)? else {
            out.skipped_unpublished += 1;
            continue;
        };
        let target = city_of(code).unwrap_or(code);
        if !known.contains_key(target) {
            out.skipped_absent += 1;
            out.skipped_absent_population += pop;
            continue;
        }
        let i = *at.entry(target.to_string()).or_insert_with(|| {
            out.communes.push(AplCommune {
                code_insee: target.to_string(),
                population: 0.0,
                standardised_population: 0.0,
                apl_all_gps: 0.0,
                apl_gps_under_65: 0.0,
            });
            out.communes.len() - 1
        });
        // Sums of APL × standardised population, divided below (arrondissements add up).
        let c = &mut out.communes[i];
        c.population += pop;
        c.standardised_population += std_pop;
        c.apl_all_gps += all * std_pop;
        c.apl_gps_under_65 += under_65 * std_pop;
    }
    for c in &mut out.communes {
        let w = c.standardised_population;
        let mean = |sum: f64| if w > 0.0 { sum / w } else { 0.0 };
        (c.apl_all_gps, c.apl_gps_under_65) = (mean(c.apl_all_gps), mean(c.apl_gps_under_65));
    }
    if out.communes.is_empty() {
        return Err(table.missing(
            "no row matches a commune of communes.csv",
            "INSEE codes of communes.csv",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::city_of;

    #[test]
    fn arrondissements_belong_to_their_city_and_nothing_else_does() {
        assert_eq!(city_of("75115"), Some("75056"));
        assert_eq!(city_of("69387"), Some("69123"));
        assert_eq!(city_of("13216"), Some("13055"));
        assert_eq!(city_of("13201"), Some("13055"));
        assert_eq!(city_of("75056"), None);
        assert_eq!(city_of("13217"), None);
        assert_eq!(city_of("01001"), None);
    }
}
