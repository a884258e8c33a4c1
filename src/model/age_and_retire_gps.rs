//! Step 3 of a year: GPs age; they stop by an age-specific hazard (later in rural communes
//! and in MSPs),
//! or switch to cumul emploi-retraite at reduced capacity (MODEL.md §3.3). A GP who stops
//! frees their slot; `match_patients_to_gps` then unlinks their patients with the reason.

use bevy_ecs::prelude::*;

use super::components::{Gp, PracticeMode};
use super::resources::{
    Clock, CommuneState, Communes, Flows, Params, PolicyEffects, Roster, SlotStatus,
};
use super::rng::{Stream, key, threshold};
use crate::scenario::Gps as GpParams;

/// Age from which a stop counts as a retirement (reason `gp_retired`) rather than a departure.
pub const RETIREMENT_FROM_AGE: u8 = 60;

/// Yearly probability that a GP of this age and mode stops practising.
pub fn exit_hazard(p: &GpParams, age: u8, rural: bool, mode: PracticeMode) -> f64 {
    let base = match age {
        0..=59 => p.exit_hazard_under_60,
        60..=64 => p.exit_hazard_60_64,
        65..=69 => p.exit_hazard_65_69,
        70..=74 => p.exit_hazard_70_74,
        _ => p.exit_hazard_75_plus,
    };
    let mut h = base;
    if age >= RETIREMENT_FROM_AGE && rural {
        h *= p.rural_exit_factor;
    }
    // Older GPs in an MSP stop later (retention: IRDES evaluations of MSPs; assumption).
    if age >= RETIREMENT_FROM_AGE && mode == PracticeMode::Msp {
        h *= p.msp_exit_factor;
    }
    if mode == PracticeMode::WorkingRetiree {
        h *= p.working_retiree_exit_factor;
    }
    h.clamp(0.0, 1.0)
}

/// Ages GPs, draws exits and switches to working retiree.
pub fn age_and_retire_gps(
    mut commands: Commands,
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    (effects, state): (Res<PolicyEffects>, Res<CommuneState>),
    mut roster: ResMut<Roster>,
    mut flows: ResMut<Flows>,
    mut gps: Query<(Entity, &mut Gp)>,
) {
    let (s, year) = (&params.0, clock.year);
    let g_params = &s.gps;
    let to_retiree = threshold(g_params.working_retiree_rate_per_year);
    let retained = threshold(effects.retiree_retained_share);
    for (entity, mut gp) in &mut gps {
        gp.age = gp.age.saturating_add(1);
        gp.junior_acts = 0.0;
        let commune = &communes.communes[gp.commune as usize];
        let h = exit_hazard(g_params, gp.age, !commune.urban, gp.mode);
        let slot = roster.gp_key(gp.slot);
        let d = commune.departement as usize;
        let stops = key(s.seed, year, Stream::GpExit, slot) < threshold(h);
        // A cumul incentive keeps some of those about to stop working part time.
        let kept = stops
            && gp.mode.is_liberal()
            && gp.mode != PracticeMode::WorkingRetiree
            && gp.age >= g_params.pension_age_years
            && key(s.seed, year, Stream::GpRetiree, slot ^ 1 << 40) < retained;
        if kept {
            gp.mode = PracticeMode::WorkingRetiree;
        } else if stops {
            let retired = gp.age >= RETIREMENT_FROM_AGE;
            roster.status[gp.slot as usize] = if retired {
                SlotStatus::Retired
            } else {
                SlotStatus::Left
            };
            flows.exits[d] += 1;
            flows.retirements[d] += u64::from(retired);
            flows.exits_well_served[d] +=
                u64::from(gp.mode.is_liberal() && !state.under_dense[gp.commune as usize]);
            commands.entity(entity).despawn();
        } else if gp.mode.is_liberal()
            && gp.mode != PracticeMode::WorkingRetiree
            && gp.age >= g_params.pension_age_years
            && key(s.seed, year, Stream::GpRetiree, slot) < to_retiree
        {
            gp.mode = PracticeMode::WorkingRetiree;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::system::RunSystemOnce;

    use crate::model::testing::{baseline, gp_at, tiny_world};

    #[test]
    fn a_gp_under_60_rarely_stops() {
        let p = &baseline().gps;
        assert!(exit_hazard(p, 45, false, PracticeMode::Group) < 0.02);
        assert!(exit_hazard(p, 67, false, PracticeMode::Group) > 0.1);
    }

    #[test]
    fn rural_gps_stop_later_and_working_retirees_sooner() {
        let p = &baseline().gps;
        assert!(
            exit_hazard(p, 66, true, PracticeMode::Isolated)
                < exit_hazard(p, 66, false, PracticeMode::Isolated)
        );
        assert!(
            exit_hazard(p, 66, false, PracticeMode::WorkingRetiree)
                > exit_hazard(p, 66, false, PracticeMode::Isolated)
        );
    }

    #[test]
    fn older_msp_members_stop_later_than_solo_gps_of_the_same_age() {
        let p = &baseline().gps;
        for age in [62, 67, 72] {
            let (msp, solo) = (
                exit_hazard(p, age, false, PracticeMode::Msp),
                exit_hazard(p, age, false, PracticeMode::Isolated),
            );
            assert!(msp < solo, "age {age}: MSP {msp} vs solo {solo}");
        }
        assert_eq!(
            exit_hazard(p, 45, false, PracticeMode::Msp),
            exit_hazard(p, 45, false, PracticeMode::Isolated),
            "retention concerns older GPs"
        );
    }

    #[test]
    fn ages_match_the_observed_activity_of_older_doctors() {
        // DREES 2018: 43 % of 65–69 and 20 % of 70–79 still active, relative to the cohort at 60.
        let p = &baseline().gps;
        let mut alive = 1.0;
        let (mut s65, mut s70) = (0.0, 0.0);
        for age in 61..=79u8 {
            alive *= 1.0 - exit_hazard(p, age, false, PracticeMode::Group);
            if (65..=69).contains(&age) {
                s65 += alive / 5.0
            }
            if (70..=79).contains(&age) {
                s70 += alive / 10.0
            }
        }
        assert!((0.33..=0.53).contains(&s65), "65-69 active share {s65}");
        assert!((0.10..=0.30).contains(&s70), "70-79 active share {s70}");
    }

    #[test]
    fn a_stopping_gp_frees_the_slot_with_the_right_status() {
        let mut world = tiny_world();
        let old = gp_at(&mut world, 0, 98);
        let young = gp_at(&mut world, 0, 30);
        world.resource_mut::<Params>().0.gps.exit_hazard_75_plus = 1.0;
        world.resource_mut::<Params>().0.gps.exit_hazard_under_60 = 0.0;
        world.run_system_once(age_and_retire_gps).unwrap();
        let roster = world.resource::<Roster>();
        assert_eq!(roster.status[old as usize], SlotStatus::Retired);
        assert_eq!(roster.status[young as usize], SlotStatus::Active);
    }
}
