//! Local services (the Laval model), opened by their lever: retired GPs working part time as
//! working retirees with interns they supervise (MODEL.md §3.6; docs/policies.md).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::centre_openings::pick;
use super::components::{Gp, PracticeMode, Structure, StructureKind};
use super::resources::{Communes, DrawKey, Flows, LocalServicePlan, Roster};
use super::rng::{Stream, generator, key, stochastic_round};
use super::workload::draw_activity;
use crate::scenario::Scenario;

/// The year's local services (the Laval model): retired GPs aged 66–72 working part time as
/// working retirees, the interns' capacity shared among them; on their own random stream.
pub fn open_local_services(
    commands: &mut Commands,
    roster: &mut Roster,
    flows: &mut Flows,
    (communes, s, year): (&Communes, &Scenario, u16),
    plan: &LocalServicePlan,
) {
    let mut rng = generator(s.seed, year, Stream::Sequence, 16 << 40);
    let n = stochastic_round(plan.per_year, key(s.seed, year, Stream::Sequence, 17 << 40));
    for rank in 0..n {
        let Some(&(_, commune)) = pick(&plan.sites, rng.random::<f64>()) else {
            break;
        };
        let d = communes.communes[commune as usize].departement as usize;
        flows.installations[d] += u64::from(plan.retirees);
        flows.salaried_entries[d] += u64::from(plan.retirees);
        flows.installations_under_dense[d] += u64::from(plan.retirees);
        let draws = DrawKey::opened(4, 0, year, rank, 0);
        let slot = roster.new_structure_slot(draws);
        commands.spawn(Structure {
            slot,
            kind: StructureKind::LocalService,
            commune,
            opened: year,
            has_partner: true,
        });
        // The interns' consultations, spread over the retirees who supervise them.
        let interns = plan.interns_acts / f64::from(plan.retirees.max(1));
        let staff = Staff {
            mode: PracticeMode::WorkingRetiree,
            ages: 66..=72,
            count: plan.retirees,
            intern_acts: interns as f32,
        };
        hire(
            commands,
            roster,
            &mut rng,
            s,
            (commune, year, slot, draws),
            staff,
        );
    }
}

/// The GPs a new structure hires.
struct Staff {
    mode: PracticeMode,
    ages: std::ops::RangeInclusive<u8>,
    count: u8,
    /// Consultations a year of the interns each one supervises.
    intern_acts: f32,
}

/// Spawns a new structure's GPs, their draws keyed on the structure's key and their rank.
fn hire(
    commands: &mut Commands,
    roster: &mut Roster,
    rng: &mut Xoshiro256PlusPlus,
    s: &Scenario,
    (commune, year, structure, draws): (u16, u16, u32, u64),
    staff: Staff,
) {
    for member in 0..staff.count {
        let slot = roster.new_gp_slot(draws | (u64::from(member) + 1));
        commands.spawn(Gp {
            slot,
            age: rng.random_range(staff.ages.clone()),
            female: rng.random::<f64>() < s.training.women_share_graduates,
            mode: staff.mode,
            commune,
            structure,
            activity: draw_activity(rng.random::<f64>()),
            junior_acts: 0.0,
            intern_acts: staff.intern_acts,
            list_threshold: 0.0,
            year_installed: year,
            origin_commune: commune,
        });
    }
}
