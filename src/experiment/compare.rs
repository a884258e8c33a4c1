//! Paired comparisons of policies with a baseline: every scenario runs on the same seeds
//! (common random numbers), so a policy's effect is measured replicate by replicate, and
//! reported as the mean paired difference with a 90 % Student interval, which narrows as
//! replicates grow. With an ensemble (parameter sets × seeds), the interval also carries the
//! parameters' uncertainty, and the variance of an effect is split between the parameters and
//! chance.

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
    /// Parameter set of each replicate (all 0 without an ensemble).
    pub sets: Vec<usize>,
    /// Records of each scenario and replicate.
    pub runs: Vec<Vec<Records>>,
}

/// Runs every scenario on every replicate `(parameter set, seed)` of `plan`, in parallel;
/// `variants[set][scenario]` is each scenario with that set's parameters. `on_done` after
/// each run.
pub fn run_all(
    variants: &[Vec<Scenario>],
    inputs: &Inputs,
    plan: &[(usize, u64)],
    on_done: impl Fn() + Sync,
) -> Result<Runs, ModelError> {
    let scenarios = &variants[0];
    let jobs: Vec<(usize, usize, u64)> = (0..scenarios.len())
        .flat_map(|i| plan.iter().map(move |&(set, seed)| (i, set, seed)))
        .collect();
    let records: Vec<Records> = jobs
        .par_iter()
        .map(|&(i, set, seed)| {
            let mut s = variants[set][i].clone();
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
        .map(|_| it.by_ref().take(plan.len()).collect())
        .collect();
    Ok(Runs {
        names: scenarios.iter().map(|s| s.name.clone()).collect(),
        seeds: plan.iter().map(|p| p.1).collect(),
        sets: plan.iter().map(|p| p.0).collect(),
        runs,
    })
}

/// A mean with its 90 % interval (Student t over replicates; with an ensemble, also the
/// spread over parameter sets).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Mean.
    pub mean: f64,
    /// Lower bound (5 %).
    pub low: f64,
    /// Upper bound (95 %).
    pub high: f64,
    /// With an ensemble: the share of the effect's variance due to the parameters (the rest
    /// is chance, seed to seed).
    pub parameter_share: Option<f64>,
}

/// The effect policy − baseline of `f`, with its interval: over seeds, or over the
/// ensemble's parameter sets and seeds.
pub fn effect(runs: &Runs, policy: usize, f: impl Fn(&Records) -> f64) -> Interval {
    grouped_interval(&paired(runs, policy, f), &runs.sets)
}

/// Mean and 90 % interval of `v` whose values come in groups (parameter sets): with one
/// group, the Student interval of the mean; with several, the interval that also holds 90 %
/// of the groups' own means (normal, from their spread less the part chance explains), never
/// narrower than the Student one, and the share of variance due to the groups (one-way
/// analysis of variance: between-set variance net of the seeds' noise, over the total).
pub fn grouped_interval(v: &[f64], groups: &[usize]) -> Interval {
    let chance = interval(v);
    let n_groups = groups.iter().max().map_or(1, |m| m + 1);
    if n_groups < 2 || groups.len() != v.len() {
        return chance;
    }
    let mut by_group: Vec<Vec<f64>> = vec![Vec::new(); n_groups];
    for (&g, &x) in groups.iter().zip(v) {
        by_group[g].push(x);
    }
    by_group.retain(|g| !g.is_empty());
    let mean_of = |g: &[f64]| g.iter().sum::<f64>() / g.len() as f64;
    let means: Vec<f64> = by_group.iter().map(|g| mean_of(g)).collect();
    let within: Vec<f64> = by_group
        .iter()
        .filter(|g| g.len() > 1)
        .map(|g| {
            let m = mean_of(g);
            g.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (g.len() - 1) as f64
        })
        .collect();
    let within_var = if within.is_empty() {
        0.0
    } else {
        within.iter().sum::<f64>() / within.len() as f64
    };
    let per_group = v.len() as f64 / by_group.len() as f64;
    let m = mean_of(&means);
    let between = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (means.len() - 1) as f64;
    let parameters_var = (between - within_var / per_group).max(0.0);
    let total = parameters_var + within_var;
    let half = 1.645 * between.sqrt();
    // Chance within a set is measured only where every set has two seeds or more: with one,
    // the whole spread would be put down to the parameters (a share of 1 that nothing
    // measured).
    let estimable = by_group.iter().all(|g| g.len() >= 2);
    Interval {
        mean: chance.mean,
        low: chance.low.min(chance.mean - half),
        high: chance.high.max(chance.mean + half),
        parameter_share: (estimable && total > 0.0).then(|| parameters_var / total),
    }
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
            parameter_share: None,
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
        parameter_share: None,
    }
}

/// Share of 17+ without an MT.
pub fn share(c: &Counts) -> f64 {
    c.share_without_mt_17plus().unwrap_or(f64::NAN)
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

/// What a policy costs per person-year with an MT it gains (from the mean paired effects over
/// the run): the one rule behind comparison.csv and comparison.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CostPerYearGained {
    /// The policy costs nothing modelled (0 € per person-year, whatever it gains).
    NoCost,
    /// It costs something and gains no person-year: no ratio exists.
    NoGain,
    /// Euros per person-year with an MT gained.
    Eur(f64),
}

impl CostPerYearGained {
    /// From the mean cumulated cost (€) and the mean person-years with an MT gained.
    pub fn of(cost: f64, gained: f64) -> CostPerYearGained {
        if cost == 0.0 {
            CostPerYearGained::NoCost
        } else if gained > 0.0 {
            CostPerYearGained::Eur(cost / gained)
        } else {
            CostPerYearGained::NoGain
        }
    }

    /// As a number for a table: 0 without cost, NaN (an empty cell) without gain.
    pub fn eur(self) -> f64 {
        match self {
            CostPerYearGained::NoCost => 0.0,
            CostPerYearGained::NoGain => f64::NAN,
            CostPerYearGained::Eur(v) => v,
        }
    }
}

/// Yearly change of the patients without an MT by reason, mean over replicates:
/// `[year index][reason]`, the first year against the start state's first record.
pub fn causal(runs: &Runs, scenario: usize) -> Vec<(u16, [f64; Reason::COUNT])> {
    let reps = &runs.runs[scenario];
    let years = reps[0].years.len();
    (1..years)
        .map(|k| {
            let mut change = [0.0; Reason::COUNT];
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

    #[test]
    fn an_ensemble_interval_is_at_least_as_wide_as_chance_and_splits_the_variance() {
        // Three parameter sets × four seeds: sets differ by 1, seeds by ±0.1.
        let noise = [-0.1, 0.1, -0.1, 0.1];
        let v: Vec<f64> = (0..3)
            .flat_map(|s| noise.iter().map(move |e| s as f64 + e))
            .collect();
        let groups: Vec<usize> = (0..3).flat_map(|s| [s; 4]).collect();
        let chance = interval(&v);
        let both = grouped_interval(&v, &groups);
        assert_eq!(both.mean, chance.mean);
        assert!(both.low <= chance.low && both.high >= chance.high);
        // Between-set variance 1, within 0.0133: the parameters explain nearly all of it.
        let share = both.parameter_share.unwrap();
        assert!(share > 0.98 && share < 1.0, "{share}");
        // Sets that do not differ: chance explains it all.
        let flat: Vec<f64> = (0..3).flat_map(|_| noise).collect();
        assert!(grouped_interval(&flat, &groups).parameter_share.unwrap() < 0.01);
        // One set: the Student interval.
        assert_eq!(grouped_interval(&v, &[0; 12]), chance);
    }

    #[test]
    fn one_seed_per_parameter_set_cannot_split_the_variance() {
        let v = [0.1, 0.2, 0.4];
        assert_eq!(grouped_interval(&v, &[0, 1, 2]).parameter_share, None);
        // One set with a single seed among sets of two is no better.
        let v = [0.1, 0.11, 0.2, 0.21, 0.4];
        assert_eq!(grouped_interval(&v, &[0, 0, 1, 1, 2]).parameter_share, None);
    }
}
