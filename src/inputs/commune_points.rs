//! The communes' points in the frame of the département outlines (`map_x_km`, `map_y_km` of
//! `communes.csv`), for commune maps: the model itself reads longitudes and latitudes.

use std::path::Path;

use super::check::{DataError, Table, Unique};

/// A commune's code, département and point on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunePoint {
    /// INSEE commune code (COG 2026).
    pub code: String,
    /// Département code.
    pub departement: String,
    /// The town hall (or the point data/README.md names) in the frame of
    /// `departements-shapes.json`: Lambert-93 km in metropolitan France, inset km overseas.
    pub map_km: [f64; 2],
}

/// Where map points may lie, km: the frame of `departements-shapes.json` (metropolitan
/// Lambert-93 spans x 99–1243, y 6046–7111; the insets sit in the south-west corner) widened
/// so that only a swapped or mistyped coordinate is refused.
const X_KM: std::ops::RangeInclusive<f64> = -500.0..=2000.0;
const Y_KM: std::ops::RangeInclusive<f64> = 5500.0..=7700.0;

/// Reads the map points of `communes.csv` in `dir`: codes unique, coordinates finite and in
/// the frame of the outlines.
pub fn load_commune_points(dir: &Path) -> Result<Vec<CommunePoint>, DataError> {
    let table = Table::read(
        &dir.join("communes.csv"),
        &["code_insee", "departement", "map_x_km", "map_y_km"],
    )?;
    let mut codes = Unique::new("code_insee");
    let mut out = Vec::new();
    for row in table.rows() {
        let code = row.text("code_insee")?;
        codes.insert(&row, code)?;
        out.push(CommunePoint {
            code: code.to_string(),
            departement: row.text("departement")?.to_string(),
            map_km: [row.number("map_x_km", X_KM)?, row.number("map_y_km", Y_KM)?],
        });
    }
    Ok(out)
}
