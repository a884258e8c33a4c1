//! Sweep files (TOML): a base scenario, the parameters that vary, a design, replicates and the
//! outputs to keep. Everything is checked before any run starts, every point included: a point
//! that breaks a rule between parameters (two thresholds that must stay ordered, a year range)
//! is refused with the sweep, as a Morris or Sobol design cannot lose a point.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::design::{self, Design, Factor, SOBOL_MAX_FACTORS};
use crate::scenario::{self, Scenario, registry};
use crate::tables::COLUMNS;

/// Design names as written in a sweep file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DesignKind {
    /// Every combination of values.
    Grid,
    /// Latin hypercube.
    Lhs,
    /// Saltelli sampling for Sobol indices.
    Sobol,
    /// Morris trajectories.
    Morris,
    /// Points from a CSV file.
    File,
}

/// A varied parameter as written in a sweep file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSpec {
    /// Dotted parameter name (see `medesert params`).
    pub name: String,
    /// Lowest value (default: the low end of its documented plausible range).
    pub min: Option<f64>,
    /// Highest value (default: the high end of its documented plausible range).
    pub max: Option<f64>,
    /// Explicit values (grid only).
    pub values: Option<Vec<f64>>,
}

/// A sweep file as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// Name (default output folder `outputs/sweeps/<name>/`).
    pub name: String,
    /// Base scenario, relative to the sweep file.
    pub base: PathBuf,
    /// `grid`, `lhs`, `sobol`, `morris` or `file`.
    pub design: DesignKind,
    /// lhs: points; sobol: base samples N; morris: trajectories r.
    pub points: Option<usize>,
    /// grid: values per parameter without `values` (default 3); morris: levels p (default 4).
    pub levels: Option<usize>,
    /// file: CSV of points (one column per parameter), relative to the sweep file.
    pub file: Option<PathBuf>,
    /// Runs per point, with seeds base seed + 0, 1, … (the same seeds at every point).
    #[serde(default = "one")]
    pub replicates: u32,
    /// Seed of the design's sampling (not of the runs).
    #[serde(default)]
    pub seed: u64,
    /// Columns of national.csv to keep.
    pub outputs: Vec<String>,
    /// Years at which they are kept.
    pub years: Vec<u16>,
    /// Also write every kept output for every year (runs_years.csv).
    #[serde(default)]
    pub per_year: bool,
    /// The varied parameters (for `file`, the CSV's columns are used instead).
    #[serde(default, rename = "parameter")]
    pub parameters: Vec<ParameterSpec>,
}

fn one() -> u32 {
    1
}

/// A checked sweep, ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The file as written (saved with the results).
    pub file: SweepFile,
    /// Path of the sweep file.
    pub path: PathBuf,
    /// Path of the base scenario.
    pub base_path: PathBuf,
    /// The base scenario's TOML tree.
    pub base_tree: toml::Table,
    /// The base scenario, typed.
    pub base: Scenario,
    /// The design.
    pub design: Design,
    /// Varied parameters.
    pub factors: Vec<Factor>,
    /// Parameter values of every point.
    pub points: Vec<Vec<f64>>,
}

impl Sweep {
    /// Runs in the sweep: points × replicates.
    pub fn runs(&self) -> u64 {
        self.points.len() as u64 * u64::from(self.file.replicates)
    }

    /// (point, replicate, seed) of a run id.
    pub fn run(&self, id: u64) -> (usize, u32, u64) {
        let r = self.file.replicates as u64;
        let replicate = (id % r) as u32;
        (
            (id / r) as usize,
            replicate,
            super::replicates::seed(self.base.seed, u64::from(replicate)),
        )
    }

    /// `--set` assignments of a run.
    pub fn overrides(&self, id: u64) -> Vec<String> {
        let (point, _, seed) = self.run(id);
        let mut v: Vec<String> = self
            .factors
            .iter()
            .zip(&self.points[point])
            .map(|(f, x)| format!("{}={}", f.name, value_text(*x, f)))
            .collect();
        v.push(format!("seed={seed}"));
        v
    }

    /// The scenario of a run (an invalid combination of values is this run's error).
    pub fn scenario(&self, id: u64) -> Result<Scenario, scenario::ScenarioError> {
        scenario::from_tree(self.base_tree.clone(), &self.base_path, &self.overrides(id))
    }

    /// Names of the kept outputs: `<column>_<year>`.
    pub fn output_names(&self) -> Vec<String> {
        let mut v = Vec::new();
        for year in &self.file.years {
            for o in &self.file.outputs {
                v.push(format!("{o}_{year}"));
            }
        }
        v
    }
}

/// A value as TOML text: integers without a decimal point, reals in their shortest exact form.
pub fn value_text(x: f64, f: &Factor) -> String {
    match f.kind {
        registry::Kind::Integer => format!("{}", x.round() as i64),
        registry::Kind::Real => {
            let s = format!("{x}");
            if s.contains(['.', 'e', 'E']) || s.contains("inf") || s.contains("NaN") {
                s
            } else {
                format!("{s}.0")
            }
        }
    }
}

/// Reads and checks a sweep file: every error names the file and the field; a sweep above
/// the caps of [`limits`](super::limits) is refused.
pub fn load(path: &Path) -> Result<Sweep> {
    load_with(path, false)
}

/// As [`load`]; `force` lifts the caps on runs and replicates (not the hard one).
pub fn load_with(path: &Path, force: bool) -> Result<Sweep> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read sweep file {}", path.display()))?;
    let file: SweepFile =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("sweep file {}: {e}", path.display()))?;
    let err = |msg: String| anyhow::anyhow!("sweep file {}: {msg}", path.display());
    if !scenario::is_plain_name(&file.name) {
        return Err(err(format!(
            "`name` = {:?}: expected letters, digits, '-', '_' or '.', not starting with '.' \
             (it names the output folder)",
            file.name
        )));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let base_path = dir.join(&file.base);
    let base_tree = scenario::load_tree(&base_path)
        .with_context(|| format!("sweep file {}: `base`", path.display()))?;
    let base = scenario::from_tree(base_tree.clone(), &base_path, &[])
        .with_context(|| format!("sweep file {}: `base`", path.display()))?;
    if file.replicates == 0 {
        return Err(err("`replicates` = 0: expected at least 1".into()));
    }
    check_outputs(&file, &base).map_err(err)?;
    let (factors, design) = match file.design {
        DesignKind::File => file_design(&file, dir).map_err(err)?,
        _ => (factors(&file).map_err(err)?, design_of(&file).map_err(err)?),
    };
    if factors.is_empty() {
        return Err(err("no parameter varies: add [[parameter]] entries".into()));
    }
    if matches!(design, Design::Sobol { .. }) && factors.len() > SOBOL_MAX_FACTORS {
        return Err(err(format!(
            "sobol supports at most {SOBOL_MAX_FACTORS} parameters, not {}",
            factors.len()
        )));
    }
    for f in &factors {
        check_domain(f, &base_tree, &base_path).map_err(err)?;
    }
    super::replicates::check_seeds(base.seed, file.replicates).map_err(err)?;
    // Before building the points: a mistyped size is refused, not an allocation failure.
    super::limits::check_size(&design, &factors, file.replicates, force).map_err(err)?;
    let points = design::points(&design, &factors, file.seed);
    check_points(&points, &factors, &base_tree, &base_path).map_err(err)?;
    Ok(Sweep {
        file,
        path: path.to_path_buf(),
        base_path,
        base_tree,
        base,
        design,
        factors,
        points,
    })
}

/// An output's column and, for `COLUMN@CODE`, the INSEE code of the département whose row of
/// departements.csv it is read from (the national row otherwise).
pub fn split_output(o: &str) -> (&str, Option<&str>) {
    match o.split_once('@') {
        Some((column, code)) => (column, Some(code)),
        None => (o, None),
    }
}

/// Checks an output name: a column of national.csv (the same columns as departements.csv),
/// optionally `@` and a département code (two or three letters or digits, as `29`, `2A`,
/// `971`). Whether the département is simulated is known only once the territory is built:
/// a run without it fails with that reason.
pub fn check_output(o: &str) -> Result<(), String> {
    let (column, code) = split_output(o);
    if !COLUMNS.contains(&column) {
        return Err(format!(
            "unknown column {column:?} in {o:?} (expected a column of national.csv, or \
             COLUMN@CODE for a département's row of departements.csv; see docs/outputs.md)"
        ));
    }
    if let Some(code) = code
        && !((2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(format!(
            "{o:?}: {code:?} is not a département code (expected an INSEE code such as 29, 2A or 971)"
        ));
    }
    Ok(())
}

fn check_outputs(file: &SweepFile, base: &Scenario) -> Result<(), String> {
    if file.outputs.is_empty() || file.years.is_empty() {
        return Err("`outputs` and `years` must each name at least one".into());
    }
    for o in &file.outputs {
        check_output(o).map_err(|e| format!("`outputs`: {e}"))?;
    }
    for &y in &file.years {
        if !(base.start_year..=base.end_year).contains(&y) {
            return Err(format!(
                "`years`: {y} is outside the base scenario's run {}–{}",
                base.start_year, base.end_year
            ));
        }
    }
    Ok(())
}

pub(crate) fn factors(file: &SweepFile) -> Result<Vec<Factor>, String> {
    let mut out: Vec<Factor> = Vec::new();
    for p in &file.parameters {
        let reg = registry::find(&p.name).ok_or_else(|| {
            format!(
                "[[parameter]] {:?}: unknown parameter (`medesert params` lists them all)",
                p.name
            )
        })?;
        if out.iter().any(|f| f.name == p.name) {
            return Err(format!("[[parameter]] {:?} is listed twice", p.name));
        }
        if p.values.is_some() && file.design != DesignKind::Grid {
            return Err(format!(
                "[[parameter]] {:?}: `values` is for the grid design only",
                p.name
            ));
        }
        let values = p.values.clone();
        if let Some(v) = &values
            && v.is_empty()
        {
            return Err(format!("[[parameter]] {:?}: `values` is empty", p.name));
        }
        let documented = reg.interval();
        let from_values = values.as_ref().map(|v| {
            (
                v.iter().copied().fold(f64::INFINITY, f64::min),
                v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            )
        });
        let min = p
            .min
            .or(from_values.map(|r| r.0))
            .or(documented.map(|r| r.0));
        let max = p
            .max
            .or(from_values.map(|r| r.1))
            .or(documented.map(|r| r.1));
        let (Some(min), Some(max)) = (min, max) else {
            return Err(format!(
                "[[parameter]] {:?}: give `min` and `max` (its plausible range is one value: a fact)",
                p.name
            ));
        };
        if !(min.is_finite() && max.is_finite()) || min > max || (min == max && values.is_none()) {
            return Err(format!(
                "[[parameter]] {:?}: min = {min}, max = {max}: expected finite values with min < max",
                p.name
            ));
        }
        out.push(Factor {
            name: p.name.clone(),
            min,
            max,
            kind: reg.kind,
            values,
        });
    }
    Ok(out)
}

pub(crate) fn design_of(file: &SweepFile) -> Result<Design, String> {
    let points = || match file.points {
        Some(n) if n > 0 => Ok(n),
        Some(_) => Err("`points` = 0: the design would have zero points".to_string()),
        None => Err(format!("the {:?} design needs `points`", file.design).to_lowercase()),
    };
    Ok(match file.design {
        DesignKind::Grid => Design::Grid {
            levels: match file.levels {
                Some(0) => return Err("`levels` = 0: the grid would have zero points".into()),
                Some(l) => l,
                None => 3,
            },
        },
        DesignKind::Lhs => Design::Lhs { points: points()? },
        DesignKind::Sobol => {
            let n = points()?;
            if !(2..=65536).contains(&n) {
                return Err(format!(
                    "`points` = {n}: sobol needs 2 to 65,536 base samples"
                ));
            }
            Design::Sobol { base_samples: n }
        }
        DesignKind::Morris => {
            let levels = file.levels.unwrap_or(4);
            if levels < 2 || levels % 2 == 1 {
                return Err(format!(
                    "`levels` = {levels}: Morris needs an even number ≥ 2"
                ));
            }
            Design::Morris {
                trajectories: points()?,
                levels,
            }
        }
        DesignKind::File => unreachable!("handled by file_design"),
    })
}

/// `design = "file"`: the CSV's header names the parameters, each row is a point.
fn file_design(file: &SweepFile, dir: &Path) -> Result<(Vec<Factor>, Design), String> {
    let Some(rel) = &file.file else {
        return Err("the file design needs `file` (a CSV of points)".into());
    };
    let path = dir.join(rel);
    let mut reader =
        csv::Reader::from_path(&path).map_err(|e| format!("`file` {}: {e}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("`file` {}: {e}", path.display()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if let Some((a, b, name)) = super::design::repeated(header.iter().map(String::as_str)) {
        return Err(format!(
            "`file` {} line 1: column {name:?} is given twice (columns {} and {}): give each \
             parameter one column",
            path.display(),
            a + 1,
            b + 1
        ));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| format!("`file` {} line {}: {e}", path.display(), i + 2))?;
        let row: Result<Vec<f64>, String> = record
            .iter()
            .zip(&header)
            .map(|(cell, h)| {
                cell.trim().parse::<f64>().map_err(|_| {
                    format!(
                        "`file` {} line {}, column {h}: {cell:?} is not a number",
                        path.display(),
                        i + 2
                    )
                })
            })
            .collect();
        rows.push(row?);
    }
    if rows.is_empty() {
        return Err(format!("`file` {} has zero points", path.display()));
    }
    for name in &header {
        if registry::find(name).is_none() {
            return Err(format!(
                "`file` {}: column {name:?} is not a parameter (`medesert params`)",
                path.display()
            ));
        }
    }
    let factors = file_factors(&header, &rows);
    Ok((factors, Design::File { rows }))
}

/// Factors of a file design: one per column, its range that of the column's values.
pub(crate) fn file_factors(names: &[String], rows: &[Vec<f64>]) -> Vec<Factor> {
    names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let column = rows.iter().map(|r| r[j]);
            Factor {
                name: name.clone(),
                min: column.clone().fold(f64::INFINITY, f64::min),
                max: column.fold(f64::NEG_INFINITY, f64::max),
                kind: registry::find(name).map_or(registry::Kind::Real, |p| p.kind),
                values: None,
            }
        })
        .collect()
}

/// The scenario of the base with the factors set to `values`, checked by every rule of a
/// scenario file.
pub fn point_scenario(
    tree: &toml::Table,
    base_path: &Path,
    factors: &[Factor],
    values: &[f64],
) -> Result<Scenario, scenario::ScenarioError> {
    let sets: Vec<String> = factors
        .iter()
        .zip(values)
        .map(|(f, x)| format!("{}={}", f.name, value_text(*x, f)))
        .collect();
    scenario::from_tree(tree.clone(), base_path, &sets)
}

/// Every point must make a valid scenario: each factor's range is checked on its own by
/// [`check_domain`], but a combination can still break a rule between parameters.
fn check_points(
    points: &[Vec<f64>],
    factors: &[Factor],
    tree: &toml::Table,
    base_path: &Path,
) -> Result<(), String> {
    use rayon::prelude::*;
    let broken: Vec<(usize, String)> = points
        .par_iter()
        .enumerate()
        .filter_map(|(i, p)| {
            point_scenario(tree, base_path, factors, p)
                .err()
                .map(|e| (i, e.to_string()))
        })
        .collect();
    let Some((first, why)) = broken.first() else {
        return Ok(());
    };
    let values: Vec<String> = factors
        .iter()
        .zip(&points[*first])
        .map(|(f, x)| format!("{}={}", f.name, value_text(*x, f)))
        .collect();
    Err(format!(
        "{} of the {} points break a rule between parameters, so their runs would fail; the \
         first, point {} ({}): {why}. Narrow the [[parameter]] ranges so that every \
         combination is valid",
        broken.len(),
        points.len(),
        first + 1,
        values.join(", ")
    ))
}

/// Each end of a factor's range (and each grid value) must make a valid scenario on its own.
fn check_domain(f: &Factor, tree: &toml::Table, base_path: &Path) -> Result<(), String> {
    let mut probes = vec![("min", f.min), ("max", f.max)];
    if let Some(v) = &f.values {
        probes.extend(v.iter().map(|x| ("values", *x)));
    }
    for (what, x) in probes {
        let set = format!("{}={}", f.name, value_text(x, f));
        if let Err(e) = scenario::from_tree(tree.clone(), base_path, &[set]) {
            return Err(format!(
                "[[parameter]] {:?}: {what} = {x} is outside the parameter's valid domain ({e})",
                f.name
            ));
        }
    }
    Ok(())
}
