//! The GPs' offer of a year and the seekers' search through it (MODEL.md §3.7): GPs by
//! commune with the room left under their acceptance threshold; a seeker walks the GPs in
//! reach, nearest commune first, contacts each with a probability, and the first with room
//! takes them. Searches run in parallel batches checked in order, with the result of one search
//! after another.

use std::collections::HashMap;

use rayon::prelude::*;

use super::components::{Gp, NO_STRUCTURE};
use super::resources::{CommuneState, PolicyEffects, Reach};
use super::rng::{mix, threshold, unit};
use super::workload;
use crate::scenario::Scenario;

/// GPs by commune and each GP's room (consultations a year left under the threshold). The
/// GPs of a commune are stored side by side (compressed rows), each with what a seeker's walk
/// reads of them (whether the GP works behind a desk, their room) in one record; the margin
/// of the chronic priority, read for chronic seekers only, is kept apart.
#[derive(Debug, Clone)]
pub struct Offer {
    /// First member of each commune, plus one past the last commune's.
    starts: Vec<u32>,
    /// The members: the active GPs, by commune and, within a commune, by ascending slot.
    members: Vec<Member>,
    /// Consultations a year beyond the threshold open to chronic patients.
    chronic_extra: Vec<f64>,
    /// First member of each desk in `desk_members`, plus one past the last desk's.
    desk_starts: Vec<u32>,
    /// The members of each desk, by slot.
    desk_members: Vec<u32>,
}

/// One GP of the offer, with what a seeker's walk reads of them side by side (one cache line
/// for most members).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Member {
    /// Consultations a year left under the threshold (persons × consultations).
    room: f64,
    /// Desk (of a health centre or local service) that takes the member's patients
    /// (`NO_STRUCTURE` otherwise), indexing `desk_starts`.
    desk: u32,
    /// GP slot.
    slot: u32,
}

/// One seeker, as the search sees them.
#[derive(Debug, Clone, Copy)]
pub struct Seeker {
    /// Expected consultations a year.
    pub demand: f64,
    /// Chronic (ALD): may go beyond a GP's threshold while the priority is in force.
    pub chronic: bool,
}

/// One commune of a seeker's reach as the search walks it: the commune (which keys the GP the
/// walk starts at) and its members, so that the walk reads its members' range from the list
/// it streams through rather than from the offer.
#[derive(Debug, Clone, Copy)]
pub struct Stop {
    commune: u32,
    first: u32,
    len: u32,
}

/// The communes in reach of each commune with seekers, as [`Stop`]s, nearest first.
#[derive(Debug, Clone, Default)]
pub struct Stops {
    /// Row starts, one per commune plus one.
    offsets: Vec<u32>,
    stops: Vec<Stop>,
}

impl Stops {
    /// The stops of a seeker of commune `c`.
    #[inline]
    pub fn of(&self, c: u16) -> &[Stop] {
        let c = c as usize;
        &self.stops[self.offsets[c] as usize..self.offsets[c + 1] as usize]
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
            members: Vec::new(),
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
                    members[d as usize].push(o.members.len() as u32);
                    d
                };
                o.members.push(Member {
                    room: room[i],
                    desk,
                    slot,
                });
                o.chronic_extra.push(chronic_extra[i]);
            }
            o.starts.push(o.members.len() as u32);
        }
        // A desk gives its GPs in slot order, whichever commune they practise in.
        for mut v in members {
            v.sort_unstable_by_key(|&m| o.members[m as usize].slot);
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

    /// The reach of each commune in `wanted` as the stops of a search, keeping only communes
    /// with a GP: the others cannot be contacted. Built once a year rather than walked by
    /// every seeker. With
    /// `skip_full`, communes whose GPs are all full are left out too: rooms only shrink within
    /// a year, so they would refuse everyone (used when contacts are unlimited, as in the
    /// warm-up, where a refusal costs nothing).
    pub fn staffed_reach(&self, reach: &Reach, wanted: &[bool], skip_full: bool) -> Stops {
        let open: Vec<bool> = (0..self.starts.len() - 1)
            .map(|c| {
                let here = &self.members[self.of_commune(c)];
                !here.is_empty() && (!skip_full || here.iter().any(|m| m.room > 0.0))
            })
            .collect();
        // In parallel by blocks of communes, put back in commune order.
        const BLOCK: usize = 1024;
        let blocks: Vec<(Vec<Stop>, Vec<u32>)> = wanted
            .par_chunks(BLOCK)
            .enumerate()
            .map(|(b, block)| {
                let (mut stops, mut lens) = (Vec::new(), Vec::with_capacity(block.len()));
                for (i, &w) in block.iter().enumerate() {
                    let before = stops.len();
                    if w {
                        let c = (b * BLOCK + i) as u16;
                        stops.extend(
                            reach
                                .of(c)
                                .iter()
                                .filter(|&&n| open[n as usize])
                                .map(|&n| self.stop(n)),
                        );
                    }
                    lens.push((stops.len() - before) as u32);
                }
                (stops, lens)
            })
            .collect();
        let mut staffed = Stops {
            offsets: Vec::with_capacity(wanted.len() + 1),
            stops: Vec::with_capacity(blocks.iter().map(|b| b.0.len()).sum()),
        };
        staffed.offsets.push(0);
        for (stops, lens) in blocks {
            for len in lens {
                let last = *staffed.offsets.last().unwrap_or(&0);
                staffed.offsets.push(last + len);
            }
            staffed.stops.extend(stops);
        }
        staffed
    }

    /// Commune `c` as a stop of a search.
    fn stop(&self, c: u16) -> Stop {
        let here = self.of_commune(c as usize);
        Stop {
            commune: u32::from(c),
            first: here.start as u32,
            len: here.len() as u32,
        }
    }

    /// The communes `reach` as the stops of a search.
    pub fn stops(&self, reach: &[u16]) -> Vec<Stop> {
        reach.iter().map(|&c| self.stop(c)).collect()
    }

    /// Does GP `m` take this seeker? Yes while the room left (plus, for a chronic patient, the
    /// margin beyond the threshold of the chronic priority) covers a uniform share `u` of the
    /// seeker's demand: on average a list fills to its threshold exactly, whatever the agents'
    /// size.
    fn takes(&self, m: u32, who: Seeker, u: f64) -> bool {
        let m = m as usize;
        let room = if who.chronic {
            self.members[m].room + self.chronic_extra[m]
        } else {
            self.members[m].room
        };
        room > 0.0 && room >= u * who.demand
    }

    /// One patient's search: GPs in reach in distance order, each contacted with
    /// `contact_share`, until `tries` contacts; the first who takes the seeker is their MT. A
    /// health centre is one contact: its desk gives any of its salaried GPs who takes them.
    pub fn search(
        &mut self,
        reach: &[Stop],
        tries: (u32, f64),
        who: Seeker,
        k: u64,
    ) -> Option<u32> {
        let m = self.find(reach, tries, who, k)?;
        Some(self.take(m, who))
    }

    /// Member `m` takes the seeker: their room falls by the seeker's demand. Returns their slot.
    fn take(&mut self, m: u32, who: Seeker) -> u32 {
        let m = &mut self.members[m as usize];
        m.room -= who.demand;
        m.slot
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
        seeker: impl Fn(usize) -> (&'r [Stop], (u32, f64), Seeker, u64) + Sync,
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
                found.push(m.map(|m| self.take(m, who)));
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
        reach: &[Stop],
        (mut tries, contact_share): (u32, f64),
        who: Seeker,
        k: u64,
    ) -> Option<u32> {
        let contact = threshold(contact_share);
        let u = Self::share_asked(k);
        let mut draw = k;
        let mut asked: Vec<u32> = Vec::new();
        for stop in reach {
            let len = stop.len as usize;
            if len == 0 {
                continue;
            }
            let (start, end) = (stop.first as usize, (stop.first + stop.len) as usize);
            // The walk starts at a random GP of the commune and wraps round (most communes
            // have one GP: no division then).
            let first = if len == 1 {
                0
            } else {
                (mix(k ^ u64::from(stop.commune)) % len as u64) as usize
            };
            let mut next = start + first;
            for _ in 0..len {
                let i = next;
                next = if next + 1 == end { start } else { next + 1 };
                let desk = Some(self.members[i].desk).filter(|&d| d != NO_STRUCTURE);
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

#[cfg(test)]
#[path = "offer_tests.rs"]
mod tests;
