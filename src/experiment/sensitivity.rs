//! Sensitivity indices from a sweep's outputs: Sobol first-order (S1) and total-order (ST)
//! indices with bootstrap intervals (Saltelli 2010, Jansen 1999 estimators, as SALib's
//! `sobol.analyze` without second order), and Morris μ*, μ and σ (Campolongo et al. 2007).
//!
//! The outputs are centred on their mean before the estimators are applied, as SALib does:
//! Saltelli's first-order estimator E[f(B)·(f(AB_i) − f(A))] is only unbiased for a centred
//! output, and without centring a constant added to the output changes S1 (a sweep's
//! `gps_per_100k`, around 80, gave S1 0.77 [−10.4, 11.9] where SALib gave 0.906).

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// An index with its bootstrap 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// 2.5 % bootstrap percentile.
    pub low: f64,
    /// 97.5 % bootstrap percentile.
    pub high: f64,
}

/// First- and total-order indices of one factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndices {
    /// First order: the share of variance due to the factor alone.
    pub s1: Estimate,
    /// Total order: the share due to the factor and all its interactions.
    pub st: Estimate,
}

/// Bootstrap resamples used for the intervals.
pub const BOOTSTRAP: usize = 1000;

fn variance(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n
}

/// S1 and ST of every factor from outputs `y` in Saltelli's layout (for each base sample:
/// f(A), f(AB_1) … f(AB_d), f(B)); `None` when `y` has no variance.
fn sobol_point(y: &[f64], d: usize, rows: &[usize]) -> Option<Vec<(f64, f64)>> {
    let block = d + 2;
    let a: Vec<f64> = rows.iter().map(|&j| y[j * block]).collect();
    let b: Vec<f64> = rows.iter().map(|&j| y[j * block + d + 1]).collect();
    let both: Vec<f64> = a.iter().chain(&b).copied().collect();
    let v = variance(&both);
    if v <= 0.0 || !v.is_finite() {
        return None;
    }
    let n = rows.len() as f64;
    Some(
        (0..d)
            .map(|i| {
                let ab: Vec<f64> = rows.iter().map(|&j| y[j * block + 1 + i]).collect();
                let s1 = (0..rows.len()).map(|k| b[k] * (ab[k] - a[k])).sum::<f64>() / n / v;
                let st = (0..rows.len()).map(|k| (a[k] - ab[k]).powi(2)).sum::<f64>() / n / v / 2.0;
                (s1, st)
            })
            .collect(),
    )
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let rank = (p * (v.len() - 1) as f64).round() as usize;
    v[rank.min(v.len() - 1)]
}

/// Sobol indices of `d` factors from outputs in Saltelli's layout, with bootstrap intervals
/// drawn from `seed`; `None` when the output does not vary.
pub fn sobol(y: &[f64], d: usize, seed: u64) -> Option<Vec<SobolIndices>> {
    let n = y.len() / (d + 2);
    if n < 2 {
        return None;
    }
    let y = &y[..n * (d + 2)];
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let centred: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let y = &centred[..];
    let all: Vec<usize> = (0..n).collect();
    let point = sobol_point(y, d, &all)?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut boot: Vec<Vec<(f64, f64)>> = Vec::with_capacity(BOOTSTRAP);
    for _ in 0..BOOTSTRAP {
        let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        if let Some(b) = sobol_point(y, d, &rows) {
            boot.push(b);
        }
    }
    Some(
        (0..d)
            .map(|i| {
                let interval = |pick: fn(&(f64, f64)) -> f64, value: f64| {
                    let mut v: Vec<f64> = boot.iter().map(|b| pick(&b[i])).collect();
                    if v.is_empty() {
                        return Estimate {
                            value,
                            low: value,
                            high: value,
                        };
                    }
                    Estimate {
                        value,
                        low: percentile(&mut v, 0.025),
                        high: percentile(&mut v, 0.975),
                    }
                };
                SobolIndices {
                    s1: interval(|x| x.0, point[i].0),
                    st: interval(|x| x.1, point[i].1),
                }
            })
            .collect(),
    )
}

/// Morris statistics of one factor (elementary effects in output units per unit of the
/// factor's range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndices {
    /// μ*: mean absolute elementary effect (importance).
    pub mu_star: f64,
    /// μ: mean elementary effect (sign of the effect).
    pub mu: f64,
    /// σ: standard deviation of the effects (non-linearity or interactions).
    pub sigma: f64,
}

/// Morris statistics from outputs `y` along the design's trajectories `x` (unit-cube or
/// scaled rows; effects are divided by the step as a share of each factor's range).
pub fn morris(x: &[Vec<f64>], y: &[f64], ranges: &[(f64, f64)]) -> Vec<MorrisIndices> {
    let d = ranges.len();
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); d];
    for t in 0..y.len() / (d + 1) {
        for s in 0..d {
            let (k0, k1) = (t * (d + 1) + s, t * (d + 1) + s + 1);
            let Some(i) = (0..d).find(|&i| x[k0][i] != x[k1][i]) else {
                continue;
            };
            let (lo, hi) = ranges[i];
            let step = (x[k1][i] - x[k0][i]) / (hi - lo);
            effects[i].push((y[k1] - y[k0]) / step);
        }
    }
    effects
        .iter()
        .map(|e| {
            let n = e.len().max(1) as f64;
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|v| v.abs()).sum::<f64>() / n;
            let sigma = if e.len() > 1 {
                (e.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
            } else {
                0.0
            };
            MorrisIndices { mu_star, mu, sigma }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design::{morris as morris_design, saltelli};
    use std::f64::consts::PI;

    /// Ishigami function with a = 7, b = 0.1 on [−π, π]³ (Ishigami & Homma 1990).
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn sobol_indices_of_the_ishigami_function_match_the_analytic_values() {
        // Analytic values (Saltelli et al. 2008; SALib's test suite):
        // S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
        let x = saltelli(4096, 3, 12345);
        let y: Vec<f64> = x.iter().map(|u| ishigami(u)).collect();
        let s = sobol(&y, 3, 1).expect("the output varies");
        let (s1, st) = ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]);
        for i in 0..3 {
            println!(
                "x{}: S1 {:?} (analytic {}), ST {:?} (analytic {})",
                i + 1,
                s[i].s1,
                s1[i],
                s[i].st,
                st[i]
            );
            assert!(
                (s[i].s1.value - s1[i]).abs() < 0.02,
                "S1[{i}] = {:?}",
                s[i].s1
            );
            assert!(
                (s[i].st.value - st[i]).abs() < 0.02,
                "ST[{i}] = {:?}",
                s[i].st
            );
            for e in [s[i].s1, s[i].st] {
                assert!(e.low <= e.value && e.value <= e.high, "{e:?}");
                assert!(e.high - e.low < 0.1, "interval too wide: {e:?}");
            }
        }
    }

    #[test]
    fn morris_ranks_the_ishigami_factors_as_known_and_finds_a_linear_slope() {
        let x = morris_design(50, 3, 4, 9);
        let y: Vec<f64> = x.iter().map(|u| ishigami(u)).collect();
        let m = morris(&x, &y, &[(0.0, 1.0); 3]);
        // x3 acts only through its interaction with x1: less important than x1 and x2.
        assert!(
            m[2].mu_star < m[0].mu_star && m[2].mu_star < m[1].mu_star,
            "{m:?}"
        );
        let lin: Vec<f64> = x.iter().map(|u| 3.0 * u[0] - 2.0 * u[1]).collect();
        let m = morris(&x, &lin, &[(0.0, 1.0); 3]);
        assert!((m[0].mu - 3.0).abs() < 1e-9 && (m[1].mu + 2.0).abs() < 1e-9);
        assert!(m[0].sigma < 1e-9 && m[2].mu_star < 1e-12);
    }

    #[test]
    fn sobol_indices_do_not_change_when_a_constant_is_added_to_the_output() {
        let x = saltelli(256, 3, 3);
        let y: Vec<f64> = x.iter().map(|u| ishigami(u)).collect();
        let shifted: Vec<f64> = y.iter().map(|v| v + 1000.0).collect();
        let (a, b) = (sobol(&y, 3, 1).unwrap(), sobol(&shifted, 3, 1).unwrap());
        for i in 0..3 {
            for (p, q) in [(a[i].s1, b[i].s1), (a[i].st, b[i].st)] {
                assert!((p.value - q.value).abs() < 1e-9, "{p:?} vs {q:?}");
                assert!((p.low - q.low).abs() < 1e-9 && (p.high - q.high).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn sobol_indices_match_salib_on_its_own_design() {
        // tests/fixtures/salib-sobol-ishigami.csv: SALib 1.6.0's outputs and indices.
        let text = include_str!("../../tests/fixtures/salib-sobol-ishigami.csv");
        let numbers = |key: &str| -> Vec<f64> {
            let line = text
                .lines()
                .find(|l| l.starts_with("# sobol.analyze"))
                .unwrap();
            let part = line.split(key).nth(1).unwrap();
            part.split(';')
                .next()
                .unwrap()
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect()
        };
        let (s1, st) = (numbers("S1 = "), numbers("ST = "));
        let y: Vec<f64> = text
            .lines()
            .filter(|l| !l.starts_with('#') && *l != "y")
            .map(|l| l.parse().unwrap())
            .collect();
        let s = sobol(&y, 3, 1).unwrap();
        for i in 0..3 {
            assert!(
                (s[i].s1.value - s1[i]).abs() < 1e-5,
                "S1[{i}] {:?} vs {}",
                s[i].s1,
                s1[i]
            );
            assert!(
                (s[i].st.value - st[i]).abs() < 1e-5,
                "ST[{i}] {:?} vs {}",
                s[i].st,
                st[i]
            );
        }
    }

    #[test]
    fn a_constant_output_has_no_sobol_indices() {
        assert!(sobol(&[1.0; 50], 3, 0).is_none());
    }
}
