//! Step 8 of a year, first (and the start state): one read-only pass over the patients counts
//! them by commune and département and sums each commune's standardised demand for the APL,
//! so that [`super::apl::update_apl`] and [`super::measure::measure`] read the same counts
//! instead of each walking the 3 million patients again (MODEL.md §3.8).

use bevy_ecs::prelude::*;
use bevy_utils::Parallel;

use super::apl;
use super::components::Patient;
use super::resources::{Communes, Params, Tables};

pub use super::resources::PatientCounts;

/// Counts the patients into [`PatientCounts`].
pub fn count_patients(
    (params, communes, tables): (Res<Params>, Res<Communes>, Res<Tables>),
    mut counts: ResMut<PatientCounts>,
    patients: Query<&Patient>,
) {
    let ppa = params.0.persons_per_agent as u64;
    let n = communes.communes.len();
    // Each commune's département, compact (the pass reads it 3 million times).
    let departement: Vec<u16> = communes.communes.iter().map(|c| c.departement).collect();
    let apl_weight = apl::fixed_weights(&tables.apl_age_weights);
    // Each thread counts in its own part; the parts are added.
    let mut parts = Parallel::default();
    let new_part = || PatientCounts::new(n, communes.departements.len());
    patients
        .contiguous_par_iter()
        .expect("patients are stored in one dense table")
        .batching_strategy(super::patient_batches())
        .for_each_init(
            || parts.borrow_local_mut_or(new_part),
            |part, chunk| {
                for p in chunk {
                    part.count(p, ppa, &departement, &apl_weight);
                }
            },
        );
    let mut all = new_part();
    for part in parts.iter_mut() {
        all.add(part);
    }
    *counts = all;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::Inputs;
    use crate::model::Simulation;
    use crate::model::components::Reason;
    use crate::model::testing::{data_dir, tiny};

    /// The shared pass gives the APL the demand its definition ([`apl::weighted_demand`])
    /// gives, and counts every living patient once, after a simulated year.
    #[test]
    fn the_shared_count_matches_the_apl_definition_and_the_patients() {
        let (s, inputs) = (tiny(), Inputs::load(&data_dir()).unwrap());
        let mut sim = Simulation::new(&s, &inputs).unwrap();
        sim.step();
        let w = sim.world_mut();
        let counts = w.resource::<PatientCounts>().clone();
        let weights = w.resource::<Tables>().apl_age_weights.clone();
        let n = counts.agents.len();
        let living: Vec<(u16, u8)> = w
            .query::<&Patient>()
            .iter(w)
            .filter(|p| p.alive())
            .map(|p| (p.commune, p.age))
            .collect();
        let expected = apl::weighted_demand(n, &weights, living.iter().copied());
        assert_eq!(counts.apl_demand, expected);
        let agents: u64 = counts.agents.iter().map(|&a| u64::from(a)).sum();
        assert_eq!(agents, living.len() as u64);
        let persons: u64 = counts.deps.iter().map(|d| d.population).sum();
        assert_eq!(persons, agents * u64::from(s.persons_per_agent));
    }

    /// A patient whose MT is out of reach because they moved counts as without an MT, but not
    /// in CNAM's counts (CNAM keeps a mover's declaration); one whose GP retired counts in both.
    #[test]
    fn movers_are_left_out_of_the_cnam_counts_of_the_young_and_the_chronic() {
        let part = |reason: Reason| {
            let mut p = Patient::new(1, 0, 25, false);
            p.set_flag(super::super::components::flags::CHRONIC, true);
            p.lose_gp(reason);
            let mut c = PatientCounts::new(1, 1);
            c.count(&p, 20, &[0], &[0; 128]);
            c.deps[0].clone()
        };
        let moved = part(Reason::Moved);
        assert_eq!(
            (moved.without_mt_17_29, moved.without_mt_17_29_cnam()),
            (20, 0)
        );
        assert_eq!(
            (
                moved.chronic_without_mt_17plus,
                moved.chronic_without_mt_17plus_cnam()
            ),
            (20, 0)
        );
        let retired = part(Reason::GpRetired);
        assert_eq!(retired.without_mt_17_29_cnam(), 20);
        assert_eq!(retired.chronic_without_mt_17plus_cnam(), 20);
        // A mover who found a new MT keeps the reason `moved` and is counted with an MT.
        let mut found = Patient::new(2, 0, 25, false);
        found.set_flag(super::super::components::flags::CHRONIC, true);
        found.lose_gp(Reason::Moved);
        found.gp = 0;
        let (mut a, mut b) = (PatientCounts::new(1, 1), PatientCounts::new(1, 1));
        a.count(&found, 20, &[0], &[0; 128]);
        b.count(&found, 20, &[0], &[0; 128]);
        a.add(&b);
        let d = &a.deps[0];
        assert_eq!((d.without_mt_17_29, d.moved_17_29), (0, 0));
        assert_eq!(
            (d.chronic_without_mt_17plus, d.chronic_moved_17plus),
            (0, 0)
        );
        assert_eq!(d.population_17_29, 40);
        // Two parts add their movers.
        let mut two = PatientCounts::new(1, 1);
        for _ in 0..2 {
            let mut p = Patient::new(3, 0, 25, false);
            p.lose_gp(Reason::Moved);
            let mut part = PatientCounts::new(1, 1);
            part.count(&p, 20, &[0], &[0; 128]);
            two.add(&part);
        }
        assert_eq!(
            (two.deps[0].without_mt_17_29, two.deps[0].moved_17_29),
            (40, 40)
        );
    }
}
