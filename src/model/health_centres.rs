//! Step 6, after `form_structures`: health centres (CDS) keep a yearly account, close after
//! years of deficit no one covers, and open; local services open, and close once their lever
//! stops (MODEL.md §3.6). The account is `centre_account`'s; openings and hiring are
//! `centre_openings`'s.

use std::collections::HashMap;

use bevy_ecs::prelude::*;

use super::centre_account::{Staffing, account, uncovered_share};
use super::centre_openings::{open_centres, open_programme_centres};
use super::components::{CentreBudget, Gp, PracticeMode, Structure, StructureKind};
use super::local_services::open_local_services;
use super::national_flow::NationalFlow;
use super::resources::PatientCounts;
use super::resources::{
    Clock, CommuneState, Communes, Flows, FranceRecord, Lists, LocumPool, Params, PolicyEffects,
    Roster, SlotStatus,
};
use super::rng::{Stream, generator};
use crate::scenario::Scenario;

/// Keeps the health centres' accounts, closes those in lasting uncovered deficit (their GPs
/// leave) and local services without a lever, then opens the year's centres and services.
#[allow(clippy::too_many_arguments)]
pub fn run_health_centres(
    mut commands: Commands,
    (params, clock, communes, lists): (Res<Params>, Res<Clock>, Res<Communes>, Res<Lists>),
    (effects, state, counts): (Res<PolicyEffects>, Res<CommuneState>, Res<PatientCounts>),
    (national, mut kept): (Res<NationalFlow>, Option<ResMut<FranceRecord>>),
    mut roster: ResMut<Roster>,
    (mut flows, mut pool): (ResMut<Flows>, ResMut<LocumPool>),
    gps: Query<(Entity, &Gp)>,
    mut structures: Query<(Entity, &Structure, Option<&mut CentreBudget>)>,
) {
    let (s, year) = (&params.0, clock.year);
    let staffing = staffing_by_centre(gps.iter().map(|(_, gp)| gp), &lists, year, s);
    let mut closed = Vec::new();
    for (entity, st, budget) in &mut structures {
        let closes = match (st.kind, budget) {
            // Unfunded once the lever stops: its retirees stop too.
            (StructureKind::LocalService, _) => effects.local_services.is_none(),
            (StructureKind::HealthCentre, Some(mut b)) => {
                let staff = staffing.get(&st.slot).copied().unwrap_or_default();
                let cover = b
                    .programme
                    .and_then(|i| effects.centre_cover.get(i as usize))
                    .copied()
                    .unwrap_or(0.0);
                keep_account(&mut b, &staff, (year, cover), s)
            }
            _ => false,
        };
        if closes {
            closed.push(st.slot);
            commands.entity(entity).despawn();
        }
    }
    closed.sort_unstable();
    for (entity, gp) in &gps {
        if closed.binary_search(&gp.structure).is_ok() {
            roster.status[gp.slot as usize] = SlotStatus::Left;
            flows.exits[communes.communes[gp.commune as usize].departement as usize] += 1;
            commands.entity(entity).despawn();
        }
    }
    let mut rng = generator(s.seed, year, Stream::Sequence, 18 << 40);
    open_centres(
        &mut commands,
        &mut roster,
        (&mut flows, &mut pool),
        (&communes, &state, &counts, s, year),
        (&national, kept.as_deref_mut()),
        &mut rng,
    );
    if let Some(plan) = &effects.local_services {
        open_local_services(
            &mut commands,
            &mut roster,
            &mut flows,
            (&communes, s, year),
            plan,
        );
    }
    for (j, programme) in effects.centre_programmes.iter().enumerate() {
        open_programme_centres(
            &mut commands,
            &mut roster,
            (&mut flows, &mut pool),
            (&communes, s, year),
            j as u64,
            programme,
        );
    }
}

/// Records the year's account in the centre's budget and counts its years of uncovered
/// deficit above the threshold (`cover`: the share a programme in force pays); true when it
/// closes this year.
pub fn keep_account(
    b: &mut CentreBudget,
    staff: &Staffing,
    (year, cover): (u16, f64),
    s: &Scenario,
) -> bool {
    let a = account(b, staff, year, s);
    let result = a.result_share();
    b.deficit_share = (-result).max(0.0);
    b.cost_per_gp_eur = a.cost_eur() / f64::from(staff.gps.max(1));
    let in_deficit =
        uncovered_share(b, result, cover) > s.structures.health_centre_deficit_threshold_share;
    b.deficit_years = if in_deficit {
        b.deficit_years.saturating_add(1)
    } else {
        0
    };
    b.deficit_years >= s.structures.health_centre_closure_years
}

/// Each centre's staffing this year, by structure slot: its salaried GPs and their lists.
pub fn staffing_by_centre<'a>(
    gps: impl Iterator<Item = &'a Gp>,
    lists: &Lists,
    year: u16,
    s: &Scenario,
) -> HashMap<u32, Staffing> {
    let mut out: HashMap<u32, Staffing> = HashMap::new();
    for gp in gps.filter(|gp| gp.mode == PracticeMode::HealthCentre) {
        let agents = lists.sizes.get(gp.slot as usize).copied().unwrap_or(0);
        let persons = f64::from(agents) * s.persons_per_agent as f64;
        out.entry(gp.structure)
            .or_default()
            .add(gp, year, persons, s);
    }
    out
}

/// Every health centre's result over costs in the world's current year (negative: deficit),
/// from its GPs and lists as they stand: at the start year, the distribution set beside
/// IGAS 2025 by `medesert validate`.
pub fn centre_results(world: &mut World) -> Vec<f64> {
    let s = world.resource::<Params>().0.clone();
    let year = world.resource::<Clock>().year;
    let mut q = world.query::<&Gp>();
    let staffing = staffing_by_centre(q.iter(world), world.resource::<Lists>(), year, &s);
    let mut centres = world.query::<(&Structure, &CentreBudget)>();
    let mut out: Vec<f64> = centres
        .iter(world)
        .map(|(st, b)| {
            let staff = staffing.get(&st.slot).copied().unwrap_or_default();
            account(b, &staff, year, &s).result_share()
        })
        .collect();
    out.sort_by(f64::total_cmp);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::baseline;
    use crate::scenario::policy::{Operator, Payment};

    #[test]
    fn an_uncovered_centre_in_deep_deficit_closes_after_the_closure_years() {
        let s = baseline();
        let mut b = CentreBudget {
            operator: Operator::ClinicGroup,
            payment: Payment::FeeForService,
            teulade: false,
            productivity_z: -3.0,
            precarity_share: 0.36,
            covered: false,
            deficit_years: 0,
            programme: None,
            deficit_share: 0.0,
            cost_per_gp_eur: 0.0,
        };
        let staff = Staffing {
            fte: 1.0,
            acts: s.apl.acts_per_health_centre_fte,
            enrolled_patients: 800.0,
            gps: 1,
        };
        let years = s.structures.health_centre_closure_years;
        for year in 1..years {
            assert!(
                !keep_account(&mut b, &staff, (2019, 0.0), &s),
                "closed in year {year}"
            );
        }
        assert!(keep_account(&mut b, &staff, (2019, 0.0), &s));
        assert!(b.deficit_share > s.structures.health_centre_deficit_threshold_share);
        // A programme paying the whole deficit keeps the same centre open.
        b.deficit_years = 0;
        for _ in 0..years {
            assert!(!keep_account(&mut b, &staff, (2019, 1.0), &s));
        }
    }
}
