//! The matching in a small world: links lost with their reason, seekers out of reach, lists
//! released when a GP's offer halves, lists grown heavier by ageing closed rather than released.

use bevy_ecs::prelude::*;
use bevy_ecs::system::RunSystemOnce;

use super::components::{Gp, NO_GP, Patient, Reason, flags};
use super::match_patients_to_gps::*;
use super::resources::{CommuneState, Params, PolicyEffects, Tables};
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

#[test]
fn a_gp_whose_offer_halves_releases_patients_down_to_the_threshold() {
    let mut world = tiny_world();
    let slot = gp_at(&mut world, 0, 50);
    world
        .resource_mut::<Params>()
        .0
        .demand
        .seek_after_loss_share_per_year = 0.0;
    let threshold = |world: &mut World| {
        let gp = world.query::<&Gp>().iter(world).next().unwrap().clone();
        let s = world.resource::<Params>().0.clone();
        let (effects, state) = (
            world.resource::<PolicyEffects>().clone(),
            world.resource::<CommuneState>().clone(),
        );
        ListOffer::of(&gp, &s, (s.start_year, &effects, &state)).threshold
    };
    // A full list of 50-year-olds at this year's threshold.
    let full = threshold(&mut world);
    let demand = f64::from(world.resource::<Tables>().demand[50][0]);
    let n = (full / demand).floor() as u32;
    let listed: Vec<Entity> = (0..n)
        .map(|i| {
            let mut p = Patient::new(10 + i, 0, 50, false);
            p.gp = slot;
            world.spawn(p).id()
        })
        .collect();
    world.run_system_once(match_patients_to_gps).unwrap();
    assert!(
        listed
            .iter()
            .all(|&e| world.get::<Patient>(e).unwrap().gp == slot)
    );
    // The GP's activity halves: next year the list falls to the new threshold.
    for mut gp in world.query::<&mut Gp>().iter_mut(&mut world) {
        gp.activity *= 0.5;
    }
    let half = threshold(&mut world);
    world.run_system_once(match_patients_to_gps).unwrap();
    let kept = listed
        .iter()
        .filter(|&&e| world.get::<Patient>(e).unwrap().gp == slot)
        .count();
    let load = kept as f64 * demand;
    assert!(load <= half && load > half - demand, "{load} for {half}");
    let released: Vec<Reason> = listed
        .iter()
        .map(|&e| world.get::<Patient>(e).unwrap())
        .filter(|p| p.gp == NO_GP)
        .map(|p| p.reason())
        .collect();
    assert!(
        released.len() as f64 >= n as f64 * 0.4,
        "{}",
        released.len()
    );
    assert!(released.iter().all(|&r| r == Reason::GpReducedActivity));
}

#[test]
fn a_list_grown_heavier_by_ageing_closes_rather_than_releases() {
    let mut world = tiny_world();
    let slot = gp_at(&mut world, 0, 50);
    let demand = f64::from(world.resource::<Tables>().demand[80][1]);
    // Twice the threshold's worth of old chronic patients, the offer unchanged.
    let n = 400;
    let listed: Vec<Entity> = (0..n)
        .map(|i| {
            let mut p = Patient::new(10 + i, 0, 80, false);
            p.set_flag(flags::CHRONIC, true);
            p.gp = slot;
            world.spawn(p).id()
        })
        .collect();
    world.run_system_once(match_patients_to_gps).unwrap();
    world.run_system_once(match_patients_to_gps).unwrap();
    assert!(demand > 0.0);
    assert!(
        listed
            .iter()
            .all(|&e| world.get::<Patient>(e).unwrap().gp == slot)
    );
}
