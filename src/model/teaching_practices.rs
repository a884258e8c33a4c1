//! Teaching practices (the `teaching_practices` lever): accredited MSPs host interns in their
//! last internship, and some of those interns install in the practice's département
//! (docs/policies.md).

use bevy_ecs::prelude::*;

use super::components::{Structure, StructureKind};
use super::resources::{Locum, LocumPool, PolicyEffects, Roster};
use super::rng::{Stream, key, mix, threshold};

/// Is the MSP with draw key `draws` accredited as a teaching practice, where `share` of the
/// MSPs are? A fixed draw per practice, so a practice keeps its accreditation from year to year.
pub fn accredited(seed: u64, draws: u64, share: f32) -> bool {
    share > 0.0 && key(seed, 0, Stream::Sequence, 14 << 40 | draws) < threshold(share as f64)
}

/// Teaching practices: this year's graduates did their last internship in an accredited MSP
/// with probability (interns hosted) / (graduates), in one drawn at random; `retention_share`
/// of them will install in its département (their `internship_commune`).
pub fn host_interns(
    pool: &mut LocumPool,
    effects: &PolicyEffects,
    structures: &Query<&Structure>,
    (roster, seed, year): (&Roster, u64, u16),
    first_graduate: u32,
) {
    let mut hosts: Vec<(u32, u16)> = structures
        .iter()
        .filter(|st| st.kind == StructureKind::Msp)
        .filter(|st| {
            let share = effects.teaching_share.get(st.commune as usize);
            accredited(
                seed,
                roster.structure_key(st.slot),
                share.copied().unwrap_or(0.0),
            )
        })
        .map(|st| (st.slot, st.commune))
        .collect();
    hosts.sort_unstable();
    // This year's graduates of the simulated communes: of a sub-national run's national flow,
    // those born there (interns train near home; the others stand for the rest of France's).
    let hosted_from = |l: &Locum| l.id >= first_graduate && l.recruitable();
    let new = pool.locums.iter().filter(|l| hosted_from(l)).count();
    if hosts.is_empty() || new == 0 {
        return;
    }
    let hosted = hosts.len() as f64 * effects.interns_per_practice;
    let p = threshold((hosted / new as f64).min(1.0));
    let retained = threshold(effects.teaching_retention_share);
    for l in pool.locums.iter_mut().filter(|l| hosted_from(l)) {
        let k = key(seed, year, Stream::Sequence, 15 << 40 | l.id as u64);
        // Hosted, and one of those who will install near the practice: decided now, so the
        // pull lasts after the lever stops.
        if k < p && mix(k ^ 1) < retained {
            l.internship_commune = Some(hosts[(mix(k) % hosts.len() as u64) as usize].1);
        }
    }
}
