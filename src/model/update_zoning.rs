//! Step 5a of a year (every `zoning.period_years`): the under-dense zone, read by installation,
//! structures and the placement of docteurs juniors. As in the ARS zonings built on the DREES
//! APL, communes with an APL below `priority_apl_below` form the priority tier (ZIP) and those
//! below `intermediate_apl_below` the intermediate tier (ZAC); together, the under-dense zone.
//! The APL is the one computed at the last measure (or on the start state).

use bevy_ecs::prelude::*;

use super::resources::{Clock, CommuneState, Params};
use crate::scenario::Zoning;

/// (in the zone, in its priority tier) for a commune's APL.
pub fn tier(apl: f32, z: &Zoning) -> (bool, bool) {
    let apl = apl as f64;
    (apl < z.intermediate_apl_below, apl < z.priority_apl_below)
}

/// Recomputes the zone when the period has elapsed.
pub fn update_zoning(params: Res<Params>, clock: Res<Clock>, mut state: ResMut<CommuneState>) {
    let (z, year) = (&params.0.zoning, clock.year);
    if state.zoning_year.is_some_and(|y| year < y + z.period_years) {
        return;
    }
    let (zone, priority): (Vec<bool>, Vec<bool>) = state.apl.iter().map(|&a| tier(a, z)).unzip();
    state.under_dense = zone;
    state.priority_zone = priority;
    state.zoning_year = Some(year);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::baseline;

    #[test]
    fn tiers_follow_the_apl_thresholds() {
        let z = baseline().zoning;
        assert_eq!(tier(1.0, &z), (true, true));
        assert_eq!(tier(2.8, &z), (true, false));
        assert_eq!(tier(5.0, &z), (false, false));
    }

    #[test]
    fn the_zone_is_kept_between_zonings() {
        let mut world = crate::model::testing::tiny_world();
        world.resource_mut::<CommuneState>().apl = vec![1.0, 2.8, 9.0];
        let mut schedule = Schedule::default();
        schedule.add_systems(update_zoning);
        schedule.run(&mut world);
        assert_eq!(
            world.resource::<CommuneState>().under_dense,
            vec![true, true, false]
        );
        world.resource_mut::<CommuneState>().apl = vec![9.0; 3];
        world.resource_mut::<Clock>().year += 1;
        schedule.run(&mut world);
        assert_eq!(
            world.resource::<CommuneState>().priority_zone,
            vec![true, false, false]
        );
    }
}
