//! Gaussian-process emulators of one model output over the unit cube of the calibrated
//! parameters (Kennedy & O'Hagan 2001; Vernon et al. 2010 for their use in history matching).
//!
//! Constant mean, squared-exponential covariance with one length per parameter, and a nugget
//! per training point equal to the variance of that point's replicate mean (the model is
//! stochastic: the emulator does not interpolate the noise). The signal variance is the
//! training outputs' variance; the lengths maximise the marginal likelihood over a grid, one
//! parameter at a time (a few sweeps), which is robust and cheap for the few hundred points
//! of a wave.

use nalgebra::{DMatrix, DVector};

/// Length scales tried for each parameter (share of its range).
const LENGTHS: [f64; 8] = [0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 2.0];
/// Sweeps of the one-parameter-at-a-time search.
const SWEEPS: usize = 3;
/// Jitter added to the diagonal, relative to the signal variance (numerical stability).
const JITTER: f64 = 1e-8;

/// A fitted emulator.
#[derive(Debug, Clone)]
pub struct Emulator {
    x: Vec<Vec<f64>>,
    mean: f64,
    signal_var: f64,
    lengths: Vec<f64>,
    chol: nalgebra::Cholesky<f64, nalgebra::Dyn>,
    alpha: DVector<f64>,
}

/// How well an emulator predicts runs it was not fitted on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// Held-back points.
    pub points: usize,
    /// Share whose standardised error is within ±3.
    pub within_3_sd: f64,
    /// Root mean square error, in output units.
    pub rmse: f64,
}

impl Emulator {
    /// Fits an emulator to outputs `y` (replicate means) at unit-cube points `x`, with `noise`
    /// the variance of each mean. `None` when there are fewer than 3 points or the output
    /// does not vary.
    pub fn fit(x: &[Vec<f64>], y: &[f64], noise: &[f64]) -> Option<Emulator> {
        let n = y.len();
        if n < 3 {
            return None;
        }
        let mean = y.iter().sum::<f64>() / n as f64;
        let signal_var = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        if !(signal_var > 0.0 && signal_var.is_finite()) {
            return None;
        }
        let d = x[0].len();
        let mut lengths = vec![0.5; d];
        let mut best = log_likelihood(x, y, noise, mean, signal_var, &lengths)?;
        for _ in 0..SWEEPS {
            for k in 0..d {
                for l in LENGTHS {
                    let mut trial = lengths.clone();
                    trial[k] = l;
                    if let Some(ll) = log_likelihood(x, y, noise, mean, signal_var, &trial)
                        && ll > best + 1e-9
                    {
                        best = ll;
                        lengths = trial;
                    }
                }
            }
        }
        let chol = covariance(x, noise, signal_var, &lengths).cholesky()?;
        let centred = DVector::from_iterator(n, y.iter().map(|v| v - mean));
        let alpha = chol.solve(&centred);
        Some(Emulator {
            x: x.to_vec(),
            mean,
            signal_var,
            lengths,
            chol,
            alpha,
        })
    }

    /// Expected output and emulator variance at unit-cube point `p`.
    pub fn predict(&self, p: &[f64]) -> (f64, f64) {
        let k = DVector::from_iterator(
            self.x.len(),
            self.x
                .iter()
                .map(|xi| kernel(xi, p, self.signal_var, &self.lengths)),
        );
        let mean = self.mean + k.dot(&self.alpha);
        let v = self.chol.solve(&k);
        let var = (self.signal_var - k.dot(&v)).max(0.0);
        (mean, var)
    }

    /// Length scales chosen (share of each parameter's range).
    pub fn lengths(&self) -> &[f64] {
        &self.lengths
    }

    /// Fits on every point but every `k`-th and predicts those: the held-back check.
    pub fn check(x: &[Vec<f64>], y: &[f64], noise: &[f64], k: usize) -> Option<Check> {
        let held: Vec<usize> = (0..y.len()).filter(|i| i % k == k - 1).collect();
        let kept: Vec<usize> = (0..y.len()).filter(|i| i % k != k - 1).collect();
        let pick = |v: &[f64], idx: &[usize]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let xs: Vec<Vec<f64>> = kept.iter().map(|&i| x[i].clone()).collect();
        let e = Emulator::fit(&xs, &pick(y, &kept), &pick(noise, &kept))?;
        let mut within = 0;
        let mut sq = 0.0;
        for &i in &held {
            let (m, v) = e.predict(&x[i]);
            let z = (y[i] - m) / (v + noise[i]).sqrt().max(f64::MIN_POSITIVE);
            within += usize::from(z.abs() <= 3.0);
            sq += (y[i] - m).powi(2);
        }
        let n = held.len().max(1) as f64;
        Some(Check {
            points: held.len(),
            within_3_sd: within as f64 / n,
            rmse: (sq / n).sqrt(),
        })
    }
}

fn kernel(a: &[f64], b: &[f64], signal_var: f64, lengths: &[f64]) -> f64 {
    let r2: f64 = a
        .iter()
        .zip(b)
        .zip(lengths)
        .map(|((x, y), l)| ((x - y) / l).powi(2))
        .sum();
    signal_var * (-0.5 * r2).exp()
}

fn covariance(x: &[Vec<f64>], noise: &[f64], signal_var: f64, lengths: &[f64]) -> DMatrix<f64> {
    let n = x.len();
    DMatrix::from_fn(n, n, |i, j| {
        let k = kernel(&x[i], &x[j], signal_var, lengths);
        if i == j {
            k + noise[i] + JITTER * signal_var
        } else {
            k
        }
    })
}

/// Log marginal likelihood of the centred outputs (up to a constant).
fn log_likelihood(
    x: &[Vec<f64>],
    y: &[f64],
    noise: &[f64],
    mean: f64,
    signal_var: f64,
    lengths: &[f64],
) -> Option<f64> {
    let chol = covariance(x, noise, signal_var, lengths).cholesky()?;
    let centred = DVector::from_iterator(y.len(), y.iter().map(|v| v - mean));
    let alpha = chol.solve(&centred);
    let log_det: f64 = chol.l().diagonal().iter().map(|v| v.ln()).sum::<f64>() * 2.0;
    Some(-0.5 * centred.dot(&alpha) - 0.5 * log_det)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design::lhs;

    fn f(p: &[f64]) -> f64 {
        (3.0 * p[0]).sin() + 2.0 * p[1] * p[1]
    }

    #[test]
    fn an_emulator_predicts_a_smooth_function_between_its_points_with_honest_variance() {
        let x = lhs(60, 2, 4);
        let y: Vec<f64> = x.iter().map(|p| f(p)).collect();
        let noise = vec![1e-6; y.len()];
        let e = Emulator::fit(&x, &y, &noise).unwrap();
        for p in lhs(40, 2, 99) {
            let (m, v) = e.predict(&p);
            assert!((m - f(&p)).abs() < 0.05, "{p:?}: {m} vs {}", f(&p));
            assert!((m - f(&p)).abs() <= 4.0 * (v + 1e-6).sqrt() + 1e-3, "{p:?}");
        }
        // Far from the data the emulator says it does not know.
        let (_, far) = Emulator::fit(&x[..5], &y[..5], &noise[..5])
            .unwrap()
            .predict(&[0.99, 0.99]);
        assert!(far > 0.0);
    }

    #[test]
    fn the_held_back_check_finds_nearly_every_point_within_three_sd() {
        let x = lhs(80, 2, 5);
        let y: Vec<f64> = x.iter().map(|p| f(p)).collect();
        let c = Emulator::check(&x, &y, &vec![1e-6; 80], 5).unwrap();
        assert_eq!(c.points, 16);
        assert!(c.within_3_sd >= 0.9, "{c:?}");
        assert!(c.rmse < 0.05, "{c:?}");
    }

    #[test]
    fn a_constant_output_has_no_emulator() {
        let x = lhs(10, 2, 1);
        assert!(Emulator::fit(&x, &[1.0; 10], &[0.0; 10]).is_none());
    }
}
