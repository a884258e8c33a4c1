//! GP counts in 2018 and the training pipeline.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use serde::Deserialize;

use super::{opt_f64, read_csv};

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

/// Workforce inputs.
#[derive(Debug, Clone)]
pub struct Workforce {
    /// GPs of all modes in 2018 by département (RPPS; metropolitan only).
    pub gps_all_modes_2018: HashMap<String, u32>,
    /// GPs of all modes per 100,000 inhabitants in 2018 by département.
    pub gps_per_100k_2018: HashMap<String, f64>,
    /// The training pipeline, by year.
    pub pipeline: Vec<PipelineRow>,
}

#[derive(Deserialize)]
struct DensityRow {
    departement: String,
    gps_all_modes_2018: u32,
    gps_per_100k_2018: f64,
}

#[derive(Deserialize)]
struct RawPipelineRow {
    year: u16,
    numerus_medicine: String,
    gm_posts_offered: String,
    gm_posts_filled: String,
}

impl Workforce {
    /// Reads `gp-density-2018.csv` and `training-pipeline.csv`.
    pub fn load(dir: &Path) -> Result<Workforce> {
        let density: Vec<DensityRow> = read_csv(&dir.join("gp-density-2018.csv"))?;
        let raw: Vec<RawPipelineRow> = read_csv(&dir.join("training-pipeline.csv"))?;
        let mut pipeline: Vec<PipelineRow> = raw
            .into_iter()
            .map(|r| PipelineRow {
                year: r.year,
                numerus: opt_f64(&r.numerus_medicine),
                gm_posts_offered: opt_f64(&r.gm_posts_offered),
                gm_posts_filled: opt_f64(&r.gm_posts_filled),
            })
            .collect();
        pipeline.sort_by_key(|r| r.year);
        Ok(Workforce {
            gps_per_100k_2018: density
                .iter()
                .map(|r| (r.departement.clone(), r.gps_per_100k_2018))
                .collect(),
            gps_all_modes_2018: density
                .into_iter()
                .map(|r| (r.departement, r.gps_all_modes_2018))
                .collect(),
            pipeline,
        })
    }
}
