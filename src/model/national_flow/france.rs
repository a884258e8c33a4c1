//! The France run behind a sub-national run's upper level (see [`super`]): the same scenario
//! over metropolitan France, at a coarse scale (`territory.france_persons_per_agent` people
//! per agent, or the run's own if coarser), which records each year the utility that every
//! candidate commune offers every installer. So the upper level weighs the simulated communes
//! and the rest of France on the same terms, state included (group practices with room, unmet
//! demand, zone, GP density around, MSPs, the policies in force), as a France run would.

use crate::inputs::Inputs;
use crate::model::resources::FranceRecord;
use crate::model::{ModelError, Simulation};
use crate::scenario::Scenario;

/// What the France run recorded.
#[derive(Debug, Clone, Default)]
pub(super) struct Utilities {
    /// INSEE code of each commune of the France run.
    pub codes: Vec<String>,
    /// (year, [(commune, utility)]) for each simulated year: the candidate communes of the
    /// installation logit, with their utility for every installer.
    pub years: Vec<(u16, Vec<(u16, f64)>)>,
    /// (year, people of France per person of its health-centre sites).
    pub people_per_site_person: Vec<(u16, f64)>,
    /// (year, chances of a junior for a supervisor in the zone and elsewhere).
    pub junior_chances: Vec<(u16, (f64, f64))>,
}

/// Runs `s` over metropolitan France at the coarse scale, with the same seed, and keeps its
/// installation utilities.
pub(super) fn utilities(s: &Scenario, inputs: &Inputs) -> Result<Utilities, ModelError> {
    let mut france = s.clone();
    france.territory.regions.clear();
    france.territory.departements.clear();
    france.persons_per_agent = s
        .persons_per_agent
        .max(s.territory.france_persons_per_agent);
    let mut sim = Simulation::new(&france, inputs)?;
    sim.world_mut().insert_resource(FranceRecord::default());
    sim.run(|_| {});
    let codes = sim
        .communes()
        .communes
        .iter()
        .map(|c| c.code.clone())
        .collect();
    let kept = sim
        .world_mut()
        .remove_resource::<FranceRecord>()
        .unwrap_or_default();
    Ok(Utilities {
        codes,
        years: kept.utilities,
        people_per_site_person: kept.people_per_site_person,
        junior_chances: kept.junior_chances,
    })
}
