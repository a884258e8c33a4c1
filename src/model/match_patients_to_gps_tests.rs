//! The matching in a small world: links lost with their reason, seekers out of reach, lists
//! released when a GP's offer halves, lists grown heavier by ageing closed rather than released.

use bevy_ecs::prelude::*;
use bevy_ecs::system::RunSystemOnce;

use super::components::{Gp, NO_GP, Patient, Reason, flags};
use super::match_patients_to_gps::*;
use super::offer::ListOffer;
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
    {
        let s = &mut world.resource_mut::<Params>().0;
        s.demand.declare_rate_per_year = 1.0;
        s.matching.contact_share = 1.0;
    }
    // The small world's demand is flat with age: patients of 80 are given half as much again
    // as patients of 50, as the APL's age profile has it.
    let (young, old) = {
        let mut t = world.resource_mut::<Tables>();
        let young = t.demand[50];
        t.demand[80] = young.map(|d| d * 1.5);
        (f64::from(young[0]), f64::from(t.demand[80][0]))
    };
    // A list of 50-year-olds just under the threshold: the first matching records the
    // threshold and keeps everyone.
    let gp = world.query::<&Gp>().iter(&world).next().unwrap().clone();
    let s = world.resource::<Params>().0.clone();
    let (effects, state) = (
        world.resource::<PolicyEffects>().clone(),
        world.resource::<CommuneState>().clone(),
    );
    let threshold = ListOffer::of(&gp, &s, (s.start_year, &effects, &state)).threshold;
    let n = (threshold / young).floor() as u32;
    let listed: Vec<Entity> = (0..n)
        .map(|i| {
            let mut p = Patient::new(10 + i, 0, 50, false);
            p.gp = slot;
            world.spawn(p).id()
        })
        .collect();
    world.run_system_once(match_patients_to_gps).unwrap();
    // The same patients at 80, the offer unchanged: the list now asks for more than the
    // threshold (beyond the release tolerance), and a newcomer seeks an MT in the commune.
    for &e in &listed {
        world.get_mut::<Patient>(e).unwrap().age = 80;
    }
    let load = f64::from(n) * old;
    let tolerance = 1.0 + s.workload.release_tolerance_share;
    assert!(load > threshold * tolerance, "{load} against {threshold}");
    let newcomer = world.spawn(Patient::new(9, 0, 40, false)).id();
    world.run_system_once(match_patients_to_gps).unwrap();
    assert!(
        listed
            .iter()
            .all(|&e| world.get::<Patient>(e).unwrap().gp == slot),
        "nobody is released when only the patients aged"
    );
    let newcomer = world.get::<Patient>(newcomer).unwrap();
    assert_eq!(newcomer.gp, NO_GP, "the list is closed to new patients");
    assert_eq!(newcomer.reason(), Reason::NoGpWithRoomInReach);
}
