//! The parameter registry: every scalar parameter of a scenario with its unit, plausible range,
//! meaning and source, from `parameters.csv` (embedded). Sweeps check their parameters
//! against it, `medesert params` prints it, and docs/parameters.md is generated from it (a
//! test keeps the three and `configs/baseline.toml` in step).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::Scenario;

/// Integer or real parameter (a sweep rounds integer values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Whole numbers (counts, years, ages).
    Integer,
    /// Real numbers.
    Real,
}

/// One parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Dotted name as in `--set`, e.g. `gps.capacity_scale`.
    pub name: String,
    /// Integer or real.
    pub kind: Kind,
    /// Unit.
    pub unit: String,
    /// Plausible range (min, max) documented by its source; `None` when none is documented.
    pub range: Option<(f64, f64)>,
    /// What it means, in one line.
    pub meaning: String,
    /// Where its default comes from.
    pub source: String,
}

#[derive(Deserialize)]
struct Row {
    name: String,
    kind: Kind,
    unit: String,
    min: Option<f64>,
    max: Option<f64>,
    meaning: String,
    source: String,
}

static CSV: &str = include_str!("parameters.csv");

/// Every parameter, in scenario order.
pub fn registry() -> &'static [Param] {
    static R: OnceLock<Vec<Param>> = OnceLock::new();
    R.get_or_init(|| {
        csv::Reader::from_reader(CSV.as_bytes())
            .deserialize::<Row>()
            .map(|r| {
                let r = r.expect("parameters.csv is valid (tested)");
                Param {
                    name: r.name,
                    kind: r.kind,
                    unit: r.unit,
                    range: r.min.zip(r.max),
                    meaning: r.meaning,
                    source: r.source,
                }
            })
            .collect()
    })
}

/// The parameter named `name`.
pub fn find(name: &str) -> Option<&'static Param> {
    registry().iter().find(|p| p.name == name)
}

/// Value of a scalar numeric parameter in a scenario.
pub fn value(s: &Scenario, name: &str) -> Option<f64> {
    let tree = toml::Value::try_from(s).ok()?;
    let mut v = &tree;
    for key in name.split('.') {
        v = v.get(key)?;
    }
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Dotted names of every scalar numeric field of a scenario (for checks).
pub fn numeric_leaves(s: &Scenario) -> Vec<String> {
    fn walk(prefix: &str, v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let name = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&name, v, out);
                }
            }
            toml::Value::Integer(_) | toml::Value::Float(_) => out.push(prefix.to_string()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(tree) = toml::Value::try_from(s) {
        walk("", &tree, &mut out);
    }
    out
}

/// Run settings that are scenario fields but not model parameters.
pub const RUN_SETTINGS: [&str; 3] = ["seed", "start_year", "end_year"];

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/baseline.toml");
        super::super::load(&path, &[]).expect("baseline loads")
    }

    #[test]
    fn the_registry_lists_every_scalar_parameter_of_the_baseline_and_nothing_else() {
        let s = baseline();
        let mut leaves: Vec<String> = numeric_leaves(&s)
            .into_iter()
            .filter(|n| !RUN_SETTINGS.contains(&n.as_str()))
            .collect();
        let mut names: Vec<String> = registry().iter().map(|p| p.name.clone()).collect();
        leaves.sort();
        names.sort();
        assert_eq!(leaves, names);
    }

    #[test]
    fn every_parameter_has_a_unit_a_meaning_a_source_and_its_default_in_its_range() {
        let s = baseline();
        for p in registry() {
            assert!(
                !p.unit.is_empty() && !p.meaning.is_empty() && !p.source.is_empty(),
                "{}",
                p.name
            );
            if let Some((lo, hi)) = p.range {
                let v = value(&s, &p.name).expect("a value");
                let (lo, hi) = (lo.min(hi), lo.max(hi));
                assert!(lo < hi, "{}: empty range", p.name);
                assert!(
                    (lo..=hi).contains(&v),
                    "{} = {v} outside [{lo}, {hi}]",
                    p.name
                );
            }
        }
    }
}
