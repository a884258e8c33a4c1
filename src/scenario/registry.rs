//! The parameter registry: every scalar field of a scenario with its unit, hard range (what
//! the model can run), plausible range (what the sources support) and their sources, from
//! `parameters.csv` (embedded). Loading a scenario refuses a value outside its hard range and
//! warns outside its plausible range (`validate.rs`); sweeps draw within plausible ranges;
//! `medesert params` prints it, and docs/parameters.md is generated from it (a test keeps the
//! three and `configs/baseline.toml` in step).

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
    /// Dotted name as in `--set`, e.g. `workload.acceptance_threshold_share`.
    pub name: String,
    /// Integer or real.
    pub kind: Kind,
    /// Unit.
    pub unit: String,
    /// Hard range (min, max): what the model can run; a value outside is refused.
    pub hard: (f64, f64),
    /// Plausible range (min, max): what the sources support; a value outside is warned about.
    /// Equal ends mark a fact (a rule, a date), not an uncertainty.
    pub plausible: (f64, f64),
    /// Where the plausible range comes from ("assumption" when no source gives one).
    pub range_source: String,
    /// What it means, in one line.
    pub meaning: String,
    /// Where its default comes from.
    pub source: String,
}

impl Param {
    /// The plausible range when it is an interval to sweep (a fact has none).
    pub fn interval(&self) -> Option<(f64, f64)> {
        let (lo, hi) = self.plausible;
        (lo < hi).then_some((lo, hi))
    }

    /// Whether a sensitivity analysis should vary it (`params --format salib --uncertain`):
    /// a real number with a plausible interval. Whole numbers are left out: the agent scales
    /// (`persons_per_agent`, `territory.france_persons_per_agent`), seeds, dates, ages,
    /// counts and rounds are settings or facts to fix, not uncertainties to sample, and a
    /// sampler draws reals.
    pub fn uncertain(&self) -> bool {
        self.kind == Kind::Real && self.interval().is_some()
    }

    /// A bound as the user writes it: integers without a decimal point, exact up to TOML's
    /// largest integer (a seed's).
    pub fn bound_text(&self, x: f64) -> String {
        match self.kind {
            Kind::Integer => format!("{}", x as i64),
            Kind::Real => format!("{x}"),
        }
    }
}

#[derive(Deserialize)]
struct Row {
    name: String,
    kind: Kind,
    unit: String,
    hard_min: f64,
    hard_max: f64,
    min: f64,
    max: f64,
    range_source: String,
    meaning: String,
    source: String,
}

static CSV: &str = include_str!("parameters.csv");

/// Run settings: scenario fields that are not model parameters (not swept). They are the
/// first rows of `parameters.csv`, so that their ranges are checked like the others'.
pub const RUN_SETTINGS: [&str; 3] = ["seed", "start_year", "end_year"];

/// Every row of the registry: the run settings, then the parameters, in scenario order.
pub fn all() -> &'static [Param] {
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
                    hard: (r.hard_min, r.hard_max),
                    plausible: (r.min, r.max),
                    range_source: r.range_source,
                    meaning: r.meaning,
                    source: r.source,
                }
            })
            .collect()
    })
}

/// Every model parameter (the rows after the run settings), in scenario order.
pub fn registry() -> &'static [Param] {
    &all()[RUN_SETTINGS.len()..]
}

/// The parameter named `name` (run settings excluded: they are not swept).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/baseline.toml");
        super::super::load(&path, &[]).expect("baseline loads")
    }

    #[test]
    fn every_scalar_field_of_the_scenario_has_a_registry_row_and_nothing_else() {
        let mut leaves = numeric_leaves(&baseline());
        let mut names: Vec<String> = all().iter().map(|p| p.name.clone()).collect();
        assert_eq!(
            names[..RUN_SETTINGS.len()],
            RUN_SETTINGS,
            "run settings come first"
        );
        leaves.sort();
        names.sort();
        assert_eq!(leaves, names);
    }

    #[test]
    fn every_row_has_both_ranges_with_sources_and_the_baseline_inside_them() {
        let s = baseline();
        for p in all() {
            let ((hlo, hhi), (plo, phi)) = (p.hard, p.plausible);
            assert!(
                !p.unit.is_empty()
                    && !p.meaning.is_empty()
                    && !p.source.is_empty()
                    && !p.range_source.is_empty(),
                "{}",
                p.name
            );
            assert!(
                [hlo, hhi, plo, phi].iter().all(|x| x.is_finite()),
                "{}",
                p.name
            );
            assert!(
                hlo <= plo && plo <= phi && phi <= hhi,
                "{}: plausible [{plo}, {phi}] not inside hard [{hlo}, {hhi}]",
                p.name
            );
            let v = value(&s, &p.name).expect("a value");
            assert!(
                (plo..=phi).contains(&v),
                "{} = {v} outside its plausible range [{plo}, {phi}]",
                p.name
            );
        }
    }
}
