//! The initial state of the start year from the real data (MODEL.md §4, "Initial GPs" and
//! "Initial MT links"): patients by département, age and sex; GPs per département from its
//! RPPS count and liberal share, placed in the communes where liberal GPs practise
//! ([`super::start_places`]), aged by the career model of [`super::start_ages`]; practices,
//! MSPs, centres, CPTS; then a warm-up matching.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use rand::RngExt;
use rayon::prelude::*;

use super::age_and_retire_gps::{RETIREMENT_FROM_AGE, exit_hazard};
use super::components::{
    Gp, NO_STRUCTURE, Patient, PracticeMode, Reason, Structure, StructureKind,
};
use super::form_structures::extend_cpts;
use super::renew_population::update_chronic;
use super::resources::{Communes, Placement};
use super::rng::{Keys, Stream, generator, key, stochastic_round, unit};
use super::start_ages::StartAges;
use super::start_places::DepartementGps;
use super::workload::draw_activity;
use crate::inputs::{AGE_BANDS, Inputs};
use crate::scenario::Scenario;

/// Spawns the start year's patients; returns how many agents were created.
pub fn spawn_patients(
    world: &mut World,
    s: &Scenario,
    inputs: &Inputs,
    communes: &Communes,
    placement: &Placement,
    retired_share: f64,
    chronic: &[u64],
) -> u32 {
    let single = inputs.demography.single_ages(s.start_year);
    let plans: Vec<Vec<(u8, bool, u32)>> = communes
        .departements
        .iter()
        .enumerate()
        .map(|(d, unit_)| {
            let bands = inputs
                .demography
                .age_bands(s.start_year)
                .get(&unit_.code)
                .copied()
                .unwrap_or_default();
            let mut plan = Vec::new();
            for (b, band) in bands.iter().enumerate() {
                for (female, count) in [(false, band.men), (true, band.women)] {
                    let k = key(
                        s.seed,
                        0,
                        Stream::Init,
                        (d as u64) << 8 | (b as u64) << 1 | female as u64,
                    );
                    // A département the border ring cuts keeps the people of its ring communes.
                    let people = count as f64 * communes.departement_population_share[d];
                    let n = stochastic_round(people / s.persons_per_agent as f64, k);
                    plan.push((b as u8, female, n as u32));
                }
            }
            plan
        })
        .collect();
    let totals: Vec<u32> = plans.iter().map(|p| p.iter().map(|x| x.2).sum()).collect();
    let offsets: Vec<u32> = totals
        .iter()
        .scan(0u32, |acc, &t| {
            let o = *acc;
            *acc += t;
            Some(o)
        })
        .collect();
    let q0 = s.demand.never_declared_share_at_17;
    let h = s.demand.declare_rate_per_year;
    let patients: Vec<Patient> = plans
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, plan)| {
            let mut rng = generator(s.seed, 0, Stream::Init, 1 << 32 | d as u64);
            let mut out = Vec::with_capacity(totals[d] as usize);
            for &(b, female, n) in plan {
                let (_, lo, hi) = AGE_BANDS[b as usize];
                let weights: Vec<u32> = (lo..=hi)
                    .map(|a| {
                        if female {
                            single[a as usize].1
                        } else {
                            single[a as usize].0
                        }
                    })
                    .collect();
                let total: u64 = weights.iter().map(|&w| w as u64).sum();
                for _ in 0..n {
                    let id = offsets[d] + out.len() as u32;
                    let commune =
                        Placement::draw(&placement.by_departement[d], rng.random::<f64>());
                    let mut target = (rng.random::<f64>() * total as f64) as u64;
                    let mut age = hi;
                    for (i, &w) in weights.iter().enumerate() {
                        if target < w as u64 {
                            age = lo + i as u8;
                            break;
                        }
                        target -= w as u64;
                    }
                    let mut p = Patient::new(id, commune, age, female);
                    update_chronic(&mut p, Keys::new(s.seed, 0, Stream::Chronic), chronic);
                    if p.age >= 17
                        && !p.chronic()
                        && rng.random::<f64>() < q0 * (1.0 - h).powi(p.age as i32 - 17)
                    {
                        p.set_reason(Reason::NeverDeclared);
                    } else if p.age >= 17 {
                        let why = if rng.random::<f64>() < retired_share {
                            Reason::GpRetired
                        } else {
                            Reason::GpLeft
                        };
                        p.set_reason(why);
                    }
                    out.push(p);
                }
            }
            out
        })
        .collect();
    let n = patients.len() as u32;
    world.spawn_batch(patients);
    n
}

/// A start-year GP before it is spawned.
struct Draft {
    gp: Gp,
    group: bool,
}

/// Spawns the start year's GPs, their practices, MSPs and centres, and the CPTS coverage.
/// Returns the share of GP exits that are retirements (for the warm-up's reasons).
pub fn spawn_gps(world: &mut World, s: &Scenario, inputs: &Inputs, communes: &Communes) -> f64 {
    let g = &s.gps;
    let start = s.start_year;
    let ages = StartAges::new(s, &inputs.workforce.pipeline);
    let retiree_prob =
        (g.start_working_retiree_share / ages.share_from(g.pension_age_years).max(1e-9)).min(1.0);
    let mut rng = generator(s.seed, 0, Stream::Init, 2 << 32);
    let mut drafts: Vec<Draft> = Vec::new();
    let mut slot = 0u32;
    for d in 0..communes.departements.len() {
        let plan = DepartementGps::new(s, inputs, communes, d);
        let liberal = stochastic_round(plan.liberal, rng.random());
        let centre = stochastic_round(plan.health_centre, rng.random());
        // Systematic sampling (one random start, then evenly spaced points on the cumulative
        // table): each commune gets its expected number of GPs rounded down or up, so the
        // BPE geography is kept rather than re-drawn (a multinomial draw would empty ≈1 in 3
        // communes with a single address); liberal GPs first fill every BPE commune.
        let (start_liberal, start_centre): (f64, f64) = (rng.random(), rng.random());
        let age_points = stratified(liberal + centre, &mut rng);
        for i in 0..liberal + centre {
            let health_centre = i >= liberal;
            let place = if health_centre {
                plan.centre_commune(((i - liberal) as f64 + start_centre) / centre as f64)
            } else {
                plan.liberal_commune(i as usize, liberal as usize, start_liberal)
            };
            let Some(commune) = place else { continue };
            let age = ages.draw_age(age_points[i as usize]);
            let years_installed = ages.draw_years_installed(age, rng.random());
            let women = g.women_share_at_30
                + (g.women_share_at_70 - g.women_share_at_30)
                    * ((age as f64 - 30.0) / 40.0).clamp(0.0, 1.0);
            let group_share = match age {
                0..=49 => g.start_group_share_under_50,
                50..=59 => g.start_group_share_50_59,
                _ => g.start_group_share_60_plus,
            };
            let group = !health_centre && rng.random::<f64>() < group_share;
            let retiree =
                !health_centre && age >= g.pension_age_years && rng.random::<f64>() < retiree_prob;
            let mode = match (health_centre, retiree, group) {
                (true, _, _) => PracticeMode::HealthCentre,
                (_, true, _) => PracticeMode::WorkingRetiree,
                (_, _, true) => PracticeMode::Group,
                _ => PracticeMode::Isolated,
            };
            drafts.push(Draft {
                gp: Gp {
                    slot,
                    age,
                    female: rng.random::<f64>() < women,
                    mode,
                    commune,
                    structure: NO_STRUCTURE,
                    activity: draw_activity(rng.random()),
                    junior_acts: 0.0,
                    intern_acts: 0.0,
                    list_threshold: 0.0,
                    year_installed: start - years_installed,
                    origin_commune: commune,
                },
                group,
            });
            slot += 1;
        }
    }
    let next_structure = form_start_structures(world, s, communes, &mut drafts, &mut rng);
    let mut roster = super::resources::Roster {
        status: vec![super::resources::SlotStatus::Active; slot as usize],
        next_structure,
        gp_keys: (0..u64::from(slot)).collect(),
        structure_keys: (0..u64::from(next_structure)).collect(),
    };
    let mut state = world
        .remove_resource::<super::resources::CommuneState>()
        .expect("inserted before");
    {
        let mut commands = world.commands();
        extend_cpts(
            &mut commands,
            &mut roster,
            communes,
            &mut state,
            s.structures.cpts_coverage_start,
            &mut rng,
            s,
            start,
        );
    }
    world.flush();
    world.insert_resource(state);
    world.insert_resource(roster);
    let exits: Vec<(u8, f64)> = drafts
        .iter()
        .map(|d| (d.gp.age, exit_hazard(g, d.gp.age, false, d.gp.mode)))
        .collect();
    world.spawn_batch(drafts.into_iter().map(|d| d.gp).collect::<Vec<_>>());
    let all: f64 = exits.iter().map(|x| x.1).sum();
    let retired: f64 = exits
        .iter()
        .filter(|x| x.0 >= RETIREMENT_FROM_AGE)
        .map(|x| x.1)
        .sum();
    if all > 0.0 { retired / all } else { 1.0 }
}

/// Groups the start year's GPs into practices and centres; some practices are MSPs.
fn form_start_structures(
    world: &mut World,
    s: &Scenario,
    communes: &Communes,
    drafts: &mut [Draft],
    rng: &mut rand_xoshiro::Xoshiro256PlusPlus,
) -> u32 {
    let mut by_commune: BTreeMap<(u16, bool), Vec<usize>> = BTreeMap::new();
    for (i, d) in drafts.iter().enumerate() {
        let centre = d.gp.mode == PracticeMode::HealthCentre;
        if centre || d.group {
            by_commune
                .entry((d.gp.commune, centre))
                .or_default()
                .push(i);
        }
    }
    let mut next = 0u32;
    let mut practices: Vec<(u32, usize)> = Vec::new();
    for ((commune, centre), members) in by_commune {
        let size = if centre {
            s.structures.health_centre_gps_at_opening
        } else {
            s.structures.start_group_size
        } as usize;
        let mut chunks: Vec<Vec<usize>> = members.chunks(size).map(<[_]>::to_vec).collect();
        // A last GP alone would practise solo: they join the previous group instead.
        if !centre && chunks.len() > 1 && chunks.last().is_some_and(|c| c.len() == 1) {
            let last = chunks.pop().unwrap_or_default();
            if let Some(previous) = chunks.last_mut() {
                previous.extend(last);
            }
        }
        for chunk in &chunks {
            let slot = next;
            next += 1;
            let has_partner = unit(key(
                s.seed,
                0,
                super::rng::Stream::Sequence,
                5 << 40 | slot as u64,
            )) < s.structures.msp_partner_share;
            let kind = if centre {
                StructureKind::HealthCentre
            } else {
                StructureKind::GroupPractice
            };
            let st = Structure {
                slot,
                kind,
                commune,
                opened: s.start_year,
                has_partner,
            };
            if centre {
                world.spawn((st, super::centre_openings::draw_budget(rng, s)));
            } else {
                world.spawn(st);
                if chunk.len() >= 2 && has_partner {
                    practices.push((slot, chunk.len()));
                }
            }
            for &i in chunk {
                drafts[i].gp.structure = slot;
            }
        }
    }
    // MSPs of the start year: eligible practices in random order.
    let msps = stochastic_round(
        s.structures.msp_count_start * communes.national_share,
        rng.random(),
    );
    practices.sort_by_key(|p| key(s.seed, 0, super::rng::Stream::Init, 3 << 32 | p.0 as u64));
    let chosen: Vec<u32> = practices.iter().take(msps as usize).map(|p| p.0).collect();
    let mut q = world.query::<&mut Structure>();
    for mut st in q.iter_mut(world) {
        if chosen.contains(&st.slot) {
            st.kind = StructureKind::Msp;
        }
    }
    for d in drafts.iter_mut() {
        if chosen.contains(&d.gp.structure) && d.gp.mode == PracticeMode::Group {
            d.gp.mode = PracticeMode::Msp;
        }
    }
    next
}

#[cfg(test)]
#[path = "init_tests.rs"]
mod tests;

/// `n` points of [0, 1) stratified (one in each interval `[j/n, (j+1)/n)`, one random start
/// for all) in a random order: a département's start-year GPs then follow the national age
/// pyramid to within one GP, whatever the seed, so the seeds differ by who is where, not by
/// how many old GPs a département happens to draw (docs/model.md, "Where GPs settle").
fn stratified(n: u64, rng: &mut impl RngExt) -> Vec<f64> {
    let start: f64 = rng.random();
    let mut points: Vec<f64> = (0..n)
        .map(|j| (j as f64 + start) / n.max(1) as f64)
        .collect();
    for j in (1..points.len()).rev() {
        let k = rng.random_range(0..=j);
        points.swap(j, k);
    }
    points
}
