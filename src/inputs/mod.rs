//! Data files under `data/` → plain tables (no ECS), read once at start-up.
//!
//! Every reader names the file and the line of a bad record; a missing file is an error that
//! names it. The program never reads `../shared`.

mod demography;
mod shapes;
mod territory;
mod workforce;

pub use demography::{AGE_BANDS, AgeBand, Demography, FERTILITY_BANDS, FertilityBand};
pub use shapes::{Ring, Shapes};
pub use territory::{CommuneRow, DepartementRow};
pub use workforce::{PipelineRow, Workforce};

use std::path::Path;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

/// Everything the model reads from `data/`.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// `communes.csv`: every commune of metropolitan France and the five DOM.
    pub communes: Vec<CommuneRow>,
    /// `departements.csv`.
    pub departements: Vec<DepartementRow>,
    /// Births, deaths, ages.
    pub demography: Demography,
    /// GPs in 2018 and the training pipeline.
    pub workforce: Workforce,
}

impl Inputs {
    /// Reads every data file the model uses from `dir`.
    pub fn load(dir: &Path) -> Result<Inputs> {
        Ok(Inputs {
            communes: read_csv(&dir.join("communes.csv"))?,
            departements: read_csv(&dir.join("departements.csv"))?,
            demography: Demography::load(dir)?,
            workforce: Workforce::load(dir)?,
        })
    }
}

impl Inputs {
    /// Population of the communes (populations légales 2023): (metropolitan France, France
    /// with its five overseas départements).
    pub fn population(&self) -> (f64, f64) {
        self.communes.iter().fold((0.0, 0.0), |(m, f), c| {
            let p = c.population as f64;
            (
                m + p * f64::from(u8::from(!c.departement.starts_with("97"))),
                f + p,
            )
        })
    }
}

/// Reads a whole CSV file into typed rows; errors name the file and the record.
pub fn read_csv<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let mut reader = csv::Reader::from_path(path)
        .with_context(|| format!("cannot open data file {}", path.display()))?;
    let mut rows = Vec::new();
    for (i, record) in reader.deserialize().enumerate() {
        let row = record.with_context(|| {
            format!(
                "data file {}: bad record {} (line {})",
                path.display(),
                i + 1,
                i + 2
            )
        })?;
        rows.push(row);
    }
    Ok(rows)
}

/// Parses an optional number from a CSV cell that may be empty.
pub(crate) fn opt_f64(cell: &str) -> Option<f64> {
    let t = cell.trim();
    if t.is_empty() { None } else { t.parse().ok() }
}
