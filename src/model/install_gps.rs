//! Step 5 of a year: each installing GP chooses a commune by a multinomial logit over
//! candidate communes (distance to origin, size, urban pull, group practice with room, unmet
//! demand, under-dense zone), and a practice mode with it (MODEL.md §3.5).

use std::collections::HashMap;

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use super::components::{
    Gp, NO_STRUCTURE, PracticeMode, Structure, StructureKind, members_by_structure,
};
use super::resources::{
    Clock, CommuneState, Communes, DrawKey, Flows, Locum, LocumPool, Params, PolicyEffects, Roster,
};
use super::rng::{Stream, key, mix, unit};
use super::workload::draw_activity;
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

/// The installation logit over a list of candidates, ready to draw from.
///
/// A commune's weight is `exp(static utility) · exp(β_km · distance / 100)`, and β_km ≤ 0, so
/// the distance factor is at most 1. A draw proposes a commune from the static weights (a
/// binary search in their cumulative sums, built once a year) and accepts it with probability
/// equal to its distance factor: rejection sampling, which draws exactly from the logit's
/// probabilities in a few proposals, instead of one random number per candidate commune.
pub struct Logit<'a> {
    candidates: &'a [(u16, f64)],
    /// Cumulative `exp(u − max u)` over `candidates`.
    cumulative: Vec<f64>,
    max_utility: f64,
}

/// Proposals tried before a draw falls back to summing every candidate's weight. Either way
/// the draw follows the logit's probabilities exactly; the cap only bounds the time spent on
/// an origin far from every likely commune.
const MAX_PROPOSALS: u64 = 256;

impl<'a> Logit<'a> {
    /// The logit over `candidates` (commune, static utility); empty candidates draw nothing.
    pub fn new(candidates: &'a [(u16, f64)]) -> Logit<'a> {
        let max_utility = candidates
            .iter()
            .map(|c| c.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut total = 0.0;
        let cumulative = candidates
            .iter()
            .map(|&(_, u)| {
                total += (u - max_utility).exp();
                total
            })
            .collect();
        Logit {
            candidates,
            cumulative,
            max_utility,
        }
    }

    /// Draws a commune for an installer from `origin`, with the randomness keyed on `k`.
    pub fn choose(&self, communes: &Communes, beta_km: f64, origin: u16, k: u64) -> Option<u16> {
        let total = *self.cumulative.last()?;
        debug_assert!(beta_km <= 0.0, "validated: distance never attracts");
        for j in 0..MAX_PROPOSALS {
            let u = unit(mix(k ^ (2 * j))) * total;
            let i = self
                .cumulative
                .partition_point(|&c| c <= u)
                .min(self.candidates.len() - 1);
            let c = self.candidates[i].0;
            let accept = (beta_km * communes.distance_km(origin, c) / 100.0).exp();
            if unit(mix(k ^ (2 * j + 1))) < accept {
                return Some(c);
            }
        }
        Some(self.exact(communes, beta_km, origin, unit(mix(k ^ u64::MAX))))
    }

    /// Inverts the cumulative probabilities of every candidate with a uniform `u`.
    fn exact(&self, communes: &Communes, beta_km: f64, origin: u16, u: f64) -> u16 {
        let weight = |&(c, v): &(u16, f64)| {
            (v - self.max_utility + beta_km * communes.distance_km(origin, c) / 100.0).exp()
        };
        let total: f64 = self.candidates.iter().map(weight).sum();
        let mut target = u * total;
        for candidate in self.candidates {
            target -= weight(candidate);
            if target < 0.0 {
                return candidate.0;
            }
        }
        self.candidates[self.candidates.len() - 1].0
    }
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
    let (everywhere, elsewhere) = (Logit::new(&candidates), Logit::new(&free));
    // Teaching practices: interns they hosted may install in the practice's département,
    // choosing among its communes from where they trained.
    let by_departement: Vec<Vec<(u16, f64)>> =
        if installers.iter().any(|l| l.internship_commune.is_some()) {
            let mut v = vec![Vec::new(); communes.departements.len()];
            for &(c, u) in &candidates {
                v[communes.communes[c as usize].departement as usize].push((c, u));
            }
            v
        } else {
            Vec::new()
        };
    let near_internship: Vec<Logit> = by_departement.iter().map(|v| Logit::new(v)).collect();
    let beta = s.installation.beta_distance_per_100km;
    let choices: Vec<(u16, Option<u16>)> = installers
        .par_iter()
        .map(|l| {
            let k = key(s.seed, year, Stream::Install, 1 << 40 | l.id as u64);
            let first = l
                .internship_commune
                .and_then(|at| {
                    let d = communes.communes[at as usize].departement as usize;
                    near_internship[d].choose(&communes, beta, at, k)
                })
                .or_else(|| everywhere.choose(&communes, beta, l.origin_commune, k))
                .expect("candidates fall back to every populated commune");
            let fallback = (any_regulation && regulated(first))
                .then(|| elsewhere.choose(&communes, beta, l.origin_commune, mix(k)))
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
            let slot = roster.new_structure_slot(draws);
            let has_partner = unit(key(s.seed, 0, Stream::Sequence, 5 << 40 | draws))
                < s.structures.msp_partner_share;
            commands.spawn(Structure {
                slot,
                kind: StructureKind::GroupPractice,
                commune,
                opened: year,
                has_partner,
            });
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
mod tests {
    use super::*;
    use crate::model::testing::tiny_world;

    /// The logit's probabilities, summed over every candidate.
    fn exact_probabilities(cands: &[(u16, f64)], communes: &Communes, beta: f64) -> Vec<f64> {
        let w: Vec<f64> = cands
            .iter()
            .map(|&(c, u)| (u + beta * communes.distance_km(0, c) / 100.0).exp())
            .collect();
        let total: f64 = w.iter().sum();
        w.iter().map(|x| x / total).collect()
    }

    #[test]
    fn draws_follow_the_logit_probabilities() {
        let world = tiny_world();
        let communes = world.resource::<Communes>();
        // Commune 2 is 100 km away: a high static utility, halved (e^-1.6 ≈ 0.2) by distance.
        let cands = [(0u16, 0.0), (1, -0.5), (2, 1.5)];
        let beta = -1.6;
        let p = exact_probabilities(&cands, communes, beta);
        let logit = Logit::new(&cands);
        let n = 200_000;
        let (mut drawn, mut exact) = ([0u32; 3], [0u32; 3]);
        for i in 0..n {
            let k = mix(i);
            drawn[logit.choose(communes, beta, 0, k).unwrap() as usize] += 1;
            exact[logit.exact(communes, beta, 0, unit(k)) as usize] += 1;
        }
        for c in 0..3 {
            // Binomial sd ≤ 0.0012 at n = 200,000: 5 sd.
            for counts in [drawn, exact] {
                let share = f64::from(counts[c]) / n as f64;
                assert!(
                    (share - p[c]).abs() < 0.006,
                    "commune {c}: {share} vs {}",
                    p[c]
                );
            }
        }
    }

    #[test]
    fn no_candidate_draws_nothing_and_one_candidate_is_always_drawn() {
        let world = tiny_world();
        let communes = world.resource::<Communes>();
        assert_eq!(Logit::new(&[]).choose(communes, -1.6, 0, 7), None);
        let far = [(2u16, -30.0)];
        assert!((0..100).all(|k| Logit::new(&far).choose(communes, -20.0, 0, k) == Some(2)));
    }
}
