//! What a report shows, read from a run folder into one JSON document (the page's data):
//! numbers and names only; the page words them in its language.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::commune_data::CommuneView;
use super::outlines::MapOutlines;
use crate::output::cell;
use crate::output::run_data::{RunData, Series};
use crate::tables::cell::Dialect;

/// The headline indicator: the share of people 17+ without an MT as CNAM counts it
/// (docs/outputs.md), which the observed points are comparable with.
pub const HEADLINE: &str = "share_without_mt_17plus_cnam";

/// Columns of national.csv the page draws or tabulates.
pub const NATIONAL_COLUMNS: [&str; 14] = [
    "population",
    "gps",
    "gps_per_100k",
    "share_without_mt_17plus",
    HEADLINE,
    "share_without_mt_17plus_never_declared",
    "share_without_mt_17plus_no_gp_with_room_in_reach",
    "share_without_mt_17plus_gp_retired",
    "share_without_mt_17plus_gp_left",
    "share_without_mt_17plus_gp_reduced_activity",
    "share_without_mt_17plus_moved",
    "patients_without_mt_17plus",
    "msp_count",
    "apl_mean",
];

/// Columns of departements.csv the map and its table show.
pub const UNIT_COLUMNS: [&str; 5] = [
    "population",
    "gps_per_100k",
    "share_without_mt_17plus",
    HEADLINE,
    "apl_mean",
];

/// Facts about the run the page prints under its title.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Facts {
    /// Scenario name.
    pub scenario: String,
    /// Scenario title in French and English, when the scenario has one.
    pub title: Option<crate::scenario::Title>,
    /// Seed of the (first) run.
    pub seed: Option<u64>,
    /// People per patient agent.
    pub persons_per_agent: Option<u64>,
    /// Runs summarised (seeds × parameter sets).
    pub runs: Option<u64>,
    /// medesert's version that wrote the folder.
    pub version: Option<String>,
    /// Data attribution.
    pub sources: Option<String>,
}

/// The 5–95 % band of the runs around their mean, per year.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    /// Mean over the runs.
    pub mean: Vec<f64>,
    /// 5th percentile.
    pub lo: Vec<f64>,
    /// 95th percentile.
    pub hi: Vec<f64>,
}

/// One département (or région) of the run: its name and its series.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Name.
    pub name: String,
    /// [`UNIT_COLUMNS`], one value per year (NaN, written null, where undefined).
    pub series: BTreeMap<&'static str, Vec<f64>>,
}

/// The data of a run's report.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// About the run.
    pub facts: Facts,
    /// Simulated years.
    pub years: Vec<u16>,
    /// [`NATIONAL_COLUMNS`] of the simulated territory.
    pub national: BTreeMap<&'static str, Vec<f64>>,
    /// Band of the headline over the runs (with `--replicates` or `--ensemble`).
    pub band: Option<Band>,
    /// Observed (year, share) of CNAM, for a run of all metropolitan France only.
    pub observed: Vec<(u16, f64)>,
    /// The simulated départements by code.
    pub departements: BTreeMap<String, Unit>,
    /// The simulated régions by code.
    pub regions: BTreeMap<String, Unit>,
    /// Outlines of every metropolitan département.
    pub outlines: MapOutlines,
    /// The communes of one région (a run written with `--communes`).
    pub communes: Option<CommuneView>,
}

/// Metropolitan départements: a run with all of them is a run of France, whose curve the
/// national observed points belong on.
const METROPOLITAN_DEPARTEMENTS: usize = 96;

impl RunReport {
    /// Reads a run folder written by `medesert run`; `data` gives the outlines and CNAM's
    /// observed points. The communes of `region` (by default the run's own région, if it
    /// reports one) are added when the run wrote communes.csv.
    pub fn load(dir: &Path, data: &Path, region: Option<&str>) -> Result<RunReport> {
        let run = RunData::load(dir)?;
        let facts = facts(dir, &run)?;
        let national = columns(&run.national, &NATIONAL_COLUMNS);
        let units = |u: &BTreeMap<String, Series>, names: &BTreeMap<String, String>| {
            u.iter()
                .map(|(code, s)| {
                    let name = names.get(code).cloned().unwrap_or_else(|| code.clone());
                    let series = columns(s, &UNIT_COLUMNS);
                    (code.clone(), Unit { name, series })
                })
                .collect::<BTreeMap<_, _>>()
        };
        let departements = units(&run.departements, &run.departement_names);
        let regions = units(&run.regions, &run.region_names);
        let band = read_band(&dir.join("national_summary.csv"), &run.years)?;
        let observed = if departements.len() >= METROPOLITAN_DEPARTEMENTS {
            observed_points(data)?
        } else {
            Vec::new()
        };
        let shapes = crate::inputs::Shapes::load(data)
            .context("cannot load the outlines of the report's map")?;
        let communes = commune_view(dir, data, region, &run)?;
        Ok(RunReport {
            facts,
            years: run.years,
            national,
            band,
            observed,
            departements,
            regions,
            outlines: MapOutlines::of(&shapes),
            communes,
        })
    }
}

/// The communes of the région asked for (or of the run's only région), if communes.csv is
/// there; a région asked for that the run has no communes of is refused.
fn commune_view(
    dir: &Path,
    data: &Path,
    region: Option<&str>,
    run: &RunData,
) -> Result<Option<CommuneView>> {
    let written = dir.join("communes.csv").exists();
    let region = match (region, run.regions.keys().next()) {
        (Some(r), _) if !written => anyhow::bail!(
            "--region {r}: {} has no communes.csv (run the scenario with --communes)",
            dir.display()
        ),
        (Some(r), _) if !run.regions.contains_key(r) => anyhow::bail!(
            "--region {r}: not a région of the run in {} (it reports {})",
            dir.display(),
            run.regions.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
        (Some(r), _) => r,
        (None, Some(r)) if written && run.regions.len() == 1 => r.as_str(),
        _ => return Ok(None),
    };
    CommuneView::load(dir, data, region, &run.years).map(Some)
}

/// The given columns of a table, rounded to 6 significant decimals (the CSV's own precision).
fn columns(series: &Series, names: &[&'static str]) -> BTreeMap<&'static str, Vec<f64>> {
    names
        .iter()
        .filter_map(|&c| {
            series
                .get(c)
                .map(|v| (c, v.iter().map(|&x| round(x)).collect()))
        })
        .collect()
}

/// `x` rounded to 6 decimals (shares are written with 6; counts are integers).
pub fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The run's facts from manifest.json (RunData checked that it exists and is JSON).
fn facts(dir: &Path, run: &RunData) -> Result<Facts> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", path.display()))?;
    Ok(Facts {
        scenario: run.name.clone(),
        title: run.title.clone(),
        seed: json["seed"].as_u64(),
        persons_per_agent: json["persons_per_agent"].as_u64(),
        runs: json["runs"].as_u64(),
        version: json["version"].as_str().map(str::to_string),
        sources: json["sources"].as_str().map(str::to_string),
    })
}

/// The headline's mean and 5–95 % band from `national_summary.csv`, if the run has one.
fn read_band(path: &Path, years: &[u16]) -> Result<Option<Band>> {
    if !path.exists() {
        return Ok(None);
    }
    let (dialect, mut r) = cell::reader(path)?;
    let headers = r.headers()?.clone();
    let col = |name: &str| Dialect::column(path, &headers, name);
    let (year, indicator) = (col("year")?, col("indicator")?);
    let (mean, p5, p95) = (col("mean")?, col("p5")?, col("p95")?);
    let n = years.len();
    let mut band = Band {
        mean: vec![f64::NAN; n],
        lo: vec![f64::NAN; n],
        hi: vec![f64::NAN; n],
    };
    for (i, record) in r.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{} line {line}", path.display()))?;
        if record.get(indicator) != Some(HEADLINE) {
            continue;
        }
        let number = |k: usize| -> Result<f64> {
            let cell = record.get(k).unwrap_or("");
            let v = dialect
                .parse(cell)
                .with_context(|| format!("{} line {line}", path.display()))?;
            Ok(v.unwrap_or(f64::NAN))
        };
        let y = number(year)?;
        let Some(k) = years.iter().position(|&v| f64::from(v) == y) else {
            continue;
        };
        band.mean[k] = round(number(mean)?);
        band.lo[k] = round(number(p5)?);
        band.hi[k] = round(number(p95)?);
    }
    Ok(Some(band))
}

/// CNAM's observed shares of 17+ without an MT (`calibration-targets.csv` of the data folder;
/// none if the file is absent, as the run's own chart does).
fn observed_points(data: &Path) -> Result<Vec<(u16, f64)>> {
    let path = data.join("calibration-targets.csv");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let targets = crate::validation::read_targets(&path)?;
    Ok(crate::validation::observed_points(
        &targets,
        "share_without_mt_17plus",
    ))
}
