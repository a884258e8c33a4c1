//! Validation: simulated indicators against observed French data, over several seeds.
//! Pure functions from records and targets to report rows; `output::validation` writes the
//! files.

pub mod centres;
pub mod geography;
pub mod indicators;
pub mod kinds;
pub mod stats;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::model::{Communes, Records};
pub use indicators::{INDICATORS, Indicator, Measure, Tolerance};
pub use kinds::{Kind, Rankings, Years};

/// One row of a targets file, as text: each cell is checked and any problem is reported.
#[derive(Debug, Clone, Deserialize)]
pub struct TargetRow {
    /// Indicator name.
    pub indicator: String,
    /// Year.
    pub year: String,
    /// Observed value.
    pub value: String,
    /// Optional tolerance override: "0.02" (absolute) or "10%" (relative).
    #[serde(default)]
    pub tolerance: Option<String>,
    /// Optional source (shown in the report).
    #[serde(default)]
    pub source: Option<String>,
}

/// Reads a targets file (`indicator,year,value[,tolerance][,source]...`; other columns are
/// ignored). A missing, unreadable or empty file is an error, as is a file none of whose rows
/// can be compared (each of their problems named by line, column and value); rows with a bad
/// year, value or tolerance among good ones become lines of the report, not errors.
pub fn read_targets(path: &Path) -> Result<Vec<TargetRow>> {
    let file = path.display();
    let mut reader = csv::Reader::from_path(path).with_context(|| {
        format!("cannot open the targets file {file} (pass another with --targets FILE)")
    })?;
    let header = reader
        .headers()
        .with_context(|| format!("targets file {file}, line 1: not a CSV header"))?
        .clone();
    for column in ["indicator", "year", "value"] {
        if !header.iter().any(|h| h.trim() == column) {
            bail!(
                "targets file {file}, line 1: no column `{column}` (found {:?}): expected a \
                 header indicator,year,value[,tolerance][,source]",
                header.iter().collect::<Vec<_>>().join(",")
            );
        }
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("targets file {file}: not valid CSV"))?;
        let line = record.position().map_or(0, |p| p.line());
        let row: TargetRow = record.deserialize(Some(&header)).with_context(|| {
            format!("targets file {file}, line {line}: lacks indicator, year or value")
        })?;
        if let Some((column, value, expected)) = malformed(&row) {
            problems.push(format!(
                "line {line}, column `{column}`: {value:?}: expected {expected}"
            ));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        bail!(
            "targets file {file}, line 2: no target row after the header: expected at least one indicator,year,value row"
        );
    }
    if problems.len() == rows.len() {
        bail!(
            "targets file {file}: no row can be compared: {}",
            problems.join("; ")
        );
    }
    Ok(rows)
}

/// The observed (year, value) points of level `indicator` among `targets`, by year (rows
/// that do not parse are left out: the report lists them).
pub fn observed_points(targets: &[TargetRow], indicator: &str) -> Vec<(u16, f64)> {
    let mut points: Vec<(u16, f64)> = targets
        .iter()
        .filter(|t| t.indicator.trim() == indicator)
        .filter_map(|t| {
            let v: f64 = t.value.trim().parse().ok()?;
            Some((t.year.trim().parse().ok()?, v)).filter(|_| v.is_finite())
        })
        .collect();
    points.sort_by_key(|p| p.0);
    points
}

/// The first cell of a target row that cannot be read: (column, value, what was expected).
fn malformed(t: &TargetRow) -> Option<(&'static str, &str, &'static str)> {
    let tolerance = t.tolerance.as_deref().unwrap_or("").trim();
    if t.indicator.trim().is_empty() {
        Some(("indicator", &t.indicator, "an indicator name"))
    } else if !Years::parse(&t.year)
        .is_some_and(|y| kinds::fits(kinds::split(t.indicator.trim()).0, &y))
    {
        Some((
            "year",
            &t.year,
            kinds::expected_years(kinds::split(t.indicator.trim()).0),
        ))
    } else if !t.value.trim().parse::<f64>().is_ok_and(f64::is_finite) {
        Some(("value", &t.value, "a finite number"))
    } else if !tolerance.is_empty() && Tolerance::parse(tolerance).is_none() {
        Some((
            "tolerance",
            tolerance,
            "a number or a percentage (e.g. 0.02 or 10%)",
        ))
    } else {
        None
    }
}

/// What the runs are compared on.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    /// First simulated year.
    pub first_year: u16,
    /// Last simulated year.
    pub last_year: u16,
    /// The whole of metropolitan France is simulated (national counts are comparable).
    pub whole_france: bool,
    /// France's population over metropolitan France's (data/communes.csv).
    pub france_factor: f64,
}

/// One line of `validation.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Indicator name.
    pub indicator: String,
    /// Year, as given.
    pub year: String,
    /// Observed value, when it parses.
    pub observed: Option<f64>,
    /// Simulated mean, 5th and 95th percentiles over the replicates.
    pub simulated: Option<[f64; 3]>,
    /// Tolerance used.
    pub tolerance: Option<Tolerance>,
    /// Verdict, when compared.
    pub pass: Option<bool>,
    /// Why not compared, or what is compared.
    pub note: String,
}

/// Percentile `p` (0–1) of sorted values, linear between ranks.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let x = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo as f64)
}

/// Mean, P5 and P95 of values.
pub fn summary(values: &[f64]) -> [f64; 3] {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    [mean, percentile(&v, 0.05), percentile(&v, 0.95)]
}

/// The simulated value of `ind` in `year` of one run, or why there is none.
pub(crate) fn simulated(
    ind: &Indicator,
    runs: &Records,
    year: u16,
    scope: &Scope,
) -> Result<f64, String> {
    let measure = ind.produced.map_err(str::to_string)?;
    if !scope.whole_france && !matches!(measure, Measure::Intensive(_)) {
        return Err("a national figure: compare it on a run of all metropolitan France".into());
    }
    let y = runs
        .years
        .iter()
        .find(|r| r.year == year)
        .ok_or_else(|| format!("year {year} was not recorded"))?;
    let v = match measure {
        Measure::Intensive(f) | Measure::National(f) => f(&y.national),
        Measure::France(f) => f(&y.national) * scope.france_factor,
        Measure::Record(f) => f(y),
    };
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("not defined in {year} (no denominator)"))
    }
}

/// Compares every target with the runs (one `Records` per seed); `rankings` holds the
/// per-seed rank correlations the `spearman:` targets read.
pub fn compare(
    targets: &[TargetRow],
    runs: &[Records],
    scope: &Scope,
    rankings: &Rankings,
) -> Vec<Row> {
    targets
        .iter()
        .map(|t| {
            let mut row = Row {
                indicator: t.indicator.clone(),
                year: t.year.clone(),
                observed: t.value.trim().parse().ok().filter(|v: &f64| v.is_finite()),
                simulated: None,
                tolerance: None,
                pass: None,
                note: String::new(),
            };
            let (kind, base) = kinds::split(t.indicator.trim());
            if !kinds::known(t.indicator.trim()) {
                row.note = "unknown indicator: not in the list of docs/validation.md".into();
                return row;
            }
            let Some(years) = Years::parse(&t.year).filter(|y| kinds::fits(kind, y)) else {
                row.note = format!("year {:?} is not {}", t.year, kinds::expected_years(kind));
                return row;
            };
            let Some(observed) = row.observed else {
                row.note = format!("observed value {:?} is not a number", t.value);
                return row;
            };
            let in_run = |y: u16| (scope.first_year..=scope.last_year).contains(&y);
            if kind != Kind::Level {
                if kind != Kind::Spearman && !(in_run(years.reference) && in_run(years.from)) {
                    row.note = format!(
                        "years {} are outside the run ({}–{})",
                        t.year.trim(),
                        scope.first_year,
                        scope.last_year
                    );
                    return row;
                }
                kinds::compare(
                    t,
                    (kind, base),
                    (years, observed),
                    (runs, scope, rankings),
                    &mut row,
                );
                return row;
            }
            let year = years.from;
            let Some(ind) = indicators::find(base) else {
                return row;
            };
            let tolerance = match t.tolerance.as_deref().map(str::trim) {
                None | Some("") => ind.tolerance,
                Some(text) => match Tolerance::parse(text) {
                    Some(tol) => tol,
                    None => {
                        row.note = format!(
                            "tolerance {text:?} is not a number or a percentage (e.g. 0.02 or 10%)"
                        );
                        return row;
                    }
                },
            };
            if ind.produced.is_ok() && !(scope.first_year..=scope.last_year).contains(&year) {
                row.note = format!(
                    "year {year} is outside the run ({}–{})",
                    scope.first_year, scope.last_year
                );
                return row;
            }
            let values: Result<Vec<f64>, String> = runs
                .iter()
                .map(|r| simulated(ind, r, year, scope))
                .collect();
            match values {
                Ok(values) if !values.is_empty() => {
                    let s = summary(&values);
                    row.simulated = Some(s);
                    row.tolerance = Some(tolerance);
                    row.pass = Some(tolerance.passes(s[0], observed));
                    row.note = ind.meaning.to_string();
                }
                Ok(_) => row.note = "no run".into(),
                Err(why) => row.note = format!("not produced: {why}"),
            }
            row
        })
        .collect()
}

/// Simulated against observed GP density (per 100,000) by département in one year.
#[derive(Debug, Clone)]
pub struct Densities {
    /// The year compared.
    pub year: u16,
    /// (code, name, simulated mean, observed), in territory order.
    pub rows: Vec<(String, String, f64, f64)>,
    /// Pearson correlation of simulated and observed.
    pub correlation: f64,
    /// Simulated over observed, national.
    pub national_ratio: f64,
}

impl Densities {
    /// Départements furthest from the national ratio, worst first.
    pub fn worst(&self, n: usize) -> Vec<&(String, String, f64, f64)> {
        let mut v: Vec<_> = self.rows.iter().collect();
        let gap = |r: &(String, String, f64, f64)| (r.2 / r.3 / self.national_ratio).ln().abs();
        v.sort_by(|a, b| gap(b).total_cmp(&gap(a)).then(a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }
}

/// Compares simulated GP densities of `year` with observed densities by département code.
pub fn densities(
    runs: &[Records],
    communes: &Communes,
    observed: &HashMap<String, f64>,
    year: u16,
) -> Option<Densities> {
    let records: Vec<_> = runs
        .iter()
        .filter_map(|r| r.years.iter().find(|y| y.year == year))
        .collect();
    if records.is_empty() {
        return None;
    }
    let density = |gps: u64, pop: u64| 1e5 * gps as f64 / pop.max(1) as f64;
    let rows: Vec<_> = communes
        .departements
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let obs = *observed.get(&d.code)?;
            let sim = records
                .iter()
                .map(|y| density(y.departements[i].gps, y.departements[i].population))
                .sum::<f64>()
                / records.len() as f64;
            Some((d.code.clone(), d.name.clone(), sim, obs))
        })
        .collect();
    if rows.len() < 2 {
        return None;
    }
    let n = rows.len() as f64;
    let (mx, my) = (
        rows.iter().map(|r| r.2).sum::<f64>() / n,
        rows.iter().map(|r| r.3).sum::<f64>() / n,
    );
    let cov: f64 = rows.iter().map(|r| (r.2 - mx) * (r.3 - my)).sum();
    let (vx, vy): (f64, f64) = (
        rows.iter().map(|r| (r.2 - mx).powi(2)).sum(),
        rows.iter().map(|r| (r.3 - my).powi(2)).sum(),
    );
    let national_ratio = records
        .iter()
        .map(|y| density(y.national.gps, y.national.population))
        .sum::<f64>()
        / records.len() as f64
        / my;
    Some(Densities {
        year,
        correlation: cov / (vx * vy).sqrt(),
        rows,
        national_ratio,
    })
}

/// Population relative to the first year: (year, simulated mean index, INSEE index,
/// "observed" or "projection").
pub fn population_path(
    runs: &[Records],
    insee: &[(u16, f64, &'static str)],
) -> Vec<(u16, f64, f64, &'static str)> {
    let Some(first) = runs.first().and_then(|r| r.years.first()).map(|y| y.year) else {
        return Vec::new();
    };
    let Some(base) = insee.iter().find(|x| x.0 == first).map(|x| x.1) else {
        return Vec::new();
    };
    insee
        .iter()
        .filter_map(|&(year, value, kind)| {
            let idx: Vec<f64> = runs
                .iter()
                .map(|r| {
                    let pop = |y: u16| {
                        r.years
                            .iter()
                            .find(|x| x.year == y)
                            .map(|x| x.national.population as f64)
                    };
                    Some(pop(year)? / pop(first)?)
                })
                .collect::<Option<_>>()?;
            Some((
                year,
                idx.iter().sum::<f64>() / idx.len() as f64,
                value / base,
                kind,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests;
