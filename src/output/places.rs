//! Names and positions of the simulated communes and the départements' outlines, for tables
//! and maps made outside the model (the model keeps only codes and kilometres).

use std::collections::HashMap;

use anyhow::{Result, bail};

use crate::inputs::{CommuneRow, Shapes};
use crate::model::Communes;

/// A commune's name and position (data/communes.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Name (COG 2026).
    pub name: String,
    /// Longitude, degrees WGS84.
    pub lon: f64,
    /// Latitude, degrees WGS84.
    pub lat: f64,
}

/// One [`Place`] per simulated commune, in the order of `Communes::communes`, and the
/// outlines of the départements.
#[derive(Debug, Clone)]
pub struct Places {
    /// The places, aligned with the simulated communes.
    pub communes: Vec<Place>,
    /// Département outlines (data/departements-shapes.json).
    pub outlines: Shapes,
}

impl Places {
    /// Looks the simulated communes up by INSEE code in the rows of data/communes.csv.
    pub fn new(rows: &[CommuneRow], communes: &Communes, outlines: Shapes) -> Result<Places> {
        let by_code: HashMap<&str, &CommuneRow> =
            rows.iter().map(|r| (r.code_insee.as_str(), r)).collect();
        let mut places = Vec::with_capacity(communes.communes.len());
        for c in &communes.communes {
            let Some(row) = by_code.get(c.code.as_str()) else {
                bail!(
                    "commune {} of the simulated territory is not in data/communes.csv",
                    c.code
                );
            };
            places.push(Place {
                name: row.nom.clone(),
                lon: row.lon,
                lat: row.lat,
            });
        }
        Ok(Places {
            communes: places,
            outlines,
        })
    }

    /// The name of simulated commune `i` (empty when unknown).
    pub fn name(&self, i: usize) -> &str {
        self.communes.get(i).map_or("", |p| p.name.as_str())
    }
}
