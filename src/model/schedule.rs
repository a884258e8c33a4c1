//! The year, in one place (MODEL.md §3). Each step is one system in its own file; they run in
//! this order, one after the other, so the order of effects never depends on threads
//! (parallelism lives inside the systems, with keyed randomness):
//!
//! 1. [`apply_policies`]: the dated levers in force set this year's parameters and local
//!    effects (the numerus acts through the training pipeline built at the start).
//! 2. [`renew_population`]: patients age, die, are born, move; net migrants arrive.
//! 3. [`age_and_retire_gps`]: GPs age, stop (retire or leave) or turn working retiree.
//! 4. [`train_and_graduate`]: graduates become locums; locums decide to install; docteurs
//!    juniors are placed with supervisors.
//! 5. [`update_zoning`] (every `zoning.period_years`), then [`install_gps`]: new GPs choose
//!    a commune and a practice.
//! 6. [`join_groups`]: solo GPs join or form group practices; [`found_msps`]: territorial
//!    MSP projects; [`form_structures`]: MSPs form, CPTS spread; then
//!    [`run_health_centres`]: health centres keep their yearly accounts, close after years of
//!    uncovered deficit, and open.
//! 7. [`match_patients_to_gps`]: patients of stopped GPs lose their MT; seekers find GPs.
//! 8. [`count_patients`] (one pass over the patients, read by the next two), [`update_apl`],
//!    then [`measure`]: the APL of every commune, and the year's records;
//!    [`record_installation_places`] adds where the year's installers settled.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};

use super::age_and_retire_gps::age_and_retire_gps;
use super::apl::update_apl;
use super::apply_policies::apply_policies;
use super::count_patients::count_patients;
use super::form_structures::form_structures;
use super::found_msps::found_msps;
use super::health_centres::run_health_centres;
use super::install_gps::install_gps;
use super::join_groups::join_groups;
use super::match_patients_to_gps::match_patients_to_gps;
use super::measure::measure;
use super::record_installation_places::record_installation_places;
use super::renew_population::renew_population;
use super::train_and_graduate::train_and_graduate;
use super::update_zoning::update_zoning;

/// The schedule of one simulated year.
pub fn year_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    schedule.add_systems(
        (
            apply_policies,
            renew_population,
            age_and_retire_gps,
            train_and_graduate,
            update_zoning,
            install_gps,
            join_groups,
            found_msps,
            form_structures,
            run_health_centres,
            match_patients_to_gps,
            count_patients,
            update_apl,
            measure,
            record_installation_places,
        )
            .chain(),
    );
    schedule
}
