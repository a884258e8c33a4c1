//! Step 8 of a year, after the patients are counted (and the start state): the local
//! potential accessibility (APL, accessibilité potentielle localisée, DREES/IRDES) of every
//! commune, a two-step floating catchment (MODEL.md §4):
//!
//! 1. each commune `j` with GPs shares its supply `S_j` (consultations a year) among the
//!    demand within reach: `R_j = S_j / Σ_i w(t_ij) D_i`;
//! 2. each commune `i` sums the shares within reach: `APL_i = Σ_j w(t_ij) R_j`,
//!
//! where `D_i` is the population weighted by age-specific consultation rates (national mean 1
//! in 2018), `t_ij` the road time and `w` the step weights of the DREES method (1 up to 10
//! minutes, 0.66 up to 15, 0.33 up to 20, 0 beyond). The result is in consultations a year
//! per (standardised) inhabitant. Two variants count only the GPs under 65 and under 62.
//!
//! Sums are taken in fixed point so the result never depends on iteration order or threads.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use super::components::Gp;
use super::resources::PatientCounts;
use super::resources::{CommuneState, Params, Reach};
use crate::scenario::Apl;

/// Year of the reference population (France, 1 January) whose age structure weighs the APL's
/// demand, whatever the run's start year.
pub const REFERENCE_POPULATION_YEAR: u16 = 2018;

/// The DREES threshold of under-served communes, consultations a year per inhabitant (the
/// `share_population_apl_below_2_5` indicator).
pub const UNDER_SERVED_APL: f32 = 2.5;

/// Fixed-point scale of the demand and supply sums.
const FIXED: f64 = 1024.0;

/// The APL neighbour lists with their travel-time weights, built once.
#[derive(Resource, Debug, Clone)]
pub struct Catchment {
    /// Communes within the last band of each commune, with travel times.
    pub reach: Reach,
    /// Weight of each neighbour (parallel to `reach.neighbours`).
    pub weights: Vec<f32>,
}

impl Catchment {
    /// Weights a reach built up to the last band of `a`.
    pub fn new(reach: Reach, a: &Apl) -> Catchment {
        let weights = reach
            .minutes
            .iter()
            .map(|&m| band_weight(m as f64, a) as f32)
            .collect();
        Catchment { reach, weights }
    }

    /// Neighbours of `c` and their weights.
    #[inline]
    fn of(&self, c: usize) -> (&[u16], &[f32]) {
        let (lo, hi) = (
            self.reach.offsets[c] as usize,
            self.reach.offsets[c + 1] as usize,
        );
        (&self.reach.neighbours[lo..hi], &self.weights[lo..hi])
    }
}

/// Weight of a GP at `minutes` of road: the weight of the first band that contains it.
pub fn band_weight(minutes: f64, a: &Apl) -> f64 {
    a.band_minutes
        .iter()
        .zip(&a.band_weights)
        .find(|(bound, _)| minutes <= **bound)
        .map_or(0.0, |(_, w)| *w)
}

/// Step 1's denominator: the weighted demand within reach of each commune.
pub fn served_demand(demand: &[f64], c: &Catchment) -> Vec<f64> {
    let mut served = vec![0.0; demand.len()];
    for (i, &d) in demand.iter().enumerate() {
        if d == 0.0 {
            continue;
        }
        let (near, w) = c.of(i);
        for (&j, &w) in near.iter().zip(w) {
            served[j as usize] += w as f64 * d;
        }
    }
    served
}

/// Steps 1 and 2 for one supply, given [`served_demand`]: the APL of each commune.
pub fn accessibility(supply: &[f64], served: &[f64], c: &Catchment) -> Vec<f64> {
    let ratio: Vec<f64> = supply
        .iter()
        .zip(served)
        .map(|(&s, &d)| if d > 0.0 { s / d } else { 0.0 })
        .collect();
    (0..supply.len())
        .into_par_iter()
        .map(|i| {
            let (near, w) = c.of(i);
            near.iter()
                .zip(w)
                .map(|(&j, &w)| w as f64 * ratio[j as usize])
                .sum()
        })
        .collect()
}

/// The two-step floating catchment: APL of each commune from supply (consultations a year)
/// and weighted demand (standardised persons) by commune.
pub fn two_step(supply: &[f64], demand: &[f64], c: &Catchment) -> Vec<f64> {
    accessibility(supply, &served_demand(demand, c), c)
}

/// Consumption weight by single age 0..=120, rescaled so that the mean over
/// `population_by_age` (persons by single age, the 2018 population) is 1.
pub fn age_weights(a: &Apl, population_by_age: &[f64]) -> Vec<f64> {
    let raw: Vec<f64> = (0..=120u8)
        .map(|age| {
            let band = a.age_band_starts.partition_point(|&s| s <= age).max(1) - 1;
            a.age_band_consultations[band]
        })
        .collect();
    let (people, weighted) = population_by_age
        .iter()
        .enumerate()
        .fold((0.0, 0.0), |(p, w), (age, &n)| {
            (p + n, w + n * raw[age.min(120)])
        });
    let mean = if weighted > 0.0 {
        weighted / people
    } else {
        1.0
    };
    raw.iter().map(|w| w / mean).collect()
}

/// Standardised demand of each commune: its patient agents weighted by age, in fixed point
/// (integer sums, so the same in any order and on any number of threads).
pub fn weighted_demand(
    n: usize,
    weights: &[f64],
    patients: impl Iterator<Item = (u16, u8)>,
) -> Vec<u64> {
    let fixed_weight = fixed_weights(weights);
    let mut demand = vec![0u64; n];
    for (commune, age) in patients {
        demand[commune as usize] += fixed_weight[age as usize];
    }
    demand
}

/// Age weights in fixed point.
pub fn fixed_weights(weights: &[f64]) -> Vec<u64> {
    weights.iter().map(|w| (w * FIXED).round() as u64).collect()
}

/// APL of every commune from its standardised demand ([`weighted_demand`]) and the GPs
/// (commune, age, consultations a year), counting all GPs, then only those under 65, then
/// under 62.
pub fn compute(
    ppa: u32,
    demand: &[u64],
    gps: impl Iterator<Item = (u16, u8, f64)>,
    catchment: &Catchment,
) -> [Vec<f64>; 3] {
    let n = demand.len();
    let demand: Vec<f64> = demand
        .iter()
        .map(|&d| d as f64 * ppa as f64 / FIXED)
        .collect();
    let mut supply = [vec![0u64; n], vec![0u64; n], vec![0u64; n]];
    for (commune, age, acts) in gps {
        let acts = (acts * FIXED).round() as u64;
        supply[0][commune as usize] += acts;
        supply[1][commune as usize] += acts * u64::from(age < 65);
        supply[2][commune as usize] += acts * u64::from(age < 62);
    }
    // The demand side is the same for the three supplies: computed once.
    let served = served_demand(&demand, catchment);
    supply.map(|s| {
        let s: Vec<f64> = s.iter().map(|&x| x as f64 / FIXED).collect();
        accessibility(&s, &served, catchment)
    })
}

/// Computes the APL of every commune into [`CommuneState`].
pub fn update_apl(
    (params, counts, catchment): (Res<Params>, Res<PatientCounts>, Res<Catchment>),
    mut state: ResMut<CommuneState>,
    gps: Query<&Gp>,
) {
    let s = &params.0;
    let [all, under_65, under_62] = compute(
        s.persons_per_agent,
        &counts.apl_demand,
        gps.iter()
            .map(|g| (g.commune, g.age, super::workload::mode_acts(g.mode, s))),
        &catchment,
    );
    let f32s = |v: Vec<f64>| v.into_iter().map(|x| x as f32).collect();
    state.apl = f32s(all);
    state.apl_under_65 = f32s(under_65);
    state.apl_under_62 = f32s(under_62);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::baseline;

    /// Three communes on a line: A (0 min from itself), B 12 minutes from A, C 18 minutes
    /// from B and 30 from A.
    fn three_communes() -> Catchment {
        let reach = Reach {
            offsets: vec![0, 2, 5, 7],
            neighbours: vec![0, 1, 1, 0, 2, 2, 1],
            minutes: vec![0.0, 12.0, 0.0, 12.0, 18.0, 0.0, 18.0],
        };
        Catchment::new(reach, &baseline().apl)
    }

    #[test]
    fn the_step_weights_follow_the_drees_bands() {
        let a = baseline().apl;
        assert_eq!(band_weight(0.0, &a), 1.0);
        assert_eq!(band_weight(10.0, &a), 1.0);
        assert_eq!(band_weight(12.0, &a), 0.66);
        assert_eq!(band_weight(18.0, &a), 0.33);
        assert_eq!(band_weight(20.5, &a), 0.0);
    }

    #[test]
    fn two_step_matches_a_hand_computed_example() {
        // One GP in A (4,614 acts), one in C (4,614); demands 1,000, 500, 2,000.
        let c = three_communes();
        let supply = [4614.0, 0.0, 4614.0];
        let demand = [1000.0, 500.0, 2000.0];
        // Step 1: served demand of A = 1000 + 0.66·500 = 1330; of C = 2000 + 0.33·500 = 2165.
        let (r_a, r_c) = (4614.0 / 1330.0, 4614.0 / 2165.0);
        // Step 2: A = r_a; B = 0.66·r_a + 0.33·r_c; C = r_c.
        let apl = two_step(&supply, &demand, &c);
        let expected = [r_a, 0.66 * r_a + 0.33 * r_c, r_c];
        for (got, want) in apl.iter().zip(expected) {
            assert!((got - want).abs() < 1e-5, "{apl:?} vs {expected:?}");
        }
        // Hand values: 3.4692, 2.9929, 2.1312.
        assert!((apl[0] - 3.4692).abs() < 1e-3);
        assert!((apl[1] - 2.9929).abs() < 1e-3);
        assert!((apl[2] - 2.1312).abs() < 1e-3);
    }

    #[test]
    fn without_boundary_losses_the_mean_apl_is_supply_per_person() {
        // Every commune reaches every other at weight 1: APL = total supply / total demand.
        let reach = Reach {
            offsets: vec![0, 2, 4],
            neighbours: vec![0, 1, 1, 0],
            minutes: vec![0.0; 4],
        };
        let c = Catchment::new(reach, &baseline().apl);
        let apl = two_step(&[9000.0, 0.0], &[1000.0, 2000.0], &c);
        assert!((apl[0] - 3.0).abs() < 1e-12 && (apl[1] - 3.0).abs() < 1e-12);
    }

    #[test]
    fn age_weights_average_to_one_and_rise_with_age() {
        let a = baseline().apl;
        let pop = vec![1.0; 100];
        let w = age_weights(&a, &pop);
        let mean: f64 = w[..100].iter().sum::<f64>() / 100.0;
        assert!((mean - 1.0).abs() < 1e-12);
        assert!(w[80] > w[50] && w[50] > w[20]);
        assert_eq!(w[0], w[4]);
    }

    #[test]
    fn compute_splits_the_age_variants_and_ignores_order() {
        let c = three_communes();
        let w = vec![1.0; 121];
        let gps = [(0u16, 40u8, 4614.0), (2, 63, 4614.0), (2, 70, 2307.0)];
        let patients = [(0u16, 30u8), (1, 30), (2, 30), (2, 80)];
        let a = compute(
            500,
            &weighted_demand(3, &w, patients.iter().copied()),
            gps.iter().copied(),
            &c,
        );
        let b = compute(
            500,
            &weighted_demand(3, &w, patients.iter().rev().copied()),
            gps.iter().rev().copied(),
            &c,
        );
        assert_eq!(a, b);
        assert!(a[0][2] > a[1][2] && a[1][2] > a[2][2]);
        assert_eq!(a[2][2], 0.0);
    }
}
