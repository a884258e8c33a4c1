//! The communes of one région in a report: each commune's point on the map and its share of
//! 17+ without an MT every year, from the `communes.csv` of a run written with `--communes`.
//! One région only: all of France would be ≈35,000 communes a year, megabytes a report.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::output::cell;
use crate::tables::cell::Dialect;

/// The commune view of a report.
#[derive(Debug, Clone, Serialize)]
pub struct CommuneView {
    /// The région's INSEE code.
    pub region: String,
    /// The région's départements (to frame the map).
    pub departements: Vec<String>,
    /// Commune names, in the order of every other list.
    pub names: Vec<String>,
    /// Each commune's town hall on the map (outline units: Lambert-93 km, y down).
    pub points: Vec<[f64; 2]>,
    /// People living there in the last year.
    pub population: Vec<f64>,
    /// Share of 17+ without an MT (the model's total: communes.csv's only share), one list
    /// per year of the run, one value per commune (null where no adult is simulated).
    pub share: Vec<Vec<f64>>,
}

impl CommuneView {
    /// The communes of `region` in `dir/communes.csv`, on the run's `years`; `data` gives
    /// their points and the région's départements.
    pub fn load(dir: &Path, data: &Path, region: &str, years: &[u16]) -> Result<CommuneView> {
        let departements = region_departements(data, region)?;
        if departements.is_empty() {
            bail!(
                "--region {region}: no such région in {}",
                data.join("departements.csv").display()
            );
        }
        let points: HashMap<String, [f64; 2]> = crate::inputs::load_commune_points(data)?
            .into_iter()
            .map(|p| (p.code, [p.map_km[0], -p.map_km[1]]))
            .collect();
        let path = dir.join("communes.csv");
        let (dialect, mut r) = cell::reader(&path)?;
        let headers = r.headers()?.clone();
        let col = |name: &str| Dialect::column(&path, &headers, name);
        let at = [
            col("year")?,
            col("commune")?,
            col("commune_name")?,
            col("departement")?,
            col("population")?,
            col("share_without_mt_17plus")?,
        ];
        let mut view = CommuneView {
            region: region.to_string(),
            departements: departements.clone(),
            names: Vec::new(),
            points: Vec::new(),
            population: Vec::new(),
            share: vec![Vec::new(); years.len()],
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, record) in r.records().enumerate() {
            let line = i + 2;
            let record = record.with_context(|| format!("{} line {line}", path.display()))?;
            let cell = |k: usize| record.get(at[k]).unwrap_or("");
            if !departements.iter().any(|d| d == cell(3)) {
                continue;
            }
            let number = |k: usize| -> Result<f64> {
                let v = dialect.parse(cell(k)).with_context(|| {
                    format!("{} line {line}, column {}", path.display(), &headers[at[k]])
                })?;
                Ok(v.unwrap_or(f64::NAN))
            };
            let Some(y) = years
                .iter()
                .position(|&y| f64::from(y) == number(0).unwrap_or(0.0))
            else {
                continue;
            };
            let code = cell(1);
            let c = match index.get(code) {
                Some(&c) => c,
                None => {
                    let Some(&point) = points.get(code) else {
                        continue;
                    };
                    view.names.push(cell(2).to_string());
                    view.points.push(point);
                    view.population.push(0.0);
                    view.share.iter_mut().for_each(|s| s.push(f64::NAN));
                    index.insert(code.to_string(), view.names.len() - 1);
                    view.names.len() - 1
                }
            };
            view.share[y][c] = (number(5)? * 1e4).round() / 1e4;
            view.population[c] = number(4)?;
        }
        Ok(view)
    }
}

/// The départements of a région (`departements.csv` of the data folder).
fn region_departements(data: &Path, region: &str) -> Result<Vec<String>> {
    let path = data.join("departements.csv");
    let mut r = csv::Reader::from_path(&path)
        .with_context(|| format!("cannot open data file {}", path.display()))?;
    let headers = r.headers()?.clone();
    let code = headers.iter().position(|h| h == "code");
    let parent = headers.iter().position(|h| h == "region_code");
    let (Some(code), Some(parent)) = (code, parent) else {
        bail!(
            "data file {}: expected columns code and region_code",
            path.display()
        );
    };
    let mut out = Vec::new();
    for (i, record) in r.records().enumerate() {
        let record = record.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        if record.get(parent) == Some(region) {
            out.extend(record.get(code).map(str::to_string));
        }
    }
    Ok(out)
}
