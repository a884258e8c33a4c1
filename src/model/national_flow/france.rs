//! The France run behind a sub-national run's upper level (see [`super`]): the same scenario
//! over metropolitan France, at a coarse scale (`territory.france_persons_per_agent` people
//! per agent, or the run's own if coarser), which records each year the utility that every
//! candidate commune offers every installer. So the upper level weighs the simulated communes
//! and the rest of France on the same terms, state included (group practices with room, unmet
//! demand, zone, GP density around, MSPs, the policies in force), as a France run would.
//!
//! It is stepped in lockstep with the sub-national run, France's year first: the run's year
//! `t` reads only what France recorded up to `t`, so the first year is on a user's screen
//! after one year of France, not after the whole of it.

use crate::inputs::Inputs;
use crate::model::resources::FranceRecord;
use crate::model::{ModelError, Simulation};
use crate::scenario::Scenario;

/// The France run of a sub-national run.
pub struct FranceRun {
    sim: Box<Simulation>,
    end_year: u16,
}

impl std::fmt::Debug for FranceRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FranceRun")
            .field("year", &self.sim.year())
            .field("end_year", &self.end_year)
            .finish()
    }
}

impl FranceRun {
    /// The France run behind a run of `s`, simulated through its start year: `None` for a
    /// France run or a closed territory, whose graduates are drawn over its own communes.
    pub fn behind(
        s: &Scenario,
        inputs: &Inputs,
    ) -> Result<Option<(FranceRun, FranceRecord)>, ModelError> {
        if !super::is_open(&s.territory) {
            return Ok(None);
        }
        let mut france = FranceRun::start(s, inputs)?;
        let first = france.through(s.start_year);
        Ok(Some((france, first)))
    }

    /// Builds `s` over metropolitan France at the coarse scale, with the same seed (nothing
    /// simulated yet).
    fn start(s: &Scenario, inputs: &Inputs) -> Result<FranceRun, ModelError> {
        let mut france = s.clone();
        france.territory.regions.clear();
        france.territory.departements.clear();
        france.persons_per_agent = s
            .persons_per_agent
            .max(s.territory.france_persons_per_agent);
        let mut sim = Simulation::new(&france, inputs)?;
        sim.world_mut().insert_resource(FranceRecord::default());
        Ok(FranceRun {
            sim: Box::new(sim),
            end_year: france.end_year,
        })
    }

    /// INSEE code of each commune of the France run (the indexes of its records).
    pub fn codes(&self) -> Vec<String> {
        self.sim
            .communes()
            .communes
            .iter()
            .map(|c| c.code.clone())
            .collect()
    }

    /// Simulates France through `year` (never past its end) and returns what it recorded
    /// since the last call.
    pub fn through(&mut self, year: u16) -> FranceRecord {
        while self.sim.year() <= year.min(self.end_year) {
            self.sim.step();
        }
        std::mem::take(&mut *self.sim.world_mut().resource_mut::<FranceRecord>())
    }
}
