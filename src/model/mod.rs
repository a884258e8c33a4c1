//! The model: a bevy_ecs `World` stepped year by year by one `Schedule` (see [`schedule`]).
//! bevy_ecs and rand only: no files, no CLI, no plots. It produces [`Records`].

pub mod age_and_retire_gps;
pub mod apl;
pub mod apply_policies;
pub mod border;
pub mod centre_account;
pub mod centre_openings;
pub mod components;
pub mod count_patients;
pub mod distances;
pub mod form_structures;
pub mod found_msps;
pub mod health_centres;
pub mod init;
pub mod install_gps;
pub mod install_logit;
pub mod join_groups;
pub mod local_services;
pub mod match_patients_to_gps;
#[cfg(test)]
mod match_patients_to_gps_tests;
pub mod measure;
pub mod national_flow;
pub mod offer;
pub mod place_juniors;
pub mod record_installation_places;
pub mod records;
pub mod recruit;
pub mod renew_population;
pub mod resources;
pub mod rng;
pub mod schedule;
pub mod snapshot;
pub mod start_ages;
pub mod start_places;
pub mod teaching_practices;
pub mod territory;
#[cfg(test)]
pub(crate) mod testing;
pub mod train_and_graduate;
pub mod update_zoning;
pub mod workload;
#[cfg(test)]
mod workload_tests;

use bevy_ecs::prelude::*;
use bevy_ecs::system::RunSystemOnce;

pub use components::{Gp, Patient, PracticeMode, Reason, Structure, StructureKind};
pub use records::{Counts, GP_AGE_BANDS, Records, YearRecord};
pub use resources::Communes;

use crate::inputs::{FERTILITY_BANDS, Inputs};
use crate::scenario::Scenario;
use resources::*;
use rng::threshold;

/// Errors building a simulation.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The territory of the scenario does not exist in the data.
    #[error("field `{field}` = {value:?}: expected {expected}")]
    Territory {
        /// Dotted field name.
        field: String,
        /// The offending value.
        value: String,
        /// What is accepted.
        expected: String,
    },
}

/// A simulation: the world, its year schedule, and the next year to run.
pub struct Simulation {
    world: World,
    schedule: bevy_ecs::schedule::Schedule,
    /// The requested territory without its border ring (what the records report).
    reported: Communes,
    /// The France run behind a sub-national run's national flow, a year ahead of it.
    france: Option<national_flow::FranceRun>,
}

/// A run's own world before its locums, with what building it derived from the data.
struct Local {
    world: World,
    communes: Communes,
    /// `communes` without the border ring.
    reported: Communes,
    reach: Reach,
    catchment: apl::Catchment,
    placement: Placement,
    tables: Tables,
}

/// Checks a scenario against the data without building it: its territory exists and every
/// région or département its policies name is simulated.
pub fn check(s: &Scenario, inputs: &Inputs) -> Result<(), ModelError> {
    let communes = territory::select(inputs, &s.territory, &s.matching)?;
    check_policy_scopes(s, &communes.reported())
}

/// Every région and département a policy names must be in the requested territory (`communes`
/// as reported: a policy scoped to the border ring alone is refused).
fn check_policy_scopes(s: &Scenario, communes: &Communes) -> Result<(), ModelError> {
    use crate::scenario::policy::Scope;
    for (i, p) in s.policies.iter().enumerate() {
        let (codes, known, what): (&Vec<String>, Vec<&str>, &str) = match &p.scope {
            Scope::Departements(v) => (
                v,
                communes
                    .departements
                    .iter()
                    .map(|d| d.code.as_str())
                    .collect(),
                "département",
            ),
            Scope::Regions(v) => (
                v,
                communes.regions.iter().map(|r| r.code.as_str()).collect(),
                "région",
            ),
            _ => continue,
        };
        if let Some(bad) = codes.iter().find(|c| !known.contains(&c.as_str())) {
            return Err(ModelError::Territory {
                field: format!("policy[{i}] ({}).scope", p.lever.name()),
                value: bad.clone(),
                expected: format!("the code of a simulated {what} ({})", known.join(", ")),
            });
        }
    }
    Ok(())
}

/// How the parallel passes over the patients split their work: several batches a thread, so
/// a thread held up by the machine does not hold the pass up (the sums are integers: the
/// results do not depend on the split).
pub fn patient_batches() -> bevy_ecs::batching::BatchingStrategy {
    bevy_ecs::batching::BatchingStrategy::new().batches_per_thread(4)
}

impl Simulation {
    /// Builds the start year's state from the data (including the warm-up matching).
    pub fn new(s: &Scenario, inputs: &Inputs) -> Result<Simulation, ModelError> {
        // par_iter needs a pool; the app sizes it first (first call wins), else all cores.
        bevy_tasks::ComputeTaskPool::get_or_init(bevy_tasks::TaskPool::default);
        // A sub-national run's France run starts beside the run's own world: on two cores,
        // the first year comes as soon as the slower of the two is built.
        let (france, local) = rayon::join(
            || national_flow::FranceRun::behind(s, inputs),
            || Simulation::local_world(s, inputs),
        );
        let Local {
            mut world,
            communes,
            reported,
            reach,
            catchment,
            placement,
            tables,
        } = local?;
        let mut pool = LocumPool::default();
        let (national, france) = national_flow::NationalFlow::new(s, inputs, &communes, france?);
        let ctx = train_and_graduate::GraduateContext {
            seed: s.seed,
            training: &s.training,
            graduates: &tables.graduates,
            share: communes.national_share,
            installation: &s.installation,
            national: &national,
            placement: &placement,
            communes: &communes,
        };
        for year in s.start_year - 10..s.start_year {
            train_and_graduate::add_graduates(&mut pool, &ctx, year);
        }
        pool.locums.retain(|l| l.decision_year >= s.start_year);
        world.insert_resource(pool);
        world.insert_resource(national);
        world.insert_resource(communes);
        world.insert_resource(reach);
        world.insert_resource(catchment);
        world.insert_resource(placement);
        world.insert_resource(tables);
        let mut sim = Simulation {
            world,
            schedule: schedule::year_schedule(),
            reported,
            france,
        };
        sim.warm_up();
        Ok(sim)
    }

    /// The run's own world before its locums: its territory, data tables, GPs and people.
    fn local_world(s: &Scenario, inputs: &Inputs) -> Result<Local, ModelError> {
        let communes = territory::select(inputs, &s.territory, &s.matching)?;
        let reported = communes.reported();
        check_policy_scopes(s, &reported)?;
        let reach = territory::build_reach(&communes, &s.matching, s.matching.reach_minutes);
        let last_band = s.apl.band_minutes.last().copied().unwrap_or(0.0);
        let catchment = apl::Catchment::new(
            territory::build_reach(&communes, &s.matching, last_band),
            &s.apl,
        );
        let placement = Placement::new(&communes);
        let tables = build_tables(s, inputs);
        let n = communes.communes.len();
        let mut world = World::new();
        world.insert_resource(Params(s.clone()));
        world.insert_resource(BaseScenario(s.clone()));
        world.insert_resource(PolicyEffects::neutral(n));
        world.insert_resource(Clock { year: s.start_year });
        world.insert_resource(CommuneState::new(n));
        world.insert_resource(Flows::zeroed(communes.departements.len()));
        world.insert_resource(InstallationPlaces::default());
        world.insert_resource(Lists::default());
        world.insert_resource(resources::PatientCounts::default());
        world.insert_resource(Records::default());
        let retired_share = init::spawn_gps(&mut world, s, inputs, &communes);
        let agents = init::spawn_patients(
            &mut world,
            s,
            inputs,
            &communes,
            &placement,
            retired_share,
            &tables.chronic,
        );
        world.insert_resource(PatientIds { next: agents });
        Ok(Local {
            world,
            communes,
            reported,
            reach,
            catchment,
            placement,
            tables,
        })
    }

    /// Zoning and the warm-up matching of the start year: everyone 17+ who wants an MT
    /// looks for one for `warmup_rounds` rounds, contacting every GP in reach if need be;
    /// who still has none keeps a "lost" reason.
    fn warm_up(&mut self) {
        let w = &mut self.world;
        w.run_system_once(count_patients::count_patients)
            .expect("counting runs on a built world");
        w.run_system_once(apl::update_apl)
            .expect("APL runs on a built world");
        w.run_system_once(update_zoning::update_zoning)
            .expect("zoning runs on a built world");
        let s = w.resource::<Params>().0.clone();
        let mut warm = s.clone();
        warm.demand.seek_after_loss_share_per_year = 1.0;
        // Before the start year people had years to search: the warm-up looks through every GP
        // in reach. From a 2014 start, 2014-2017 are a spin-up before the first CNAM figure (2017).
        warm.matching.tries_per_year = u8::MAX;
        let agents: u64 = w
            .resource::<resources::PatientCounts>()
            .agents
            .iter()
            .map(|&a| u64::from(a))
            .sum();
        for round in 0..s.matching.warmup_rounds {
            // Same year (capacities as in the start year), a fresh stream per round.
            let mut round_params = warm.clone();
            round_params.seed = rng::mix(s.seed ^ (0xA11CE + round as u64));
            w.insert_resource(Params(round_params));
            let before: u64 = w.resource::<Flows>().matches.iter().sum();
            w.run_system_once(match_patients_to_gps::match_patients_to_gps)
                .expect("matching runs on a built world");
            // Stop once a round places fewer than 1 person in 1,000: the lists are full.
            let placed = w.resource::<Flows>().matches.iter().sum::<u64>() - before;
            if placed * 1000 < agents {
                break;
            }
        }
        w.insert_resource(Params(s.clone()));
        w.resource_mut::<Clock>().year = s.start_year;
        let n = w.resource::<Communes>().departements.len();
        w.insert_resource(Flows::zeroed(n));
    }

    /// Also records every commune every year (for `communes.csv`).
    pub fn record_communes(&mut self) {
        self.world.resource_mut::<Records>().record_communes = true;
    }

    /// The year the next step will simulate.
    pub fn year(&self) -> u16 {
        self.world.resource::<Clock>().year
    }

    /// Simulates one year (a sub-national run's France run first, through the same year).
    pub fn step(&mut self) {
        if let Some(france) = &mut self.france {
            let record = france.through(self.world.resource::<Clock>().year);
            self.world
                .resource_scope(|world, mut flow: Mut<national_flow::NationalFlow>| {
                    let installation = &world.resource::<BaseScenario>().0.installation;
                    flow.extend(record, world.resource::<Communes>(), installation);
                });
        }
        self.schedule.run(&mut self.world);
        self.world.resource_mut::<Clock>().year += 1;
    }

    /// Simulates every year up to the scenario's end, calling `on_year` after each.
    pub fn run(&mut self, mut on_year: impl FnMut(u16)) {
        let end = self.world.resource::<Params>().0.end_year;
        while self.year() <= end {
            let y = self.year();
            self.step();
            on_year(y);
        }
    }

    /// The records so far.
    pub fn records(&self) -> &Records {
        self.world.resource::<Records>()
    }

    /// The requested territory, as the records report it (its border ring, simulated, is
    /// left out: docs/model.md, "Sub-national runs").
    pub fn communes(&self) -> &Communes {
        &self.reported
    }

    /// The world (for tests and inspection).
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
}

/// Thresholds and series derived once from the data and the scenario.
pub fn build_tables(s: &Scenario, inputs: &Inputs) -> Tables {
    let d = &inputs.demography;
    // Years before the first life table (2016-2018, centred on 2017) use that earliest table
    // (`Tables::deaths` takes the nearest): no INSEE table of the 2026 edition covers 2014-2016.
    // Fertility by age is observed from 2014 (demography-france.csv), so births need no such rule.
    let death_thresholds = d
        .life_tables
        .iter()
        .map(|(y, m, f)| {
            (
                *y,
                m.iter().map(|&q| threshold(q)).collect(),
                f.iter().map(|&q| threshold(q)).collect(),
            )
        })
        .collect();
    let fertility = d
        .fertility
        .iter()
        .map(|(y, rates)| {
            let mut t = [0u64; 36];
            for (i, slot) in t.iter_mut().enumerate() {
                let age = 15 + i as u8;
                let b = FERTILITY_BANDS
                    .iter()
                    .position(|&(lo, hi)| (lo..=hi).contains(&age))
                    .unwrap_or(0);
                *slot = threshold(rates[b]);
            }
            (*y, t)
        })
        .collect();
    let pipeline = apply_policies::policy_pipeline(
        &inputs.workforce.pipeline,
        &s.policies,
        s.training.years_to_ranking_exam as u16,
        s.end_year,
    );
    let (graduates, junior_doctors) =
        train_and_graduate::pipeline_series(&pipeline, &s.training, s.start_year - 12, s.end_year);
    let chronic = (0..=renew_population::MAX_AGE)
        .map(|a| {
            threshold(
                (renew_population::chronic_prevalence(a as f64)
                    * s.population.chronic_prevalence_scale)
                    .min(1.0),
            )
        })
        .collect();
    // The APL age weights keep a fixed reference population whatever the start year, so that
    // APL levels of runs starting in different years compare.
    let reference: Vec<f64> = d
        .single_ages(apl::REFERENCE_POPULATION_YEAR)
        .iter()
        .map(|&(m, f)| m as f64 + f as f64)
        .collect();
    let apl_age_weights = apl::age_weights(&s.apl, &reference);
    let demand = workload::demand_table(s, &apl_age_weights, |a| {
        renew_population::chronic_prevalence(f64::from(a)) * s.population.chronic_prevalence_scale
    });
    Tables {
        death_thresholds,
        fertility,
        graduates,
        junior_doctors,
        chronic,
        apl_age_weights,
        demand,
    }
}
