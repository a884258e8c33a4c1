//! The installation logit of [`install_gps`](super::install_gps): a commune's utility is a
//! static part, the same for every installer (size, urban cluster, group with room, unmet
//! demand, zone, GP density around, colleagues, MSP), plus a personal part (distance to the
//! origin commune and to the faculty town, the subdivision of training, the birth région),
//! which is never positive and so folds into the acceptance step of a rejection sampler
//! (MODEL.md §3.5; docs/model.md, "Installation").

use super::resources::Communes;
use super::rng::{mix, unit};
use crate::scenario::Installation;

/// What a commune offers every installer this year.
#[derive(Debug, Clone, Copy, Default)]
pub struct Site {
    /// Population in the data, persons.
    pub population: u32,
    /// In an urban cluster: with the population, the proxy of the commune's equipment (pôle).
    pub urban: bool,
    /// A group practice or MSP with room.
    pub group_room: bool,
    /// Share of 17+ without an MT (0–1).
    pub unmet: f64,
    /// In the under-dense zone.
    pub zone: bool,
    /// GPs per 1,000 people within reach.
    pub gps_per_1000: f64,
    /// At least one GP already practises there.
    pub colleagues: bool,
    /// An MSP practises there.
    pub msp: bool,
}

/// The part of a commune's utility that is the same for every installer.
pub fn static_utility(i: &Installation, s: &Site) -> f64 {
    let one = |b: bool| f64::from(u8::from(b));
    i.beta_log_population * (s.population.max(1) as f64).ln()
        + i.beta_urban_cluster * one(s.urban)
        + i.beta_group_practice * one(s.group_room)
        + i.beta_unmet_demand * s.unmet
        + i.beta_under_dense * one(s.zone)
        + i.beta_gp_density_per_1000 * s.gps_per_1000
        + i.beta_colleagues * one(s.colleagues)
        + i.beta_msp_present * one(s.msp)
}

/// Who chooses: where they come from and where they trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chooser {
    /// The commune distances are counted from (origin, or the teaching practice's).
    pub from: u16,
    /// Région of the origin commune (index into `Communes::regions`).
    pub birth_region: u16,
    /// Subdivision of training (index into `Communes::faculties`).
    pub faculty: u8,
}

/// The installer's own part of commune `c`'s utility, never positive: distances cost, and the
/// bonuses of the subdivision of training and of the birth région are counted as a loss
/// outside them (the same logit, shifted by a constant).
pub fn personal_utility(i: &Installation, communes: &Communes, who: Chooser, c: u16) -> f64 {
    let here = &communes.communes[c as usize];
    let outside = |b: bool| f64::from(u8::from(!b));
    i.beta_distance_per_100km * communes.distance_km(who.from, c) / 100.0
        + i.beta_faculty_distance_per_100km * communes.faculty_km(c, who.faculty) / 100.0
        - i.beta_training_subdivision * outside(here.subdivision == who.faculty)
        - i.beta_birth_region * outside(here.region == who.birth_region)
}

/// The installation logit over a list of candidates, ready to draw from.
///
/// A commune's weight is `exp(static utility) · exp(personal utility)`, and the personal
/// utility is ≤ 0, so its factor is at most 1. A draw proposes a commune from the static
/// weights (a binary search in their cumulative sums, built once a year) and accepts it with
/// probability equal to its personal factor: rejection sampling, which draws exactly from the
/// logit's probabilities in a few proposals, instead of one random number per candidate.
pub struct Logit<'a> {
    candidates: &'a [(u16, f64)],
    /// Cumulative `exp(u − max u)` over `candidates`.
    cumulative: Vec<f64>,
    max_utility: f64,
}

/// Proposals tried before a draw falls back to summing every candidate's weight. Either way
/// the draw follows the logit's probabilities exactly; the cap only bounds the time spent on
/// an installer far from every likely commune.
const MAX_PROPOSALS: u64 = 256;

impl<'a> Logit<'a> {
    /// The logit over `candidates` (commune, static utility); empty candidates draw nothing.
    pub fn new(candidates: &'a [(u16, f64)]) -> Logit<'a> {
        let max_utility = candidates
            .iter()
            .map(|c| c.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut total = 0.0;
        let cumulative = candidates
            .iter()
            .map(|&(_, u)| {
                total += (u - max_utility).exp();
                total
            })
            .collect();
        Logit {
            candidates,
            cumulative,
            max_utility,
        }
    }

    /// Draws a commune for `who`, with the randomness keyed on `k`.
    pub fn choose(
        &self,
        communes: &Communes,
        i: &Installation,
        who: Chooser,
        k: u64,
    ) -> Option<u16> {
        let total = *self.cumulative.last()?;
        for j in 0..MAX_PROPOSALS {
            let u = unit(mix(k ^ (2 * j))) * total;
            let at = self
                .cumulative
                .partition_point(|&c| c <= u)
                .min(self.candidates.len() - 1);
            let c = self.candidates[at].0;
            let personal = personal_utility(i, communes, who, c);
            debug_assert!(
                personal <= 0.0,
                "validated: the personal part never attracts"
            );
            if unit(mix(k ^ (2 * j + 1))) < personal.exp() {
                return Some(c);
            }
        }
        Some(self.exact(communes, i, who, unit(mix(k ^ u64::MAX))))
    }

    /// Inverts the cumulative probabilities of every candidate with a uniform `u`.
    fn exact(&self, communes: &Communes, i: &Installation, who: Chooser, u: f64) -> u16 {
        let weight = |&(c, v): &(u16, f64)| {
            (v - self.max_utility + personal_utility(i, communes, who, c)).exp()
        };
        let total: f64 = self.candidates.iter().map(weight).sum();
        let mut target = u * total;
        for candidate in self.candidates {
            target -= weight(candidate);
            if target < 0.0 {
                return candidate.0;
            }
        }
        self.candidates[self.candidates.len() - 1].0
    }
}

#[cfg(test)]
#[path = "install_logit_tests.rs"]
mod tests;
