//! Ensembles: the parameter sets a calibration retained (`posterior.csv`), each run on several
//! seeds, so that a projection's interval carries the parameters' uncertainty as well as
//! chance. Every scenario of a comparison gets the same sets and seeds (common random numbers).

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::scenario::{self, Scenario, registry};

/// Parameter sets to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    /// Dotted parameter names.
    pub names: Vec<String>,
    /// One row of values per set.
    pub sets: Vec<Vec<f64>>,
}

/// Most parameter sets an ensemble may hold.
pub const MAX_SETS: usize = 10_000;

impl Ensemble {
    /// Reads `posterior.csv` as `medesert calibrate` writes it: the columns between `set` and
    /// `max_implausibility` are parameters (any CSV whose columns are all parameters, with
    /// optional `wave`, `set`, `max_implausibility` and `weight`, is read too).
    pub fn read(path: &Path) -> Result<Ensemble> {
        let mut reader = csv::Reader::from_path(path)
            .with_context(|| format!("cannot open the ensemble file {}", path.display()))?;
        let header: Vec<String> = reader
            .headers()
            .with_context(|| format!("ensemble file {}: line 1", path.display()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        const BOOKKEEPING: [&str; 4] = ["wave", "set", "max_implausibility", "weight"];
        let columns: Vec<(usize, String)> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| !BOOKKEEPING.contains(&h.as_str()))
            .map(|(i, h)| (i, h.clone()))
            .collect();
        if columns.is_empty() {
            bail!(
                "ensemble file {}: line 1 names no parameter",
                path.display()
            );
        }
        if let Some((a, b, name)) = super::design::repeated(header.iter().map(String::as_str)) {
            bail!(
                "ensemble file {}: line 1, column {name:?} is given twice (columns {} and {}): \
                 give each parameter one column",
                path.display(),
                a + 1,
                b + 1
            );
        }
        for (_, name) in &columns {
            if registry::find(name).is_none() {
                bail!(
                    "ensemble file {}: line 1, column {name:?} is not a scenario parameter \
                     (`medesert params` lists them)",
                    path.display()
                );
            }
        }
        let mut sets = Vec::new();
        for (k, record) in reader.records().enumerate() {
            let line = k + 2;
            let record =
                record.with_context(|| format!("ensemble file {}: line {line}", path.display()))?;
            let mut row = Vec::with_capacity(columns.len());
            for (i, name) in &columns {
                let cell = record.get(*i).unwrap_or("").trim();
                match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => row.push(v),
                    _ => bail!(
                        "ensemble file {}: line {line}, column {name}: {cell:?} is not a finite \
                         number",
                        path.display()
                    ),
                }
            }
            sets.push(row);
            if sets.len() > MAX_SETS {
                bail!(
                    "ensemble file {}: more than {MAX_SETS} parameter sets",
                    path.display()
                );
            }
        }
        if sets.is_empty() {
            bail!(
                "ensemble file {}: no parameter set (a calibration that retained none has no \
                 ensemble)",
                path.display()
            );
        }
        Ok(Ensemble {
            names: columns.into_iter().map(|(_, n)| n).collect(),
            sets,
        })
    }

    /// `s` with set `k`'s values: checked as a `--set` would be (an error names the set).
    pub fn apply(&self, s: &Scenario, k: usize, path: &Path) -> Result<Scenario> {
        let tree = toml::Table::try_from(s).context("a scenario serialises")?;
        let overrides: Vec<String> = self
            .names
            .iter()
            .zip(&self.sets[k])
            .map(|(n, v)| format!("{n}={}", value_text(n, *v)))
            .collect();
        scenario::from_tree(tree, path, &overrides)
            .with_context(|| format!("parameter set {} of the ensemble", k + 1))
    }
}

/// A value as TOML text for its parameter: integers rounded, reals with a decimal point.
fn value_text(name: &str, v: f64) -> String {
    match registry::find(name).map(|p| p.kind) {
        Some(registry::Kind::Integer) => format!("{}", v.round() as i64),
        _ if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.1}"),
        _ => format!("{v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posterior_file_is_read_and_applied_as_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("posterior.csv");
        std::fs::write(
            &path,
            "wave,set,workload.acceptance_threshold_share,matching.tries_per_year,max_implausibility,weight\n\
             3,0,1.1,4.6,1.2,0.5\n3,4,0.9,7,2.0,0.5\n",
        )
        .unwrap();
        let e = Ensemble::read(&path).unwrap();
        assert_eq!(
            e.names,
            [
                "workload.acceptance_threshold_share",
                "matching.tries_per_year"
            ]
        );
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/tiny.toml");
        let s = scenario::load(&base, &[]).unwrap();
        let first = e.apply(&s, 0, &base).unwrap();
        assert_eq!(first.workload.acceptance_threshold_share, 1.1);
        assert_eq!(
            e.apply(&s, 1, &base)
                .unwrap()
                .workload
                .acceptance_threshold_share,
            0.9
        );
    }

    #[test]
    fn a_malformed_ensemble_is_refused_naming_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("posterior.csv");
        for (text, needle) in [
            ("gps.capacity_scal\n1\n", "gps.capacity_scal"),
            (
                "workload.acceptance_threshold_share\nnan\n",
                "line 2, column workload.acceptance_threshold_share",
            ),
            ("workload.acceptance_threshold_share\n", "no parameter set"),
        ] {
            std::fs::write(&path, text).unwrap();
            let err = Ensemble::read(&path).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
        }
    }
}
