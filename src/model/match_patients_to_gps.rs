//! Step 7 of a year: patients whose GP stopped lose the link (with the reason); GPs whose
//! list asks for more consultations than they offer it release patients, youngest and
//! healthiest first; patients without an MT who seek one contact GPs within reach, nearest
//! first with noise, a limited number a year; a GP takes a new patient while the list's
//! expected consultations stay under the acceptance threshold, and takes chronic patients a
//! little beyond it while the chronic priority is in force; CPTS coverage adds contacts (MODEL.md §3.7).

use std::collections::HashMap;

use bevy_ecs::prelude::*;
use bevy_utils::Parallel;
use rayon::prelude::*;

use super::components::{
    Gp, NO_GP, NO_STRUCTURE, Patient, Reason, Structure, StructureKind, flags,
};
use super::resources::{
    Clock, CommuneState, Communes, Flows, Params, PolicyEffects, Reach, Roster, SlotStatus, Tables,
};
use super::rng::{Keys, Stream, mix, threshold, unit};
use super::workload;
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

/// Expected consultations a year of one patient agent for their MT: their demand less the GP
/// time that teleconsultation saves where the lever is in force (a share of consultations
/// served remotely, each saving `saving` of an in-person one's time).
#[inline]
pub fn patient_demand(p: &Patient, tables: &Tables, effects: &PolicyEffects) -> f64 {
    let remote = effects
        .teleconsultation_share
        .get(p.commune as usize)
        .map_or(0.0, |&t| f64::from(t));
    f64::from(tables.demand_of(p)) * (1.0 - remote * effects.remote_saving)
}

/// What a GP offers their MT list this year at the acceptance threshold (consultations a
/// year, for patient agents), and the part of it kept for chronic patients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListOffer {
    /// Consultations a year up to which the GP takes new patients.
    pub threshold: f64,
    /// Consultations a year beyond the threshold up to which the GP still takes chronic
    /// patients while the chronic priority is in force.
    pub chronic_extra: f64,
}

impl ListOffer {
    /// This year's offer of `gp`, with the local effects of the levers.
    pub fn of(
        gp: &Gp,
        s: &Scenario,
        (year, effects, state): (u16, &PolicyEffects, &CommuneState),
    ) -> ListOffer {
        let c = gp.commune as usize;
        let here = workload::Setting {
            under_dense: state.under_dense.get(c).copied().unwrap_or(false),
            assistant_fte: effects.assistant_fte(c, gp),
        };
        let offered = workload::offered(gp, year, s, here);
        let threshold =
            offered * s.workload.list_share_of_acts * s.workload.acceptance_threshold_share;
        let national = s.matching.chronic_priority_from_year != 0
            && year >= s.matching.chronic_priority_from_year;
        let priority = national || effects.chronic_priority.get(c) == Some(&true);
        ListOffer {
            threshold,
            chronic_extra: if priority {
                threshold * s.workload.chronic_extra_share
            } else {
                0.0
            },
        }
    }
}

/// GPs by commune and each GP's room (consultations a year left under the threshold). The
/// GPs of a commune are stored side by side (compressed rows), each field in its own array so
/// that a seeker's walk through the communes in reach reads only what it needs: whether the
/// GP works behind a desk, and the room of the GPs it contacts.
#[derive(Debug, Clone)]
pub struct Offer {
    /// First member of each commune, plus one past the last commune's.
    starts: Vec<u32>,
    /// GP slot of each member; the members are the active GPs, by commune and, within a
    /// commune, by ascending slot.
    slot: Vec<u32>,
    /// Desk (of a health centre or local service) that takes the member's patients
    /// (`NO_STRUCTURE` otherwise), indexing `desk_starts`.
    desk: Vec<u32>,
    /// Consultations a year left under the threshold (persons × consultations).
    room: Vec<f64>,
    /// Consultations a year beyond the threshold open to chronic patients.
    chronic_extra: Vec<f64>,
    /// First member of each desk in `desk_members`, plus one past the last desk's.
    desk_starts: Vec<u32>,
    /// The members of each desk, by slot.
    desk_members: Vec<u32>,
}

/// One seeker, as the search sees them.
#[derive(Debug, Clone, Copy)]
pub struct Seeker {
    /// Expected consultations a year.
    pub demand: f64,
    /// Chronic (ALD): may go beyond a GP's threshold while the priority is in force.
    pub chronic: bool,
}

impl Seeker {
    /// A patient as the search sees them.
    fn of(p: &Patient, tables: &Tables, effects: &PolicyEffects) -> Seeker {
        Seeker {
            demand: patient_demand(p, tables, effects),
            chronic: p.chronic(),
        }
    }
}

impl Offer {
    /// Builds the offer from the GPs, their offers and their lists' workloads.
    pub fn new<'a>(
        gps: impl Iterator<Item = &'a Gp>,
        offers: &[Option<ListOffer>],
        workloads: &[f64],
        n_communes: usize,
        desks: &[u32],
    ) -> Offer {
        let n = workloads.len();
        let mut by_commune = vec![Vec::new(); n_communes];
        let (mut room, mut chronic_extra) = (vec![0.0; n], vec![0.0; n]);
        let mut centre = vec![NO_STRUCTURE; n];
        for gp in gps {
            let i = gp.slot as usize;
            if gp.structure != NO_STRUCTURE && desks.binary_search(&gp.structure).is_ok() {
                centre[i] = gp.structure;
            }
            if let Some(o) = offers[i] {
                room[i] = o.threshold - workloads[i];
                chronic_extra[i] = o.chronic_extra;
            }
            by_commune[gp.commune as usize].push(gp.slot);
        }
        Offer::from_slots(by_commune, &room, &chronic_extra, &centre)
    }

    /// The offer of the GP slots of each commune, with each slot's room, chronic margin and
    /// desk (indexed by slot).
    fn from_slots(
        mut by_commune: Vec<Vec<u32>>,
        room: &[f64],
        chronic_extra: &[f64],
        centre: &[u32],
    ) -> Offer {
        let mut o = Offer {
            starts: Vec::with_capacity(by_commune.len() + 1),
            slot: Vec::new(),
            desk: Vec::new(),
            room: Vec::new(),
            chronic_extra: Vec::new(),
            desk_starts: vec![0],
            desk_members: Vec::new(),
        };
        // Desks are numbered in order of first member.
        let mut desk_of: HashMap<u32, u32> = HashMap::new();
        let mut members: Vec<Vec<u32>> = Vec::new();
        o.starts.push(0);
        for slots in &mut by_commune {
            slots.sort_unstable();
            for &slot in slots.iter() {
                let i = slot as usize;
                let desk = if centre[i] == NO_STRUCTURE {
                    NO_STRUCTURE
                } else {
                    let d = *desk_of.entry(centre[i]).or_insert_with(|| {
                        members.push(Vec::new());
                        members.len() as u32 - 1
                    });
                    members[d as usize].push(o.slot.len() as u32);
                    d
                };
                o.slot.push(slot);
                o.desk.push(desk);
                o.room.push(room[i]);
                o.chronic_extra.push(chronic_extra[i]);
            }
            o.starts.push(o.slot.len() as u32);
        }
        // A desk gives its GPs in slot order, whichever commune they practise in.
        for mut v in members {
            v.sort_unstable_by_key(|&m| o.slot[m as usize]);
            o.desk_members.extend(v);
            o.desk_starts.push(o.desk_members.len() as u32);
        }
        o
    }

    /// The members of desk `d`.
    fn desk_members(&self, d: u32) -> &[u32] {
        &self.desk_members
            [self.desk_starts[d as usize] as usize..self.desk_starts[d as usize + 1] as usize]
    }

    /// The members of commune `c`.
    fn of_commune(&self, c: usize) -> std::ops::Range<usize> {
        self.starts[c] as usize..self.starts[c + 1] as usize
    }

    /// The reach of each commune in `wanted`, keeping only communes with a GP: the others
    /// cannot be contacted. Built once a year rather than walked by every seeker. With
    /// `skip_full`, communes whose GPs are all full are left out too: rooms only shrink within
    /// a year, so they would refuse everyone (used when contacts are unlimited, as in the
    /// warm-up, where a refusal costs nothing).
    pub fn staffed_reach(&self, reach: &Reach, wanted: &[bool], skip_full: bool) -> Reach {
        let open: Vec<bool> = (0..self.starts.len() - 1)
            .map(|c| {
                let here = &self.room[self.of_commune(c)];
                !here.is_empty() && (!skip_full || here.iter().any(|&room| room > 0.0))
            })
            .collect();
        let mut staffed = Reach {
            offsets: Vec::with_capacity(wanted.len() + 1),
            ..Reach::default()
        };
        staffed.offsets.push(0);
        for (c, &w) in wanted.iter().enumerate() {
            if w {
                staffed
                    .neighbours
                    .extend(reach.of(c as u16).iter().filter(|&&n| open[n as usize]));
            }
            staffed.offsets.push(staffed.neighbours.len() as u32);
        }
        staffed
    }

    /// Does GP `m` take this seeker? Yes while the room left (plus, for a chronic patient, the
    /// margin beyond the threshold of the chronic priority) covers a uniform share `u` of the
    /// seeker's demand: on average a list fills to its threshold exactly, whatever the agents'
    /// size.
    fn takes(&self, m: u32, who: Seeker, u: f64) -> bool {
        let m = m as usize;
        let room = if who.chronic {
            self.room[m] + self.chronic_extra[m]
        } else {
            self.room[m]
        };
        room > 0.0 && room >= u * who.demand
    }

    /// One patient's search: GPs in reach in distance order, each contacted with
    /// `contact_share`, until `tries` contacts; the first who takes the seeker is their MT. A
    /// health centre is one contact: its desk gives any of its salaried GPs who takes them.
    pub fn search(&mut self, reach: &[u16], tries: (u32, f64), who: Seeker, k: u64) -> Option<u32> {
        let m = self.find(reach, tries, who, k)? as usize;
        self.room[m] -= who.demand;
        Some(self.slot[m])
    }

    /// The searches of `n` seekers one after the other, in order (seeker `i` described by
    /// `seeker(i)`): the GP slot each finds, exactly as [`Offer::search`] called in turn
    /// would. Batches of seekers are searched in parallel against the rooms at the batch's
    /// start, then checked in order. Rooms only fall within a year and a GP takes a seeker only
    /// with enough room, so a GP who refused then refuses now and the walk is the same up to
    /// the GP found: a search that found no one stands, and one that found a GP stands if that
    /// GP still takes the seeker; otherwise it is searched again. The result does not depend on
    /// the threads or the batch size.
    pub fn search_all<'r>(
        &mut self,
        n: usize,
        seeker: impl Fn(usize) -> (&'r [u16], (u32, f64), Seeker, u64) + Sync,
    ) -> Vec<Option<u32>> {
        // Large enough that waking the threads is small against a batch's searches, small
        // enough that few guesses are overturned (on the default run, 1.4 % of searches are
        // redone with 8,192 and 10 % with 65,536).
        const BATCH: usize = 16_384;
        let mut found = Vec::with_capacity(n);
        for first in (0..n).step_by(BATCH) {
            let batch = first..(first + BATCH).min(n);
            let this = &*self;
            let guesses: Vec<Option<u32>> = batch
                .clone()
                .into_par_iter()
                .map(|i| {
                    let (reach, tries, who, k) = seeker(i);
                    this.find(reach, tries, who, k)
                })
                .collect();
            for (i, guess) in batch.zip(guesses) {
                let (reach, tries, who, k) = seeker(i);
                let m = match guess {
                    Some(m) if self.takes(m, who, Self::share_asked(k)) => Some(m),
                    Some(_) => self.find(reach, tries, who, k),
                    None => None,
                };
                found.push(m.map(|m| {
                    self.room[m as usize] -= who.demand;
                    self.slot[m as usize]
                }));
            }
        }
        found
    }

    /// The share of a seeker's demand a GP must have room for (uniform, keyed on the search).
    fn share_asked(k: u64) -> f64 {
        unit(mix(k ^ 0x5EED))
    }

    /// One search against the present rooms, taking no one: the member who would take the
    /// seeker.
    fn find(
        &self,
        reach: &[u16],
        (mut tries, contact_share): (u32, f64),
        who: Seeker,
        k: u64,
    ) -> Option<u32> {
        let contact = threshold(contact_share);
        let u = Self::share_asked(k);
        let mut draw = k;
        let mut asked: Vec<u32> = Vec::new();
        for &c in reach {
            let here = self.of_commune(c as usize);
            if here.is_empty() {
                continue;
            }
            let len = here.len();
            // The walk starts at a random GP of the commune and wraps round (most communes
            // have one GP: no division then).
            let first = if len == 1 {
                0
            } else {
                (mix(k ^ c as u64) % len as u64) as usize
            };
            let mut next = here.start + first;
            for _ in 0..len {
                let i = next;
                next = if next + 1 == here.end {
                    here.start
                } else {
                    next + 1
                };
                let desk = Some(self.desk[i]).filter(|&d| d != NO_STRUCTURE);
                if desk.is_some_and(|d| asked.contains(&d)) {
                    continue;
                }
                draw = mix(draw);
                if draw >= contact {
                    continue;
                }
                let taker = match desk {
                    Some(d) => {
                        asked.push(d);
                        self.desk_members(d)
                            .iter()
                            .copied()
                            .find(|&m| self.takes(m, who, u))
                    }
                    None => Some(i as u32).filter(|&m| self.takes(m, who, u)),
                };
                if taker.is_some() {
                    return taker;
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

/// A patient on the list of a GP whose offer fell, keyed in the order of release (GP,
/// non-chronic before chronic, youngest first, then at random), with the patient as they are.
type Listed = ((u32, bool, u8, u64, Entity), Patient);

/// One seeker as the matching keeps them, in 24 bytes (half a million a year are sorted at
/// 1 agent for 20 people).
#[derive(Debug, Clone, Copy)]
struct Seeking {
    /// Seekers search in ascending order key; the entity breaks ties, so the order is total
    /// whatever order the threads gathered them in.
    order: u64,
    /// Expected consultations a year.
    demand: f64,
    /// Index of the patient's entity.
    entity: u32,
    /// Home commune.
    commune: u16,
    /// Chronic (ALD).
    chronic: bool,
}

impl Seeking {
    fn new(order: u64, entity: Entity, p: &Patient, who: Seeker) -> Seeking {
        Seeking {
            order,
            demand: who.demand,
            entity: entity.index_u32(),
            commune: p.commune,
            chronic: who.chronic,
        }
    }

    /// The seeker as the search sees them.
    fn who(&self) -> Seeker {
        Seeker {
            demand: self.demand,
            chronic: self.chronic,
        }
    }
}

/// What happens to a patient in the matching, coded in a `u32` per entity so that one
/// parallel pass can write every change after the (sequential) search.
mod outcome {
    /// No change.
    pub const KEEP: u32 = 0;
    /// Released by a GP whose offer fell (may be combined with the others).
    pub const RELEASED: u32 = 1 << 31;
    /// Looked for an MT; the low bits are the GP found, or `NONE_FOUND`.
    pub const SOUGHT: u32 = 1 << 30;
    /// Looked and found no GP.
    pub const NONE_FOUND: u32 = SOUGHT - 1;
}

/// What one thread of the patient pass gathers. The sums are integers (workloads in fixed
/// point), so adding the threads' parts gives the same totals whatever the threads.
struct Gathered {
    /// Workload of each GP slot's list, in fixed point.
    workloads: Vec<u64>,
    /// Adults who lost their MT, by département.
    losses: Vec<u64>,
    /// Patients who look for an MT this year.
    seekers: Vec<Seeking>,
    /// Patients of GPs whose offer fell: they may be released.
    listed: Vec<Listed>,
}

impl Gathered {
    fn new(slots: usize, departements: usize) -> Gathered {
        Gathered {
            workloads: vec![0; slots],
            losses: vec![0; departements],
            seekers: Vec::new(),
            listed: Vec::new(),
        }
    }
}

/// Unlinks patients of stopped GPs, releases patients of overloaded GPs, then matches this
/// year's seekers.
#[allow(clippy::too_many_arguments)]
pub fn match_patients_to_gps(
    (params, clock, communes, tables): (Res<Params>, Res<Clock>, Res<Communes>, Res<Tables>),
    (reach, state, roster): (Res<Reach>, Res<CommuneState>, Res<Roster>),
    effects: Res<PolicyEffects>,
    mut flows: ResMut<Flows>,
    (mut gps, structures): (Query<&mut Gp>, Query<&Structure>),
    mut patients: Query<(Entity, &mut Patient)>,
) {
    let (s, year) = (&params.0, clock.year);
    let slots = roster.status.len();
    debug_assert!(
        slots < outcome::NONE_FOUND as usize,
        "GP slots fit an outcome code"
    );
    let (seek_keys, order_keys) = (
        Keys::new(s.seed, year, Stream::Seek),
        Keys::new(s.seed, year, Stream::SeekOrder),
    );
    let departements: Vec<u16> = communes.communes.iter().map(|c| c.departement).collect();
    let departement = |c: u16| departements[c as usize] as usize;

    // This year's offer of every GP (it reads no patient). A GP whose offer fell (reduced
    // activity, a junior gone, cumul emploi-retraite) may have to release patients.
    let mut offers: Vec<Option<ListOffer>> = vec![None; slots];
    let mut fell = vec![false; slots];
    for mut gp in &mut gps {
        let gp = gp.bypass_change_detection();
        let o = ListOffer::of(gp, s, (year, &effects, &state));
        let i = gp.slot as usize;
        // (Compared in f32, as stored: a rounding is not a fall.)
        fell[i] = (o.threshold as f32) < gp.list_threshold;
        gp.list_threshold = o.threshold as f32;
        offers[i] = Some(o);
    }

    // One parallel pass over the patients: links to stopped GPs are cut (with the reason),
    // lists are weighed, seekers and the patients of GPs whose offer fell are gathered.
    let mut gathered = Parallel::default();
    let new_part = || Gathered::new(slots, communes.departements.len());
    patients
        .par_iter_mut()
        .batching_strategy(super::patient_batches())
        .for_each_init(
            || gathered.borrow_local_mut_or(new_part),
            |part, (entity, mut p)| {
                let p = p.bypass_change_detection();
                if !p.alive() {
                    return;
                }
                if p.gp != NO_GP {
                    let gp = p.gp as usize;
                    match roster.status[gp] {
                        SlotStatus::Active => {
                            part.workloads[gp] +=
                                workload::to_fixed(patient_demand(p, &tables, &effects));
                            if fell[gp] {
                                let order = order_keys.of(p.id as u64);
                                let key = (p.gp, p.chronic(), p.age, order, entity);
                                part.listed.push((key, *p));
                            }
                            return;
                        }
                        SlotStatus::Retired => p.lose_gp(Reason::GpRetired),
                        SlotStatus::Left => p.lose_gp(Reason::GpLeft),
                    }
                    if p.age >= 17 {
                        part.losses[departement(p.commune)] += 1;
                    }
                }
                if p.age < 17 {
                    return;
                }
                let entry = p.flags & flags::ENTRY != 0;
                p.set_flag(flags::ENTRY, false);
                if seeks(p, entry, s, seek_keys.of(p.id as u64)) {
                    let who = Seeker::of(p, &tables, &effects);
                    let order = order_keys.of(p.id as u64);
                    part.seekers.push(Seeking::new(order, entity, p, who));
                }
            },
        );
    let mut fixed = vec![0u64; slots];
    let mut seekers: Vec<Seeking> = Vec::new();
    let mut listed: Vec<Listed> = Vec::new();
    for part in gathered.iter_mut() {
        for (sum, x) in fixed.iter_mut().zip(&part.workloads) {
            *sum += x;
        }
        for (sum, x) in flows.losses.iter_mut().zip(&part.losses) {
            *sum += x;
        }
        seekers.append(&mut part.seekers);
        listed.append(&mut part.listed);
    }
    let mut workloads: Vec<f64> = fixed.into_iter().map(workload::from_fixed).collect();

    // A GP whose offer fell and whose list is now above the threshold by more than the
    // tolerance releases patients down to it; a list that only grew heavier as its patients
    // aged closes to new patients instead.
    let tolerance = 1.0 + s.workload.release_tolerance_share;
    let overloaded = |gp: u32| {
        let i = gp as usize;
        offers[i].is_some_and(|o| workloads[i] > o.threshold * tolerance)
    };
    listed.retain(|x| overloaded(x.0.0));
    listed.par_sort_unstable_by_key(|x| x.0);
    let mut outcomes: Vec<(u32, u32)> = Vec::new();
    for ((gp, _, _, order, entity), mut p) in listed {
        let limit = offers[gp as usize].map_or(0.0, |o| o.threshold);
        if workloads[gp as usize] <= limit {
            continue;
        }
        workloads[gp as usize] -= patient_demand(&p, &tables, &effects);
        p.lose_gp(Reason::GpReducedActivity);
        outcomes.push((entity.index_u32(), outcome::RELEASED));
        if p.age >= 17 {
            flows.losses[departement(p.commune)] += 1;
            if seeks(&p, false, s, seek_keys.of(p.id as u64)) {
                let who = Seeker::of(&p, &tables, &effects);
                seekers.push(Seeking::new(order, entity, &p, who));
            }
        }
    }
    seekers.par_sort_unstable_by_key(|x| (x.order, x.entity));

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
    let mut offer = Offer::new(gps.iter(), &offers, &workloads, n, &desks);
    let mut wanted = vec![false; n];
    for x in &seekers {
        wanted[x.commune as usize] = true;
    }
    let m = &s.matching;
    let staffed = offer.staffed_reach(&reach, &wanted, m.tries_per_year == u8::MAX);
    let found = offer.search_all(seekers.len(), |i| {
        let x = &seekers[i];
        let c = x.commune as usize;
        let extra = if state.cpts_covered[c] {
            m.cpts_extra_tries as u32
        } else {
            0
        };
        let tries = m.tries_per_year as u32 + extra;
        (
            staffed.of(x.commune),
            (tries, m.contact_share),
            x.who(),
            mix(x.order),
        )
    });

    // Every change is written in one parallel pass, through a table indexed by entity.
    for (x, gp) in seekers.iter().zip(found) {
        outcomes.push((
            x.entity,
            outcome::SOUGHT | gp.unwrap_or(outcome::NONE_FOUND),
        ));
        if gp.is_some() {
            flows.matches[departement(x.commune)] += 1;
        }
    }
    let size = outcomes.iter().map(|&(e, _)| e as usize + 1).max();
    let mut by_entity = vec![outcome::KEEP; size.unwrap_or(0)];
    for (entity, code) in outcomes {
        by_entity[entity as usize] |= code;
    }
    patients
        .par_iter_mut()
        .batching_strategy(super::patient_batches())
        .for_each(|(entity, mut p)| {
            let code = by_entity
                .get(entity.index_u32() as usize)
                .copied()
                .unwrap_or(outcome::KEEP);
            if code == outcome::KEEP {
                return;
            }
            let p = p.bypass_change_detection();
            if code & outcome::RELEASED != 0 {
                p.lose_gp(Reason::GpReducedActivity);
            }
            if code & outcome::SOUGHT != 0 {
                match code & outcome::NONE_FOUND {
                    outcome::NONE_FOUND if p.reason() == Reason::NeverDeclared => {
                        p.set_reason(Reason::NoGpWithRoomInReach)
                    }
                    outcome::NONE_FOUND => {}
                    slot => p.gp = slot,
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: Seeker = Seeker {
        demand: 1.0,
        chronic: false,
    };

    fn offer(rooms: &[f64]) -> Offer {
        let n = rooms.len();
        Offer::from_slots(
            vec![vec![0], vec![1, 2]],
            rooms,
            &vec![0.0; n],
            &vec![NO_STRUCTURE; n],
        )
    }

    #[test]
    fn a_patient_takes_the_nearest_gp_with_room() {
        let mut o = offer(&[1.0, 5.0, 5.0]);
        assert_eq!(o.search(&[0, 1], (3, 1.0), ONE, 42), Some(0));
        assert_eq!(o.room(0), 0.0);
    }

    #[test]
    fn no_gp_takes_more_than_their_room() {
        let mut o = offer(&[2.0, 1.0, 0.0]);
        let found: Vec<_> = (0..10)
            .map(|k| o.search(&[0, 1], (5, 1.0), ONE, k))
            .collect();
        assert_eq!(
            found.iter().flatten().count(),
            3,
            "only three places: {found:?}"
        );
        assert!((0..3).all(|slot| o.room(slot) >= 0.0));
    }

    #[test]
    fn a_full_gp_still_takes_chronic_patients_within_the_priority_margin() {
        let mut o = offer(&[0.0, 0.0, 0.0]);
        let m = o.member(0);
        o.chronic_extra[m] = 3.0;
        assert_eq!(o.search(&[0], (5, 1.0), ONE, 7), None);
        let chronic = Seeker {
            chronic: true,
            ..ONE
        };
        assert_eq!(o.search(&[0], (5, 1.0), chronic, 7), Some(0));
    }

    #[test]
    fn full_gps_use_up_the_contacts_of_the_year() {
        let o = offer(&[0.0, 0.0, 7.0]);
        // Two contacts: GP 0 (full) then the first of commune 1; GP 2 is found only if reached.
        let hits = (0..200)
            .filter(|&k| o.clone().search(&[0, 1], (2, 1.0), ONE, k).is_some())
            .count();
        assert!(hits > 0 && hits < 200, "{hits}");
    }

    #[test]
    fn a_health_centre_is_one_contact_that_finds_any_of_its_gps_with_room() {
        // Commune 0: a centre of GPs 0 (full) and 1 (room); commune 1: a liberal GP 2 (room).
        let mut o = Offer::from_slots(
            vec![vec![0, 1], vec![2]],
            &[0.0, 1.0, 5.0],
            &[0.0; 3],
            &[9, 9, NO_STRUCTURE],
        );
        // One try: the centre's desk finds GP 1 whichever of its GPs is contacted.
        assert!((0..50).all(|k| o.clone().search(&[0, 1], (1, 1.0), ONE, k) == Some(1)));
        // Full centre: one try spent on it, the second reaches the liberal GP.
        let m = o.member(1);
        o.room[m] = 0.0;
        assert!((0..50).all(|k| o.clone().search(&[0, 1], (2, 1.0), ONE, k) == Some(2)));
    }

    #[test]
    fn searches_in_parallel_batches_find_what_searches_one_after_the_other_find() {
        // Few GPs and many seekers, so that batches overturn many guesses; chronic seekers
        // use the margin; two GPs share a desk.
        let n_gps = 60;
        let by_commune: Vec<Vec<u32>> = (0..12).map(|c| (c * 5..c * 5 + 5).collect()).collect();
        let room: Vec<f64> = (0..n_gps).map(|i| (mix(i as u64) % 40) as f64).collect();
        let extra: Vec<f64> = (0..n_gps).map(|i| (i % 3) as f64).collect();
        let mut desk = vec![NO_STRUCTURE; n_gps];
        (desk[7], desk[21]) = (4, 4);
        let reaches: Vec<Vec<u16>> = (0..12u16)
            .map(|c| (0..12u16).map(|d| (c + d) % 12).take(6).collect())
            .collect();
        let seeker = |i: usize| {
            let k = mix(i as u64 + 1);
            let who = Seeker {
                demand: 0.5 + (k % 4) as f64,
                chronic: k.is_multiple_of(5),
            };
            (&reaches[i % 12][..], (1 + (k % 6) as u32, 0.7), who, k)
        };
        let n = 40_000;
        let offer = Offer::from_slots(by_commune, &room, &extra, &desk);
        let mut one_by_one = offer.clone();
        let expected: Vec<Option<u32>> = (0..n)
            .map(|i| {
                let (reach, tries, who, k) = seeker(i);
                one_by_one.search(reach, tries, who, k)
            })
            .collect();
        let mut batched = offer.clone();
        assert_eq!(batched.search_all(n, seeker), expected);
        assert_eq!(batched.room, one_by_one.room);
        assert!(
            expected.iter().flatten().count() > 100,
            "some seekers find a GP"
        );
    }

    impl Offer {
        /// The member of GP `slot`.
        fn member(&self, slot: u32) -> usize {
            self.slot.iter().position(|&s| s == slot).unwrap()
        }

        /// The room left to GP `slot`.
        fn room(&mut self, slot: u32) -> f64 {
            self.room[self.member(slot)]
        }
    }
}
