//! Opening health centres and local services, and hiring their GPs (MODEL.md §3.6): the
//! baseline's centres, where an operator expects to carry the account; a health-centre
//! programme's; the local services of retired GPs. Centre GPs come from the locum pool
//! (`recruit`), never from outside the training pipeline.

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::centre_account::{Staffing, account, uncovered_share};
use super::components::{CentreBudget, Gp, PracticeMode, Structure, StructureKind};
use super::national_flow::NationalFlow;
use super::recruit::recruit;
use super::resources::PatientCounts;
use super::resources::{
    CentreProgramme, CommuneState, Communes, DrawKey, Flows, FranceRecord, Locum, LocumPool, Roster,
};
use super::rng::{Stream, generator, key, stochastic_round};
use super::workload::draw_activity;
use crate::scenario::Scenario;
use crate::scenario::policy::{Operator, Payment};

/// The baseline's health-centre openings of the year (`health_centre_openings_per_million`),
/// in under-dense communes, staffed from the locum pool.
pub fn open_centres(
    commands: &mut Commands,
    roster: &mut Roster,
    (flows, pool): (&mut Flows, &mut LocumPool),
    (communes, state, counts, s, year): (&Communes, &CommuneState, &PatientCounts, &Scenario, u16),
    (national, kept): (&NationalFlow, Option<&mut FranceRecord>),
    rng: &mut Xoshiro256PlusPlus,
) {
    let min = s.installation.min_commune_population;
    let sites = centre_sites(communes, state, min, |_| true);
    let site_people = sites.last().map_or(0, |s| s.0);
    let mut people: f64 =
        counts.agents.iter().map(|&a| a as f64).sum::<f64>() * s.persons_per_agent as f64;
    if let Some(kept) = kept {
        let ratio = people / site_people.max(1) as f64;
        kept.people_per_site_person.push((year, ratio));
    }
    // A sub-national run opens what France would open on its sites.
    if let Some(p) = national.people_for_centre_sites(year, site_people) {
        people = p;
    }
    let expected = s.structures.health_centre_openings_per_million * people / 1e6;
    let openings = stochastic_round(expected, key(s.seed, year, Stream::Sequence, 8));
    for rank in 0..openings {
        let Some(&(_, commune)) = pick(&sites, rng.random::<f64>()) else {
            break;
        };
        // An operator opens only a centre whose expected account it can carry.
        let budget = draw_budget(rng, s);
        let gps = s.structures.health_centre_gps_at_opening;
        if !viable(&budget, gps, year, s) {
            continue;
        }
        let recruits = recruit(pool, communes, commune, gps, year);
        if recruits.is_empty() {
            break;
        }
        let d = communes.communes[commune as usize].departement as usize;
        flows.installations[d] += recruits.len() as u64;
        flows.salaried_entries[d] += recruits.len() as u64;
        // Centres open in the under-dense zone only (centre_sites).
        flows.installations_under_dense[d] += recruits.len() as u64;
        let draws = DrawKey::opened(2, 0, year, rank, 0);
        open_centre(
            commands,
            roster,
            rng,
            (commune, year, draws),
            budget,
            &recruits,
        );
    }
}

/// Is a centre of `gps` full-time GPs at the mean productivity, once past its ramp, one whose
/// uncovered deficit stays under the closure threshold?
fn viable(b: &CentreBudget, gps: u8, year: u16, s: &Scenario) -> bool {
    let n = f64::from(gps);
    let staff = Staffing {
        fte: n,
        acts: n * s.apl.acts_per_health_centre_fte,
        enrolled_patients: 0.0,
        gps: u32::from(gps),
    };
    let mut mean = b.clone();
    mean.productivity_z = 0.0;
    let result = account(&mean, &staff, year, s).result_share();
    uncovered_share(b, result, 0.0) <= s.structures.health_centre_deficit_threshold_share
}

/// Health-centre sites: under-dense communes large enough, weighted by population (for a
/// health-centre programme or local services, those where `here` holds: their scope).
pub fn centre_sites(
    communes: &Communes,
    state: &CommuneState,
    min_population: u32,
    here: impl Fn(usize) -> bool,
) -> Vec<(u64, u16)> {
    let mut cum = 0;
    let mut out = Vec::new();
    for (i, c) in communes.communes.iter().enumerate() {
        if state.under_dense[i] && c.population >= min_population.max(1) && here(i) {
            cum += c.population as u64;
            out.push((cum, i as u16));
        }
    }
    out
}

/// The entry of a cumulative-weight table that `u` (uniform in [0, 1)) falls in.
pub fn pick(table: &[(u64, u16)], u: f64) -> Option<&(u64, u16)> {
    let total = table.last()?.0;
    let target = (u * total as f64) as u64;
    table.get(
        table
            .partition_point(|&(c, _)| c <= target)
            .min(table.len() - 1),
    )
}

/// A health-centre programme's openings of the year, on their own random stream (so the
/// baseline's draws are unchanged), with their start-up grants.
pub fn open_programme_centres(
    commands: &mut Commands,
    roster: &mut Roster,
    (flows, pool): (&mut Flows, &mut LocumPool),
    (communes, s, year): (&Communes, &Scenario, u16),
    j: u64,
    programme: &CentreProgramme,
) {
    let mut rng = generator(s.seed, year, Stream::Sequence, 12 << 40 | j);
    let n = stochastic_round(
        programme.centres_per_year,
        key(s.seed, year, Stream::Sequence, 13 << 40 | j),
    );
    for rank in 0..n {
        let Some(&(_, commune)) = pick(&programme.sites, rng.random::<f64>()) else {
            break;
        };
        let recruits = recruit(pool, communes, commune, programme.gps_per_centre, year);
        if recruits.is_empty() {
            break;
        }
        let d = communes.communes[commune as usize].departement as usize;
        flows.installations[d] += recruits.len() as u64;
        flows.salaried_entries[d] += recruits.len() as u64;
        // Sites are under-dense communes (apply_policies).
        flows.installations_under_dense[d] += recruits.len() as u64;
        flows.policy_cost_eur[d] += programme.start_up_grant_eur;
        let budget = programme_budget(&mut rng, s, programme);
        let draws = DrawKey::opened(3, j as u8, year, rank, 0);
        open_centre(
            commands,
            roster,
            &mut rng,
            (commune, year, draws),
            budget,
            &recruits,
        );
    }
}

/// Opens a health centre with its budget, staffed by the locums it recruited.
pub fn open_centre(
    commands: &mut Commands,
    roster: &mut Roster,
    rng: &mut Xoshiro256PlusPlus,
    (commune, year, draws): (u16, u16, u64),
    budget: CentreBudget,
    recruits: &[Locum],
) {
    let structure = roster.new_structure_slot(draws);
    commands.spawn((
        Structure {
            slot: structure,
            kind: StructureKind::HealthCentre,
            commune,
            opened: year,
            has_partner: true,
        },
        budget,
    ));
    for (member, l) in recruits.iter().enumerate() {
        let slot = roster.new_gp_slot(draws | (member as u64 + 1));
        commands.spawn(Gp {
            slot,
            age: l.age,
            female: l.female,
            mode: PracticeMode::HealthCentre,
            commune,
            structure,
            activity: draw_activity(rng.random::<f64>()),
            junior_acts: 0.0,
            intern_acts: 0.0,
            list_threshold: 0.0,
            year_installed: year,
            origin_commune: l.origin_commune,
        });
    }
}

/// A baseline centre's budget: an operator drawn from the national mix, fee for service with
/// the Teulade subsidy (every centre under the national agreement), its own productivity and
/// patient mix, and whether its operator covers deficits.
pub fn draw_budget(rng: &mut Xoshiro256PlusPlus, s: &Scenario) -> CentreBudget {
    let operator = Operator::from_mix(rng.random::<f64>());
    new_budget(rng, s, (operator, Payment::FeeForService, true), None)
}

/// A programme centre's budget: the programme's operator, payment and Teulade rule.
fn programme_budget(
    rng: &mut Xoshiro256PlusPlus,
    s: &Scenario,
    p: &CentreProgramme,
) -> CentreBudget {
    new_budget(rng, s, (p.operator, p.payment, p.teulade), Some(p.policy))
}

fn new_budget(
    rng: &mut Xoshiro256PlusPlus,
    s: &Scenario,
    (operator, payment, teulade): (Operator, Payment, bool),
    programme: Option<u16>,
) -> CentreBudget {
    let productivity_z: f64 = StandardNormal.sample(rng);
    let precarity_share = 2.0 * s.structures.health_centre_precarity_share * rng.random::<f64>();
    CentreBudget {
        operator,
        payment,
        teulade,
        productivity_z,
        precarity_share: precarity_share.min(1.0),
        covered: rng.random::<f64>() < operator.own_cover_share(),
        deficit_years: 0,
        programme,
        deficit_share: 0.0,
        cost_per_gp_eur: 0.0,
    }
}
