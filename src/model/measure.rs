//! Step 8 of a year: observe (read-only on agents) the counts of the year for every
//! département of the requested territory (not its border ring), summed to régions and the
//! nation; keep local unmet demand of every simulated commune for next year's installation
//! choices (MODEL.md §3.8).

use bevy_ecs::prelude::*;

use super::apl::UNDER_SERVED_APL;
use super::components::{
    CentreBudget, Gp, NO_STRUCTURE, PracticeMode, Structure, StructureKind, members_by_structure,
};
use super::records::{CommuneRecord, Counts, Records, YearRecord, gp_age_band};
use super::resources::PatientCounts;
use super::resources::{
    Clock, CommuneState, Communes, Flows, Lists, Params, PolicyEffects, Roster, Tables,
};
use super::teaching_practices::accredited;
use super::workload::{self, from_fixed, weekly_hours};

/// Records the year's counts and resets the flows.
pub fn measure(
    (params, clock, communes, effects): (
        Res<Params>,
        Res<Clock>,
        Res<Communes>,
        Res<PolicyEffects>,
    ),
    (roster, tables, lists): (Res<Roster>, Res<Tables>, Res<Lists>),
    (mut state, mut flows): (ResMut<CommuneState>, ResMut<Flows>),
    (mut records, counts): (ResMut<Records>, Res<PatientCounts>),
    gps: Query<&Gp>,
    structures: Query<(&Structure, Option<&CentreBudget>)>,
) {
    let ppa = params.0.persons_per_agent as u64;
    let n = communes.communes.len();
    // The patients as `count_patients` counted them after the matching.
    let PatientCounts {
        agents,
        adults,
        without,
        deps,
        ..
    } = &*counts;
    let mut deps = deps.clone();
    // Each GP's list, as the matching left it.
    let list = |slot: u32| lists.sizes.get(slot as usize).copied().unwrap_or(0);
    let load = |slot: u32| from_fixed(lists.workloads.get(slot as usize).copied().unwrap_or(0));
    let members = members_by_structure(gps.iter());
    let at_40 = |female| f64::from(tables.demand[40][workload::demand_index(female, false)]);
    let typical_newcomer = (at_40(false) + at_40(true)) / 2.0;
    let mut gps_here = vec![0u32; n];
    let mut liberal_lists = Vec::new();
    for gp in &gps {
        gps_here[gp.commune as usize] += 1;
        let d = &mut deps[communes.communes[gp.commune as usize].departement as usize];
        d.gps += 1;
        d.gps_by_mode[PracticeMode::ALL
            .iter()
            .position(|m| *m == gp.mode)
            .unwrap_or(0)] += 1;
        d.gp_age_sum += gp.age as u64;
        d.gps_women += u64::from(gp.female);
        d.gps_by_sex_age[usize::from(gp.female)][gp_age_band(gp.age)] += 1;
        let grouped = gp.structure != NO_STRUCTURE && members[&gp.structure] >= 2;
        d.gps_in_group += u64::from(grouped && gp.mode.is_liberal());
        let c = gp.commune as usize;
        if effects.assistant_fte(c, gp) > 0.0 {
            d.policy_cost_eur += f64::from(effects.delegation[c].cost_per_gp_eur);
        }
        // What the GP offers the list (this year's threshold, set by the matching) against what
        // it asks for; closed when a typical new adult (40, not chronic, the mean of a man and a
        // woman, seen in person) would take the list past the threshold.
        let threshold = f64::from(gp.list_threshold);
        let load = load(gp.slot);
        d.list_offer += threshold / params.0.workload.acceptance_threshold_share;
        d.list_consultations += load;
        d.gps_closed += u64::from(load + typical_newcomer > threshold);
        if gp.mode == PracticeMode::WorkingRetiree {
            d.policy_cost_eur += effects.retiree_cost_eur;
        }
        if gp.mode.is_liberal() {
            let band = match gp.age {
                ..50 => 0,
                50..60 => 1,
                _ => 2,
            };
            d.gps_liberal_by_age[band] += 1;
            let born = i32::from(clock.year) - i32::from(gp.age);
            d.liberal_hours_by_age[band] += weekly_hours(gp.female, born, &params.0);
            d.gps_in_group_by_age[band] += u64::from(grouped);
            if communes.is_reported(gp.commune) {
                liberal_lists.push(u64::from(list(gp.slot)) * ppa);
            }
        }
    }
    for (st, budget) in &structures {
        let d = &mut deps[communes.communes[st.commune as usize].departement as usize];
        // A health-centre programme in force pays its share of its centres' deficits.
        if let Some(b) = budget
            && let Some(cover) = b
                .programme
                .and_then(|i| effects.centre_cover.get(i as usize))
        {
            let gps = members.get(&st.slot).copied().unwrap_or(0) as f64;
            d.policy_cost_eur += cover * b.deficit_share * b.cost_per_gp_eur * gps;
        }
        if st.kind == StructureKind::LocalService
            && let Some(plan) = &effects.local_services
        {
            d.policy_cost_eur += plan.cost_per_service_eur;
        }
        // Accredited teaching practices (the same draw as their interns').
        let c = st.commune as usize;
        let share = effects.teaching_share.get(c).copied().unwrap_or(0.0);
        if st.kind == StructureKind::Msp
            && share > 0.0
            && accredited(params.0.seed, roster.structure_key(st.slot), share)
        {
            d.policy_cost_eur += f64::from(effects.teaching_cost_eur[c]);
        }
        d.msp_count += u64::from(st.kind == StructureKind::Msp);
        d.health_centre_count += u64::from(st.kind == StructureKind::HealthCentre);
    }
    let mut commune_rows = Vec::new();
    for (c, commune) in communes.communes.iter().enumerate() {
        let d = &mut deps[commune.departement as usize];
        let people = ppa * agents[c] as u64;
        d.cpts_population += people * u64::from(state.cpts_covered[c]);
        d.under_dense_population += people * u64::from(state.under_dense[c]);
        d.priority_zone_population += people * u64::from(state.priority_zone[c]);
        d.apl_sum += people as f64 * state.apl[c] as f64;
        d.apl_under_65_sum += people as f64 * state.apl_under_65[c] as f64;
        d.population_apl_below_2_5 += people * u64::from(state.apl[c] < UNDER_SERVED_APL);
        d.communes_with_gp += u64::from(gps_here[c] > 0);
        if records.record_communes && communes.is_reported(c as u16) {
            commune_rows.push(CommuneRecord {
                population: people,
                population_17plus: ppa * adults[c] as u64,
                without_mt_17plus: ppa * without[c] as u64,
                gps: gps_here[c],
                apl: state.apl[c],
                apl_under_65: state.apl_under_65[c],
                apl_under_62: state.apl_under_62[c],
                zone: u8::from(state.under_dense[c]) + u8::from(state.priority_zone[c]),
            });
        }
    }
    for (i, d) in deps.iter_mut().enumerate() {
        d.births = flows.births[i] * ppa;
        d.deaths = flows.deaths[i] * ppa;
        d.migrants = flows.migrants[i] * ppa;
        d.matches = flows.matches[i] * ppa;
        d.losses = flows.losses[i] * ppa;
        d.installations = flows.installations[i];
        d.salaried_entries = flows.salaried_entries[i];
        d.installations_under_dense = flows.installations_under_dense[i];
        d.installations_refused = flows.installations_refused[i];
        d.refused_waited = flows.refused_waited[i];
        d.refused_left = flows.refused_left[i];
        d.exits = flows.exits[i];
        d.retirements = flows.retirements[i];
        d.installed_in_origin_region = flows.installed_in_origin_region[i];
        d.policy_cost_eur +=
            flows.policy_cost_eur[i] + d.cpts_population as f64 * effects.cpts_cost_per_person_eur;
    }
    // The border ring is simulated, never reported: the territory's départements and régions
    // come first.
    deps.truncate(communes.reported.departements);
    let mut regions = vec![Counts::default(); communes.reported.regions];
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
        mt_lists: list_stats(&mut liberal_lists),
        install_km_median: median(&mut flows.install_km),
        communes: commune_rows,
    });
    state.unmet_share = adults
        .iter()
        .zip(without)
        .map(|(&a, &w)| if a > 0 { w as f32 / a as f32 } else { 0.0 })
        .collect();
    *flows = Flows::zeroed(communes.departements.len());
}

/// Mean, P10, median and P90 of list sizes (nearest rank); zeros when empty.
fn list_stats(sizes: &mut [u64]) -> [f64; 4] {
    if sizes.is_empty() {
        return [0.0; 4];
    }
    sizes.sort_unstable();
    let q = |p: f64| sizes[((sizes.len() - 1) as f64 * p).round() as usize] as f64;
    let mean = sizes.iter().sum::<u64>() as f64 / sizes.len() as f64;
    [mean, q(0.1), q(0.5), q(0.9)]
}

/// Median (nearest rank), NaN when empty.
fn median(values: &mut [f32]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f32::total_cmp);
    values[(values.len() - 1) / 2] as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_quantiles_use_the_nearest_rank() {
        let mut sizes: Vec<u64> = (1..=11).map(|x| x * 100).collect();
        sizes.reverse();
        assert_eq!(list_stats(&mut sizes), [600.0, 200.0, 600.0, 1000.0]);
        assert_eq!(list_stats(&mut []), [0.0; 4]);
        assert!(median(&mut []).is_nan());
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn gp_ages_fall_in_five_year_bands_with_open_ends() {
        assert_eq!(gp_age_band(27), 0);
        assert_eq!(gp_age_band(30), 1);
        assert_eq!(gp_age_band(64), 7);
        assert_eq!(gp_age_band(69), 8);
        assert_eq!(gp_age_band(80), 9);
    }
}
