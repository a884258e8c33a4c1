//! Step 6 of a year: group practices become MSPs, CPTS coverage spreads (MODEL.md §3.6);
//! health centres follow (`health_centres`).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::components::{Gp, PracticeMode, Structure, StructureKind, members_by_structure};
use super::resources::{Clock, CommuneState, Communes, DrawKey, Params, Roster};
use super::rng::{Stream, generator, key, threshold};
use crate::scenario::Scenario;

/// MSP formation and CPTS spread (health centres and local services: `health_centres`).
pub fn form_structures(
    mut commands: Commands,
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    mut state: ResMut<CommuneState>,
    mut roster: ResMut<Roster>,
    mut gps: Query<&mut Gp>,
    mut structures: Query<(Entity, &mut Structure)>,
) {
    let (s, year) = (&params.0, clock.year);
    let members = members_by_structure(gps.iter());
    let mut to_msp = Vec::new();
    for (entity, mut st) in &mut structures {
        let n = members.get(&st.slot).copied().unwrap_or(0);
        if st.kind != StructureKind::Cpts && n == 0 {
            commands.entity(entity).despawn();
            continue;
        }
        if st.kind == StructureKind::GroupPractice && n >= 2 && st.has_partner {
            let zone = state.under_dense[st.commune as usize];
            let rate = s.structures.msp_formation_rate_per_year
                * if zone {
                    s.structures.msp_under_dense_factor
                } else {
                    1.0
                };
            let draws = roster.structure_key(st.slot);
            if key(s.seed, year, Stream::Sequence, 6 << 40 | draws) < threshold(rate) {
                st.kind = StructureKind::Msp;
                st.opened = year;
                to_msp.push(st.slot);
            }
        }
    }
    to_msp.sort_unstable();
    for mut gp in &mut gps {
        if to_msp.binary_search(&gp.structure).is_ok() && gp.mode == PracticeMode::Group {
            gp.mode = PracticeMode::Msp;
        }
    }
    let mut rng = generator(s.seed, year, Stream::Sequence, 7);
    let target = cpts_target(s, year);
    extend_cpts(
        &mut commands,
        &mut roster,
        &communes,
        &mut state,
        target,
        &mut rng,
        s,
        year,
    );
}

/// CPTS coverage path: the start share until the year before the first CPTS year (or the
/// start year, if later), then linear to the target share at the target year (2019 → 2024).
pub fn cpts_target(s: &Scenario, year: u16) -> f64 {
    let st = &s.structures;
    let from = s.start_year.max(st.cpts_first_year.saturating_sub(1));
    let span = st.cpts_target_year.saturating_sub(from).max(1);
    let t = year.saturating_sub(from) as f64 / span as f64;
    st.cpts_coverage_start + (st.cpts_coverage_target - st.cpts_coverage_start) * t.min(1.0)
}

/// New CPTS, each around a population-weighted uncovered commune and covering the uncovered
/// communes within `cpts_radius_km`, until `target` of the people are covered.
#[allow(clippy::too_many_arguments)]
pub fn extend_cpts(
    commands: &mut Commands,
    roster: &mut Roster,
    communes: &Communes,
    state: &mut CommuneState,
    target: f64,
    rng: &mut Xoshiro256PlusPlus,
    s: &Scenario,
    year: u16,
) {
    let n = communes.communes.len();
    let weight = |i: usize| communes.communes[i].population as u64;
    let total: u64 = (0..n).map(weight).sum();
    let mut covered: u64 = (0..n).filter(|&i| state.cpts_covered[i]).map(weight).sum();
    // The uncovered people by commune, for draws ∝ population among the uncovered communes
    // (the same draw as `pick` on their cumulative table, without rebuilding it each time).
    let mut uncovered =
        Fenwick::new((0..n).map(|i| if state.cpts_covered[i] { 0 } else { weight(i) }));
    let radius = s.structures.cpts_radius_km;
    let grid = Grid::new(communes, radius);
    let mut rank = 0;
    while (covered as f64) < target * total as f64 {
        let left = uncovered.total();
        if left == 0 {
            break;
        }
        let drawn = (rng.random::<f64>() * left as f64) as u64;
        let seed_commune = uncovered.first_above(drawn.min(left - 1)) as u16;
        // The seed is covered whatever its distance to itself says: each pass then covers a
        // populated commune, so the loop ends even if a position is not a number (a NaN
        // distance is never within the radius). With finite positions this changes nothing.
        let mut near = vec![seed_commune as usize];
        let within = |i: usize| {
            i != seed_commune as usize
                && !state.cpts_covered[i]
                && communes.distance_km(seed_commune, i as u16) <= radius
        };
        match &grid {
            Some(grid) => near.extend(grid.around(communes, seed_commune).filter(|&i| within(i))),
            None => near.extend((0..n).filter(|&i| within(i))),
        }
        for i in near {
            if !state.cpts_covered[i] {
                state.cpts_covered[i] = true;
                covered += weight(i);
                uncovered.remove(i, weight(i));
            }
        }
        let slot = roster.new_structure_slot(DrawKey::opened(5, 0, year, rank, 0));
        rank += 1;
        commands.spawn(Structure {
            slot,
            kind: StructureKind::Cpts,
            commune: seed_commune,
            opened: year,
            has_partner: true,
        });
    }
}

/// Sums of non-negative weights by prefix (a Fenwick tree): a weight removed, the total, and
/// the first index whose prefix sum exceeds a value, each in O(log n).
struct Fenwick {
    tree: Vec<u64>,
}

impl Fenwick {
    fn new(weights: impl Iterator<Item = u64>) -> Fenwick {
        let mut tree: Vec<u64> = std::iter::once(0).chain(weights).collect();
        for i in 1..tree.len() {
            let parent = i + (i & i.wrapping_neg());
            if parent < tree.len() {
                tree[parent] += tree[i];
            }
        }
        Fenwick { tree }
    }

    /// Removes `w` from the weight of index `i`.
    fn remove(&mut self, i: usize, w: u64) {
        let mut j = i + 1;
        while j < self.tree.len() {
            self.tree[j] -= w;
            j += j & j.wrapping_neg();
        }
    }

    /// The sum of every weight.
    fn total(&self) -> u64 {
        let mut j = self.tree.len() - 1;
        let mut sum = 0;
        while j > 0 {
            sum += self.tree[j];
            j -= j & j.wrapping_neg();
        }
        sum
    }

    /// The first index whose prefix sum (its own weight included) exceeds `value`, which is
    /// below the total: the index a cumulative table's `partition_point(|c| c <= value)` gives.
    fn first_above(&self, mut value: u64) -> usize {
        let n = self.tree.len() - 1;
        let mut at = 0;
        let mut step = if n == 0 { 0 } else { 1 << n.ilog2() };
        while step > 0 {
            if at + step <= n && self.tree[at + step] <= value {
                at += step;
                value -= self.tree[at];
            }
            step >>= 1;
        }
        at
    }
}

/// Communes in squares of the CPTS radius, to find the communes near a seed without
/// measuring the distance to every commune of the territory.
struct Grid {
    side_km: f64,
    squares: std::collections::HashMap<(i64, i64), Vec<u32>>,
}

impl Grid {
    /// `None` when the radius is not a positive finite distance (every commune is measured).
    fn new(communes: &Communes, radius_km: f64) -> Option<Grid> {
        if !(radius_km.is_finite() && radius_km > 0.0) {
            return None;
        }
        let mut squares: std::collections::HashMap<(i64, i64), Vec<u32>> = Default::default();
        for (i, c) in communes.communes.iter().enumerate() {
            if !(c.x_km.is_finite() && c.y_km.is_finite()) {
                return None;
            }
            let key = ((c.x_km / radius_km) as i64, (c.y_km / radius_km) as i64);
            squares.entry(key).or_default().push(i as u32);
        }
        Some(Grid {
            side_km: radius_km,
            squares,
        })
    }

    /// The communes of the squares within two squares of commune `c`'s (a margin of one
    /// square beyond the radius against rounding), in no particular order.
    fn around<'a>(&'a self, communes: &Communes, c: u16) -> impl Iterator<Item = usize> + 'a {
        let at = &communes.communes[c as usize];
        let (x, y) = (
            (at.x_km / self.side_km) as i64,
            (at.y_km / self.side_km) as i64,
        );
        (-2..=2)
            .flat_map(move |dx| (-2..=2).map(move |dy| (x + dx, y + dy)))
            .filter_map(|key| self.squares.get(&key))
            .flatten()
            .map(|&i| i as usize)
    }
}

#[cfg(test)]
mod fenwick_tests {
    use super::*;
    use crate::model::centre_openings::pick;

    #[test]
    fn the_fenwick_draw_is_the_cumulative_table_draw() {
        let mut weights: Vec<u64> = (0..1000u64)
            .map(|i| crate::model::rng::mix(i) % 50)
            .collect();
        let mut tree = Fenwick::new(weights.iter().copied());
        for round in 0..400u64 {
            let mut cum = 0;
            let table: Vec<(u64, u16)> = (0..weights.len())
                .filter(|&i| weights[i] > 0)
                .map(|i| {
                    cum += weights[i];
                    (cum, i as u16)
                })
                .collect();
            assert_eq!(tree.total(), cum);
            let u = (crate::model::rng::mix(round + 7) >> 11) as f64 / (1u64 << 53) as f64;
            let drawn = (u * cum as f64) as u64;
            let expected = pick(&table, u).unwrap().1 as usize;
            assert_eq!(tree.first_above(drawn.min(cum - 1)), expected);
            // The drawn one is removed, as a covered commune is.
            tree.remove(expected, weights[expected]);
            weights[expected] = 0;
        }
    }
}
