//! Step 6 of a year, second part: territorial MSP projects (MODEL.md §3.6). Besides the group
//! practices that become MSPs (`form_structures`), a municipality or the ARS founds an MSP
//! around the solo GPs of an under-dense commune where there is no group practice yet (the
//! ACI needs at least two GPs and a partner profession): `structures.msp_projects_per_million`
//! a year in the baseline, more under the `msp_funding` lever, whose MSPs carry [`FundedMsp`]
//! so that their start-up grant and their ACI every year after are the lever's cost, and the
//! baseline's MSPs are not.

use std::collections::HashMap;

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::{
    FundedMsp, Gp, PracticeMode, Structure, StructureKind, members_by_structure, solo,
};
use super::resources::{
    Clock, CommuneState, Communes, DrawKey, Flows, MspProjects, Params, PolicyEffects, Roster,
};
use super::rng::{Stream, generator, key, stochastic_round};
use crate::scenario::Structures;

/// GPs an MSP needs to draw the ACI (at least two GPs and one partner profession, arrêté of
/// 24 July 2017).
pub const MSP_MIN_GPS: usize = 2;

/// Origin of a territorial MSP in [`DrawKey::opened`].
const TERRITORIAL_MSP: u8 = 7;

/// The ACI an MSP of `gps` GPs draws in a year, €: a simplification of the points rule, a
/// fixed part (the socle's access, teamwork and information-system points) and a part
/// proportional to the patients, taken proportional to the GPs (≈70 k€ for the average MSP of
/// 4.8 GPs, CNAM).
pub fn aci_eur(st: &Structures, gps: u32) -> f64 {
    st.aci_fixed_eur + st.aci_per_gp_eur * f64::from(gps)
}

/// Pays the lever's MSPs their ACI, then founds this year's territorial MSPs.
#[allow(clippy::too_many_arguments)]
pub fn found_msps(
    mut commands: Commands,
    (params, clock, communes): (Res<Params>, Res<Clock>, Res<Communes>),
    (state, effects): (Res<CommuneState>, Res<PolicyEffects>),
    mut roster: ResMut<Roster>,
    mut flows: ResMut<Flows>,
    mut gps: Query<(Entity, &mut Gp)>,
    structures: Query<(&Structure, Has<FundedMsp>)>,
) {
    let (s, year) = (&params.0, clock.year);
    let members = members_by_structure(gps.iter().map(|(_, gp)| gp));
    let n = communes.communes.len();
    let mut has_group = vec![false; n];
    for (st, funded) in &structures {
        let gps_here = members.get(&st.slot).copied().unwrap_or(0);
        if funded && st.kind == StructureKind::Msp {
            let d = communes.communes[st.commune as usize].departement as usize;
            flows.policy_cost_eur[d] += aci_eur(&s.structures, gps_here);
        }
        has_group[st.commune as usize] |= matches!(
            st.kind,
            StructureKind::GroupPractice | StructureKind::Msp | StructureKind::HealthCentre
        ) && gps_here >= 2;
    }
    // Solo GPs of each under-dense commune without a group, in slot order.
    let mut solos: HashMap<u16, Vec<(u32, Entity)>> = HashMap::new();
    for (entity, gp) in &gps {
        let c = gp.commune as usize;
        if state.under_dense[c] && !has_group[c] && solo(gp, &members) {
            solos.entry(gp.commune).or_default().push((gp.slot, entity));
        }
    }
    let mut sites: Vec<(u16, u64)> = solos
        .iter()
        .filter(|(_, v)| v.len() >= MSP_MIN_GPS)
        .map(|(&c, _)| (c, u64::from(communes.communes[c as usize].population)))
        .collect();
    sites.sort_unstable();
    let people: f64 = communes
        .communes
        .iter()
        .map(|c| f64::from(c.population))
        .sum();
    let baseline = MspProjects {
        policy: None,
        per_year: s.structures.msp_projects_per_million * people / 1e6,
        scope: Vec::new(),
        start_up_grant_eur: 0.0,
    };
    let mut founder = Founder {
        commands: &mut commands,
        roster: &mut roster,
        year,
    };
    for (j, projects) in std::iter::once(&baseline)
        .chain(&effects.msp_projects)
        .enumerate()
    {
        let tag = (j as u64) << 8;
        let count = stochastic_round(
            projects.per_year,
            key(s.seed, year, Stream::Sequence, 21 << 40 | tag),
        );
        let mut rng = generator(s.seed, year, Stream::Sequence, 22 << 40 | tag);
        let mut here: Vec<(u16, u64)> = sites
            .iter()
            .copied()
            .filter(|&(c, _)| projects.scope.get(c as usize).copied().unwrap_or(true))
            .collect();
        for rank in 0..count {
            let total: u64 = here.iter().map(|x| x.1).sum();
            if here.is_empty() || total == 0 {
                break;
            }
            let mut target = (rng.random::<f64>() * total as f64) as u64;
            let i = here
                .iter()
                .position(|&(_, w)| {
                    let hit = target < w;
                    target = target.saturating_sub(w);
                    hit
                })
                .unwrap_or(here.len() - 1);
            let (commune, _) = here.remove(i);
            sites.retain(|x| x.0 != commune);
            let mut team = solos.remove(&commune).unwrap_or_default();
            team.sort_unstable_by_key(|m| m.0);
            let slot = founder.found(commune, (j, rank), projects.policy.is_some());
            for &(_, entity) in team.iter().take(usize::from(s.structures.group_max_gps)) {
                if let Ok((_, mut gp)) = gps.get_mut(entity) {
                    gp.structure = slot;
                    gp.mode = PracticeMode::Msp;
                }
            }
            let d = communes.communes[commune as usize].departement as usize;
            flows.policy_cost_eur[d] += projects.start_up_grant_eur;
        }
    }
}

/// Spawns territorial MSPs.
struct Founder<'a, 'w, 's> {
    commands: &'a mut Commands<'w, 's>,
    roster: &'a mut Roster,
    year: u16,
}

impl Founder<'_, '_, '_> {
    /// A new MSP in `commune`, the `rank`-th of programme `j` this year (0: the baseline's);
    /// `funded`: the lever's. Returns its slot.
    fn found(&mut self, commune: u16, (j, rank): (usize, u64), funded: bool) -> u32 {
        let draws = DrawKey::opened(TERRITORIAL_MSP, j as u8, self.year, rank, 0);
        let slot = self.roster.new_structure_slot(draws);
        let st = Structure {
            slot,
            kind: StructureKind::Msp,
            commune,
            opened: self.year,
            // The project brings its partner professions (nurses, physiotherapists).
            has_partner: true,
        };
        if funded {
            self.commands.spawn((st, FundedMsp));
        } else {
            self.commands.spawn(st);
        }
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::system::RunSystemOnce;

    use crate::model::testing::{gp_at, tiny_world};

    /// (commune, funded) of every MSP.
    fn msps(world: &mut World) -> Vec<(u16, bool)> {
        world.flush();
        let mut q = world.query::<(&Structure, Has<FundedMsp>)>();
        q.iter(world)
            .filter(|(s, _)| s.kind == StructureKind::Msp)
            .map(|(s, f)| (s.commune, f))
            .collect()
    }

    #[test]
    fn a_territorial_msp_opens_only_where_access_is_low_and_there_is_no_group() {
        let mut world = tiny_world();
        // Two solo GPs in commune 0 (well served) and in commune 2 (under-dense).
        for c in [0, 0, 2, 2] {
            gp_at(&mut world, c, 45);
        }
        world
            .resource_mut::<Params>()
            .0
            .structures
            .msp_projects_per_million = 1e6;
        world.run_system_once(found_msps).unwrap();
        assert_eq!(msps(&mut world), vec![(2, false)]);
        let modes: Vec<(u16, PracticeMode)> = world
            .query::<&Gp>()
            .iter(&world)
            .map(|g| (g.commune, g.mode))
            .collect();
        assert!(
            modes
                .iter()
                .all(|&(c, m)| (c == 2) == (m == PracticeMode::Msp)),
            "{modes:?}"
        );
        // Commune 2 now has a group: two more solo GPs there get no second project.
        gp_at(&mut world, 2, 50);
        gp_at(&mut world, 2, 51);
        world.run_system_once(found_msps).unwrap();
        assert_eq!(msps(&mut world), vec![(2, false)]);
    }

    #[test]
    fn the_lever_pays_a_grant_then_the_aci_of_its_own_msps_only() {
        let mut world = tiny_world();
        for c in [2, 2] {
            gp_at(&mut world, c, 45);
        }
        world
            .resource_mut::<PolicyEffects>()
            .msp_projects
            .push(MspProjects {
                policy: Some(0),
                per_year: 10.0,
                scope: vec![true; 3],
                start_up_grant_eur: 1000.0,
            });
        world
            .resource_mut::<Params>()
            .0
            .structures
            .msp_projects_per_million = 0.0;
        world.run_system_once(found_msps).unwrap();
        assert_eq!(msps(&mut world), vec![(2, true)]);
        let cost =
            |w: &mut World| std::mem::take(&mut w.resource_mut::<Flows>().policy_cost_eur[0]);
        assert_eq!(cost(&mut world), 1000.0, "the grant, in the founding year");
        world.run_system_once(found_msps).unwrap();
        let st = &world.resource::<Params>().0.structures;
        let aci = aci_eur(st, 2);
        assert!(
            (60_000.0..80_000.0).contains(&aci_eur(st, 5)),
            "≈70 k€ for 4.8 GPs"
        );
        assert_eq!(cost(&mut world), aci, "then the ACI of its two GPs");
    }
}
