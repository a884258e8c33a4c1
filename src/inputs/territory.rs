//! Communes and départements (`communes.csv`, `departements.csv`), checked as they are read.

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;
use std::path::Path;

/// Most people a commune may have: Paris, the largest, has 2.1 million (INSEE 2021); a larger
/// number is a misplaced digit, refused naming communes.csv rather than by the memory guard.
const MAX_COMMUNE_POPULATION: u32 = 5_000_000;

use serde::Deserialize;

use super::check::{DataError, Row, Table, Unique};

/// One row of `communes.csv` (columns not used by the model are skipped).
#[derive(Debug, Clone)]
pub struct CommuneRow {
    /// INSEE commune code (COG 2026).
    pub code_insee: String,
    /// Name.
    pub nom: String,
    /// Département code.
    pub departement: String,
    /// Région code.
    pub region: String,
    /// Population municipale (millésime 2023).
    pub population: u32,
    /// Longitude, degrees WGS84.
    pub lon: f64,
    /// Latitude, degrees WGS84.
    pub lat: f64,
    /// 1 if the commune is in an urban cluster.
    pub urban_cluster: u8,
}

/// One row of `departements.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct DepartementRow {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub nom: String,
    /// Région code.
    pub region_code: String,
    /// Région name.
    pub region_nom: String,
    /// `urban`, `intermediate` or `rural`.
    pub density_class: String,
}

/// The density classes of `departements.csv` (data/README.md).
pub const DENSITY_CLASSES: [&str; 3] = ["urban", "intermediate", "rural"];

/// Longitudes and latitudes (degrees WGS84) where the points of a département may lie:
/// metropolitan France, or one of the five overseas départements; `None` for any other code.
/// Each box is the extent of the communes of data/communes.csv widened by 0.1–0.5°, so a
/// swapped or mistyped coordinate is refused.
fn bounds(departement: &str) -> Option<(RangeInclusive<f64>, RangeInclusive<f64>)> {
    Some(match departement {
        "971" => (-62.0..=-60.9, 15.7..=16.6),   // Guadeloupe
        "972" => (-61.4..=-60.7, 14.3..=15.0),   // Martinique
        "973" => (-54.7..=-51.4, 2.0..=6.0),     // Guyane
        "974" => (55.1..=56.0, -21.5..=-20.7),   // La Réunion
        "976" => (44.9..=45.4, -13.1..=-12.5),   // Mayotte
        d if d.starts_with("97") => return None, // collectivités: not in the data
        _ => (-5.5..=10.0, 41.0..=51.5),         // metropolitan France with Corsica
    })
}

/// Refuses a point of `row` outside the box of its département.
fn check_point(
    row: &Row,
    departement: &str,
    lon: &str,
    lat: &str,
) -> Result<(f64, f64), DataError> {
    let (x, y) = bounds(departement).ok_or_else(|| {
        row.error(
            "departement",
            "a metropolitan département or one of 971, 972, 973, 974, 976",
        )
    })?;
    Ok((row.number(lon, x)?, row.number(lat, y)?))
}

/// Reads `departements.csv` then `communes.csv`: codes unique, every commune in a known
/// département of its région, points inside France, and every département with at least one
/// populated commune (the model places people and GPs in them).
pub(super) fn load(dir: &Path) -> Result<(Vec<CommuneRow>, Vec<DepartementRow>), DataError> {
    // communes.csv first: in a folder that is not a data folder, it is the file to name.
    let commune_table = Table::read(
        &dir.join("communes.csv"),
        &[
            "code_insee",
            "nom",
            "departement",
            "region",
            "population",
            "lon",
            "lat",
            "urban_cluster",
        ],
    )?;
    let table = Table::read(
        &dir.join("departements.csv"),
        &[
            "code",
            "nom",
            "region_code",
            "region_nom",
            "centroid_lon",
            "centroid_lat",
            "rural_pop_share",
            "density_class",
        ],
    )?;
    let mut codes = Unique::new("code");
    let mut departements = Vec::new();
    for row in table.rows() {
        let code = row.text("code")?;
        codes.insert(&row, code)?;
        check_point(&row, code, "centroid_lon", "centroid_lat")?;
        row.share("rural_pop_share")?;
        departements.push(DepartementRow {
            code: code.to_string(),
            nom: row.text("nom")?.to_string(),
            region_code: row.text("region_code")?.to_string(),
            region_nom: row.text("region_nom")?.to_string(),
            density_class: row.one_of("density_class", &DENSITY_CLASSES)?.to_string(),
        });
    }
    let communes = communes(&commune_table, &departements)?;
    let populated: HashSet<&str> = communes
        .iter()
        .filter(|c| c.population > 0)
        .map(|c| c.departement.as_str())
        .collect();
    for row in table.rows() {
        if !populated.contains(row.cell("code")) {
            return Err(row.error(
                "code",
                "a département with at least one commune of population > 0 in communes.csv",
            ));
        }
    }
    Ok((communes, departements))
}

fn communes(table: &Table, departements: &[DepartementRow]) -> Result<Vec<CommuneRow>, DataError> {
    let region_of: HashMap<&str, &str> = departements
        .iter()
        .map(|d| (d.code.as_str(), d.region_code.as_str()))
        .collect();
    let mut codes = Unique::new("code_insee");
    let mut out = Vec::new();
    for row in table.rows() {
        let code = row.text("code_insee")?;
        codes.insert(&row, code)?;
        let departement = row.text("departement")?;
        let region = *region_of
            .get(departement)
            .ok_or_else(|| row.error("departement", "a code of departements.csv"))?;
        if row.cell("region") != region {
            return Err(row.error(
                "region",
                format!("{region}, the région of département {departement} in departements.csv"),
            ));
        }
        let (lon, lat) = check_point(&row, departement, "lon", "lat")?;
        out.push(CommuneRow {
            code_insee: code.to_string(),
            nom: row.text("nom")?.to_string(),
            departement: departement.to_string(),
            region: region.to_string(),
            population: row.whole("population", 0..=MAX_COMMUNE_POPULATION)?,
            lon,
            lat,
            urban_cluster: u8::from(row.one_of("urban_cluster", &["0", "1"])? == "1"),
        });
    }
    Ok(out)
}
