//! The patients as the year leaves them, counted by commune and département: the resource
//! [`super::super::count_patients`] fills and the APL and the measure read.

use bevy_ecs::prelude::*;

use crate::model::components::{NO_GP, Patient, Reason};
use crate::model::records::Counts;

/// The patients as the year leaves them (after the matching), counted by commune and
/// département. Integers only, so the totals do not depend on the threads.
#[derive(Resource, Debug, Clone, Default)]
pub struct PatientCounts {
    /// Patient agents by commune.
    pub agents: Vec<u32>,
    /// Agents aged 17 or more by commune.
    pub adults: Vec<u32>,
    /// Agents aged 17 or more without an MT by commune.
    pub without: Vec<u32>,
    /// Persons by département (the patients' part of the year's records).
    pub deps: Vec<Counts>,
    /// Standardised demand of each commune for the APL: agents weighted by the APL's age
    /// weights, in the APL's fixed point.
    pub apl_demand: Vec<u64>,
}

impl PatientCounts {
    pub(crate) fn new(communes: usize, departements: usize) -> PatientCounts {
        PatientCounts {
            agents: vec![0; communes],
            adults: vec![0; communes],
            without: vec![0; communes],
            deps: vec![Counts::default(); departements],
            apl_demand: vec![0; communes],
        }
    }

    /// Counts one patient agent (`ppa` persons), with the APL's age weights in fixed point.
    pub(crate) fn count(&mut self, p: &Patient, ppa: u64, departement: &[u16], apl_weight: &[u64]) {
        if !p.alive() {
            return;
        }
        let c = p.commune as usize;
        let d = &mut self.deps[departement[c] as usize];
        self.agents[c] += 1;
        self.apl_demand[c] += apl_weight[p.age as usize];
        d.population += ppa;
        d.with_mt += ppa * u64::from(p.gp != NO_GP);
        d.population_65plus += ppa * u64::from(p.age >= 65);
        d.population_75plus += ppa * u64::from(p.age >= 75);
        if (17..30).contains(&p.age) {
            d.population_17_29 += ppa;
            d.without_mt_17_29 += ppa * u64::from(p.gp == NO_GP);
            d.moved_17_29 += ppa * u64::from(p.gp == NO_GP && p.reason() == Reason::Moved);
        }
        if p.age >= 17 {
            self.adults[c] += 1;
            d.population_17plus += ppa;
            d.chronic_17plus += ppa * u64::from(p.chronic());
            if p.gp == NO_GP {
                self.without[c] += 1;
                d.without_mt_17plus[p.reason() as usize] += ppa;
                d.chronic_without_mt_17plus += ppa * u64::from(p.chronic());
                d.chronic_moved_17plus +=
                    ppa * u64::from(p.chronic() && p.reason() == Reason::Moved);
            }
        }
    }

    /// Adds another thread's counts.
    pub(crate) fn add(&mut self, o: &PatientCounts) {
        fn sum<T: Copy + std::ops::AddAssign>(a: &mut [T], b: &[T]) {
            a.iter_mut().zip(b).for_each(|(x, &y)| *x += y);
        }
        sum(&mut self.agents, &o.agents);
        sum(&mut self.adults, &o.adults);
        sum(&mut self.without, &o.without);
        sum(&mut self.apl_demand, &o.apl_demand);
        for (x, y) in self.deps.iter_mut().zip(&o.deps) {
            x.add(y);
        }
    }
}
