//! Step 4 of a year, last part: docteurs juniors (the 4th year of general medicine, from
//! November 2026) are placed with supervising GPs, under-dense zone first (MODEL.md §3.4;
//! docs/model.md §7, "Training pipeline"). A junior adds consultations to their supervisor's offer
//! (`workload.junior_doctor_acts`); they never hold an MT list.

use bevy_ecs::prelude::*;

use super::components::{Gp, NO_STRUCTURE, PracticeMode};
use super::national_flow::NationalFlow;
use super::resources::{
    CommuneState, Communes, FranceRecord, LocumPool, PolicyEffects, Roster, Tables,
};
use super::rng::{Stream, key, stochastic_round};
use crate::scenario::Scenario;

/// Places this year's docteurs juniors with supervisors: GPs under 65 in a group practice or
/// MSP, the under-dense zone's first (`junior_under_dense_share` of them), each supervisor
/// taking one; their count goes to `pool.junior_doctors`.
pub fn place_juniors(
    s: &Scenario,
    year: u16,
    (tables, communes, state): (&Tables, &Communes, &CommuneState),
    (effects, roster): (&PolicyEffects, &Roster),
    pool: &mut LocumPool,
    gps: &mut Query<&mut Gp>,
    (national, kept): (&NationalFlow, Option<&mut FranceRecord>),
) {
    let juniors_expected = Tables::series(&tables.junior_doctors, year) * communes.national_share;
    let mut juniors = stochastic_round(juniors_expected, key(s.seed, year, Stream::Sequence, 11));
    let mut supervisors: Vec<(bool, u64, u32)> = gps
        .iter()
        .filter(|g| {
            g.age < 65 && g.structure != NO_STRUCTURE && g.mode != PracticeMode::HealthCentre
        })
        .map(|g| {
            // A fixed draw per GP (not per year): the practices accredited to supervise
            // take a junior every year, as teaching practices do, rather than a new set of
            // supervisors each year gaining and losing a junior's consultations.
            (
                !state.under_dense[g.commune as usize],
                key(s.seed, 0, Stream::Sequence, roster.gp_key(g.slot)),
                g.slot,
            )
        })
        .collect();
    supervisors.sort_unstable();
    // `under_dense_share` of the juniors go to the zone's supervisors (all of them in the
    // baseline: zone first), the others to the rest; a group short of supervisors leaves its
    // juniors to the other.
    let in_zone = supervisors.partition_point(|x| !x.0);
    let (zone, rest) = supervisors.split_at(in_zone);
    let mut to_zone = ((juniors as f64 * effects.junior_under_dense_share).round() as usize)
        .max((juniors as usize).saturating_sub(rest.len()))
        .min(zone.len());
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    if let Some(kept) = kept {
        let to_rest = (juniors as usize - to_zone.min(juniors as usize)).min(rest.len());
        let chances = (share(to_zone, zone.len()), share(to_rest, rest.len()));
        kept.junior_chances.push((year, chances));
    }
    // A sub-national run gives each supervisor the chance a France run gives them: France's
    // juniors go to the zone's supervisors of all France first, not to this territory's in
    // proportion to its people.
    if let Some((in_zone, elsewhere)) = national.junior_chances(year) {
        let draw = |p: f64, n: usize, k: u64| {
            (stochastic_round(p * n as f64, key(s.seed, year, Stream::Sequence, k)) as usize).min(n)
        };
        to_zone = draw(in_zone, zone.len(), 11 | 2 << 40);
        juniors = (to_zone + draw(elsewhere, rest.len(), 11 | 1 << 40)) as u64;
    }
    let chosen: Vec<u32> = zone
        .iter()
        .take(to_zone)
        .chain(
            rest.iter()
                .take(juniors as usize - to_zone.min(juniors as usize)),
        )
        .map(|x| x.2)
        .collect();
    pool.junior_doctors = chosen.len() as u32;
    let mut chosen_sorted = chosen;
    chosen_sorted.sort_unstable();
    for mut g in gps.iter_mut() {
        if chosen_sorted.binary_search(&g.slot).is_ok() {
            g.junior_acts = s.workload.junior_doctor_acts as f32;
        }
    }
}
