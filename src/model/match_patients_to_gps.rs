//! Step 7 of a year: patients whose GP stopped lose the link (with the reason); patients
//! without an MT who seek one contact GPs within reach, nearest first with noise, a limited
//! number a year; a GP accepts while under capacity; chronic patients go first when the
//! scenario gives them priority; CPTS coverage adds contacts (MODEL.md §3.7).

use std::collections::HashMap;

use bevy_ecs::prelude::*;

use super::capacity::effective_capacity;
use super::components::{
    Gp, NO_GP, NO_STRUCTURE, Patient, PracticeMode, Reason, Structure, StructureKind, flags,
};
use super::resources::{
    Clock, CommuneState, Communes, Flows, Params, PolicyEffects, Reach, Roster, SlotStatus,
};
use super::rng::{Keys, Stream, key, mix, stochastic_round, threshold};
use crate::scenario::Scenario;

/// Does a patient without an MT look for one this year?
pub fn seeks(p: &Patient, entry: bool, s: &Scenario, k: u64) -> bool {
    if p.chronic() {
        return true;
    }
    let d = &s.demand;
    let prob = match p.reason() {
        Reason::NeverDeclared if entry => 1.0 - d.never_declared_share_at_17,
        Reason::NeverDeclared => d.declare_rate_per_year,
        Reason::Moved if entry => 1.0,
        _ => d.seek_after_loss_share_per_year,
    };
    k < threshold(prob)
}

/// GPs by commune and each GP's room (capacity in agents, stochastically rounded, minus list).
pub struct Offer {
    /// Active GP slots of each commune, ascending.
    pub by_commune: Vec<Vec<u32>>,
    /// Places left, by GP slot.
    pub room: Vec<i64>,
    /// Health centre or local service of each GP slot (`NO_STRUCTURE` for the others).
    pub centre: Vec<u32>,
    /// GP slots of each health centre or local service, ascending.
    pub centres: HashMap<u32, Vec<u32>>,
}

impl Offer {
    /// Builds the offer from the GPs and the current list sizes.
    pub fn new(
        gps: &Query<&Gp>,
        lists: &[u32],
        n_communes: usize,
        s: &Scenario,
        (year, effects, roster): (u16, &PolicyEffects, &Roster),
        desks: &[u32],
    ) -> Offer {
        let mut by_commune = vec![Vec::new(); n_communes];
        let mut room = vec![0i64; lists.len()];
        let mut centre = vec![NO_STRUCTURE; lists.len()];
        let mut centres: HashMap<u32, Vec<u32>> = HashMap::new();
        for gp in gps {
            if gp.structure != NO_STRUCTURE && desks.binary_search(&gp.structure).is_ok() {
                centre[gp.slot as usize] = gp.structure;
                centres.entry(gp.structure).or_default().push(gp.slot);
            }
            let grouped = matches!(gp.mode, PracticeMode::Group | PracticeMode::Msp);
            let agents = effective_capacity(gp, year, &s.gps)
                * effects.capacity_factor(gp.commune as usize, grouped)
                / s.persons_per_agent as f64;
            let cap = stochastic_round(
                agents,
                key(
                    s.seed,
                    year,
                    Stream::Contact,
                    1 << 40 | roster.gp_key(gp.slot),
                ),
            );
            room[gp.slot as usize] = cap as i64 - lists[gp.slot as usize] as i64;
            by_commune[gp.commune as usize].push(gp.slot);
        }
        for v in by_commune.iter_mut().chain(centres.values_mut()) {
            v.sort_unstable();
        }
        Offer {
            by_commune,
            room,
            centre,
            centres,
        }
    }

    /// The reach of each commune in `wanted`, keeping only communes with a GP: the others
    /// cannot be contacted. Built once a year rather than walked by every seeker.
    pub fn staffed_reach(&self, reach: &Reach, wanted: &[bool]) -> Reach {
        let mut staffed = Reach {
            offsets: Vec::with_capacity(wanted.len() + 1),
            ..Reach::default()
        };
        staffed.offsets.push(0);
        for (c, &w) in wanted.iter().enumerate() {
            if w {
                staffed.neighbours.extend(
                    reach
                        .of(c as u16)
                        .iter()
                        .filter(|&&n| !self.by_commune[n as usize].is_empty()),
                );
            }
            staffed.offsets.push(staffed.neighbours.len() as u32);
        }
        staffed
    }

    /// One patient's search: GPs in reach in distance order, each contacted with
    /// `contact_share`, until `tries` contacts; the first with room accepts. A health centre
    /// is one contact: its desk gives any of its salaried GPs with room.
    pub fn search(
        &mut self,
        reach: &[u16],
        mut tries: u32,
        contact_share: f64,
        k: u64,
    ) -> Option<u32> {
        let contact = threshold(contact_share);
        let mut draw = k;
        let mut asked: Vec<u32> = Vec::new();
        for &c in reach {
            let slots = &self.by_commune[c as usize];
            if slots.is_empty() {
                continue;
            }
            let start = (mix(k ^ c as u64) % slots.len() as u64) as usize;
            for j in 0..slots.len() {
                let slot = slots[(start + j) % slots.len()];
                let centre = self.centre.get(slot as usize).copied();
                let centre = centre.filter(|&s| s != NO_STRUCTURE);
                if centre.is_some_and(|s| asked.contains(&s)) {
                    continue;
                }
                draw = mix(draw);
                if draw >= contact {
                    continue;
                }
                let taker = match centre {
                    Some(s) => {
                        asked.push(s);
                        self.centres[&s]
                            .iter()
                            .copied()
                            .find(|&m| self.room[m as usize] > 0)
                    }
                    None => Some(slot).filter(|&m| self.room[m as usize] > 0),
                };
                if let Some(m) = taker {
                    self.room[m as usize] -= 1;
                    return Some(m);
                }
                tries -= 1;
                if tries == 0 {
                    return None;
                }
            }
        }
        None
    }
}

/// Unlinks patients of stopped GPs, then matches this year's seekers.
#[allow(clippy::too_many_arguments)]
pub fn match_patients_to_gps(
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    (reach, state, roster): (Res<Reach>, Res<CommuneState>, Res<Roster>),
    effects: Res<PolicyEffects>,
    mut flows: ResMut<Flows>,
    (gps, structures): (Query<&Gp>, Query<&Structure>),
    mut patients: Query<(Entity, &mut Patient)>,
) {
    let (s, year) = (&params.0, clock.year);
    let mut lists = vec![0u32; roster.status.len()];
    let chronic_first =
        s.matching.chronic_priority_from_year != 0 && year >= s.matching.chronic_priority_from_year;
    let mut seekers: Vec<(u64, Entity, u16)> = Vec::new();
    let (seek_keys, order_keys) = (
        Keys::new(s.seed, year, Stream::Seek),
        Keys::new(s.seed, year, Stream::SeekOrder),
    );
    for (entity, mut p) in &mut patients {
        let p = p.bypass_change_detection();
        if !p.alive() {
            continue;
        }
        if p.gp != NO_GP {
            match roster.status[p.gp as usize] {
                SlotStatus::Active => {
                    lists[p.gp as usize] += 1;
                    continue;
                }
                SlotStatus::Retired => p.lose_gp(Reason::GpRetired),
                SlotStatus::Left => p.lose_gp(Reason::GpLeft),
            }
            if p.age >= 17 {
                flows.losses[communes.communes[p.commune as usize].departement as usize] += 1;
            }
        }
        if p.age < 17 {
            continue;
        }
        let entry = p.flags & flags::ENTRY != 0;
        p.set_flag(flags::ENTRY, false);
        if seeks(p, entry, s, seek_keys.of(p.id as u64)) {
            let order = order_keys.of(p.id as u64) >> 1;
            let lever = effects.chronic_priority.get(p.commune as usize) == Some(&true);
            let first = (chronic_first || lever) && p.chronic();
            seekers.push((order | u64::from(!first) << 63, entity, p.commune));
        }
    }
    seekers.sort_unstable_by_key(|x| x.0);

    // Health centres and local services take patients at one desk.
    let mut desks: Vec<u32> = structures
        .iter()
        .filter(|st| {
            matches!(
                st.kind,
                StructureKind::HealthCentre | StructureKind::LocalService
            )
        })
        .map(|st| st.slot)
        .collect();
    desks.sort_unstable();
    let n = communes.communes.len();
    let mut offer = Offer::new(&gps, &lists, n, s, (year, &effects, &roster), &desks);
    let mut wanted = vec![false; communes.communes.len()];
    for &(_, _, c) in &seekers {
        wanted[c as usize] = true;
    }
    let staffed = offer.staffed_reach(&reach, &wanted);
    // Teleconsultation: some of those who find no GP in reach search their whole département.
    let tele = |c: u16| {
        let share = effects.teleconsultation_share.get(c as usize).copied();
        threshold(f64::from(share.unwrap_or(0.0)))
    };
    let by_departement: Vec<Vec<u16>> = if effects.teleconsultation_share.iter().any(|&t| t > 0.0) {
        let mut v = vec![Vec::new(); communes.departements.len()];
        for (i, c) in communes.communes.iter().enumerate() {
            if !offer.by_commune[i].is_empty() {
                v[c.departement as usize].push(i as u16);
            }
        }
        v
    } else {
        Vec::new()
    };
    let m = &s.matching;
    let found: Vec<Option<u32>> = seekers
        .iter()
        .map(|&(order, _, c)| {
            let tries = m.tries_per_year as u32
                + if state.cpts_covered[c as usize] {
                    m.cpts_extra_tries as u32
                } else {
                    0
                };
            offer
                .search(staffed.of(c), tries, m.contact_share, mix(order))
                .or_else(|| {
                    let far =
                        by_departement.get(communes.communes[c as usize].departement as usize)?;
                    (mix(order ^ 0x7E1E) < tele(c))
                        .then(|| offer.search(far, tries, m.contact_share, mix(order ^ 0xFA4)))
                        .flatten()
                })
        })
        .collect();

    for (&(_, entity, c), gp) in seekers.iter().zip(found) {
        let Ok((_, mut p)) = patients.get_mut(entity) else {
            continue;
        };
        let p = p.bypass_change_detection();
        match gp {
            Some(slot) => {
                p.gp = slot;
                flows.matches[communes.communes[c as usize].departement as usize] += 1;
            }
            None if p.reason() == Reason::NeverDeclared => {
                p.set_reason(Reason::NoGpWithRoomInReach)
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(rooms: &[i64]) -> Offer {
        Offer {
            by_commune: vec![vec![0], vec![1, 2]],
            room: rooms.to_vec(),
            centre: vec![NO_STRUCTURE; rooms.len()],
            centres: HashMap::new(),
        }
    }

    #[test]
    fn a_patient_takes_the_nearest_gp_with_room() {
        let mut o = offer(&[1, 5, 5]);
        assert_eq!(o.search(&[0, 1], 3, 1.0, 42), Some(0));
        assert_eq!(o.room[0], 0);
    }

    #[test]
    fn no_gp_list_exceeds_capacity() {
        let mut o = offer(&[2, 1, 0]);
        let found: Vec<_> = (0..10).map(|k| o.search(&[0, 1], 5, 1.0, k)).collect();
        assert_eq!(
            found.iter().flatten().count(),
            3,
            "only three places: {found:?}"
        );
        assert!(o.room.iter().all(|&r| r >= 0));
    }

    #[test]
    fn full_gps_use_up_the_contacts_of_the_year() {
        let o = offer(&[0, 0, 7]);
        // Two contacts: GP 0 (full) then the first of commune 1; GP 2 is found only if reached.
        let hits = (0..200)
            .filter(|&k| o.clone_room().search(&[0, 1], 2, 1.0, k).is_some())
            .count();
        assert!(hits > 0 && hits < 200, "{hits}");
    }

    #[test]
    fn a_health_centre_is_one_contact_that_finds_any_of_its_gps_with_room() {
        // Commune 0: a centre of GPs 0 (full) and 1 (room); commune 1: a liberal GP 2 (room).
        let mut o = Offer {
            by_commune: vec![vec![0, 1], vec![2]],
            room: vec![0, 1, 5],
            centre: vec![9, 9, NO_STRUCTURE],
            centres: HashMap::from([(9, vec![0, 1])]),
        };
        // One try: the centre's desk finds GP 1 whichever of its GPs is contacted.
        assert!((0..50).all(|k| o.clone_room().search(&[0, 1], 1, 1.0, k) == Some(1)));
        // Full centre: one try spent on it, the second reaches the liberal GP.
        o.room[1] = 0;
        assert!((0..50).all(|k| o.clone_room().search(&[0, 1], 2, 1.0, k) == Some(2)));
    }

    impl Offer {
        fn clone_room(&self) -> Offer {
            Offer {
                by_commune: self.by_commune.clone(),
                room: self.room.clone(),
                centre: self.centre.clone(),
                centres: self.centres.clone(),
            }
        }
    }
}

#[cfg(test)]
mod world_tests {
    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::model::resources::{Roster, SlotStatus};
    use crate::model::testing::{gp_at, tiny_world};

    #[test]
    fn a_patient_whose_gp_retires_loses_the_link_with_reason_gp_retired() {
        let mut world = tiny_world();
        let slot = gp_at(&mut world, 0, 66);
        let mut p = Patient::new(1, 0, 50, false);
        p.gp = slot;
        let e = world.spawn(p).id();
        world.resource_mut::<Roster>().status[slot as usize] = SlotStatus::Retired;
        // Nobody else to find: the GP entity is gone.
        let gp_entity = world
            .query::<(Entity, &Gp)>()
            .iter(&world)
            .next()
            .unwrap()
            .0;
        world.despawn(gp_entity);
        world
            .resource_mut::<Params>()
            .0
            .demand
            .seek_after_loss_share_per_year = 0.0;
        world.run_system_once(match_patients_to_gps).unwrap();
        let p = world.get::<Patient>(e).unwrap();
        assert_eq!(p.gp, NO_GP);
        assert_eq!(p.reason(), Reason::GpRetired);
    }

    #[test]
    fn a_seeker_out_of_reach_of_every_gp_stays_without_one() {
        let mut world = tiny_world();
        gp_at(&mut world, 0, 45);
        let mut lonely = Patient::new(2, 2, 40, false);
        lonely.set_flag(flags::CHRONIC, true); // chronic patients always seek
        let far = world.spawn(lonely).id();
        let mut near = Patient::new(3, 1, 40, false);
        near.set_flag(flags::CHRONIC, true);
        let close = world.spawn(near).id();
        world.resource_mut::<Params>().0.matching.contact_share = 1.0;
        world.run_system_once(match_patients_to_gps).unwrap();
        assert_eq!(world.get::<Patient>(far).unwrap().gp, NO_GP);
        assert_eq!(
            world.get::<Patient>(far).unwrap().reason(),
            Reason::NoGpWithRoomInReach
        );
        assert_ne!(world.get::<Patient>(close).unwrap().gp, NO_GP);
    }
}
