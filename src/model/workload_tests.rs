//! Workload over whole simulated years (tiny scenario): docteurs juniors add consultations to
//! their supervisors and are never anyone's médecin traitant; when they leave, no list stays
//! above its GP's threshold by more than the tolerance.

use std::collections::HashMap;

use super::Simulation;
use super::components::{Gp, NO_GP, Patient};
use super::match_patients_to_gps::patient_demand;
use super::offer::ListOffer;
use super::resources::{Clock, CommuneState, LocumPool, Params, PolicyEffects, Tables};
use super::testing::{data_dir, tiny};
use crate::inputs::Inputs;

/// Each GP's (threshold, workload) at the end of the year just simulated.
fn lists(sim: &mut Simulation) -> HashMap<u32, (f64, f64, f32)> {
    let w = sim.world_mut();
    let s = w.resource::<Params>().0.clone();
    let year = w.resource::<Clock>().year - 1;
    let effects = w.resource::<PolicyEffects>().clone();
    let state = w.resource::<CommuneState>().clone();
    let tables = w.resource::<Tables>().clone();
    let mut out: HashMap<u32, (f64, f64, f32)> = w
        .query::<&Gp>()
        .iter(w)
        .map(|gp| {
            let o = ListOffer::of(gp, &s, (year, &effects, &state));
            (gp.slot, (o.threshold, 0.0, gp.junior_acts))
        })
        .collect();
    for p in w.query::<&Patient>().iter(w) {
        if p.alive() && p.gp != NO_GP {
            let entry = out.get_mut(&p.gp);
            let entry = entry.expect("every MT is a GP agent: never a junior, never a stopped GP");
            entry.1 += patient_demand(p, &tables, &effects);
        }
    }
    out
}

/// The largest demand of one patient agent.
fn inputs_max_demand(s: &crate::scenario::Scenario, inputs: &Inputs) -> f64 {
    let t = super::build_tables(s, inputs);
    t.demand
        .iter()
        .flatten()
        .fold(0.0f64, |m, &d| m.max(f64::from(d)))
}

#[test]
fn juniors_are_never_an_mt_and_lists_fall_back_when_they_leave() {
    let s = tiny();
    let inputs = Inputs::load(&data_dir()).unwrap();
    let mut sim = Simulation::new(&s, &inputs).unwrap();
    let tolerance = 1.0 + s.workload.release_tolerance_share;
    // A GP takes a seeker while the room covers a uniform share of their demand, so a list
    // may end above the threshold by less than one agent's demand.
    let agent = inputs_max_demand(&s, &inputs);
    let mut before: HashMap<u32, (f64, f64, f32)> = HashMap::new();
    let (mut supervised, mut fell) = (0, 0);
    while sim.year() <= 2030 {
        sim.step();
        let now = lists(&mut sim);
        supervised += now.values().filter(|x| x.2 > 0.0).count();
        for (slot, &(threshold, load, _)) in &now {
            // A GP whose offer fell this year (a junior gone, part time) is back under it.
            if let Some(&(last, _, junior)) = before.get(slot)
                && threshold < last
            {
                fell += usize::from(junior > 0.0);
                assert!(
                    load <= threshold * tolerance + agent,
                    "GP {slot} in {}: list {load:.0} above {threshold:.0}",
                    sim.year() - 1
                );
            }
        }
        before = now;
    }
    let juniors = sim.world_mut().resource::<LocumPool>().junior_doctors;
    assert!(
        supervised > 0 && fell > 0,
        "{supervised} supervised, {fell} left"
    );
    assert!(juniors > 0, "docteurs juniors are placed in 2030");
}
