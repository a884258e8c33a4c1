//! The choice of the national flow's graduates (see [`super`]): who they are, and whether they
//! choose the simulated communes.

use super::{NEAR_KM, NationalFlow, Origin, km, square};
use crate::model::resources::{Communes, LocumPool, Tables};
use crate::model::rng::{Stream, key, mix, stochastic_round, unit};
use crate::model::train_and_graduate::{GraduateContext, new_locum};
use rayon::prelude::*;

impl NationalFlow {
    /// Draws the national graduates of `graduation_year` and adds to the locums those who
    /// choose the simulated communes.
    pub fn add_graduates(&self, pool: &mut LocumPool, ctx: &GraduateContext<'_>, year: u16) {
        let national = Tables::series(ctx.graduates, year);
        let n = stochastic_round(national, key(ctx.seed, year, Stream::Sequence, 10));
        // Each graduate's draws are keyed on their rank: the choices are made in parallel, and
        // the locums numbered in rank order after.
        let chosen: Vec<(u16, u16, u8)> = (0..n)
            .into_par_iter()
            .filter_map(|j| {
                let k = key(ctx.seed, year, Stream::Sequence, 3 << 32 | j);
                let at = self
                    .cumulative
                    .partition_point(|&c| c as f64 <= unit(k) * self.total() as f64)
                    .min(self.origins.len() - 1);
                let origin = &self.origins[at];
                let faculty = self.draw_faculty(ctx, origin.subdivision, k);
                if unit(k.rotate_left(23)) >= self.simulated_share(ctx, origin, faculty) {
                    return None;
                }
                let from = origin
                    .simulated
                    .unwrap_or_else(|| nearest(ctx.communes, origin.x_km, origin.y_km));
                Some((from, self.regions[origin.region as usize], faculty))
            })
            .collect();
        for (from, birth_region, faculty) in chosen {
            let id = pool.next_id;
            pool.next_id += 1;
            let k = key(ctx.seed, year, Stream::Sequence, 1 << 32 | u64::from(id));
            let locum = new_locum(ctx.training, year, k, id, (from, birth_region, faculty));
            pool.locums.push(locum);
        }
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

    /// Probability that a graduate from `origin` trained in `faculty` chooses a simulated
    /// commune: the upper level of the nested logit.
    pub(super) fn simulated_share(
        &self,
        ctx: &GraduateContext<'_>,
        origin: &Origin,
        faculty: u8,
    ) -> f64 {
        let i = ctx.installation;
        let town = &ctx.communes.faculties[faculty as usize];
        let by_faculty = &self.by_faculty[faculty as usize];
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
            .zip(by_faculty)
            .map(|(p, f)| {
                let region = if p.region == origin.region { 1.0 } else { away };
                f * region * from_origin(p.x_km, p.y_km)
            })
            .collect();
        let mut sums: Vec<f64> = self
            .parts
            .iter()
            .zip(&at_centroid)
            .map(|(p, u)| p.weight * u)
            .collect();
        // Near the origin, each candidate at its own place instead of its part's centroid.
        let (gx, gy) = square(origin.x_km, origin.y_km);
        for dx in -1..=1 {
            for dy in -1..=1 {
                for c in self.near.get(&(gx + dx, gy + dy)).into_iter().flatten() {
                    if km(c.x_km - origin.x_km, c.y_km - origin.y_km) > NEAR_KM {
                        continue;
                    }
                    let at = c.part as usize;
                    let p = &self.parts[at];
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
                    sums[at] += c.weight * (bonuses * own.exp() - at_centroid[at]);
                }
            }
        }
        let (mut here, mut all) = (0.0, 0.0);
        for (p, sum) in self.parts.iter().zip(&sums) {
            all += sum;
            if p.simulated {
                here += sum;
            }
        }
        if all > 0.0 {
            (here / all).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
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
