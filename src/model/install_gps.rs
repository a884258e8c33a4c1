//! Step 5 of a year: each installing GP chooses a commune by a multinomial logit over
//! candidate communes (distance to origin, size, urban pull, group practice with room, unmet
//! demand, under-dense zone), and a practice mode with it (MODEL.md §3.5).

use std::collections::HashMap;

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use super::capacity::draw_capacity;
use super::components::{
    Gp, NO_STRUCTURE, PracticeMode, Structure, StructureKind, members_by_structure,
};
use super::resources::{
    Clock, CommuneState, Communes, Flows, Locum, LocumPool, Params, PolicyEffects, Roster,
};
use super::rng::{Stream, key, unit};
use crate::scenario::Installation;

/// The part of a commune's utility that is the same for every installer.
pub fn static_utility(
    i: &Installation,
    population: u32,
    urban: bool,
    group_room: bool,
    unmet: f64,
    zone: bool,
) -> f64 {
    i.beta_log_population * (population.max(1) as f64).ln()
        + i.beta_urban_cluster * f64::from(u8::from(urban))
        + i.beta_group_practice * f64::from(u8::from(group_room))
        + i.beta_unmet_demand * unmet
        + i.beta_under_dense * f64::from(u8::from(zone))
}

/// Chosen commune: argmax of utility plus Gumbel noise keyed on (installer, commune), which
/// draws from the logit's probabilities without summing exponentials.
pub fn choose(
    candidates: &[(u16, f64)],
    communes: &Communes,
    beta_km: f64,
    origin: u16,
    k: u64,
) -> u16 {
    let mut best = (f64::NEG_INFINITY, candidates[0].0);
    for &(c, u) in candidates {
        let noise = -(-unit(super::rng::mix(k ^ c as u64)).max(1e-300).ln()).ln();
        let v = u + beta_km * communes.distance_km(origin, c) / 100.0 + noise;
        if v > best.0 {
            best = (v, c);
        }
    }
    best.1
}

/// Installs this year's installers.
#[allow(clippy::too_many_arguments)]
pub fn install_gps(
    mut commands: Commands,
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    (state, effects): (Res<CommuneState>, Res<PolicyEffects>),
    mut pool: ResMut<LocumPool>,
    mut roster: ResMut<Roster>,
    mut flows: ResMut<Flows>,
    gps: Query<&Gp>,
    structures: Query<&Structure>,
) {
    let (s, year) = (&params.0, clock.year);
    let installers = std::mem::take(&mut pool.installers);
    if installers.is_empty() {
        return;
    }
    let mut members = members_by_structure(gps.iter());
    let mut practices: Vec<(u16, u32, StructureKind)> = structures
        .iter()
        .filter(|st| matches!(st.kind, StructureKind::GroupPractice | StructureKind::Msp))
        .map(|st| (st.commune, st.slot, st.kind))
        .collect();
    practices.sort_unstable_by_key(|p| (p.0, p.1));
    let max = s.structures.group_max_gps as u32;
    let mut group_room = vec![false; communes.communes.len()];
    let mut msp_room = vec![false; communes.communes.len()];
    for &(c, slot, kind) in &practices {
        let room = members.get(&slot).copied().unwrap_or(0) < max;
        group_room[c as usize] |= room;
        msp_room[c as usize] |= room && kind == StructureKind::Msp;
    }
    let rooms = Rooms {
        group: &group_room,
        msp: &msp_room,
    };
    let candidates = candidates(&communes, &state, &rooms, &s.installation, &effects);

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
    let choices: Vec<(u16, Option<u16>)> = installers
        .par_iter()
        .map(|l| {
            let k = key(s.seed, year, Stream::Install, 1 << 40 | l.id as u64);
            let beta = s.installation.beta_distance_per_100km;
            let first = choose(&candidates, &communes, beta, l.origin_commune, k);
            let fallback = (any_regulation && regulated(first) && !free.is_empty())
                .then(|| choose(&free, &communes, beta, l.origin_commune, k));
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
                    other
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
        let slot = roster.new_gp_slot();
        let u = unit(key(s.seed, year, Stream::Install, 2 << 40 | l.id as u64));
        commands.spawn(Gp {
            slot,
            age: l.age,
            female: l.female,
            mode,
            commune,
            structure,
            capacity_persons: draw_capacity(u, &s.gps),
            junior_capacity_persons: 0.0,
            year_installed: year,
            origin_commune: l.origin_commune,
        });
        let (here, origin) = (
            &communes.communes[commune as usize],
            &communes.communes[l.origin_commune as usize],
        );
        flows.installations[here.departement as usize] += 1;
        if state.under_dense[commune as usize] {
            flows.installations_under_dense[here.departement as usize] += 1;
            flows.policy_cost_eur[here.departement as usize] += effects
                .incentive_eur
                .get(commune as usize)
                .map_or(0.0, |e| f64::from(*e));
        }
        flows.installed_in_origin_region[here.departement as usize] +=
            u64::from(here.region == origin.region);
        flows
            .install_km
            .push(communes.distance_km(commune, l.origin_commune) as f32);
    }
}

/// Communes with a group practice (or MSP) that has room.
struct Rooms<'a> {
    group: &'a [bool],
    msp: &'a [bool],
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
                let u = static_utility(
                    i,
                    c.population,
                    c.urban,
                    rooms.group[idx],
                    state.unmet_share[idx] as f64,
                    state.under_dense[idx],
                );
                // An installation incentive pulls towards the under-dense communes of its scope.
                let bonus = if state.under_dense[idx] {
                    effects
                        .install_bonus
                        .get(idx)
                        .map_or(0.0, |b| f64::from(*b))
                } else {
                    0.0
                };
                // A funded MSP with room pulls young GPs (IRDES evaluations of MSPs).
                let pull = if rooms.msp[idx] {
                    effects.msp_pull.get(idx).map_or(0.0, |b| f64::from(*b))
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
    practices: &mut Vec<(u16, u32, StructureKind)>,
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
    let best = practices
        .iter()
        .filter(|p| p.0 == commune && members.get(&p.1).copied().unwrap_or(0) < max)
        .min_by_key(|p| (members.get(&p.1).copied().unwrap_or(0), p.1))
        .copied();
    let (slot, kind) = match best {
        Some((_, slot, kind)) => (slot, kind),
        None => {
            let slot = roster.new_structure_slot();
            let has_partner = unit(key(s.seed, 0, Stream::Sequence, 5 << 40 | slot as u64))
                < s.structures.msp_partner_share;
            commands.spawn(Structure {
                slot,
                kind: StructureKind::GroupPractice,
                commune,
                opened: year,
                has_partner,
            });
            practices.push((commune, slot, StructureKind::GroupPractice));
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
