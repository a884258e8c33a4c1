//! Step 2 of a year: patients age, die (INSEE life table), are born (INSEE fertility by age),
//! move between communes, and net migrants arrive (MODEL.md §3.2).

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use bevy_ecs::prelude::*;
use bevy_utils::Parallel;
use rand::RngExt;

use super::Gp;
use super::components::{NO_GP, Patient, Reason, flags};
use super::resources::{Clock, Communes, Flows, Params, PatientIds, Placement, Reach, Tables};
use super::rng::{Keys, Stream, generator, key, mix, stochastic_round, threshold, unit};

/// Oldest age an agent can reach; the age-104 quotient applies above 104.
pub const MAX_AGE: u8 = 120;

/// Chronic (ALD) prevalence by age: piecewise-linear knots (age, share). Shape after CNAM's
/// prevalence of ALD by age; the level makes the national total ≈ 12.3 M people (CNAM 2022),
/// checked in the tests. `population.chronic_prevalence_scale` multiplies it.
const CHRONIC_KNOTS: [(f64, f64); 7] = [
    (0.0, 0.015),
    (20.0, 0.03),
    (40.0, 0.08),
    (60.0, 0.26),
    (75.0, 0.46),
    (90.0, 0.62),
    (120.0, 0.62),
];

/// Chronic prevalence at `age`, before scaling.
pub fn chronic_prevalence(age: f64) -> f64 {
    let k = &CHRONIC_KNOTS;
    let i = k
        .iter()
        .position(|&(a, _)| a > age)
        .unwrap_or(k.len() - 1)
        .max(1);
    let ((a0, p0), (a1, p1)) = (k[i - 1], k[i]);
    p0 + (p1 - p0) * ((age - a0) / (a1 - a0)).clamp(0.0, 1.0)
}

/// Sets the chronic flag from the patient's fixed draw and the prevalence at their age.
#[inline]
pub fn update_chronic(p: &mut Patient, keys: Keys, chronic: &[u64]) {
    let k = keys.of(p.id as u64);
    p.set_flag(flags::CHRONIC, k < chronic[p.age.min(MAX_AGE) as usize]);
}

/// Deaths, ageing, chronic status, births, moves and net migration.
#[allow(clippy::too_many_arguments)]
pub fn renew_population(
    mut commands: Commands,
    (params, clock, tables): (Res<Params>, Res<Clock>, Res<Tables>),
    (communes, reach, placement): (Res<Communes>, Res<Reach>, Res<Placement>),
    gps: Query<&Gp>,
    mut flows: ResMut<Flows>,
    mut ids: ResMut<PatientIds>,
    mut patients: Query<(Entity, &mut Patient)>,
) {
    let s = &params.0;
    let (seed, year) = (s.seed, clock.year);
    let gp_commune = gp_communes(&gps);
    let births: Vec<AtomicU32> = communes
        .communes
        .iter()
        .map(|_| AtomicU32::new(0))
        .collect();
    let deaths: Vec<AtomicU64> = communes
        .departements
        .iter()
        .map(|_| AtomicU64::new(0))
        .collect();
    let moved_away: Vec<AtomicU64> = communes
        .departements
        .iter()
        .map(|_| AtomicU64::new(0))
        .collect();
    let (dm, df) = tables.deaths(year);
    let fertility = tables.births(year);
    let move_young = threshold(s.population.move_rate_18_29_per_year);
    let move_other = threshold(s.population.move_rate_other_per_year);
    let within = s.population.move_within_departement_share;

    let chronic_keys = Keys::new(seed, 0, Stream::Chronic);
    let [birth_keys, death_keys, move_keys, move_where_keys] = [
        Stream::Birth,
        Stream::Death,
        Stream::Move,
        Stream::MoveWhere,
    ]
    .map(|stream| Keys::new(seed, year, stream));
    // The dead (of earlier years and of this one), whose entities the newcomers take.
    let mut dead = Parallel::<Vec<Entity>>::default();
    patients
        .par_iter_mut()
        .batching_strategy(super::patient_batches())
        .for_each_init(
            || dead.borrow_local_mut(),
            |dead, (entity, mut p)| {
                let p = p.bypass_change_detection();
                if !p.alive() {
                    dead.push(entity);
                    return;
                }
                let id = p.id as u64;
                let age = p.age as usize;
                if p.female() && (15..=50).contains(&age) && birth_keys.of(id) < fertility[age - 15]
                {
                    births[p.commune as usize].fetch_add(1, Ordering::Relaxed);
                }
                let table = if p.female() { df } else { dm };
                if death_keys.of(id) < table[age.min(table.len() - 1)] {
                    p.flags &= !flags::ALIVE;
                    p.gp = NO_GP;
                    dead.push(entity);
                    let d = communes.communes[p.commune as usize].departement as usize;
                    deaths[d].fetch_add(1, Ordering::Relaxed);
                    return;
                }
                p.age = p.age.saturating_add(1).min(MAX_AGE);
                update_chronic(p, chronic_keys, &tables.chronic);
                if p.age == 17 {
                    p.set_flag(flags::ENTRY, true);
                }
                let rate = if (18..=29).contains(&p.age) {
                    move_young
                } else {
                    move_other
                };
                if move_keys.of(id) < rate {
                    let k = move_where_keys.of(id);
                    let d = communes.communes[p.commune as usize].departement as usize;
                    let to = if unit(k) < within {
                        Placement::draw(&placement.by_departement[d], unit(mix(k)))
                    } else {
                        Placement::draw(&placement.all, unit(mix(k)))
                    };
                    if p.gp != NO_GP && !reach.contains(to, gp_commune[p.gp as usize]) {
                        p.lose_gp(Reason::Moved);
                        if p.age >= 17 {
                            moved_away[d].fetch_add(1, Ordering::Relaxed);
                        }
                        // Movers look for a new MT the year they move.
                        p.set_flag(flags::ENTRY, true);
                    }
                    p.commune = to;
                }
            },
        );
    // In entity order: the same whatever the threads.
    let mut dead: Vec<Entity> = dead.drain().collect();
    dead.sort_unstable_by_key(|e| e.index_u32());

    let mut newcomers = Vec::new();
    for (c, n) in births.iter().enumerate() {
        let d = communes.communes[c].departement as usize;
        for _ in 0..n.load(Ordering::Relaxed) {
            let id = ids.next;
            ids.next += 1;
            let boy = unit(key(seed, year, Stream::Birth, id as u64 | 1 << 40))
                < s.population.male_birth_share;
            let mut p = Patient::new(id, c as u16, 0, !boy);
            update_chronic(&mut p, chronic_keys, &tables.chronic);
            newcomers.push(p);
            flows.births[d] += 1;
        }
    }
    for (d, (dead, moved)) in deaths.iter().zip(&moved_away).enumerate() {
        flows.deaths[d] += dead.load(Ordering::Relaxed);
        flows.losses[d] += moved.load(Ordering::Relaxed);
    }
    let mut rng = generator(seed, year, Stream::Sequence, 2);
    let expected =
        s.population.net_migration_per_year * communes.national_share / s.persons_per_agent as f64;
    for _ in 0..stochastic_round(expected, key(seed, year, Stream::Sequence, 3)) {
        let c = Placement::draw(&placement.all, rng.random::<f64>());
        let age = rng
            .random_range(s.population.migrant_age_min_years..=s.population.migrant_age_max_years);
        let mut p = Patient::new(ids.next, c, age, rng.random::<bool>());
        ids.next += 1;
        update_chronic(&mut p, chronic_keys, &tables.chronic);
        p.set_flag(flags::ENTRY, age >= 17);
        flows.migrants[communes.communes[c as usize].departement as usize] += 1;
        newcomers.push(p);
    }
    place_newcomers(&mut commands, &mut patients, dead, newcomers);
}

/// Commune of each GP slot (`u16::MAX` for a slot no longer practising).
pub fn gp_communes(gps: &Query<&Gp>) -> Vec<u16> {
    let n = gps.iter().map(|g| g.slot as usize + 1).max().unwrap_or(0);
    let mut out = vec![u16::MAX; n];
    for g in gps {
        out[g.slot as usize] = g.commune;
    }
    out
}

/// Newcomers reuse dead patients' entities (no structural change), then spawn.
fn place_newcomers(
    commands: &mut Commands,
    patients: &mut Query<(Entity, &mut Patient)>,
    dead: Vec<Entity>,
    newcomers: Vec<Patient>,
) {
    let mut newcomers = newcomers.into_iter();
    for (entity, newcomer) in dead.into_iter().zip(newcomers.by_ref()) {
        if let Ok((_, mut p)) = patients.get_mut(entity) {
            *p = newcomer;
        }
    }
    commands.spawn_batch(newcomers.collect::<Vec<_>>());
}

#[cfg(test)]
mod tests {
    use bevy_ecs::prelude::*;

    use super::*;
    use crate::inputs::Inputs;
    use crate::model::Simulation;
    use crate::model::testing::{data_dir, tiny};

    fn alive(sim: &mut Simulation) -> u64 {
        let w = sim.world_mut();
        w.query::<&Patient>().iter(w).filter(|p| p.alive()).count() as u64
    }

    #[test]
    fn population_accounting_start_plus_births_minus_deaths_plus_migration_is_end() {
        let s = tiny();
        let inputs = Inputs::load(&data_dir()).unwrap();
        let mut sim = Simulation::new(&s, &inputs).unwrap();
        let start = alive(&mut sim);
        sim.step();
        let end = alive(&mut sim);
        let rec = &sim.records().years[0].national;
        let ppa = s.persons_per_agent as u64;
        assert!(rec.births > 0 && rec.deaths > 0 && rec.migrants > 0);
        assert_eq!(
            start * ppa + rec.births - rec.deaths + rec.migrants,
            end * ppa
        );
        assert_eq!(rec.population, end * ppa);
    }

    #[test]
    fn chronic_prevalence_gives_about_12_million_people_in_france() {
        // CNAM 2022: 12.3 M people with an ALD; France 2022 by single age.
        let inputs = Inputs::load(&data_dir()).unwrap();
        let total: f64 = inputs
            .demography
            .single_ages(2018)
            .iter()
            .enumerate()
            .map(|(age, &(m, w))| (m + w) as f64 * chronic_prevalence(age as f64 + 4.0))
            .sum();
        assert!((11.0e6..13.5e6).contains(&total), "{total}");
    }

    #[test]
    fn old_people_die_more_often_than_young_adults() {
        let s = tiny();
        let inputs = Inputs::load(&data_dir()).unwrap();
        let t = crate::model::build_tables(&s, &inputs);
        let (m, f) = t.deaths(2020);
        assert!(m[85] > m[30] * 50 && f[85] > f[30] * 50);
        let _ = World::new();
    }
}
