//! History matching in waves (Craig et al. 1997; Vernon, Goldstein & Bower 2010; for a
//! stochastic epidemic model, Andrianakis et al. 2015).
//!
//! A parameter set x is *implausible* for target j when
//!
//! ```text
//! I_j(x) = |z_j − E[f_j(x)]| / sqrt(V_obs,j + V_disc,j + V_stoch,j(x) [+ V_emul,j(x)]) > c
//! ```
//!
//! with z_j the observation, V_obs its error, V_disc the model discrepancy, V_stoch the
//! variance of one run across seeds (the world is one realisation) and, when E[f] comes from an
//! emulator, its variance. A set is kept when its largest I_j is at most the cut-off c (3, by
//! Pukelsheim's three-sigma rule for unimodal distributions). Wave 1 runs a Latin hypercube of
//! the prior box; each later wave draws candidates (half uniform, half near the sets kept by
//! the last wave), keeps those that no earlier wave's emulators rule out, and runs them. The
//! result is the non-implausible set, not a posterior density: every kept set weighs the same.
//!
//! Parameters live in the unit cube here; the caller scales them to the prior ranges.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::emulator::{Check, Emulator};
use crate::experiment::design::lhs;

/// One observed quantity and its errors.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Name, for reports.
    pub name: String,
    /// Observed value z.
    pub observed: f64,
    /// Standard deviation of the observation error.
    pub observation_sd: f64,
    /// Standard deviation of the model discrepancy (what the model cannot represent).
    pub discrepancy_sd: f64,
}

/// How the waves are run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Parameter sets run in each wave.
    pub points_per_wave: usize,
    /// Implausibility cut-off c.
    pub cutoff: f64,
    /// Candidates screened by the emulators to choose a later wave's sets.
    pub candidates: usize,
    /// Seed of the designs (not of the runs).
    pub seed: u64,
}

/// A wave's runs: for each parameter set (unit cube), each replicate's value of each target.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// Parameter sets, unit cube.
    pub points: Vec<Vec<f64>>,
    /// `[set][replicate][target]`.
    pub outputs: Vec<Vec<Vec<f64>>>,
}

/// A wave assessed against the targets.
#[derive(Debug, Clone)]
pub struct Wave {
    /// Parameter sets run, unit cube.
    pub points: Vec<Vec<f64>>,
    /// Mean over replicates, `[set][target]`.
    pub mean: Vec<Vec<f64>>,
    /// Variance of one run across replicates, `[set][target]` (0 with one replicate).
    pub run_var: Vec<Vec<f64>>,
    /// Implausibility of every set for every target, `[set][target]`.
    pub implausibility: Vec<Vec<f64>>,
    /// Sets whose largest implausibility is within the cut-off.
    pub kept: Vec<bool>,
    /// One emulator per target (none for an output that did not vary).
    pub emulators: Vec<Option<Emulator>>,
    /// Each emulator's check on held-back sets.
    pub checks: Vec<Option<Check>>,
    /// Mean run variance of each target (the stochastic term used with the emulators).
    pub mean_run_var: Vec<f64>,
}

/// Every fifth set is held back to check the emulators.
const HOLD_BACK_EVERY: usize = 5;

impl Wave {
    /// Computes means, variances and implausibilities, and fits the emulators.
    pub fn assess(runs: &Evaluated, targets: &[Target], cutoff: f64) -> Wave {
        let t = targets.len();
        let stats: Vec<(Vec<f64>, Vec<f64>)> = runs
            .outputs
            .iter()
            .map(|reps| (0..t).map(|j| mean_var(reps.iter().map(|r| r[j]))).unzip())
            .collect();
        let (mean, run_var): (Vec<Vec<f64>>, Vec<Vec<f64>>) = stats.into_iter().unzip();
        let implausibility: Vec<Vec<f64>> = mean
            .iter()
            .zip(&run_var)
            .map(|(m, v)| {
                (0..t)
                    .map(|j| implausibility(&targets[j], m[j], v[j]))
                    .collect()
            })
            .collect();
        let kept = implausibility
            .iter()
            .map(|i| largest(i) <= cutoff)
            .collect();
        let replicates = runs.outputs.first().map_or(1, Vec::len).max(1) as f64;
        let mut emulators = Vec::with_capacity(t);
        let mut checks = Vec::with_capacity(t);
        let mut mean_run_var = Vec::with_capacity(t);
        for j in 0..t {
            let y: Vec<f64> = mean.iter().map(|m| m[j]).collect();
            let noise: Vec<f64> = run_var.iter().map(|v| v[j] / replicates).collect();
            emulators.push(Emulator::fit(&runs.points, &y, &noise));
            checks.push(Emulator::check(&runs.points, &y, &noise, HOLD_BACK_EVERY));
            mean_run_var.push(run_var.iter().map(|v| v[j]).sum::<f64>() / y.len().max(1) as f64);
        }
        Wave {
            points: runs.points.clone(),
            mean,
            run_var,
            implausibility,
            kept,
            emulators,
            checks,
            mean_run_var,
        }
    }

    /// Whether this wave's emulators leave `p` non-implausible for every target.
    pub fn admits(&self, p: &[f64], targets: &[Target], cutoff: f64) -> bool {
        targets.iter().enumerate().all(|(j, target)| {
            let (m, v) = match &self.emulators[j] {
                Some(e) => e.predict(p),
                // The output did not vary: its value everywhere is the wave's.
                None => (self.mean.first().map_or(f64::NAN, |m| m[j]), 0.0),
            };
            implausibility(target, m, self.mean_run_var[j] + v) <= cutoff
        })
    }

    /// The sets kept.
    pub fn kept_points(&self) -> Vec<&[f64]> {
        self.points
            .iter()
            .zip(&self.kept)
            .filter(|(_, k)| **k)
            .map(|(p, _)| p.as_slice())
            .collect()
    }
}

/// I_j for a target, an expected value and the run variance (plus any emulator variance).
pub fn implausibility(t: &Target, expected: f64, var: f64) -> f64 {
    let denominator = (t.observation_sd.powi(2) + t.discrepancy_sd.powi(2) + var).sqrt();
    let i = (t.observed - expected).abs() / denominator;
    if i.is_nan() { f64::INFINITY } else { i }
}

/// The largest of a set's implausibilities.
pub fn largest(i: &[f64]) -> f64 {
    i.iter().copied().fold(0.0, f64::max)
}

fn mean_var(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let v: Vec<f64> = values.collect();
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var)
}

/// Why no wave can follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Exhausted {
    /// The wave that could not be designed (1-based).
    pub wave: usize,
    /// Candidates screened.
    pub candidates: usize,
}

/// The parameter sets of wave `k` (1-based) in the unit cube of `d` parameters, given the
/// waves before it. Only sets that `valid` accepts are chosen (a set that breaks a rule between
/// parameters, such as two ordered thresholds, would only fail its runs); when every set is
/// valid the design is the same as without the check.
pub fn design_wave(
    k: usize,
    d: usize,
    before: &[Wave],
    targets: &[Target],
    s: &Settings,
    valid: &(dyn Fn(&[f64]) -> bool + Sync),
) -> Result<Vec<Vec<f64>>, Exhausted> {
    let seed = s.seed ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let exhausted = Exhausted {
        wave: k,
        candidates: s.candidates,
    };
    let Some(last) = before.last() else {
        let mut chosen: Vec<Vec<f64>> = lhs(s.points_per_wave, d, seed)
            .into_iter()
            .filter(|p| valid(p))
            .collect();
        // Invalid sets are replaced by the valid ones of a larger hypercube.
        if chosen.len() < s.points_per_wave {
            let more = lhs(s.candidates, d, seed.wrapping_add(2));
            let missing = s.points_per_wave - chosen.len();
            chosen.extend(more.into_iter().filter(|p| valid(p)).take(missing));
        }
        return if chosen.is_empty() {
            Err(exhausted)
        } else {
            Ok(chosen)
        };
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let near = last.kept_points();
    let spread = spread(&near, d);
    let uniform = lhs(s.candidates / 2, d, seed.wrapping_add(1));
    let mut chosen = Vec::new();
    for c in 0..s.candidates {
        let p = if c % 2 == 0 || near.is_empty() {
            uniform[(c / 2).min(uniform.len() - 1)].clone()
        } else {
            let centre = near[rng.random_range(0..near.len())];
            perturb(centre, &spread, &mut rng)
        };
        if before.iter().all(|w| w.admits(&p, targets, s.cutoff)) && valid(&p) {
            chosen.push(p);
            if chosen.len() == s.points_per_wave {
                break;
            }
        }
    }
    if chosen.is_empty() {
        return Err(exhausted);
    }
    Ok(chosen)
}

/// Per-parameter standard deviation of the kept sets (at least 2 % of the range).
fn spread(points: &[&[f64]], d: usize) -> Vec<f64> {
    (0..d)
        .map(|i| {
            let (_, var) = mean_var(points.iter().map(|p| p[i]));
            var.sqrt().max(0.02)
        })
        .collect()
}

/// A point near `centre` inside the unit cube (redrawn until inside, then clamped).
fn perturb(centre: &[f64], spread: &[f64], rng: &mut Xoshiro256PlusPlus) -> Vec<f64> {
    centre
        .iter()
        .zip(spread)
        .map(|(&c, &sd)| {
            let normal = Normal::new(c, sd).expect("a positive spread");
            (0..20)
                .map(|_| normal.sample(rng))
                .find(|v| (0.0..=1.0).contains(v))
                .unwrap_or(c)
        })
        .collect()
}

/// Runs `waves` waves with `evaluate` (sets in the unit cube → their runs); stops early when
/// no set survives. Returns the waves run and, if it stopped early, why.
pub fn run_waves(
    waves: usize,
    d: usize,
    targets: &[Target],
    s: &Settings,
    valid: &(dyn Fn(&[f64]) -> bool + Sync),
    mut evaluate: impl FnMut(usize, &[Vec<f64>]) -> Vec<Vec<Vec<f64>>>,
) -> (Vec<Wave>, Option<Exhausted>) {
    let mut done: Vec<Wave> = Vec::new();
    for k in 1..=waves {
        let points = match design_wave(k, d, &done, targets, s, valid) {
            Ok(p) => p,
            Err(e) => return (done, Some(e)),
        };
        let outputs = evaluate(k, &points);
        done.push(Wave::assess(
            &Evaluated { points, outputs },
            targets,
            s.cutoff,
        ));
    }
    (done, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A noisy closed-form model of two parameters with three outputs.
    fn model(p: &[f64], seed: u64) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let noise = Normal::new(0.0, 0.01).unwrap();
        vec![
            p[0] + p[1] + noise.sample(&mut rng),
            p[0] - p[1] + noise.sample(&mut rng),
            p[0] * p[1] + noise.sample(&mut rng),
        ]
    }

    fn targets(truth: &[f64]) -> Vec<Target> {
        let names = ["sum", "difference", "product"];
        model(truth, 999)
            .into_iter()
            .zip(names)
            .map(|(z, name)| Target {
                name: name.into(),
                observed: z,
                observation_sd: 0.02,
                discrepancy_sd: 0.0,
            })
            .collect()
    }

    fn settings() -> Settings {
        Settings {
            points_per_wave: 40,
            cutoff: 3.0,
            candidates: 20_000,
            seed: 7,
        }
    }

    fn evaluate(k: usize, points: &[Vec<f64>]) -> Vec<Vec<Vec<f64>>> {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (0..3)
                    .map(|r| model(p, (k * 1000 + i * 10 + r) as u64))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn history_matching_keeps_the_true_parameters_and_rules_out_a_wrong_region() {
        let truth = [0.3, 0.6];
        let t = targets(&truth);
        let (waves, stopped) = run_waves(3, 2, &t, &settings(), &|_| true, evaluate);
        assert!(stopped.is_none(), "{stopped:?}");
        let last = waves.last().unwrap();
        let kept = last.kept_points();
        assert!(kept.len() >= 10, "{} sets kept", kept.len());
        // The truth is not ruled out by any wave.
        assert!(waves.iter().all(|w| w.admits(&truth, &t, 3.0)));
        // Every kept set is near the truth; the region p0 > 0.6 is ruled out.
        for p in &kept {
            assert!(
                (p[0] - 0.3).abs() < 0.1 && (p[1] - 0.6).abs() < 0.1,
                "{p:?}"
            );
        }
        assert!(!waves[0].admits(&[0.8, 0.2], &t, 3.0));
        // Later waves concentrate: a larger share of their sets is kept.
        let share = |w: &Wave| w.kept.iter().filter(|k| **k).count() as f64 / w.kept.len() as f64;
        assert!(
            share(last) > share(&waves[0]),
            "{} vs {}",
            share(last),
            share(&waves[0])
        );
    }

    #[test]
    fn targets_that_no_parameter_set_can_meet_leave_an_empty_region() {
        let mut t = targets(&[0.3, 0.6]);
        // A sum of 5 is out of reach of parameters in [0, 1].
        t[0].observed = 5.0;
        let (waves, stopped) = run_waves(3, 2, &t, &settings(), &|_| true, evaluate);
        assert_eq!(waves.len(), 1);
        assert_eq!(stopped.map(|e| e.wave), Some(2));
        assert!(waves[0].kept.iter().all(|k| !k));
    }

    #[test]
    fn every_wave_keeps_only_sets_that_keep_the_rule_between_parameters() {
        let truth = [0.3, 0.6];
        let t = targets(&truth);
        // The first parameter must stay below the second (as two ordered thresholds must).
        let ordered = |p: &[f64]| p[0] <= p[1];
        let (waves, stopped) = run_waves(3, 2, &t, &settings(), &ordered, evaluate);
        assert!(stopped.is_none(), "{stopped:?}");
        for w in &waves {
            assert!(w.points.iter().all(|p| ordered(p)));
        }
        // The first wave is still full: invalid sets were replaced, not dropped.
        assert_eq!(waves[0].points.len(), settings().points_per_wave);
        // Without a broken rule the design is the one without the check.
        let all = |_: &[f64]| true;
        let s = settings();
        assert_eq!(
            design_wave(1, 2, &[], &t, &s, &all).unwrap(),
            lhs(s.points_per_wave, 2, s.seed ^ 0x9e37_79b9_7f4a_7c15)
        );
    }

    #[test]
    fn implausibility_counts_every_source_of_uncertainty() {
        let t = Target {
            name: "x".into(),
            observed: 1.0,
            observation_sd: 0.3,
            discrepancy_sd: 0.4,
        };
        // |1 − 0| / sqrt(0.09 + 0.16 + 0.75) = 1.
        assert!((implausibility(&t, 0.0, 0.75) - 1.0).abs() < 1e-12);
        assert!(implausibility(&t, f64::NAN, 0.0).is_infinite());
    }
}
