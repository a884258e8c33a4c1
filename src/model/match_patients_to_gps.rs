//! Step 7 of a year: patients whose GP stopped lose the link (with the reason); GPs whose
//! list asks for more consultations than they offer it release patients, youngest and
//! healthiest first; patients without an MT who seek one contact GPs within reach, nearest
//! first with noise, a limited number a year; a GP takes a new patient while the list's
//! expected consultations stay under the acceptance threshold, and takes chronic patients a
//! little beyond it while the chronic priority is in force; CPTS coverage adds contacts (MODEL.md §3.7).

use std::sync::atomic::{AtomicU32, Ordering};

use bevy_ecs::prelude::*;
use bevy_utils::Parallel;
use rayon::prelude::*;

use super::components::{Gp, NO_GP, Patient, Reason, Structure, StructureKind, flags};
use super::offer::{ListOffer, Offer, Seeker};
use super::resources::{
    BaseScenario, Clock, CommuneState, Communes, Flows, Lists, Params, PolicyEffects, Reach,
    Roster, SlotStatus, Tables,
};
use super::rng::{Keys, Stream, key, mix, threshold, unit};
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

impl Seeker {
    /// A patient as the search sees them.
    fn of(p: &Patient, tables: &Tables, effects: &PolicyEffects) -> Seeker {
        Seeker {
            demand: patient_demand(p, tables, effects),
            chronic: p.chronic(),
        }
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
/// parallel pass can write every change after the search.
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

/// The matching's outcome codes by entity index, kept from one year to the next so that a
/// table of every patient is not allocated and zeroed again each year: every entry is
/// [`outcome::KEEP`] between two matchings. Atomic so that the seekers' outcomes are written
/// in parallel (each seeker is one entity, written once).
#[derive(Debug, Default)]
pub struct Outcomes(Vec<AtomicU32>);

impl Outcomes {
    /// Room for the entities of index below `n`.
    fn cover(&mut self, n: usize) {
        if n > self.0.len() {
            self.0.resize_with(n, || AtomicU32::new(outcome::KEEP));
        }
    }

    /// Adds `code` to the outcome of the entity of index `entity`, covered by
    /// [`Outcomes::cover`]; no other thread writes that entity's outcome meanwhile.
    fn mark(&self, entity: u32, code: u32) {
        let at = &self.0[entity as usize];
        at.store(at.load(Ordering::Relaxed) | code, Ordering::Relaxed);
    }

    /// The outcome of the entity of index `entity`.
    fn of(&self, entity: u32) -> u32 {
        self.0
            .get(entity as usize)
            .map_or(outcome::KEEP, |at| at.load(Ordering::Relaxed))
    }

    /// Back to every entry [`outcome::KEEP`], keeping the memory.
    fn clear(&mut self) {
        self.0
            .par_iter_mut()
            .for_each(|at| *at.get_mut() = outcome::KEEP);
    }
}

/// What one thread of the patient pass gathers. The sums are integers (workloads in fixed
/// point), so adding the threads' parts gives the same totals whatever the threads.
struct Gathered {
    /// Workload of each GP slot's list, in fixed point.
    workloads: Vec<u64>,
    /// Patient agents on each GP slot's list.
    sizes: Vec<u32>,
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
            sizes: vec![0; slots],
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
    (effects, base): (Res<PolicyEffects>, Res<BaseScenario>),
    (mut flows, mut lists): (ResMut<Flows>, ResMut<Lists>),
    (mut gps, structures): (Query<&mut Gp>, Query<&Structure>),
    mut patients: Query<(Entity, &mut Patient)>,
    mut outcomes: Local<Outcomes>,
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
    // A border ring's residents whose MT practises beyond it (a fixed draw per person, on the
    // scenario's seed: the same in the warm-up's rounds and every year) never seek one here.
    let beyond = |p: &Patient| {
        let share = f64::from(communes.communes[p.commune as usize].beyond_share);
        share > 0.0 && unit(key(base.0.seed, 0, Stream::Seek, 1 << 40 | p.id as u64)) < share
    };

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
                            part.sizes[gp] += 1;
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
                if p.age < 17 || beyond(p) {
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
    let mut sizes = vec![0u32; slots];
    let mut seekers: Vec<Seeking> = Vec::new();
    let mut listed: Vec<Listed> = Vec::new();
    for part in gathered.iter_mut() {
        for (sum, x) in fixed.iter_mut().zip(&part.workloads) {
            *sum += x;
        }
        for (sum, x) in sizes.iter_mut().zip(&part.sizes) {
            *sum += x;
        }
        for (sum, x) in flows.losses.iter_mut().zip(&part.losses) {
            *sum += x;
        }
        seekers.append(&mut part.seekers);
        listed.append(&mut part.listed);
    }
    let mut workloads: Vec<f64> = fixed.iter().copied().map(workload::from_fixed).collect();

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
    for ((gp, _, _, order, entity), mut p) in listed {
        let limit = offers[gp as usize].map_or(0.0, |o| o.threshold);
        if workloads[gp as usize] <= limit {
            continue;
        }
        let demand = patient_demand(&p, &tables, &effects);
        workloads[gp as usize] -= demand;
        fixed[gp as usize] -= workload::to_fixed(demand);
        sizes[gp as usize] -= 1;
        p.lose_gp(Reason::GpReducedActivity);
        outcomes.cover(entity.index_u32() as usize + 1);
        outcomes.mark(entity.index_u32(), outcome::RELEASED);
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
    let last = seekers.iter().map(|x| x.entity as usize + 1).max();
    outcomes.cover(last.unwrap_or(0));
    let table = &*outcomes;
    seekers.par_iter().zip(&found).for_each(|(x, gp)| {
        table.mark(
            x.entity,
            outcome::SOUGHT | gp.unwrap_or(outcome::NONE_FOUND),
        );
    });
    for (x, gp) in seekers.iter().zip(found) {
        if let Some(slot) = gp {
            flows.matches[departement(x.commune)] += 1;
            fixed[slot as usize] += workload::to_fixed(x.demand);
            sizes[slot as usize] += 1;
        }
    }
    *lists = Lists {
        sizes,
        workloads: fixed,
    };
    let table = &*outcomes;
    patients
        .par_iter_mut()
        .batching_strategy(super::patient_batches())
        .for_each(|(entity, mut p)| {
            let code = table.of(entity.index_u32());
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
    outcomes.clear();
}
