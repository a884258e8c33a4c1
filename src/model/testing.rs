//! Helpers for unit tests: the shipped scenarios and a small hand-built world.

use std::path::PathBuf;

use bevy_ecs::prelude::*;

use super::components::{Gp, NO_STRUCTURE, PracticeMode};
use super::resources::*;
use crate::scenario::{self, Scenario};

/// The repository's `data/` folder.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// `configs/baseline.toml`.
pub fn baseline() -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs/baseline.toml");
    scenario::load(&path, &[]).expect("the baseline loads")
}

/// `configs/tiny.toml` (Finistère and Morbihan, 1:50).
pub fn tiny() -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs/tiny.toml");
    scenario::load(&path, &[]).expect("the tiny scenario loads")
}

/// A world with three communes (0 and 1 within reach of each other, 2 alone) and the
/// baseline's parameters, with no agents.
pub fn tiny_world() -> World {
    // The systems' parallel passes need bevy's pool (Simulation::new makes it otherwise).
    bevy_tasks::ComputeTaskPool::get_or_init(bevy_tasks::TaskPool::default);
    let mut world = World::new();
    let s = baseline();
    let unit = |c: &str| Unit {
        code: c.into(),
        name: c.into(),
    };
    let commune = |x: f64, urban: bool| Commune {
        code: "x".into(),
        departement: 0,
        region: 0,
        population: 1000,
        x_km: x,
        y_km: 0.0,
        urban,
        subdivision: if x < 50.0 { 0 } else { 1 },
        big_city: urban,
        attractiveness: 0.0,
        beyond_share: 0.0,
    };
    world.insert_resource(Communes {
        communes: vec![
            commune(0.0, true),
            commune(5.0, false),
            commune(100.0, false),
        ],
        departements: vec![unit("01")],
        departement_region: vec![0],
        regions: vec![unit("84")],
        national_share: 0.001,
        departement_population_share: vec![1.0],
        reported: crate::model::resources::Reported {
            communes: 3,
            departements: 1,
            regions: 1,
            national_share: 0.001,
        },
        // Two subdivisions: the first's town at commune 0, the second's 20 km past commune 2.
        faculties: vec![
            Faculty {
                name: "A".into(),
                x_km: 0.0,
                y_km: 0.0,
                population: 2000,
            },
            Faculty {
                name: "B".into(),
                x_km: 120.0,
                y_km: 0.0,
                population: 1000,
            },
        ],
    });
    world.insert_resource(Reach {
        offsets: vec![0, 2, 4, 5],
        neighbours: vec![0, 1, 1, 0, 2],
        minutes: vec![0.0, 6.5, 0.0, 6.5, 0.0],
    });
    world.insert_resource(Clock { year: s.start_year });
    world.insert_resource(CommuneState {
        under_dense: vec![false, false, true],
        ..CommuneState::new(3)
    });
    world.insert_resource(Flows::zeroed(1));
    world.insert_resource(InstallationPlaces::default());
    world.insert_resource(super::resources::Lists::default());
    world.insert_resource(PolicyEffects::neutral(3));
    world.insert_resource(Roster::default());
    world.insert_resource(PatientIds::default());
    let weights = vec![1.0; 121];
    world.insert_resource(Tables {
        death_thresholds: Vec::new(),
        fertility: Vec::new(),
        graduates: Vec::new(),
        junior_doctors: Vec::new(),
        chronic: Vec::new(),
        demand: super::workload::demand_table(&s, &weights, |_| 0.2),
        apl_age_weights: weights,
    });
    world.insert_resource(BaseScenario(s.clone()));
    world.insert_resource(Params(s));
    world
}

/// Spawns a full-capacity group GP of `age` in `commune`; returns the slot.
pub fn gp_at(world: &mut World, commune: u16, age: u8) -> u32 {
    let mut roster = world.resource_mut::<Roster>();
    let next = roster.status.len() as u64;
    let slot = roster.new_gp_slot(next);
    world.spawn(Gp {
        slot,
        age,
        female: false,
        mode: PracticeMode::Group,
        commune,
        structure: NO_STRUCTURE,
        activity: 1.0,
        junior_acts: 0.0,
        intern_acts: 0.0,
        list_threshold: 0.0,
        year_installed: 2000,
        origin_commune: commune,
    });
    slot
}
