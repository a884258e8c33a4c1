//! Designs of experiments: which parameter values each point of a sweep takes. Every design is
//! built in the unit cube from the sweep's seed, then scaled to each factor's range, so the
//! same sweep file always gives the same points.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::scenario::registry::Kind;

/// A varied parameter and its range.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Dotted parameter name.
    pub name: String,
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
    /// Integer parameters are rounded.
    pub kind: Kind,
    /// Explicit grid values (grid design only).
    pub values: Option<Vec<f64>>,
}

impl Factor {
    /// The value at `u` in [0, 1] of the range (rounded for integers).
    pub fn at(&self, u: f64) -> f64 {
        let v = self.min + u * (self.max - self.min);
        match self.kind {
            Kind::Integer => v.round(),
            Kind::Real => v,
        }
    }
}

/// How the points are chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Design {
    /// Every combination of each factor's `values` (or `levels` evenly spaced values).
    Grid {
        /// Values per factor when a factor lists none.
        levels: usize,
    },
    /// Latin hypercube: `points` points, one in each of `points` strata of every factor.
    Lhs {
        /// Number of points.
        points: usize,
    },
    /// Saltelli's scheme for first- and total-order Sobol indices on an Owen-scrambled Sobol
    /// sequence: `base_samples` × (factors + 2) points.
    Sobol {
        /// N, the base sample size.
        base_samples: usize,
    },
    /// Morris elementary effects: `trajectories` × (factors + 1) points on a grid of `levels`.
    Morris {
        /// r, the number of trajectories.
        trajectories: usize,
        /// p, the number of grid levels (even).
        levels: usize,
    },
    /// Points read from a CSV file, one row per point.
    File {
        /// The rows, in factor order.
        rows: Vec<Vec<f64>>,
    },
}

/// The first name given twice in `names`: (its first position, its second, the name), so a
/// parameter given twice is refused naming both places instead of the last one silently
/// winning.
pub fn repeated<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<(usize, usize, &'a str)> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (k, name) in names.into_iter().enumerate() {
        if let Some(&first) = seen.get(name) {
            return Some((first, k, name));
        }
        seen.insert(name, k);
    }
    None
}

/// The points of a design: one row of factor values per point.
pub fn points(design: &Design, factors: &[Factor], seed: u64) -> Vec<Vec<f64>> {
    let d = factors.len();
    let scale = |unit: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        unit.into_iter()
            .map(|u| factors.iter().zip(u).map(|(f, u)| f.at(u)).collect())
            .collect()
    };
    match design {
        Design::Grid { levels } => grid(factors, *levels),
        Design::Lhs { points } => scale(lhs(*points, d, seed)),
        Design::Sobol { base_samples } => scale(saltelli(*base_samples, d, seed)),
        Design::Morris {
            trajectories,
            levels,
        } => scale(morris(*trajectories, d, *levels, seed)),
        Design::File { rows } => rows.clone(),
    }
}

fn grid(factors: &[Factor], levels: usize) -> Vec<Vec<f64>> {
    let axes: Vec<Vec<f64>> = factors
        .iter()
        .map(|f| match &f.values {
            Some(v) => v.clone(),
            None if levels <= 1 => vec![f.at(0.5)],
            None => (0..levels)
                .map(|k| f.at(k as f64 / (levels - 1) as f64))
                .collect(),
        })
        .collect();
    let mut out = vec![Vec::new()];
    for axis in &axes {
        out = out
            .into_iter()
            .flat_map(|row| {
                axis.iter().map(move |v| {
                    let mut r = row.clone();
                    r.push(*v);
                    r
                })
            })
            .collect();
    }
    out
}

/// Latin hypercube in the unit cube.
pub fn lhs(n: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let columns: Vec<Vec<f64>> = (0..d)
        .map(|_| {
            let mut strata: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                strata.swap(i, rng.random_range(0..=i));
            }
            strata
                .into_iter()
                .map(|s| (s as f64 + rng.random::<f64>()) / n as f64)
                .collect()
        })
        .collect();
    (0..n)
        .map(|i| columns.iter().map(|c| c[i]).collect())
        .collect()
}

/// Saltelli's matrices in the unit cube, for each base sample j: A_j, then A_j with factor i
/// taken from B_j (i = 1..d), then B_j: N·(d+2) rows (SALib's layout without second order).
pub fn saltelli(n: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    let seed = (seed ^ (seed >> 32)) as u32;
    let row = |j: usize, offset: usize| -> Vec<f64> {
        (0..d)
            .map(|i| f64::from(sobol_burley::sample(j as u32, (offset + i) as u32, seed)))
            .collect()
    };
    let mut out = Vec::with_capacity(n * (d + 2));
    for j in 0..n {
        let (a, b) = (row(j, 0), row(j, d));
        out.push(a.clone());
        for i in 0..d {
            let mut ab = a.clone();
            ab[i] = b[i];
            out.push(ab);
        }
        out.push(b);
    }
    out
}

/// Largest number of factors a Sobol design supports (2 × factors Sobol dimensions).
pub const SOBOL_MAX_FACTORS: usize = 128;

/// Morris trajectories in the unit cube: r × (d+1) rows; consecutive rows of a trajectory
/// differ in one factor by ±Δ, Δ = p / (2 (p − 1)).
pub fn morris(r: usize, d: usize, p: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let step = 1.0 / (p - 1) as f64;
    let delta = morris_delta(p);
    // Base values leave room for +Δ: {0, 1/(p-1), …, 1 − Δ}.
    let bases = ((1.0 - delta) / step).round() as usize + 1;
    let mut out = Vec::with_capacity(r * (d + 1));
    for _ in 0..r {
        let base: Vec<f64> = (0..d)
            .map(|_| rng.random_range(0..bases) as f64 * step)
            .collect();
        let up: Vec<bool> = (0..d).map(|_| rng.random::<bool>()).collect();
        let mut order: Vec<usize> = (0..d).collect();
        for i in (1..d).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        let mut x: Vec<f64> = (0..d)
            .map(|i| if up[i] { base[i] } else { base[i] + delta })
            .collect();
        out.push(x.clone());
        for &i in &order {
            x[i] = if up[i] { base[i] + delta } else { base[i] };
            out.push(x.clone());
        }
    }
    out
}

/// Morris step Δ = p / (2 (p − 1)) for p levels.
pub fn morris_delta(p: usize) -> f64 {
    p as f64 / (2.0 * (p - 1) as f64)
}

/// Points a design makes for `d` factors (before building anything), or `None` when the number
/// does not fit in 64 bits (a grid of 1,000 values on each of 10 parameters).
pub fn size(design: &Design, factors: &[Factor]) -> Option<u64> {
    let d = factors.len() as u64;
    let n = |x: usize| x as u64;
    match design {
        Design::Grid { levels } => factors.iter().try_fold(1u64, |acc, f| {
            acc.checked_mul(n(f.values.as_ref().map_or(*levels, Vec::len)))
        }),
        Design::Lhs { points } => Some(n(*points)),
        Design::Sobol { base_samples } => n(*base_samples).checked_mul(d + 2),
        Design::Morris { trajectories, .. } => n(*trajectories).checked_mul(d + 1),
        Design::File { rows } => Some(n(rows.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(name: &str) -> Factor {
        Factor {
            name: name.into(),
            min: 0.0,
            max: 1.0,
            kind: Kind::Real,
            values: None,
        }
    }

    #[test]
    fn a_latin_hypercube_puts_one_point_in_each_stratum_of_every_factor() {
        let n = 20;
        let x = lhs(n, 3, 7);
        for j in 0..3 {
            let mut strata: Vec<usize> = x.iter().map(|r| (r[j] * n as f64) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n).collect::<Vec<_>>());
        }
        assert_eq!(x, lhs(n, 3, 7), "same seed, same design");
        assert_ne!(x, lhs(n, 3, 8));
    }

    #[test]
    fn saltelli_rows_differ_from_a_in_exactly_one_factor() {
        let (n, d) = (8, 3);
        let x = saltelli(n, d, 1);
        assert_eq!(x.len(), n * (d + 2));
        for j in 0..n {
            let block = &x[j * (d + 2)..(j + 1) * (d + 2)];
            let (a, b) = (&block[0], &block[d + 1]);
            for i in 0..d {
                let ab = &block[1 + i];
                for k in 0..d {
                    assert_eq!(ab[k], if k == i { b[k] } else { a[k] });
                }
            }
        }
    }

    #[test]
    fn morris_steps_change_one_factor_by_delta_and_stay_in_the_cube() {
        let (r, d, p) = (10, 4, 4);
        let x = morris(r, d, p, 3);
        assert_eq!(x.len(), r * (d + 1));
        let delta = morris_delta(p);
        for t in 0..r {
            for s in 0..d {
                let (a, b) = (&x[t * (d + 1) + s], &x[t * (d + 1) + s + 1]);
                let changed: Vec<usize> = (0..d).filter(|&k| a[k] != b[k]).collect();
                assert_eq!(changed.len(), 1);
                assert!(((a[changed[0]] - b[changed[0]]).abs() - delta).abs() < 1e-12);
            }
        }
        assert!(x.iter().flatten().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn a_grid_is_the_cartesian_product_of_its_axes() {
        let mut a = factor("a");
        a.values = Some(vec![1.0, 2.0]);
        let b = factor("b");
        let g = points(&Design::Grid { levels: 3 }, &[a.clone(), b.clone()], 0);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![1.0, 0.0]);
        assert_eq!(g[5], vec![2.0, 1.0]);
        assert_eq!(
            size(&Design::Grid { levels: 3 }, &[a.clone(), b.clone()]),
            Some(6)
        );
        let many = vec![b; 10];
        assert_eq!(
            size(&Design::Grid { levels: 100_000 }, &many),
            None,
            "overflow"
        );
    }

    #[test]
    fn a_name_given_twice_is_found_with_both_places() {
        assert_eq!(repeated(["a", "b", "c"]), None);
        assert_eq!(repeated(["a", "b", "a", "b"]), Some((0, 2, "a")));
    }

    #[test]
    fn integer_factors_are_rounded() {
        let f = Factor {
            kind: Kind::Integer,
            max: 10.0,
            ..factor("n")
        };
        assert_eq!(f.at(0.34), 3.0);
    }
}
