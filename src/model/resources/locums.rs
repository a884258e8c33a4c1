//! Locums: doctors between graduation and installation, and where they will practise.

use bevy_ecs::prelude::*;

/// A doctor who finished training and works as a locum (remplaçant), with no MT list.
#[derive(Debug, Clone, PartialEq)]
pub struct Locum {
    /// Stable id for random draws.
    pub id: u32,
    /// Age at the decision year.
    pub age: u8,
    /// Female?
    pub female: bool,
    /// Origin commune (for a graduate of the national flow born outside the simulated
    /// communes, the simulated commune nearest to their origin).
    pub origin_commune: u16,
    /// Région of their origin (index into [`Communes::regions`](super::Communes::regions); `u16::MAX`: a région not
    /// simulated).
    pub birth_region: u16,
    /// Subdivision where they trained (index into [`Communes::faculties`](super::Communes::faculties)).
    pub faculty: u8,
    /// Year they decide whether to install.
    pub decision_year: u16,
    /// Commune of the teaching practice that hosted their internship, for those it keeps
    /// nearby (teaching practices lever): they install in its département.
    pub internship_commune: Option<u16>,
    /// Where they will practise.
    pub destination: Destination,
}

/// Where a locum will practise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Destination {
    /// Any simulated commune (a France run, a closed territory).
    #[default]
    Anywhere,
    /// The simulated communes of a département (index into [`Communes::departements`](super::Communes::departements)),
    /// chosen in their decision year by a graduate of the national flow.
    Departement(u16),
    /// A graduate of the national flow ([`crate::model::national_flow`]) who has not decided
    /// yet: they choose between the simulated départements and the rest of France in their
    /// decision year, on the state of France that year, as a France run's installer does.
    Undecided {
        /// Index of their origin commune over metropolitan France (the flow's origins).
        origin: u32,
        /// Born in a simulated commune (the territory or its ring): centres recruit them, as
        /// they recruit the locums born nearest (`recruit`).
        born_here: bool,
    },
}

impl Locum {
    /// Can a centre of the simulated communes recruit this locum? Every locum of a France run
    /// or a closed territory; of the national flow, those born in the simulated communes (the
    /// others stand for the rest of France's locums, whom that France's centres recruit).
    pub fn recruitable(&self) -> bool {
        !matches!(
            self.destination,
            Destination::Undecided {
                born_here: false,
                ..
            }
        )
    }
}

/// Locums waiting to install, and this year's installers.
#[derive(Resource, Debug, Clone, Default)]
pub struct LocumPool {
    /// Locums not yet at their decision year.
    pub locums: Vec<Locum>,
    /// Locums who install in primary care this year (filled by `train_and_graduate`).
    pub installers: Vec<Locum>,
    /// Next locum id.
    pub next_id: u32,
    /// Docteurs juniors placed this year.
    pub junior_doctors: u32,
}
