//! Each département's own attractiveness to installing GPs, estimated from observed stock
//! changes (docs/model.md, "Where GPs settle"; `medesert estimate-places`).
//!
//! 1. **Inversion.** A constant per département enters the installation logit. Given the
//!    constants, the model's runs give each département's installations, stock at the start
//!    and at the end of the fitting window. The installations a département would need for
//!    its stock to change as the RPPS says are the simulated ones plus the gap between the
//!    observed and the simulated change (the national level left to the pipeline: only the
//!    allocation is fitted). The constants move by the log ratio of needed to simulated
//!    installations: the contraction mapping by which Berry, Levinsohn and Pakes invert a
//!    logit's shares, iterated on the simulation, its last iterates averaged to smooth the
//!    seeds' noise.
//! 2. **Shrinkage.** Each inverted constant has a standard error (the seeds' noise and the
//!    observed change's own noise, its gross flows taken as Poisson). The constants are
//!    regressed on covariates by weighted least squares with a between-département variance
//!    τ² (Paule–Mandel: the weighted residuals' sum of squares equals its degrees of freedom),
//!    and each is shrunk toward its covariate prediction by τ² / (τ² + se²): empirical Bayes.
//!
//! Everything here is plain numbers; `app/places.rs` runs the model and writes the files.

use nalgebra::{DMatrix, DVector};

/// What the model did in each département over the fitting window, summed over seeds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flows {
    /// GPs at the start of the window.
    pub start: Vec<f64>,
    /// GPs at its end.
    pub end: Vec<f64>,
    /// GPs installed during it.
    pub installations: Vec<f64>,
    /// GPs who stopped during it.
    pub exits: Vec<f64>,
}

/// No département is asked for fewer than this share of the installations its size would
/// get at the national rate: an observed loss deeper than the model's exits cannot be reached
/// by installing nobody. The floor is fixed by the stock, not by the current step's
/// installations, so a département at the floor converges instead of drifting down.
pub const MIN_TARGET_SHARE: f64 = 0.2;

/// Installations each département needs for its stock to change by `yearly_change` a year
/// over `years` years, the national total kept at the simulated one.
pub fn target_installations(sim: &Flows, yearly_change: &[f64], years: f64) -> Vec<f64> {
    let gap: Vec<f64> = (0..sim.start.len())
        .map(|d| {
            let wanted = sim.start[d] * ((1.0 + yearly_change[d]).powf(years) - 1.0);
            wanted - (sim.end[d] - sim.start[d])
        })
        .collect();
    let stock = sim.start.iter().sum::<f64>().max(1.0);
    let national = gap.iter().sum::<f64>() / stock;
    let rate = sim.installations.iter().sum::<f64>() / stock;
    (0..gap.len())
        .map(|d| {
            let needed = sim.installations[d] + gap[d] - national * sim.start[d];
            needed.max(MIN_TARGET_SHARE * rate * sim.start[d]).max(0.5)
        })
        .collect()
}

/// The log ratio of needed to simulated installations of each département.
pub fn log_gaps(sim: &Flows, target: &[f64]) -> Vec<f64> {
    target
        .iter()
        .zip(&sim.installations)
        .map(|(t, i)| (t / i.max(0.5)).ln())
        .collect()
}

/// Settings of the inversion.
#[derive(Debug, Clone, Copy)]
pub struct Inversion {
    /// Years of the simulated window.
    pub years: f64,
    /// Contraction steps.
    pub iterations: usize,
    /// Share of each step's log gap applied (1: the plain contraction).
    pub damping: f64,
    /// The last this many iterates are averaged.
    pub averaged: usize,
}

/// The result of the inversion.
#[derive(Debug, Clone)]
pub struct Inverted {
    /// The constants (mean 0), averaged over the last iterates.
    pub constant: Vec<f64>,
    /// Root mean square log gap at each step (the first before any move).
    pub history: Vec<f64>,
    /// The flows of the last step's runs.
    pub last: Flows,
}

/// Inverts the observed yearly changes into constants, calling `simulate` with the current
/// constants at each step.
pub fn invert<E>(
    yearly_change: &[f64],
    settings: Inversion,
    start: Vec<f64>,
    mut simulate: impl FnMut(&[f64]) -> Result<Flows, E>,
) -> Result<Inverted, E> {
    let n = yearly_change.len();
    let mut constant = start;
    let (mut history, mut kept) = (Vec::new(), Vec::new());
    let mut last = Flows::default();
    for step in 0..settings.iterations {
        let sim = simulate(&constant)?;
        let target = target_installations(&sim, yearly_change, settings.years);
        let gaps = log_gaps(&sim, &target);
        history.push((gaps.iter().map(|g| g * g).sum::<f64>() / n as f64).sqrt());
        if step + settings.averaged >= settings.iterations {
            kept.push(constant.clone());
        }
        for (c, g) in constant.iter_mut().zip(&gaps) {
            *c += settings.damping * g;
        }
        centre(&mut constant);
        last = sim;
    }
    let averaged = (0..n)
        .map(|d| kept.iter().map(|k| k[d]).sum::<f64>() / kept.len().max(1) as f64)
        .collect();
    Ok(Inverted {
        constant: averaged,
        history,
        last,
    })
}

/// Shifts constants to mean 0 (a logit's constants are identified up to one shift).
pub fn centre(constant: &mut [f64]) {
    let mean = constant.iter().sum::<f64>() / constant.len().max(1) as f64;
    for c in constant.iter_mut() {
        *c -= mean;
    }
}

/// Standard error of each inverted constant: the seeds' noise on the simulated installations
/// (Poisson, over `seeds` runs) and the observed change's own noise (its gross flows, entries
/// and exits over `observed_years` years, taken as Poisson: `gross_observed`, in RPPS GPs),
/// carried to the needed installations at the model's scale (`scale`: model GPs per RPPS GP).
pub fn standard_errors(
    sim: &Flows,
    target: &[f64],
    gross_observed: &[f64],
    scale: &[f64],
    years: (f64, f64),
) -> Vec<f64> {
    let (simulated_years, observed_years) = years;
    (0..target.len())
        .map(|d| {
            let seeds = 1.0 / sim.installations[d].max(0.5);
            // The observed change over `observed_years`, brought to the simulated window and
            // the model's scale: its variance is the gross flows' (Poisson).
            let per_year_sd = gross_observed[d].sqrt() / observed_years;
            let window_sd = per_year_sd * simulated_years * scale[d];
            let observed = (window_sd / target[d]).powi(2);
            (seeds + observed).sqrt()
        })
        .collect()
}

/// The covariate model of the constants and the constants shrunk toward it.
#[derive(Debug, Clone)]
pub struct Shrunk {
    /// Coefficients, the intercept first.
    pub coefficient: Vec<f64>,
    /// Their standard errors.
    pub coefficient_se: Vec<f64>,
    /// Between-département variance left after the covariates.
    pub tau2: f64,
    /// Each département's prediction from its covariates.
    pub prediction: Vec<f64>,
    /// Weight of its own estimate, τ² / (τ² + se²).
    pub weight: Vec<f64>,
    /// The shrunk constant.
    pub constant: Vec<f64>,
    /// Its posterior standard deviation (the coefficients' uncertainty left out).
    pub sd: Vec<f64>,
}

/// Regresses `estimate` (standard errors `se`) on the columns of `covariates` (one row per
/// département, an intercept added) and shrinks each estimate toward its prediction. `None`
/// when the weighted design is singular or there are no more départements than coefficients.
pub fn shrink(estimate: &[f64], se: &[f64], covariates: &[Vec<f64>]) -> Option<Shrunk> {
    let n = estimate.len();
    let k = covariates.first().map_or(0, Vec::len) + 1;
    if n <= k {
        return None;
    }
    let x = DMatrix::from_fn(n, k, |r, c| if c == 0 { 1.0 } else { covariates[r][c - 1] });
    let y = DVector::from_column_slice(estimate);
    let fit = |tau2: f64| -> Option<(DVector<f64>, DMatrix<f64>, f64)> {
        let w = DVector::from_iterator(n, se.iter().map(|s| 1.0 / (s * s + tau2)));
        let xtw = DMatrix::from_fn(k, n, |r, c| x[(c, r)] * w[c]);
        let inverse = (&xtw * &x).try_inverse()?;
        let beta = &inverse * (&xtw * &y);
        let residual = &y - &x * &beta;
        let q = (0..n)
            .map(|i| w[i] * residual[i] * residual[i])
            .sum::<f64>();
        Some((beta, inverse, q))
    };
    let dof = (n - k) as f64;
    // Paule–Mandel: the weighted sum of squares falls as τ² grows; bisect for Q(τ²) = n − k.
    let (mut low, mut high) = (0.0, 1.0);
    let tau2 = if fit(0.0)?.2 <= dof {
        0.0
    } else {
        while fit(high)?.2 > dof && high < 1e3 {
            high *= 2.0;
        }
        for _ in 0..60 {
            let mid = 0.5 * (low + high);
            if fit(mid)?.2 > dof {
                low = mid;
            } else {
                high = mid;
            }
        }
        0.5 * (low + high)
    };
    let (beta, inverse, _) = fit(tau2)?;
    let prediction: Vec<f64> = (0..n).map(|i| (x.row(i) * &beta)[0]).collect();
    let weight: Vec<f64> = se
        .iter()
        .map(|s| {
            if tau2 + s * s > 0.0 {
                tau2 / (tau2 + s * s)
            } else {
                1.0
            }
        })
        .collect();
    let constant = (0..n)
        .map(|i| weight[i] * estimate[i] + (1.0 - weight[i]) * prediction[i])
        .collect();
    let sd = (0..n).map(|i| (weight[i] * se[i] * se[i]).sqrt()).collect();
    Some(Shrunk {
        coefficient: beta.iter().copied().collect(),
        coefficient_se: (0..k).map(|j| inverse[(j, j)].max(0.0).sqrt()).collect(),
        tau2,
        prediction,
        weight,
        constant,
        sd,
    })
}

#[cfg(test)]
#[path = "places_tests.rs"]
mod tests;
