//! GP counts in 2018 and the training pipeline, checked as they are read.

use std::collections::HashMap;
use std::path::Path;

use super::DepartementRow;
use super::check::{DataError, Table, Unique};

/// One year of `training-pipeline.csv`; empty cells are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineRow {
    /// Year of intake (numerus) and of the ranking exam (posts).
    pub year: u16,
    /// Medical-school intake (numerus clausus / apertus).
    pub numerus: Option<f64>,
    /// General-medicine posts offered at the ranking exam.
    pub gm_posts_offered: Option<f64>,
    /// General-medicine posts filled.
    pub gm_posts_filled: Option<f64>,
}

/// Year of the GP densities by département (`data/gp-density-2018.csv`).
pub const GP_DENSITY_YEAR: u16 = 2018;

/// Workforce inputs.
#[derive(Debug, Clone)]
pub struct Workforce {
    /// GPs of all modes in 2018 by département (RPPS; metropolitan only).
    pub gps_all_modes_2018: HashMap<String, u32>,
    /// GPs of all modes per 100,000 inhabitants in [`GP_DENSITY_YEAR`] by département.
    pub gps_per_100k_2018: HashMap<String, f64>,
    /// The training pipeline, by year.
    pub pipeline: Vec<PipelineRow>,
}

/// The most a yearly intake or number of posts may be: ten times the largest figure ever
/// announced (16,000 for 2027), to catch a misplaced digit.
const MAX_PER_YEAR: f64 = 160_000.0;

impl Workforce {
    /// Reads `gp-density-2018.csv` (each département of `departements` at most once) and
    /// `training-pipeline.csv` (each year once; intakes and posts ≥ 0, empty where unknown).
    pub fn load(dir: &Path, departements: &[DepartementRow]) -> Result<Workforce, DataError> {
        let density = Table::read(
            &dir.join("gp-density-2018.csv"),
            &["departement", "gps_all_modes_2018", "gps_per_100k_2018"],
        )?;
        let mut codes = Unique::new("departement");
        let (mut gps_all_modes_2018, mut gps_per_100k_2018) = (HashMap::new(), HashMap::new());
        for row in density.rows() {
            let d = row.text("departement")?;
            if !departements.iter().any(|x| x.code == d) {
                return Err(row.error("departement", "a code of departements.csv"));
            }
            codes.insert(&row, d)?;
            gps_all_modes_2018.insert(d.to_string(), row.count("gps_all_modes_2018")?);
            // 100,000 per 100,000: everyone a GP, the bound of a density.
            gps_per_100k_2018.insert(
                d.to_string(),
                row.number("gps_per_100k_2018", 0.0..=100_000.0)?,
            );
        }
        // Every metropolitan département is simulated with its 2018 GPs: one missing is a cut
        // file, not an overseas département.
        if let Some(d) = departements
            .iter()
            .find(|d| !d.code.starts_with("97") && !gps_all_modes_2018.contains_key(&d.code))
        {
            return Err(density.missing(
                format!("no row for département {} ({})", d.code, d.nom),
                "a row for every metropolitan département of departements.csv",
            ));
        }
        let table = Table::read(
            &dir.join("training-pipeline.csv"),
            &[
                "year",
                "numerus_medicine",
                "gm_posts_offered",
                "gm_posts_filled",
            ],
        )?;
        let mut years = Unique::new("year");
        let mut pipeline = Vec::new();
        for row in table.rows() {
            let year = row.year("year", 1900..=2100)?;
            years.insert(&row, year)?;
            pipeline.push(PipelineRow {
                year,
                numerus: row.optional_number("numerus_medicine", 0.0..=MAX_PER_YEAR)?,
                gm_posts_offered: row.optional_number("gm_posts_offered", 0.0..=MAX_PER_YEAR)?,
                gm_posts_filled: row.optional_number("gm_posts_filled", 0.0..=MAX_PER_YEAR)?,
            });
        }
        pipeline.sort_by_key(|r| r.year);
        Ok(Workforce {
            gps_all_modes_2018,
            gps_per_100k_2018,
            pipeline,
        })
    }
}
