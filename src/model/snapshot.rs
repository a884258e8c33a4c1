//! A per-commune snapshot of accessibility, taken on demand (by `medesert validate`, for the
//! one year it compares with DREES) instead of every commune every year in [`Records`]:
//! 24 bytes a commune, once.
//!
//! [`Records`]: super::Records

use bevy_ecs::prelude::*;

use super::components::Patient;
use super::resources::{CommuneState, Params, Tables};

/// Every commune's people and APL at the last computation (end of the last simulated year).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AplSnapshot {
    /// Persons, by commune (order of `Communes::communes`).
    pub population: Vec<f64>,
    /// Persons weighted by the APL's age consumption weights (the demand of the APL).
    pub standardised_population: Vec<f64>,
    /// APL counting all GPs.
    pub apl: Vec<f32>,
    /// APL counting GPs under 65.
    pub apl_under_65: Vec<f32>,
}

/// Reads the snapshot from a built world (read-only on agents).
pub fn apl_snapshot(world: &mut World) -> AplSnapshot {
    let (ppa, weights) = (
        world.resource::<Params>().0.persons_per_agent as f64,
        world.resource::<Tables>().apl_age_weights.clone(),
    );
    let state = world.resource::<CommuneState>();
    let (apl, apl_under_65) = (state.apl.clone(), state.apl_under_65.clone());
    let n = apl.len();
    let (mut population, mut standardised) = (vec![0.0f64; n], vec![0.0f64; n]);
    let mut q = world.query::<&Patient>();
    for p in q.iter(world).filter(|p| p.alive()) {
        let c = p.commune as usize;
        population[c] += ppa;
        standardised[c] += ppa * weights[(p.age as usize).min(weights.len() - 1)];
    }
    AplSnapshot {
        population,
        standardised_population: standardised,
        apl,
        apl_under_65,
    }
}
