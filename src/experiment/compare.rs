//! Paired comparisons of policies with a baseline: every scenario runs on the same seeds
//! (common random numbers), so a policy's effect is measured replicate by replicate, and
//! reported as the mean paired difference with a 90 % Student interval, which narrows as
//! replicates grow.

use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::inputs::Inputs;
use crate::model::{Counts, ModelError, Reason, Records, Simulation};
use crate::scenario::Scenario;

/// Every run of a comparison: `runs[scenario][replicate]`, scenario 0 the baseline.
#[derive(Debug, Clone)]
pub struct Runs {
    /// Scenario names, baseline first.
    pub names: Vec<String>,
    /// Seeds, one per replicate, the same for every scenario.
    pub seeds: Vec<u64>,
    /// Records of each scenario and replicate.
    pub runs: Vec<Vec<Records>>,
}

/// Runs every scenario on every seed, in parallel; `on_done` after each run.
pub fn run_all(
    scenarios: &[Scenario],
    inputs: &Inputs,
    seeds: &[u64],
    on_done: impl Fn() + Sync,
) -> Result<Runs, ModelError> {
    let jobs: Vec<(usize, u64)> = (0..scenarios.len())
        .flat_map(|i| seeds.iter().map(move |&s| (i, s)))
        .collect();
    let records: Vec<Records> = jobs
        .par_iter()
        .map(|&(i, seed)| {
            let mut s = scenarios[i].clone();
            s.seed = seed;
            let mut sim = Simulation::new(&s, inputs)?;
            sim.run(|_| {});
            on_done();
            Ok(sim.records().clone())
        })
        .collect::<Result<_, ModelError>>()?;
    let mut it = records.into_iter();
    let runs = scenarios
        .iter()
        .map(|_| it.by_ref().take(seeds.len()).collect())
        .collect();
    Ok(Runs {
        names: scenarios.iter().map(|s| s.name.clone()).collect(),
        seeds: seeds.to_vec(),
        runs,
    })
}

/// A mean with its 90 % interval (Student t over replicates).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Mean.
    pub mean: f64,
    /// Lower bound (5 %).
    pub low: f64,
    /// Upper bound (95 %).
    pub high: f64,
}

/// Mean and 90 % interval of `v` (a single value: no width).
pub fn interval(v: &[f64]) -> Interval {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n.max(1.0);
    if v.len() < 2 {
        return Interval {
            mean,
            low: mean,
            high: mean,
        };
    }
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .map(|d| d.inverse_cdf(0.95))
        .unwrap_or(1.645);
    let half = t * sd / n.sqrt();
    Interval {
        mean,
        low: mean - half,
        high: mean + half,
    }
}

/// Share of 17+ without an MT.
pub fn share(c: &Counts) -> f64 {
    c.without_mt_17plus_total() as f64 / c.population_17plus.max(1) as f64
}

/// One value per replicate of a scenario, from the records.
pub fn per_replicate(runs: &Runs, scenario: usize, f: impl Fn(&Records) -> f64) -> Vec<f64> {
    runs.runs[scenario].iter().map(f).collect()
}

/// Paired differences policy − baseline of `f`, one per replicate.
pub fn paired(runs: &Runs, policy: usize, f: impl Fn(&Records) -> f64) -> Vec<f64> {
    runs.runs[policy]
        .iter()
        .zip(&runs.runs[0])
        .map(|(p, b)| f(p) - f(b))
        .collect()
}

/// Counts of `year` (national), if recorded.
pub fn national(r: &Records, year: u16) -> Option<&Counts> {
    r.years.iter().find(|y| y.year == year).map(|y| &y.national)
}

/// Patients 17+ without an MT summed over the years of the run (person-years).
pub fn person_years_without(r: &Records) -> f64 {
    r.years
        .iter()
        .map(|y| y.national.without_mt_17plus_total() as f64)
        .sum()
}

/// Policy cost summed over the run, €.
pub fn total_cost(r: &Records) -> f64 {
    r.years.iter().map(|y| y.national.policy_cost_eur).sum()
}

/// Yearly change of the patients without an MT by reason, mean over replicates:
/// `[year index][reason]`, the first year against the start state's first record.
pub fn causal(runs: &Runs, scenario: usize) -> Vec<(u16, [f64; 5])> {
    let reps = &runs.runs[scenario];
    let years = reps[0].years.len();
    (1..years)
        .map(|k| {
            let mut change = [0.0; 5];
            for r in reps {
                let (now, before) = (&r.years[k].national, &r.years[k - 1].national);
                for (i, reason) in Reason::ALL.iter().enumerate() {
                    change[i] += now.without(*reason) as f64 - before.without(*reason) as f64;
                }
            }
            for c in &mut change {
                *c /= reps.len() as f64;
            }
            (reps[0].years[k].year, change)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_the_student_one_and_narrows_with_more_replicates() {
        let i = interval(&[1.0, 2.0, 3.0]);
        // mean 2, sd 1, t(0.95, 2) = 2.919986
        assert!((i.mean - 2.0).abs() < 1e-12);
        assert!(
            (i.high - 2.0 - 2.919986 / 3f64.sqrt()).abs() < 1e-5,
            "{i:?}"
        );
        let wide = interval(&[1.0, 3.0, 1.0, 3.0]);
        let narrow = interval(&[1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0]);
        assert!(narrow.high - narrow.low < wide.high - wide.low);
        assert_eq!(interval(&[5.0]).low, 5.0);
    }
}
