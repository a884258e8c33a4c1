use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::*;

/// A synthetic world: `n` départements whose installations follow a logit with constants
/// `truth` over sizes `size`, a fixed national total, exits 4 % of the stock a year.
struct World {
    start: Vec<f64>,
    size: Vec<f64>,
    total: f64,
    years: f64,
}

impl World {
    fn new(n: usize, rng: &mut Xoshiro256PlusPlus) -> World {
        let start: Vec<f64> = (0..n).map(|_| rng.random_range(100.0..2000.0)).collect();
        let total = 0.05 * start.iter().sum::<f64>() * 2.0;
        World {
            size: start
                .iter()
                .map(|s| s * rng.random_range(0.5..1.5))
                .collect(),
            start,
            total,
            years: 2.0,
        }
    }

    /// Expected flows with `constant`, times `1 + noise` per département.
    fn flows(&self, constant: &[f64], noise: &[f64]) -> Flows {
        let w: Vec<f64> = (0..self.start.len())
            .map(|d| self.size[d] * constant[d].exp())
            .collect();
        let sum: f64 = w.iter().sum();
        let installations: Vec<f64> = w
            .iter()
            .zip(noise)
            .map(|(w, e)| self.total * w / sum * (1.0 + e))
            .collect();
        let exits: Vec<f64> = self.start.iter().map(|s| 0.04 * s * self.years).collect();
        let end = (0..self.start.len())
            .map(|d| self.start[d] + installations[d] - exits[d])
            .collect();
        Flows {
            start: self.start.clone(),
            end,
            installations,
            exits,
        }
    }

    /// The yearly change the true constants produce.
    fn observed(&self, truth: &[f64]) -> Vec<f64> {
        let f = self.flows(truth, &vec![0.0; truth.len()]);
        (0..truth.len())
            .map(|d| (f.end[d] / f.start[d]).powf(1.0 / self.years) - 1.0)
            .collect()
    }
}

fn settings(iterations: usize, averaged: usize) -> Inversion {
    Inversion {
        years: 2.0,
        iterations,
        damping: 1.0,
        averaged,
    }
}

#[test]
fn the_inversion_recovers_known_constants_without_noise() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let world = World::new(40, &mut rng);
    let mut truth: Vec<f64> = (0..40).map(|_| rng.random_range(-0.6..0.6)).collect();
    centre(&mut truth);
    let observed = world.observed(&truth);
    let zero = vec![0.0; 40];
    let inverted = invert(&observed, settings(30, 1), zero.clone(), |c| {
        Ok::<_, ()>(world.flows(c, &zero))
    })
    .unwrap();
    for (got, want) in inverted.constant.iter().zip(&truth) {
        assert!((got - want).abs() < 1e-6, "{got} against {want}");
    }
    // The contraction converges: the gap shrinks at every step.
    assert!(inverted.history.windows(2).all(|w| w[1] <= w[0] + 1e-12));
    assert!(inverted.history[0] > 0.1 && *inverted.history.last().unwrap() < 1e-6);
}

#[test]
fn with_noisy_runs_the_averaged_iterates_stay_close_to_the_truth() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let world = World::new(60, &mut rng);
    let mut truth: Vec<f64> = (0..60).map(|_| rng.random_range(-0.6..0.6)).collect();
    centre(&mut truth);
    let observed = world.observed(&truth);
    let inverted = invert(&observed, settings(40, 20), vec![0.0; 60], |c| {
        let noise: Vec<f64> = (0..60).map(|_| rng.random_range(-0.1..0.1)).collect();
        Ok::<_, ()>(world.flows(c, &noise))
    })
    .unwrap();
    let worst = inverted
        .constant
        .iter()
        .zip(&truth)
        .map(|(g, w)| (g - w).abs())
        .fold(0.0, f64::max);
    assert!(worst < 0.08, "worst error {worst}");
}

#[test]
fn a_departement_losing_more_than_its_exits_is_asked_for_a_floor_not_a_negative_count() {
    let sim = Flows {
        start: vec![100.0, 100.0],
        end: vec![100.0, 100.0],
        installations: vec![10.0, 10.0],
        exits: vec![10.0, 10.0],
    };
    let target = target_installations(&sim, &[-0.5, 0.5], 1.0);
    // The floor: a share of what its stock would get at the national rate (10 %).
    assert_eq!(target[0], MIN_TARGET_SHARE * 0.1 * 100.0);
    assert!(target[1] > 10.0);
    // Whatever the current step installs there: the floor does not follow it down.
    let fewer = Flows {
        installations: vec![1.0, 19.0],
        ..sim
    };
    assert_eq!(
        target_installations(&fewer, &[-0.5, 0.5], 1.0)[0],
        target[0]
    );
}

#[test]
fn shrinkage_recovers_the_covariates_and_pulls_noisy_estimates_toward_them() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let n = 400;
    let covariates: Vec<Vec<f64>> = (0..n)
        .map(|_| vec![rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)])
        .collect();
    let normal = |rng: &mut Xoshiro256PlusPlus| {
        // Sum of 12 uniforms: mean 0, variance 1.
        (0..12).map(|_| rng.random_range(0.0..1.0)).sum::<f64>() - 6.0
    };
    let se: Vec<f64> = (0..n)
        .map(|i| if i % 2 == 0 { 0.05 } else { 0.5 })
        .collect();
    let estimate: Vec<f64> = (0..n)
        .map(|i| {
            0.1 + 0.4 * covariates[i][0] - 0.3 * covariates[i][1]
                + 0.2 * normal(&mut rng)
                + se[i] * normal(&mut rng)
        })
        .collect();
    let s = shrink(&estimate, &se, &covariates).expect("a regular design");
    for (j, want) in [0.1, 0.4, -0.3].iter().enumerate() {
        let (got, sd) = (s.coefficient[j], s.coefficient_se[j]);
        assert!(
            (got - want).abs() < 4.0 * sd,
            "coefficient {j}: {got} ± {sd}"
        );
    }
    assert!((s.tau2 - 0.04).abs() < 0.02, "tau² {}", s.tau2);
    // Precise estimates keep most of their own value, noisy ones lean on the prediction.
    assert!(s.weight[0] > 0.9 && s.weight[1] < 0.2);
}

#[test]
fn shrinkage_needs_more_departements_than_coefficients() {
    assert!(shrink(&[0.1, 0.2], &[0.1, 0.1], &[vec![1.0], vec![2.0]]).is_none());
}

#[test]
fn a_departement_whose_loss_no_allocation_reaches_settles_at_the_floor_instead_of_drifting() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let world = World::new(20, &mut rng);
    let mut observed = world.observed(&[0.0; 20]);
    // Halving every year: more than its exits, whatever it installs.
    observed[0] = -0.5;
    let zero = vec![0.0; 20];
    let run = |iterations: usize| {
        invert(&observed, settings(iterations, 1), zero.clone(), |c| {
            Ok::<_, ()>(world.flows(c, &zero))
        })
        .unwrap()
        .constant[0]
    };
    let (a, b) = (run(60), run(120));
    assert!(a.is_finite() && (a - b).abs() < 1e-6, "{a} then {b}");
}
