//! Step 8 of a year: observe (read-only on agents) the counts of the year for every
//! département, summed to régions and the nation; keep local unmet demand for next year's
//! installation choices (MODEL.md §3.8).

use bevy_ecs::prelude::*;

use super::components::{
    Gp, NO_GP, NO_STRUCTURE, Patient, PracticeMode, Structure, StructureKind, members_by_structure,
};
use super::records::{Counts, Records, YearRecord};
use super::resources::{Clock, CommuneState, Communes, Flows, Params};

/// Records the year's counts and resets the flows.
#[allow(clippy::too_many_arguments)]
pub fn measure(
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    mut state: ResMut<CommuneState>,
    mut flows: ResMut<Flows>,
    mut records: ResMut<Records>,
    patients: Query<&Patient>,
    gps: Query<&Gp>,
    structures: Query<&Structure>,
) {
    let ppa = params.0.persons_per_agent as u64;
    let n = communes.communes.len();
    let mut agents = vec![0u32; n];
    let mut adults = vec![0u32; n];
    let mut without = vec![0u32; n];
    let mut deps = vec![Counts::default(); communes.departements.len()];
    for p in &patients {
        if !p.alive() {
            continue;
        }
        let c = p.commune as usize;
        let d = &mut deps[communes.communes[c].departement as usize];
        agents[c] += 1;
        d.population += ppa;
        d.with_mt += ppa * u64::from(p.gp != NO_GP);
        if p.age >= 17 {
            adults[c] += 1;
            d.population_17plus += ppa;
            d.chronic_17plus += ppa * u64::from(p.chronic());
            if p.gp == NO_GP {
                without[c] += 1;
                d.without_mt_17plus[p.reason() as usize] += ppa;
                d.chronic_without_mt_17plus += ppa * u64::from(p.chronic());
            }
        }
    }
    let members = members_by_structure(gps.iter());
    for gp in &gps {
        let d = &mut deps[communes.communes[gp.commune as usize].departement as usize];
        d.gps += 1;
        d.gps_by_mode[PracticeMode::ALL
            .iter()
            .position(|m| *m == gp.mode)
            .unwrap_or(0)] += 1;
        d.gp_age_sum += gp.age as u64;
        d.gps_women += u64::from(gp.female);
        let grouped = gp.structure != NO_STRUCTURE && members[&gp.structure] >= 2;
        d.gps_in_group += u64::from(grouped && gp.mode.is_liberal());
    }
    for st in &structures {
        let d = &mut deps[communes.communes[st.commune as usize].departement as usize];
        d.msp_count += u64::from(st.kind == StructureKind::Msp);
        d.health_centre_count += u64::from(st.kind == StructureKind::HealthCentre);
    }
    for (c, commune) in communes.communes.iter().enumerate() {
        let d = &mut deps[commune.departement as usize];
        d.cpts_population += ppa * agents[c] as u64 * u64::from(state.cpts_covered[c]);
        d.under_dense_population += ppa * agents[c] as u64 * u64::from(state.under_dense[c]);
    }
    for (i, d) in deps.iter_mut().enumerate() {
        d.births = flows.births[i] * ppa;
        d.deaths = flows.deaths[i] * ppa;
        d.migrants = flows.migrants[i] * ppa;
        d.matches = flows.matches[i] * ppa;
        d.installations = flows.installations[i];
        d.exits = flows.exits[i];
        d.retirements = flows.retirements[i];
    }
    let mut regions = vec![Counts::default(); communes.regions.len()];
    let mut national = Counts::default();
    for (i, d) in deps.iter().enumerate() {
        regions[communes.departement_region[i] as usize].add(d);
        national.add(d);
    }
    records.years.push(YearRecord {
        year: clock.year,
        national,
        regions,
        departements: deps,
    });
    state.unmet_share = adults
        .iter()
        .zip(&without)
        .map(|(&a, &w)| if a > 0 { w as f32 / a as f32 } else { 0.0 })
        .collect();
    state.agents = agents;
    *flows = Flows::zeroed(communes.departements.len());
}
