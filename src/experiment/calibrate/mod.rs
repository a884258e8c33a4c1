//! Calibration: history matching in waves with Gaussian-process emulators, on any model that
//! maps parameter sets to runs of its targets (the simulation through the sweep engine, or a
//! closed-form test model), and the typed results the output layer formats.

pub mod emulator;
pub mod file;
pub mod history;
pub mod waves;

use file::Calibration;
use history::{Exhausted, Wave, largest};

/// A finished (or stopped) calibration.
#[derive(Debug)]
pub struct Outcome<'a> {
    /// The checked calibration file.
    pub calibration: &'a Calibration,
    /// The waves run, assessed.
    pub waves: &'a [Wave],
    /// Sets of each wave left out because every run of theirs failed.
    pub failed_sets: &'a [usize],
    /// Why the waves stopped before the last, if they did.
    pub exhausted: Option<Exhausted>,
}

/// One retained parameter set.
#[derive(Debug, Clone, PartialEq)]
pub struct Retained {
    /// Wave (1-based) and set within it (0-based).
    pub wave: usize,
    /// Set within its wave.
    pub set: usize,
    /// Parameter values.
    pub values: Vec<f64>,
    /// Largest implausibility over the targets.
    pub implausibility: f64,
    /// Weight (equal: history matching gives a set, not a density).
    pub weight: f64,
}

/// What a target did across the waves.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSummary {
    /// Name, e.g. `share_without_mt_17plus 2021`.
    pub name: String,
    /// Observed value.
    pub observed: f64,
    /// Observation and discrepancy standard deviations.
    pub sd: (f64, f64),
    /// Mean simulated value over the retained sets (`None` when none is retained).
    pub retained_mean: Option<f64>,
    /// Smallest implausibility of any set run (how close the model came).
    pub best_implausibility: f64,
    /// Share of each wave's sets this target alone rules out.
    pub ruled_out_share: Vec<f64>,
}

/// What a parameter's retained values look like against its prior.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSummary {
    /// Dotted name.
    pub name: String,
    /// Prior range.
    pub prior: (f64, f64),
    /// (min, median, max) of the retained sets, `None` when none is retained.
    pub retained: Option<(f64, f64, f64)>,
}

impl Outcome<'_> {
    /// The non-implausible sets of the last wave, in parameter units.
    pub fn retained(&self) -> Vec<Retained> {
        let Some(last) = self.waves.last() else {
            return Vec::new();
        };
        let k = self.waves.len();
        let kept: Vec<usize> = (0..last.kept.len()).filter(|&i| last.kept[i]).collect();
        let weight = 1.0 / kept.len().max(1) as f64;
        kept.into_iter()
            .map(|i| Retained {
                wave: k,
                set: i,
                values: self.values(&last.points[i]),
                implausibility: largest(&last.implausibility[i]),
                weight,
            })
            .collect()
    }

    /// Parameter values of a unit-cube set.
    pub fn values(&self, unit: &[f64]) -> Vec<f64> {
        unit.iter()
            .enumerate()
            .map(|(i, &u)| self.calibration.scale(i, u))
            .collect()
    }

    /// Each target's fit.
    pub fn targets(&self) -> Vec<TargetSummary> {
        let retained = self.retained();
        let last = self.waves.last();
        self.calibration
            .targets
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let retained_mean = last.filter(|_| !retained.is_empty()).map(|w| {
                    retained.iter().map(|r| w.mean[r.set][j]).sum::<f64>() / retained.len() as f64
                });
                let best_implausibility = self
                    .waves
                    .iter()
                    .flat_map(|w| w.implausibility.iter().map(move |i| i[j]))
                    .fold(f64::INFINITY, f64::min);
                let ruled_out_share = self
                    .waves
                    .iter()
                    .map(|w| {
                        let n = w.implausibility.len().max(1) as f64;
                        let out = w
                            .implausibility
                            .iter()
                            .filter(|i| i[j] > self.calibration.file.cutoff)
                            .count();
                        out as f64 / n
                    })
                    .collect();
                TargetSummary {
                    name: t.name.clone(),
                    observed: t.observed,
                    sd: (t.observation_sd, t.discrepancy_sd),
                    retained_mean,
                    best_implausibility,
                    ruled_out_share,
                }
            })
            .collect()
    }

    /// Each parameter's retained range against its prior.
    pub fn parameters(&self) -> Vec<ParameterSummary> {
        let retained = self.retained();
        self.calibration
            .priors
            .iter()
            .enumerate()
            .map(|(i, (name, lo, hi))| {
                let mut v: Vec<f64> = retained.iter().map(|r| r.values[i]).collect();
                v.sort_by(f64::total_cmp);
                ParameterSummary {
                    name: name.clone(),
                    prior: (*lo, *hi),
                    retained: (!v.is_empty()).then(|| (v[0], v[v.len() / 2], v[v.len() - 1])),
                }
            })
            .collect()
    }
}
