//! Step 6 of a year: group practices become MSPs, CPTS coverage spreads (MODEL.md §3.6);
//! health centres follow (`health_centres`).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::centre_openings::pick;
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
    let weight = |i: usize| communes.communes[i].population as u64;
    let total: u64 = (0..communes.communes.len()).map(weight).sum();
    let mut covered: u64 = (0..communes.communes.len())
        .filter(|&i| state.cpts_covered[i])
        .map(weight)
        .sum();
    let mut rank = 0;
    while (covered as f64) < target * total as f64 {
        let mut cum = 0;
        let table: Vec<(u64, u16)> = (0..communes.communes.len())
            .filter(|&i| !state.cpts_covered[i] && weight(i) > 0)
            .map(|i| {
                cum += weight(i);
                (cum, i as u16)
            })
            .collect();
        let Some(&(_, seed_commune)) = pick(&table, rng.random::<f64>()) else {
            break;
        };
        // The seed is covered whatever its distance to itself says: each pass then covers a
        // populated commune, so the loop ends even if a position is not a number (a NaN
        // distance is never within the radius). With finite positions this changes nothing.
        if !state.cpts_covered[seed_commune as usize] {
            state.cpts_covered[seed_commune as usize] = true;
            covered += weight(seed_commune as usize);
        }
        for i in 0..communes.communes.len() {
            if !state.cpts_covered[i]
                && communes.distance_km(seed_commune, i as u16) <= s.structures.cpts_radius_km
            {
                state.cpts_covered[i] = true;
                covered += weight(i);
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
