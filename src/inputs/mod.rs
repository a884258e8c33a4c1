//! Data files under `data/` → plain tables (no ECS), read once at start-up.
//!
//! Every file is checked as it is read, with the vocabulary of `check`: columns, types,
//! finite numbers, ranges, unique keys, codes that exist, and rows the model needs (every
//! département with communes and population by age). A refusal names the file, the line, the
//! column, the value and what was expected. The program never reads `../shared`.

mod check;
mod commune_points;
mod demography;
mod faculties;
mod gp_places;
mod observed;
mod places;
mod shapes;
mod territory;
mod workforce;

pub use check::DataError;
pub use commune_points::{CommunePoint, load_commune_points};
pub use demography::{AGE_BANDS, AgeBand, Demography, FERTILITY_BANDS, FertilityBand};
pub use faculties::FacultyRow;
pub use gp_places::{GpPlaces, LIBERAL_SHARE_RPPS_YEAR, START_YEARS};
pub use observed::{AplCommune, ObservedApl, load_apl};
pub use places::{COLUMNS as PLACES_COLUMNS, FILE as PLACES_FILE, PlaceConstants};
pub use shapes::{Ring, Shapes};
pub use territory::{CommuneRow, DENSITY_CLASSES, DepartementRow};
pub use workforce::{GP_DENSITY_YEAR, PipelineRow, Workforce};

use std::path::Path;

use anyhow::{Context, Result, bail};
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
    /// GPs by département and year (RPPS) and liberal GP addresses by commune (BPE 2020).
    pub gp_places: GpPlaces,
    /// `faculties.csv`: the 26 metropolitan subdivisions of the 3rd cycle (faculty towns).
    pub faculties: Vec<FacultyRow>,
    /// `place-attractiveness.csv`: each département's constant in the installation logit.
    pub places: PlaceConstants,
}

impl Inputs {
    /// Reads and checks every data file the model uses from `dir`.
    pub fn load(dir: &Path) -> Result<Inputs> {
        data_folder(dir)?;
        let (communes, departements) = territory::load(dir)?;
        Ok(Inputs {
            demography: Demography::load(dir, &departements)?,
            workforce: Workforce::load(dir, &departements)?,
            gp_places: GpPlaces::load(dir, &communes, &departements)?,
            faculties: faculties::load(&dir.join("faculties.csv"), &communes, &departements)?,
            places: places::load(&dir.join(places::FILE), &departements)?,
            communes,
            departements,
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

/// Refuses a data folder that does not exist, pointing at `--data` (the default, `data/`, is
/// relative to the working directory, so a run outside the repository lands here).
pub fn data_folder(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        bail!(
            "data folder {:?} not found: run from the repository root, or pass --data DIR \
             (the folder holding communes.csv, departements.csv, ...)",
            dir.display()
        );
    }
    Ok(())
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
