//! The installation logit of [`install_gps`](super::install_gps): a commune's utility is a
//! static part, the same for every installer (size, urban cluster, group with room, unmet
//! demand, zone, GP density around, colleagues, MSP, the département's own attractiveness), plus a personal part (distance to the
//! origin commune and to the faculty town, the subdivision of training, the birth région),
//! which is never positive and so folds into the acceptance step of a rejection sampler
//! (MODEL.md §3.5; docs/model.md, "Installation").

use std::collections::HashMap;

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
    /// The département's own attractiveness (its estimated constant).
    pub place: f64,
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
        + i.beta_place_attractiveness * s.place
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
    distance_utility(i, communes, who, c)
        - i.beta_training_subdivision * outside(here.subdivision == who.faculty)
        - i.beta_birth_region * outside(here.region == who.birth_region)
}

/// The distance terms of [`personal_utility`] (≤ 0): origin and faculty town.
fn distance_utility(i: &Installation, communes: &Communes, who: Chooser, c: u16) -> f64 {
    i.beta_distance_per_100km * communes.distance_km(who.from, c) / 100.0
        + i.beta_faculty_distance_per_100km * communes.faculty_km(c, who.faculty) / 100.0
}

/// Candidates of one stratum (a région, a subdivision, or both) with their cumulative static
/// weights.
#[derive(Default)]
struct Stratum {
    cumulative: Vec<f64>,
    index: Vec<u32>,
}

impl Stratum {
    fn push(&mut self, weight: f64, at: usize) {
        let total = self.total();
        self.cumulative.push(total + weight);
        self.index.push(at as u32);
    }

    fn total(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    /// The candidate at uniform `u` of the stratum's weights (the stratum is not empty).
    fn draw(&self, u: f64) -> usize {
        let at = self
            .cumulative
            .partition_point(|&c| c <= u * self.total())
            .min(self.index.len() - 1);
        self.index[at] as usize
    }
}

/// The installation logit over a list of candidates, ready to draw from.
///
/// A commune's weight is `exp(static) · exp(distances) · a`, where `a` is 1 in the
/// installer's birth région and subdivision of training and `e^−β` outside each. A draw
/// proposes a commune from `exp(static) · a` (a mixture of four strata, each a binary search
/// in cumulative sums built once a year: everywhere, the région, the subdivision, both) and
/// accepts it with probability `exp(distances)` ≤ 1: rejection sampling, which draws exactly
/// from the logit's probabilities in a few proposals, instead of one random number per
/// candidate.
pub struct Logit<'a> {
    candidates: &'a [(u16, f64)],
    everywhere: Stratum,
    by_region: HashMap<u16, Stratum>,
    by_subdivision: HashMap<u8, Stratum>,
    by_both: HashMap<(u16, u8), Stratum>,
    max_utility: f64,
}

/// Proposals tried before a draw falls back to summing every candidate's weight. Either way
/// the draw follows the logit's probabilities exactly; the cap only bounds the time spent on
/// an installer far from every likely commune.
const MAX_PROPOSALS: u64 = 256;

impl<'a> Logit<'a> {
    /// The logit over `candidates` (commune, static utility); empty candidates draw nothing.
    pub fn new(candidates: &'a [(u16, f64)], communes: &Communes) -> Logit<'a> {
        let max_utility = candidates
            .iter()
            .map(|c| c.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut logit = Logit {
            candidates,
            everywhere: Stratum::default(),
            by_region: HashMap::new(),
            by_subdivision: HashMap::new(),
            by_both: HashMap::new(),
            max_utility,
        };
        for (at, &(c, u)) in candidates.iter().enumerate() {
            let w = (u - max_utility).exp();
            let here = &communes.communes[c as usize];
            logit.everywhere.push(w, at);
            logit.by_region.entry(here.region).or_default().push(w, at);
            let s = here.subdivision;
            logit.by_subdivision.entry(s).or_default().push(w, at);
            logit
                .by_both
                .entry((here.region, s))
                .or_default()
                .push(w, at);
        }
        logit
    }

    /// Draws a commune for `who`, with the randomness keyed on `k`.
    pub fn choose(
        &self,
        communes: &Communes,
        i: &Installation,
        who: Chooser,
        k: u64,
    ) -> Option<u16> {
        if self.candidates.is_empty() {
            return None;
        }
        let (er, es) = (
            (-i.beta_birth_region).exp(),
            (-i.beta_training_subdivision).exp(),
        );
        let empty = Stratum::default();
        let strata = [
            (er * es, &self.everywhere),
            (
                (1.0 - er) * es,
                self.by_region.get(&who.birth_region).unwrap_or(&empty),
            ),
            (
                er * (1.0 - es),
                self.by_subdivision.get(&who.faculty).unwrap_or(&empty),
            ),
            (
                (1.0 - er) * (1.0 - es),
                self.by_both
                    .get(&(who.birth_region, who.faculty))
                    .unwrap_or(&empty),
            ),
        ];
        let masses = strata.map(|(share, s)| share * s.total());
        let total: f64 = masses.iter().sum();
        // The distance terms of this installer cannot add up to less than a floor: by the
        // triangle inequality, any commune is together at least as far from the origin and
        // the faculty town as they are from each other. Accepting with exp(distance − floor)
        // draws from the same probabilities (every weight scaled by one constant), in far
        // fewer proposals for a GP trained far from home.
        let floor = -(i.beta_distance_per_100km.abs()).min(i.beta_faculty_distance_per_100km.abs())
            * communes.faculty_km(who.from, who.faculty)
            / 100.0
            * (1.0 - 1e-9);
        for j in 0..MAX_PROPOSALS {
            let mut u = unit(mix(k ^ (3 * j))) * total;
            let mut stratum = strata[0].1;
            for (m, (_, s)) in masses.iter().zip(&strata) {
                if *m > 0.0 {
                    stratum = s;
                    if u < *m {
                        break;
                    }
                }
                u -= m;
            }
            let c = self.candidates[stratum.draw(unit(mix(k ^ (3 * j + 1))))].0;
            let distance = distance_utility(i, communes, who, c);
            debug_assert!(distance <= floor + 1e-9, "the floor bounds the distances");
            if unit(mix(k ^ (3 * j + 2))) < (distance - floor).exp() {
                return Some(c);
            }
        }
        Some(self.exact(communes, i, who, unit(mix(k ^ u64::MAX))))
    }

    /// Inverts the cumulative probabilities of every candidate with a uniform `u` (each
    /// weight computed once: this is the costly path of an installer trained far from home).
    fn exact(&self, communes: &Communes, i: &Installation, who: Chooser, u: f64) -> u16 {
        let weights: Vec<f64> = self
            .candidates
            .iter()
            .map(|&(c, v)| (v - self.max_utility + personal_utility(i, communes, who, c)).exp())
            .collect();
        let mut target = u * weights.iter().sum::<f64>();
        for (candidate, w) in self.candidates.iter().zip(&weights) {
            target -= w;
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
