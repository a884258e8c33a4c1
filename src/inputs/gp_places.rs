//! Where GPs practise: RPPS all-mode GPs by département and year
//! (`gp-departements-2012-2018.csv`) and BPE 2020 liberal GP practice addresses by commune
//! (`gp-liberal-communes-2020.csv`, geography 2021, mapped to the 2026 communes with
//! `commune-mergers-2021-2026.csv`), checked as they are read (data/README.md, "GPs where they
//! practise").

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::RangeInclusive;
use std::path::Path;

use super::check::{DataError, Table, Unique};
use super::{CommuneRow, DepartementRow};

/// The start years the data supports: every metropolitan département has its RPPS count for
/// each of them (the scenario registry bounds `start_year` to the same years).
pub const START_YEARS: RangeInclusive<u16> = 2014..=2018;

/// The year of the RPPS count each département's liberal share is taken against: the last
/// year of the RPPS file, the nearest to the BPE 2020 addresses.
pub const LIBERAL_SHARE_RPPS_YEAR: u16 = 2018;

/// Years the RPPS file covers.
const RPPS_YEARS: RangeInclusive<u16> = 2012..=2018;

/// The most liberal GP addresses one commune may hold: Paris has ≈2,500; ten thousand is a
/// misplaced digit.
const MAX_ADDRESSES: u32 = 10_000;

/// GPs by département and by commune.
#[derive(Debug, Clone)]
pub struct GpPlaces {
    /// RPPS GPs of all modes on 1 January, by (département, year).
    all_modes: HashMap<(String, u16), u32>,
    /// BPE 2020 liberal GP practice addresses by 2026 commune code, metropolitan communes
    /// with at least one address (communes merged since 2021 summed into their 2026 commune).
    pub liberal_addresses: BTreeMap<String, u32>,
}

impl GpPlaces {
    /// RPPS GPs of all modes in département `code` on 1 January `year` (`None` outside the
    /// file: overseas départements have rows, a year before 2012 has none).
    pub fn all_modes(&self, code: &str, year: u16) -> Option<u32> {
        self.all_modes.get(&(code.to_string(), year)).copied()
    }

    /// Reads the three files; `communes` and `departements` are those of communes.csv and
    /// departements.csv.
    pub(super) fn load(
        dir: &Path,
        communes: &[CommuneRow],
        departements: &[DepartementRow],
    ) -> Result<GpPlaces, DataError> {
        let all_modes = rpps(&dir.join("gp-departements-2012-2018.csv"), departements)?;
        let departement_of: HashMap<&str, &str> = communes
            .iter()
            .map(|c| (c.code_insee.as_str(), c.departement.as_str()))
            .collect();
        let mergers = mergers(&dir.join("commune-mergers-2021-2026.csv"), &departement_of)?;
        let table = Table::read(
            &dir.join("gp-liberal-communes-2020.csv"),
            &["code_insee", "nom", "year", "liberal_gps"],
        )?;
        let mut codes = Unique::new("code_insee");
        let mut liberal_addresses = BTreeMap::new();
        for row in table.rows() {
            let code = row.text("code_insee")?;
            codes.insert(&row, code)?;
            row.one_of("year", &["2020"])?;
            let n: u32 = row.whole("liberal_gps", 0..=MAX_ADDRESSES)?;
            let now = match mergers.get(code) {
                Some(&merged) => merged,
                None if departement_of.contains_key(code) => code,
                None => {
                    return Err(row.error(
                        "code_insee",
                        "a commune code of communes.csv or a code_2021 of \
                         commune-mergers-2021-2026.csv",
                    ));
                }
            };
            // Overseas rows are valid input, but the model simulates metropolitan France.
            if n > 0 && !departement_of[now].starts_with("97") {
                *liberal_addresses.entry(now.to_string()).or_insert(0) += n;
            }
        }
        Ok(GpPlaces {
            all_modes,
            liberal_addresses,
        })
    }
}

/// `gp-departements-2012-2018.csv`: each (département, year) once; every metropolitan
/// département has every start year.
fn rpps(
    path: &Path,
    departements: &[DepartementRow],
) -> Result<HashMap<(String, u16), u32>, DataError> {
    let table = Table::read(path, &["departement", "year", "gps_all_modes"])?;
    let known: HashSet<&str> = departements.iter().map(|d| d.code.as_str()).collect();
    let mut keys = Unique::new("departement");
    let mut out = HashMap::new();
    for row in table.rows() {
        let d = row.text("departement")?;
        if !known.contains(d) {
            return Err(row.error("departement", "a code of departements.csv"));
        }
        let year = row.year("year", RPPS_YEARS)?;
        keys.insert(&row, (d, year))?;
        out.insert((d.to_string(), year), row.count("gps_all_modes")?);
    }
    for d in departements.iter().filter(|d| !d.code.starts_with("97")) {
        let mut years = START_YEARS;
        if let Some(year) = years.find(|&y| !out.contains_key(&(d.code.clone(), y))) {
            return Err(table.missing(
                format!("no {year} row for département {}", d.code),
                format!(
                    "the years {}–{} for every metropolitan département of departements.csv",
                    START_YEARS.start(),
                    START_YEARS.end()
                ),
            ));
        }
    }
    Ok(out)
}

/// `commune-mergers-2021-2026.csv`: 2021 code → 2026 code; each 2021 code once and no longer
/// a commune, each 2026 code a commune of communes.csv.
fn mergers<'a>(
    path: &Path,
    departement_of: &HashMap<&'a str, &str>,
) -> Result<HashMap<String, &'a str>, DataError> {
    let table = Table::read(path, &["code_2021", "nom_2021", "code_2026", "nom_2026"])?;
    let mut keys = Unique::new("code_2021");
    let mut out = HashMap::new();
    for row in table.rows() {
        let old = row.text("code_2021")?;
        keys.insert(&row, old)?;
        if departement_of.contains_key(old) {
            return Err(row.error(
                "code_2021",
                "a code absent from communes.csv (a commune merged since 2021)",
            ));
        }
        let new = row.text("code_2026")?;
        let (&now, _) = departement_of
            .get_key_value(new)
            .ok_or_else(|| row.error("code_2026", "a commune code of communes.csv"))?;
        out.insert(old.to_string(), now);
    }
    Ok(out)
}
