//! Communes and départements.

use serde::Deserialize;

/// One row of `communes.csv` (columns not used by the model are skipped).
#[derive(Debug, Clone, Deserialize)]
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
