//! Calibration files (TOML): the scenario, the uncertain parameters with their priors, the
//! targets with their errors, and the settings of history matching. Everything is checked
//! before any run; every error names the file and the field.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};

use super::history::{Settings, Target};
use crate::scenario::{self, Scenario, registry};
use crate::tables::COLUMNS;

/// A calibration file as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationFile {
    /// Name (default output folder `outputs/calibrations/<name>/`).
    pub name: String,
    /// The scenario calibrated, relative to this file.
    pub scenario: PathBuf,
    /// Observed targets looked up by `output` and `year` when a target has no `observed`,
    /// relative to this file.
    pub targets_file: Option<PathBuf>,
    /// Waves of history matching.
    #[serde(default = "defaults::waves")]
    pub waves: usize,
    /// Parameter sets run in each wave.
    #[serde(default = "defaults::points_per_wave")]
    pub points_per_wave: usize,
    /// Runs of each set (seeds seed, seed + 1, …): at least 2, to measure the run-to-run
    /// variance.
    #[serde(default = "defaults::replicates")]
    pub replicates: u32,
    /// Implausibility cut-off.
    #[serde(default = "defaults::cutoff")]
    pub cutoff: f64,
    /// Candidates screened by the emulators to design a wave.
    #[serde(default = "defaults::candidates")]
    pub candidates: usize,
    /// Seed of the designs (the runs use the scenario's seed).
    #[serde(default)]
    pub seed: u64,
    /// The uncertain parameters.
    #[serde(rename = "parameter")]
    pub parameters: Vec<PriorSpec>,
    /// The targets.
    #[serde(rename = "target")]
    pub targets: Vec<TargetSpec>,
}

mod defaults {
    pub fn waves() -> usize {
        3
    }
    pub fn points_per_wave() -> usize {
        40
    }
    pub fn replicates() -> u32 {
        3
    }
    pub fn cutoff() -> f64 {
        3.0
    }
    pub fn candidates() -> usize {
        20_000
    }
}

/// An uncertain parameter: uniform prior over [min, max].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorSpec {
    /// Dotted parameter name (`medesert params`).
    pub name: String,
    /// Lowest value (default: the low end of its documented plausible range).
    pub min: Option<f64>,
    /// Highest value (default: the high end of its documented plausible range).
    pub max: Option<f64>,
}

/// A target as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// A column of national.csv.
    pub output: String,
    /// Year of the value (or the end of the change).
    pub year: u16,
    /// For a trend target: the start of the change, value(year) − value(change_from).
    pub change_from: Option<u16>,
    /// Observed value (default: the targets file's row for `indicator` and `year`).
    pub observed: Option<f64>,
    /// The targets file's indicator, when its name differs from `output`.
    pub indicator: Option<String>,
    /// A département's INSEE code: the target is that département's row of departements.csv
    /// (the national row otherwise). Its `observed` value must be given: the targets file is
    /// national.
    pub departement: Option<String>,
    /// Standard deviation of the observation error (> 0).
    pub sd: f64,
    /// Standard deviation of the model discrepancy (default: `sd`, an assumption: the model's
    /// structural error is as large as the measurement's).
    pub discrepancy_sd: Option<f64>,
    /// Where the observation comes from.
    #[serde(default)]
    pub source: String,
}

/// A checked calibration.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The file as written.
    pub file: CalibrationFile,
    /// Its path.
    pub path: PathBuf,
    /// The scenario's path.
    pub scenario_path: PathBuf,
    /// The scenario, typed.
    pub scenario: Scenario,
    /// (name, low, high) of every parameter.
    pub priors: Vec<(String, f64, f64)>,
    /// The targets, with their observations.
    pub targets: Vec<Target>,
    /// How each target is read from a run.
    pub reads: Vec<Read>,
}

/// How a target is read from a run's national.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The column.
    pub column: String,
    /// The year of the value (or the end of the change).
    pub year: u16,
    /// The start of a change, for a trend target.
    pub change_from: Option<u16>,
}

impl Calibration {
    /// The settings of history matching.
    pub fn settings(&self) -> Settings {
        Settings {
            points_per_wave: self.file.points_per_wave,
            cutoff: self.file.cutoff,
            candidates: self.file.candidates,
            seed: self.file.seed,
        }
    }

    /// Columns of national.csv the runs keep.
    pub fn outputs(&self) -> Vec<String> {
        let mut v: Vec<String> = self.reads.iter().map(|r| r.column.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Years the runs keep.
    pub fn years(&self) -> Vec<u16> {
        let mut v: Vec<u16> = self
            .reads
            .iter()
            .flat_map(|r| std::iter::once(r.year).chain(r.change_from))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// A parameter value from the unit cube.
    pub fn scale(&self, i: usize, u: f64) -> f64 {
        let (_, lo, hi) = &self.priors[i];
        lo + (hi - lo) * u
    }
}

/// Most runs a calibration may ask for (waves × sets × replicates).
pub const MAX_RUNS: usize = 100_000;

/// Reads and checks a calibration file.
pub fn load(path: &Path) -> Result<Calibration> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read calibration file {}", path.display()))?;
    let file: CalibrationFile =
        toml::from_str(&text).map_err(|e| anyhow!("calibration file {}: {e}", path.display()))?;
    let err = |msg: String| anyhow!("calibration file {}: {msg}", path.display());
    check_settings(&file).map_err(err)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let scenario_path = dir.join(&file.scenario);
    let scenario = scenario::load(&scenario_path, &[])
        .with_context(|| format!("calibration file {}: `scenario`", path.display()))?;
    let priors = file
        .parameters
        .iter()
        .map(prior)
        .collect::<Result<Vec<_>, String>>()
        .map_err(err)?;
    let observed = match &file.targets_file {
        Some(f) => Some(crate::validation::read_targets(&dir.join(f))?),
        None => None,
    };
    let mut targets = Vec::new();
    let mut reads = Vec::new();
    for (k, t) in file.targets.iter().enumerate() {
        let (target, read) = target(t, &scenario, observed.as_deref())
            .map_err(|m| err(format!("target {}: {m}", k + 1)))?;
        targets.push(target);
        reads.push(read);
    }
    Ok(Calibration {
        file,
        path: path.to_path_buf(),
        scenario_path,
        scenario,
        priors,
        targets,
        reads,
    })
}

fn check_settings(f: &CalibrationFile) -> Result<(), String> {
    if !scenario::is_plain_name(&f.name) {
        return Err(format!(
            "`name` = {:?}: expected letters, digits, '-', '_' or '.', not starting with '.' \
             (it names the output folder)",
            f.name
        ));
    }
    if !(1..=20).contains(&f.waves) {
        return Err(format!("`waves` = {}: expected 1 to 20", f.waves));
    }
    if f.points_per_wave < 10 {
        return Err(format!(
            "`points_per_wave` = {}: expected at least 10 (the emulators need points)",
            f.points_per_wave
        ));
    }
    if f.replicates < 2 {
        return Err(format!(
            "`replicates` = {}: expected at least 2 (the run-to-run variance enters the \
             implausibility)",
            f.replicates
        ));
    }
    let runs = f.waves * f.points_per_wave * f.replicates as usize;
    if runs > MAX_RUNS {
        return Err(format!(
            "{runs} runs (waves × points_per_wave × replicates): more than {MAX_RUNS}"
        ));
    }
    if !(f.cutoff.is_finite() && f.cutoff > 0.0) {
        return Err(format!(
            "`cutoff` = {}: expected a positive number (3 is usual)",
            f.cutoff
        ));
    }
    if !(100..=10_000_000).contains(&f.candidates) {
        return Err(format!(
            "`candidates` = {}: expected 100 to 10,000,000",
            f.candidates
        ));
    }
    if f.parameters.is_empty() {
        return Err("no [[parameter]]: name at least one uncertain parameter".into());
    }
    let names = f.parameters.iter().map(|p| p.name.as_str());
    if let Some((a, b, name)) = crate::experiment::design::repeated(names) {
        return Err(format!(
            "[[parameter]] {name:?} is given twice (the {} and the {} [[parameter]]): give each \
             uncertain parameter once",
            ordinal(a + 1),
            ordinal(b + 1)
        ));
    }
    if f.targets.is_empty() {
        return Err("no [[target]]: give at least one observed target".into());
    }
    Ok(())
}

/// "1st", "2nd", "3rd", "4th", … for messages.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// (name, low, high) of a prior: its bounds, or its parameter's plausible range.
fn prior(p: &PriorSpec) -> Result<(String, f64, f64), String> {
    let param = registry::find(&p.name).ok_or_else(|| {
        format!(
            "parameter {:?} is not a scenario parameter (`medesert params` lists them)",
            p.name
        )
    })?;
    let (lo, hi) = match (p.min, p.max, param.interval()) {
        (Some(lo), Some(hi), _) => (lo, hi),
        (lo, hi, Some((rlo, rhi))) => (lo.unwrap_or(rlo), hi.unwrap_or(rhi)),
        _ => {
            return Err(format!(
                "parameter {:?} has no documented plausible range: give its prior `min` and `max`",
                p.name
            ));
        }
    };
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(format!(
            "parameter {:?}: prior [{lo}, {hi}] is not a range (expected finite min < max)",
            p.name
        ));
    }
    let (hard_lo, hard_hi) = param.hard;
    if lo < hard_lo || hi > hard_hi {
        return Err(format!(
            "parameter {:?}: prior [{lo}, {hi}] leaves the range the model can run, \
             [{hard_lo}, {hard_hi}]",
            p.name
        ));
    }
    Ok((p.name.clone(), lo, hi))
}

/// A target and how to read it from a run.
fn target(
    t: &TargetSpec,
    s: &Scenario,
    observed: Option<&[crate::validation::TargetRow]>,
) -> Result<(Target, Read), String> {
    if !COLUMNS.contains(&t.output.as_str()) {
        return Err(format!(
            "`output` = {:?} is not a column of national.csv (docs/outputs.md)",
            t.output
        ));
    }
    let column = match &t.departement {
        Some(code) => {
            let column = format!("{}@{code}", t.output);
            crate::experiment::sweep::check_output(&column)
                .map_err(|e| format!("`departement`: {e}"))?;
            if t.observed.is_none() {
                return Err(format!(
                    "a département target ({} in {code}) needs `observed`: the targets file is national",
                    t.output
                ));
            }
            column
        }
        None => t.output.clone(),
    };
    for year in std::iter::once(t.year).chain(t.change_from) {
        if !(s.start_year..=s.end_year).contains(&year) {
            return Err(format!(
                "year {year}: the scenario runs {}–{}, so the model cannot produce it",
                s.start_year, s.end_year
            ));
        }
    }
    if t.change_from.is_some_and(|from| from >= t.year) {
        return Err(format!(
            "`change_from` must come before `year` ({})",
            t.year
        ));
    }
    if !(t.sd.is_finite() && t.sd > 0.0) {
        return Err(format!(
            "`sd` = {}: the observation error must be a positive number (no observation is exact)",
            t.sd
        ));
    }
    let discrepancy_sd = t.discrepancy_sd.unwrap_or(t.sd);
    if !(discrepancy_sd.is_finite() && discrepancy_sd >= 0.0) {
        return Err(format!("`discrepancy_sd` = {discrepancy_sd}: expected ≥ 0"));
    }
    let value = match (t.observed, observed) {
        (Some(v), _) => v,
        (None, Some(rows)) if t.change_from.is_none() => {
            let indicator = t.indicator.as_deref().unwrap_or(&t.output);
            rows.iter()
                .find(|r| r.indicator == indicator && r.year.trim() == t.year.to_string())
                .and_then(|r| r.value.trim().parse::<f64>().ok())
                .ok_or_else(|| {
                    format!(
                        "no row for {indicator} {} in the targets file: give `observed`, or \
                         `indicator` when the file names it otherwise",
                        t.year
                    )
                })?
        }
        _ => return Err("no `observed` value (and no row of `targets_file` for it)".into()),
    };
    if !value.is_finite() {
        return Err(format!("`observed` = {value}: expected a finite number"));
    }
    let name = match t.change_from {
        Some(from) => format!("{column} {from}→{}", t.year),
        None => format!("{column} {}", t.year),
    };
    Ok((
        Target {
            name,
            observed: value,
            observation_sd: t.sd,
            discrepancy_sd,
        },
        Read {
            column,
            year: t.year,
            change_from: t.change_from,
        },
    ))
}
