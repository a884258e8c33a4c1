//! What a comparison's report shows, read from `comparison.csv` of a folder written by
//! `medesert compare` (columns: docs/policies.md, "Comparing").

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::outlines::MapOutlines;
use super::report_data::round;
use crate::output::cell;
use crate::tables::cell::Dialect;

/// The metric whose effect the report draws (comparison.csv's only share by year: the model's
/// total, movers included).
const METRIC: &str = "share_without_mt_17plus";

/// The effect of one policy.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PolicyEffect {
    /// The policy scenario's name.
    pub name: String,
    /// Mean share of the policy runs, per year of [`CompareReport::years`].
    pub value: Vec<f64>,
    /// Mean paired effect (policy − baseline), share.
    pub effect: Vec<f64>,
    /// Low end of its 90 % interval.
    pub low: Vec<f64>,
    /// High end of its 90 % interval.
    pub high: Vec<f64>,
    /// Person-years with an MT gained over the run: mean, low, high.
    pub gained: Option<[f64; 3]>,
    /// Incremental cost cumulated over the run, €: mean, low, high.
    pub cost: Option<[f64; 3]>,
    /// € per person-year gained (none where the policy gains nothing).
    pub cost_per_person_year: Option<f64>,
    /// Effect on each département's share in [`CompareReport::map_year`]: mean, low, high.
    pub departements: BTreeMap<String, [f64; 3]>,
}

/// The data of a comparison's report.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    /// The compared territory as comparison.csv names it (`France`, a région's name, …).
    pub territory: String,
    /// Runs per scenario.
    pub replicates: Option<u64>,
    /// Years of the effects.
    pub years: Vec<u16>,
    /// Mean share of the baseline runs per year.
    pub baseline: Vec<f64>,
    /// One entry per policy, in the file's order.
    pub policies: Vec<PolicyEffect>,
    /// Year of the effects by département (the middle one the file has: 2035 by default).
    pub map_year: Option<u16>,
    /// Names of the départements by code.
    pub names: BTreeMap<String, String>,
    /// Outlines of every metropolitan département.
    pub outlines: MapOutlines,
}

/// One row of comparison.csv, its numbers parsed.
struct Row {
    policy: String,
    metric: String,
    scope: String,
    year: Option<u16>,
    baseline: f64,
    value: f64,
    effect: [f64; 3],
    replicates: Option<u64>,
}

impl CompareReport {
    /// Reads `comparison.csv` of a comparison folder; `data` gives outlines and names.
    pub fn load(dir: &Path, data: &Path) -> Result<CompareReport> {
        let rows = read_rows(&dir.join("comparison.csv"))?;
        let whole = rows
            .iter()
            .find(|r| r.metric == "patient_years_with_mt_gained")
            .or(rows.first())
            .map(|r| r.scope.clone())
            .with_context(|| format!("{}: no rows", dir.join("comparison.csv").display()))?;
        let mut years: Vec<u16> = rows
            .iter()
            .filter(|r| r.metric == METRIC && r.scope == whole)
            .filter_map(|r| r.year)
            .collect();
        years.sort_unstable();
        years.dedup();
        let dep_years: Vec<u16> = rows
            .iter()
            .filter(|r| r.metric == METRIC && r.scope != whole && is_code(&r.scope))
            .filter_map(|r| r.year)
            .collect();
        let map_year = middle(dep_years);
        let n = years.len();
        let mut baseline = vec![f64::NAN; n];
        let mut policies: Vec<PolicyEffect> = Vec::new();
        for r in &rows {
            let k = match policies.iter().position(|p| p.name == r.policy) {
                Some(k) => k,
                None => {
                    policies.push(PolicyEffect {
                        name: r.policy.clone(),
                        value: vec![f64::NAN; n],
                        effect: vec![f64::NAN; n],
                        low: vec![f64::NAN; n],
                        high: vec![f64::NAN; n],
                        ..PolicyEffect::default()
                    });
                    policies.len() - 1
                }
            };
            add(
                &mut policies[k],
                &mut baseline,
                r,
                (&whole, &years, map_year),
            );
        }
        let shapes = crate::inputs::Shapes::load(data)
            .context("cannot load the outlines of the report's map")?;
        Ok(CompareReport {
            territory: whole,
            replicates: rows.iter().find_map(|r| r.replicates),
            years,
            baseline,
            policies,
            map_year,
            names: departement_names(data)?,
            outlines: MapOutlines::of(&shapes),
        })
    }
}

/// Puts one row where it belongs; `at` is the whole territory's scope, the years and the
/// map's year.
fn add(p: &mut PolicyEffect, baseline: &mut [f64], r: &Row, at: (&str, &[u16], Option<u16>)) {
    let (whole, years, map_year) = at;
    let three = r.effect.map(round);
    match (r.metric.as_str(), r.scope == whole) {
        (METRIC, true) => {
            if let Some(k) = r.year.and_then(|y| years.iter().position(|&v| v == y)) {
                baseline[k] = round(r.baseline);
                p.value[k] = round(r.value);
                [p.effect[k], p.low[k], p.high[k]] = three;
            }
        }
        (METRIC, false) if is_code(&r.scope) && r.year == map_year => {
            p.departements.insert(r.scope.clone(), three);
        }
        ("patient_years_with_mt_gained", true) => p.gained = Some(r.effect),
        ("policy_cost_eur_cumulated", true) => p.cost = Some(r.effect),
        ("cost_per_patient_year_gained_eur", true) => {
            p.cost_per_person_year = Some(r.value).filter(|v| v.is_finite());
        }
        _ => {}
    }
}

/// A département code (`29`, `2A`, `976`), not a territory's name nor a density class.
fn is_code(scope: &str) -> bool {
    (2..=3).contains(&scope.len()) && scope.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The middle of the years given (2035 of 2030, 2035, 2040).
fn middle(mut years: Vec<u16>) -> Option<u16> {
    years.sort_unstable();
    years.dedup();
    years.get(years.len() / 2).copied()
}

/// The rows of comparison.csv, in either dialect.
fn read_rows(path: &Path) -> Result<Vec<Row>> {
    if !path.exists() {
        bail!(
            "{} not found: expected a run folder (`medesert run`) or a comparison folder \
             (`medesert compare`)",
            path.display()
        );
    }
    let (dialect, mut r) = cell::reader(path)?;
    let headers = r.headers()?.clone();
    let col = |name: &str| Dialect::column(path, &headers, name);
    // comparison.csv's columns as its writer defines them, but the parameters' variance share.
    let names = &crate::output::comparison::HEADER[..10];
    let at: Vec<usize> = names.iter().map(|n| col(n)).collect::<Result<_>>()?;
    let mut rows = Vec::new();
    for (i, record) in r.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{} line {line}", path.display()))?;
        let text = |k: usize| record.get(at[k]).unwrap_or("").to_string();
        let number = |k: usize| -> Result<f64> {
            let v = dialect
                .parse(&text(k))
                .with_context(|| format!("{} line {line}, column {}", path.display(), names[k]))?;
            Ok(v.unwrap_or(f64::NAN))
        };
        rows.push(Row {
            policy: text(0),
            metric: text(1),
            scope: text(2),
            year: text(3).parse().ok(),
            baseline: number(4)?,
            value: number(5)?,
            effect: [number(6)?, number(7)?, number(8)?],
            replicates: text(9).parse().ok(),
        });
    }
    Ok(rows)
}

/// Names of the départements by code (`departements.csv` of the data folder).
fn departement_names(data: &Path) -> Result<BTreeMap<String, String>> {
    let path = data.join("departements.csv");
    let mut r = csv::Reader::from_path(&path)
        .with_context(|| format!("cannot open data file {}", path.display()))?;
    let mut names = BTreeMap::new();
    for (i, record) in r.records().enumerate() {
        let record = record.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        if let (Some(code), Some(name)) = (record.get(0), record.get(1)) {
            names.insert(code.to_string(), name.to_string());
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departement_codes_are_told_from_territories_and_classes() {
        for code in ["29", "2A", "976"] {
            assert!(is_code(code), "{code}");
        }
        for scope in ["France", "Centre-Val de Loire", "rural", "urban", ""] {
            assert!(!is_code(scope), "{scope}");
        }
        assert_eq!(middle(vec![2040, 2030, 2035, 2030]), Some(2035));
        assert_eq!(middle(vec![]), None);
    }
}
