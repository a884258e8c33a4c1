//! Step 5a of a year (every `zoning.period_years`): the under-dense zone, the communes with
//! the least GP capacity per person within reach, up to `zoning.population_share` of the
//! population (a binary-catchment two-step floating catchment, like the ARS zoning built on
//! APL; the full APL of DREES is a later issue).

use bevy_ecs::prelude::*;

use super::capacity::effective_capacity;
use super::components::Gp;
use super::resources::{Clock, CommuneState, Communes, Params, Reach};

/// Accessibility of each commune: GP capacity within reach per person within reach.
pub fn accessibility(supply: &[f64], demand: &[f64], reach: &Reach) -> Vec<f64> {
    let ratio: Vec<f64> = (0..supply.len())
        .map(|j| {
            let d: f64 = reach.of(j as u16).iter().map(|&i| demand[i as usize]).sum();
            if d > 0.0 { supply[j] / d } else { 0.0 }
        })
        .collect();
    (0..supply.len())
        .map(|i| reach.of(i as u16).iter().map(|&j| ratio[j as usize]).sum())
        .collect()
}

/// The zone: lowest accessibility first until `share` of the demand is covered.
pub fn zone(access: &[f64], demand: &[f64], share: f64) -> Vec<bool> {
    let mut order: Vec<usize> = (0..access.len()).collect();
    order.sort_by(|&a, &b| access[a].total_cmp(&access[b]).then(a.cmp(&b)));
    let total: f64 = demand.iter().sum();
    let mut covered = 0.0;
    let mut out = vec![false; access.len()];
    for i in order {
        if covered >= share * total {
            break;
        }
        out[i] = true;
        covered += demand[i];
    }
    out
}

/// Recomputes the zone when the period has elapsed.
pub fn update_zoning(
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    reach: Res<Reach>,
    mut state: ResMut<CommuneState>,
    gps: Query<&Gp>,
) {
    let (s, year) = (&params.0, clock.year);
    if state
        .zoning_year
        .is_some_and(|z| year < z + s.zoning.period_years)
    {
        return;
    }
    let mut supply = vec![0.0; communes.communes.len()];
    for gp in &gps {
        supply[gp.commune as usize] += effective_capacity(gp, year, &s.gps);
    }
    let demand: Vec<f64> = state.agents.iter().map(|&a| a as f64).collect();
    let access = accessibility(&supply, &demand, &reach);
    state.under_dense = zone(&access, &demand, s.zoning.population_share);
    state.zoning_year = Some(year);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commune_with_no_gp_in_reach_is_zoned_first() {
        // Communes 0 and 1 reach each other; 2 is alone with no GP.
        let reach = Reach {
            offsets: vec![0, 2, 4, 5],
            neighbours: vec![0, 1, 1, 0, 2],
        };
        let supply = [1000.0, 0.0, 0.0];
        let demand = [500.0, 500.0, 400.0];
        let a = accessibility(&supply, &demand, &reach);
        assert_eq!(a[0], 1.0);
        assert_eq!(a[1], 1.0);
        assert_eq!(a[2], 0.0);
        assert_eq!(zone(&a, &demand, 0.2), vec![false, false, true]);
    }
}
