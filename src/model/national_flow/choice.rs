//! The choice of the national flow's graduates (see [`super`]): who they are, and whether they
//! choose the simulated communes.

use super::{NEAR_KM, NationalFlow, Origin, Part, km, square};
use crate::model::resources::{Communes, Destination, Locum, LocumPool, Tables};
use crate::model::rng::{Stream, key, mix, stochastic_round, unit};
use crate::model::train_and_graduate::{GraduateContext, new_locum};
use rayon::prelude::*;

impl NationalFlow {
    /// Draws the national graduates of `year`, each a locum until their decision year, when
    /// they choose between the simulated communes and the rest of France ([`Self::decide`]).
    pub fn add_graduates(&self, pool: &mut LocumPool, ctx: &GraduateContext<'_>, year: u16) {
        let national = Tables::series(ctx.graduates, year);
        let n = stochastic_round(national, key(ctx.seed, year, Stream::Sequence, 10));
        // Each graduate's draws are keyed on their rank: drawn in parallel, numbered in rank
        // order after.
        let drawn: Vec<Locum> = (0..n)
            .into_par_iter()
            .map(|j| {
                let k = key(ctx.seed, year, Stream::Sequence, 3 << 32 | j);
                let at = self
                    .cumulative
                    .partition_point(|&c| c as f64 <= unit(k) * self.total() as f64)
                    .min(self.origins.len() - 1);
                let origin = &self.origins[at];
                let faculty = self.draw_faculty(ctx, origin.subdivision, k);
                let from = origin
                    .simulated
                    .unwrap_or_else(|| nearest(ctx.communes, origin.x_km, origin.y_km));
                let birth_region = self.regions[origin.region as usize];
                let k_locum = key(ctx.seed, year, Stream::Sequence, 5 << 32 | j);
                let locum = new_locum(
                    ctx.training,
                    year,
                    k_locum,
                    0,
                    (from, birth_region, faculty),
                );
                Locum {
                    destination: Destination::Undecided {
                        origin: at as u32,
                        born_here: origin.simulated.is_some(),
                    },
                    ..locum
                }
            })
            .collect();
        for locum in drawn {
            let id = pool.next_id;
            pool.next_id += 1;
            pool.locums.push(Locum { id, ..locum });
        }
    }

    /// Where a locum of the national flow practises, decided in their decision year `year`
    /// on the state of France that year (a France run's installer decides then, on that
    /// year's state: a policy acts on the locums who decide after it starts, not before):
    /// the simulated communes of a département, or none (the rest of France). Others keep
    /// their destination.
    pub fn decide(
        &self,
        ctx: &GraduateContext<'_>,
        locum: &Locum,
        year: u16,
    ) -> Option<Destination> {
        let Destination::Undecided { origin, .. } = locum.destination else {
            return Some(locum.destination);
        };
        let origin = &self.origins[origin as usize];
        let sums = self.part_sums(ctx, origin, locum.faculty, year);
        let u = unit(key(
            ctx.seed,
            year,
            Stream::Sequence,
            7 << 32 | u64::from(locum.id),
        ));
        choose_part(&self.parts, &sums, u).map(Destination::Departement)
    }

    fn total(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }

    /// The origin's subdivision with probability `faculty_in_birth_subdivision_share`, else
    /// one drawn ∝ its population over France.
    fn draw_faculty(&self, ctx: &GraduateContext<'_>, home: u8, k: u64) -> u8 {
        if unit(k.rotate_left(51)) < ctx.training.faculty_in_birth_subdivision_share {
            return home;
        }
        let total: u64 = self.faculty_population.iter().sum();
        let mut target = unit(mix(k ^ 0xFAC)) * total as f64;
        for (i, &p) in self.faculty_population.iter().enumerate() {
            target -= p as f64;
            if target < 0.0 {
                return i as u8;
            }
        }
        home
    }

    /// Probability that a graduate of `year` from `origin` trained in `faculty` chooses a
    /// simulated commune.
    #[cfg(test)]
    pub(super) fn simulated_share(
        &self,
        ctx: &GraduateContext<'_>,
        origin: &Origin,
        faculty: u8,
        year: u16,
    ) -> f64 {
        let sums = self.part_sums(ctx, origin, faculty, year);
        let all: f64 = sums.iter().sum();
        let here: f64 = self
            .parts
            .iter()
            .zip(&sums)
            .filter(|(p, _)| p.simulated.is_some())
            .map(|(_, s)| s)
            .sum();
        if all > 0.0 {
            (here / all).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// The upper level of the nested logit for a graduate of `year` from `origin` trained in
    /// `faculty`: each part's Σ exp(utility) over its candidates.
    fn part_sums(
        &self,
        ctx: &GraduateContext<'_>,
        origin: &Origin,
        faculty: u8,
        year: u16,
    ) -> Vec<f64> {
        let i = ctx.installation;
        let town = &ctx.communes.faculties[faculty as usize];
        let now = self.upper_level(year);
        let by_faculty = &now.by_faculty[faculty as usize];
        // Outside the birth région, outside the subdivision of training.
        let (away, elsewhere) = (
            (-i.beta_birth_region).exp(),
            (-i.beta_training_subdivision).exp(),
        );
        let from_origin = |x: f64, y: f64| {
            (i.beta_distance_per_100km * km(x - origin.x_km, y - origin.y_km) / 100.0).exp()
        };
        // Each part at its centroid, per unit of its weight (its faculty terms are in
        // `by_faculty`).
        let at_centroid: Vec<f64> = self
            .parts
            .iter()
            .zip(&now.parts)
            .zip(by_faculty)
            .map(|((p, at), f)| {
                let region = if p.region == origin.region { 1.0 } else { away };
                f * region * from_origin(at.x_km, at.y_km)
            })
            .collect();
        let mut sums: Vec<f64> = now
            .parts
            .iter()
            .zip(&at_centroid)
            .map(|(p, u)| p.weight * u)
            .collect();
        // Near the origin, each candidate at its own place instead of its part's centroid.
        let (gx, gy) = square(origin.x_km, origin.y_km);
        for dx in -1..=1 {
            for dy in -1..=1 {
                for &at in self.near.get(&(gx + dx, gy + dy)).into_iter().flatten() {
                    let (c, weight) = (&self.candidates[at as usize], now.weights[at as usize]);
                    if weight == 0.0 || km(c.x_km - origin.x_km, c.y_km - origin.y_km) > NEAR_KM {
                        continue;
                    }
                    let part = c.part as usize;
                    let p = &self.parts[part];
                    let bonuses = if p.region == origin.region { 1.0 } else { away }
                        * if p.subdivision == faculty {
                            1.0
                        } else {
                            elsewhere
                        };
                    let own = (i.beta_distance_per_100km
                        * km(c.x_km - origin.x_km, c.y_km - origin.y_km)
                        + i.beta_faculty_distance_per_100km
                            * km(c.x_km - town.x_km, c.y_km - town.y_km))
                        / 100.0;
                    // The candidate's share of its part's centroid term, replaced by its own.
                    sums[part] += weight * (bonuses * own.exp() - at_centroid[part]);
                }
            }
        }
        // Rounding in the replacement of a centroid term must not leave a negative weight.
        for s in &mut sums {
            *s = s.max(0.0);
        }
        sums
    }
}

/// The simulated département a graduate chooses with the parts' weights `sums` and uniform
/// draw `u`, or none (another part of France).
pub(super) fn choose_part(parts: &[Part], sums: &[f64], u: f64) -> Option<u16> {
    let all: f64 = sums.iter().sum();
    let mut target = u * all;
    for (p, &s) in parts.iter().zip(sums) {
        target -= s;
        if target < 0.0 {
            return p.simulated;
        }
    }
    None
}

/// The populated simulated commune nearest to a point (km): where distances are counted from
/// for a graduate born outside the simulated communes.
fn nearest(communes: &Communes, x_km: f64, y_km: f64) -> u16 {
    let mut best = (f64::INFINITY, 0u16);
    for (i, c) in communes.communes.iter().enumerate() {
        let d = km(c.x_km - x_km, c.y_km - y_km);
        if c.population > 0 && d < best.0 {
            best = (d, i as u16);
        }
    }
    best.1
}
