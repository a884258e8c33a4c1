//! Step 5 of a year: each installing GP chooses a commune by a multinomial logit over
//! candidate communes ([`install_logit`](super::install_logit): size, urban pull, group
//! practice with room, unmet demand, under-dense zone, GP density, colleagues, MSP; distance
//! to origin and to the faculty town, subdivision of training, birth région), and a practice
//! mode with it (MODEL.md §3.5).

use std::collections::HashMap;

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use super::components::{
    Gp, NO_STRUCTURE, PracticeMode, Structure, StructureKind, members_by_structure,
};
use super::install_logit::{Chooser, Logit, Site, static_utility};
use super::join_groups::found_group_practice;
use super::records::{add_bins, faculty_km_bin};
use super::resources::{
    Clock, CommuneState, Communes, Destination, DrawKey, Flows, FranceRecord, InstallationPlaces,
    Locum, LocumPool, Params, PolicyEffects, Reach, Roster,
};
use super::rng::{Stream, key, mix, unit};
use super::workload::draw_activity;
use crate::scenario::Installation;

/// Installs this year's installers.
#[allow(clippy::too_many_arguments)]
pub fn install_gps(
    mut commands: Commands,
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    (state, effects, reach): (Res<CommuneState>, Res<PolicyEffects>, Res<Reach>),
    (mut pool, mut places_out, kept): (
        ResMut<LocumPool>,
        ResMut<InstallationPlaces>,
        Option<ResMut<FranceRecord>>,
    ),
    mut roster: ResMut<Roster>,
    mut flows: ResMut<Flows>,
    gps: Query<&Gp>,
    structures: Query<&Structure>,
) {
    let (s, year) = (&params.0, clock.year);
    let installers = std::mem::take(&mut pool.installers);
    places_out.big_city = vec![0; communes.departements.len()];
    places_out.by_faculty_km = vec![Vec::new(); communes.departements.len()];
    if installers.is_empty() {
        return;
    }
    let mut members = members_by_structure(gps.iter());
    // Group practices and MSPs of each commune.
    let mut practices: Vec<Vec<(u32, StructureKind)>> = vec![Vec::new(); communes.communes.len()];
    for st in structures.iter() {
        if matches!(st.kind, StructureKind::GroupPractice | StructureKind::Msp) {
            practices[st.commune as usize].push((st.slot, st.kind));
        }
    }
    let max = s.structures.group_max_gps as u32;
    let mut group_room = vec![false; communes.communes.len()];
    let mut msp_room = vec![false; communes.communes.len()];
    for (c, here) in practices.iter().enumerate() {
        for &(slot, kind) in here {
            let room = members.get(&slot).copied().unwrap_or(0) < max;
            group_room[c] |= room;
            msp_room[c] |= room && kind == StructureKind::Msp;
        }
    }
    let mut gps_here = vec![0u32; communes.communes.len()];
    for g in gps.iter() {
        gps_here[g.commune as usize] += 1;
    }
    let rooms = Rooms {
        group: &group_room,
        msp: &msp_room,
        msp_here: &practices
            .iter()
            .map(|p| p.iter().any(|x| x.1 == StructureKind::Msp))
            .collect::<Vec<_>>(),
        gps_per_1000: &gps_per_1000_around(&communes, &reach, &gps_here),
        gps_here: &gps_here,
    };
    let candidates = candidates(&communes, &state, &rooms, &s.installation, &effects);
    if let Some(mut kept) = kept {
        kept.utilities.push((year, candidates.clone()));
    }

    // Regulated communes ("one in, one out"): each installer also gets a choice among the
    // others, used when the département has no place left.
    let regulated = |c: u16| {
        effects
            .regulation
            .get(c as usize)
            .is_some_and(|r| *r >= 0.0)
    };
    // Without a regulation lever in force (the baseline) nothing more is built.
    let any_regulation = effects.regulation.iter().any(|r| *r >= 0.0);
    let free: Vec<(u16, f64)> = if any_regulation {
        candidates
            .iter()
            .copied()
            .filter(|(c, _)| !regulated(*c))
            .collect()
    } else {
        Vec::new()
    };
    let (everywhere, elsewhere) = (
        Logit::new(&candidates, &communes),
        Logit::new(&free, &communes),
    );
    // Teaching practices: interns they hosted may install in the practice's département,
    // choosing among its communes from where they trained. Graduates of the national flow
    // choose among the simulated communes of the département they chose at graduation.
    let in_departement: Vec<Vec<(u16, f64)>> = if installers
        .iter()
        .any(|l| l.internship_commune.is_some() || l.destination != Destination::Anywhere)
    {
        let mut v = vec![Vec::new(); communes.departements.len()];
        for &(c, u) in &candidates {
            v[communes.communes[c as usize].departement as usize].push((c, u));
        }
        v
    } else {
        Vec::new()
    };
    let by_departement: Vec<Logit> = in_departement
        .iter()
        .map(|v| Logit::new(v, &communes))
        .collect();
    let i = &s.installation;
    let choices: Vec<(u16, Option<u16>)> = installers
        .par_iter()
        .map(|l| {
            let k = key(s.seed, year, Stream::Install, 1 << 40 | l.id as u64);
            let who = Chooser {
                from: l.origin_commune,
                birth_region: l.birth_region,
                faculty: l.faculty,
            };
            let first = l
                .internship_commune
                .and_then(|at| {
                    let d = communes.communes[at as usize].departement as usize;
                    by_departement[d].choose(&communes, i, Chooser { from: at, ..who }, k)
                })
                .or_else(|| match l.destination {
                    Destination::Departement(d) => {
                        by_departement[d as usize].choose(&communes, i, who, k)
                    }
                    _ => None,
                })
                .or_else(|| everywhere.choose(&communes, i, who, k))
                .expect("candidates fall back to every populated commune");
            let fallback = (any_regulation && regulated(first))
                .then(|| elsewhere.choose(&communes, i, who, mix(k)))
                .flatten();
            (first, fallback)
        })
        .collect();
    let mut places: Vec<f64> = flows.exits_well_served.iter().map(|&n| n as f64).collect();

    for (l, (first, fallback)) in installers.iter().zip(choices) {
        let commune = match fallback {
            Some(other) => {
                let d = communes.communes[first as usize].departement as usize;
                let per_departure = f64::from(effects.regulation[first as usize]);
                if places[d] * per_departure >= 1.0 {
                    places[d] -= 1.0 / per_departure;
                    first
                } else {
                    // Refused: install in an open commune, stay a locum a year more (where
                    // health centres also hire), or leave primary care.
                    flows.installations_refused[d] += 1;
                    let u = unit(key(s.seed, year, Stream::Install, 4 << 40 | l.id as u64));
                    match refusal(i, u) {
                        Refusal::Elsewhere => other,
                        Refusal::Wait => {
                            flows.refused_waited[d] += 1;
                            pool.locums.push(Locum {
                                age: l.age.saturating_add(1),
                                decision_year: year + 1,
                                ..l.clone()
                            });
                            continue;
                        }
                        Refusal::Leave => {
                            flows.refused_left[d] += 1;
                            continue;
                        }
                    }
                }
            }
            None => first,
        };
        let (mode, structure) = join_practice(
            s,
            year,
            l,
            commune,
            &mut practices,
            &mut members,
            &mut roster,
            &mut commands,
        );
        let slot = roster.new_gp_slot(DrawKey::installer(l.id));
        let u = unit(key(s.seed, year, Stream::Install, 2 << 40 | l.id as u64));
        commands.spawn(Gp {
            slot,
            age: l.age,
            female: l.female,
            mode,
            commune,
            structure,
            activity: draw_activity(u),
            junior_acts: 0.0,
            intern_acts: 0.0,
            list_threshold: 0.0,
            year_installed: year,
            origin_commune: l.origin_commune,
        });
        let here = &communes.communes[commune as usize];
        flows.installations[here.departement as usize] += 1;
        places_out.big_city[here.departement as usize] += u64::from(here.big_city);
        let bin = faculty_km_bin(communes.faculty_km(commune, l.faculty));
        add_bins(
            &mut places_out.by_faculty_km[here.departement as usize],
            &one_in(bin),
        );
        if state.under_dense[commune as usize] {
            flows.installations_under_dense[here.departement as usize] += 1;
            flows.policy_cost_eur[here.departement as usize] += effects
                .incentive_eur
                .get(commune as usize)
                .map_or(0.0, |e| f64::from(*e));
        }
        flows.installed_in_origin_region[here.departement as usize] +=
            u64::from(here.region == l.birth_region);
        if communes.is_reported(commune) {
            flows
                .install_km
                .push(communes.distance_km(commune, l.origin_commune) as f32);
        }
    }
}

/// What a GP refused a regulated commune does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Installs in a commune that is not regulated.
    Elsewhere,
    /// Stays a locum one more year and tries again.
    Wait,
    /// Leaves primary care.
    Leave,
}

/// The choice of a refused GP for a uniform draw `u`, by the scenario's shares.
pub fn refusal(i: &Installation, u: f64) -> Refusal {
    if u < i.refused_wait_share {
        Refusal::Wait
    } else if u < i.refused_wait_share + i.refused_leave_share {
        Refusal::Leave
    } else {
        Refusal::Elsewhere
    }
}

/// A histogram with one installation in `bin`.
fn one_in(bin: usize) -> Vec<u64> {
    let mut v = vec![0; bin + 1];
    v[bin] = 1;
    v
}

/// What the communes hold this year: group practices (or MSPs) with room, MSPs, GPs.
struct Rooms<'a> {
    group: &'a [bool],
    msp: &'a [bool],
    msp_here: &'a [bool],
    gps_here: &'a [u32],
    gps_per_1000: &'a [f64],
}

/// GPs per 1,000 people within reach of each commune (the communes of [`Reach`], the
/// commune itself included; people as in the data), from the GPs practising at the start of
/// the installation step.
fn gps_per_1000_around(communes: &Communes, reach: &Reach, gps_here: &[u32]) -> Vec<f64> {
    (0..communes.communes.len())
        .into_par_iter()
        .map(|c| {
            let (mut gps, mut people) = (0u64, 0u64);
            for &n in reach.of(c as u16) {
                gps += u64::from(gps_here[n as usize]);
                people += u64::from(communes.communes[n as usize].population);
            }
            if people == 0 {
                0.0
            } else {
                1000.0 * gps as f64 / people as f64
            }
        })
        .collect()
}

fn candidates(
    communes: &Communes,
    state: &CommuneState,
    rooms: &Rooms,
    i: &Installation,
    effects: &PolicyEffects,
) -> Vec<(u16, f64)> {
    let eligible = |min: u32| {
        communes
            .communes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.population >= min.max(1))
            .map(|(idx, c)| {
                let site = Site {
                    population: c.population,
                    urban: c.urban,
                    group_room: rooms.group[idx],
                    unmet: state.unmet_share[idx] as f64,
                    zone: state.under_dense[idx],
                    gps_per_1000: rooms.gps_per_1000[idx],
                    colleagues: rooms.gps_here[idx] > 0,
                    msp: rooms.msp_here[idx],
                    place: c.attractiveness,
                };
                let u = static_utility(i, &site);
                // An installation incentive pulls towards the under-dense communes of its scope.
                let bonus = if state.under_dense[idx] {
                    effects
                        .install_bonus
                        .get(idx)
                        .map_or(0.0, |b| f64::from(*b))
                } else {
                    0.0
                };
                // An MSP with room pulls young GPs where access is low, not elsewhere (IRDES
                // QES 247, 2020).
                let pull = if rooms.msp[idx] && state.under_dense[idx] {
                    i.beta_msp_under_dense
                } else {
                    0.0
                };
                (idx as u16, u + bonus + pull)
            })
            .collect::<Vec<_>>()
    };
    let list = eligible(i.min_commune_population);
    if list.is_empty() { eligible(1) } else { list }
}

/// Group practice with the given probability by age: joins the practice of the commune with
/// the fewest members and room, or founds one; otherwise isolated.
#[allow(clippy::too_many_arguments)]
fn join_practice(
    s: &crate::scenario::Scenario,
    year: u16,
    l: &Locum,
    commune: u16,
    practices: &mut [Vec<(u32, StructureKind)>],
    members: &mut HashMap<u32, u32>,
    roster: &mut Roster,
    commands: &mut Commands,
) -> (PracticeMode, u32) {
    let share = if l.age < 50 {
        s.installation.group_share_under_50
    } else {
        s.installation.group_share_50_plus
    };
    if unit(key(s.seed, year, Stream::Install, 3 << 40 | l.id as u64)) >= share {
        return (PracticeMode::Isolated, NO_STRUCTURE);
    }
    let max = s.structures.group_max_gps as u32;
    let here = &mut practices[commune as usize];
    let best = here
        .iter()
        .filter(|p| members.get(&p.0).copied().unwrap_or(0) < max)
        .min_by_key(|p| (members.get(&p.0).copied().unwrap_or(0), p.0))
        .copied();
    let (slot, kind) = match best {
        Some(found) => found,
        None => {
            let draws = DrawKey::installer(l.id);
            let slot = found_group_practice(commands, roster, s, draws, (commune, year));
            here.push((slot, StructureKind::GroupPractice));
            (slot, StructureKind::GroupPractice)
        }
    };
    *members.entry(slot).or_default() += 1;
    let mode = if kind == StructureKind::Msp {
        PracticeMode::Msp
    } else {
        PracticeMode::Group
    };
    (mode, slot)
}

#[cfg(test)]
mod refusal_tests {
    use super::*;

    #[test]
    fn a_refused_gp_waits_leaves_or_goes_elsewhere_by_the_shares() {
        let mut i = crate::model::testing::tiny().installation;
        (i.refused_wait_share, i.refused_leave_share) = (0.3, 0.1);
        let n = 10_000;
        let mut counts = [0usize; 3];
        for k in 0..n {
            counts[refusal(&i, (k as f64 + 0.5) / n as f64) as usize] += 1;
        }
        // Elsewhere, Wait, Leave.
        assert_eq!(counts, [6_000, 3_000, 1_000]);
    }
}
