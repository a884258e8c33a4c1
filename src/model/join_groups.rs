//! Step 6 of a year, first part: practice over a career (MODEL.md §3.6). A solo liberal GP
//! (isolated, or the last member of a practice) decides, with a yearly probability by age, to
//! practise with others: they join the group practice or MSP of their commune with the
//! fewest members and room, or, where there is none, form one with the other solo GPs of the
//! commune who decided the same year (groups of `structures.start_group_size`; DREES: group
//! practices of GPs have ≈3–5 doctors). A GP alone in deciding stays solo: joining is within
//! the commune, as DREES counts group practice at one address. The rates are calibrated to
//! the DREES panels (54 % in group in 2010, 61 % in 2019; 81 / 57 / 44 % under 50 / 50–59 /
//! 60+ in 2019; docs/model.md).

use std::collections::{BTreeMap, HashMap};

use bevy_ecs::prelude::*;

use super::components::{
    Gp, NO_STRUCTURE, PracticeMode, Structure, StructureKind, members_by_structure, solo,
};
use super::resources::{Clock, DrawKey, Params, Roster};
use super::rng::{Stream, key, threshold, unit};
use crate::scenario::Structures;

/// Origin of a group formed by solo GPs in [`DrawKey::opened`].
const FORMED_GROUP: u8 = 6;

/// Yearly probability that a solo GP of `age` joins or forms a group practice.
pub fn join_rate(st: &Structures, age: u8) -> f64 {
    match age {
        0..=49 => st.join_group_rate_under_50,
        50..=59 => st.join_group_rate_50_59,
        _ => st.join_group_rate_60_plus,
    }
}

/// Moves this year's deciding solo GPs into group practices.
pub fn join_groups(
    mut commands: Commands,
    (params, clock): (Res<Params>, Res<Clock>),
    mut roster: ResMut<Roster>,
    mut gps: Query<(Entity, &mut Gp)>,
    structures: Query<&Structure>,
) {
    let (s, year) = (&params.0, clock.year);
    let mut members = members_by_structure(gps.iter().map(|(_, gp)| gp));
    // Deciders by commune, in slot order: the outcome never depends on the query's order.
    let mut deciders: BTreeMap<u16, Vec<(u32, Entity)>> = BTreeMap::new();
    for (entity, gp) in &gps {
        let k = key(s.seed, year, Stream::Career, roster.gp_key(gp.slot));
        if solo(gp, &members) && k < threshold(join_rate(&s.structures, gp.age)) {
            deciders
                .entry(gp.commune)
                .or_default()
                .push((gp.slot, entity));
        }
    }
    if deciders.is_empty() {
        return;
    }
    let mut practices: HashMap<u16, Vec<(u32, StructureKind)>> = HashMap::new();
    for st in &structures {
        if matches!(st.kind, StructureKind::GroupPractice | StructureKind::Msp)
            && deciders.contains_key(&st.commune)
        {
            practices
                .entry(st.commune)
                .or_default()
                .push((st.slot, st.kind));
        }
    }
    let max = u32::from(s.structures.group_max_gps);
    let mut rank = 0u64;
    for (commune, mut here) in deciders {
        here.sort_unstable_by_key(|d| d.0);
        let local = practices.entry(commune).or_default();
        let mut pending = Vec::new();
        for &(_, entity) in &here {
            let Ok((_, mut gp)) = gps.get_mut(entity) else {
                continue;
            };
            // A GP who already gained a colleague this year (someone joined them) stays.
            if !solo(&gp, &members) {
                continue;
            }
            let size = |slot: &u32| members.get(slot).copied().unwrap_or(0);
            let best = local
                .iter()
                .filter(|p| p.0 != gp.structure && (1..max).contains(&size(&p.0)))
                .min_by_key(|p| (size(&p.0), p.0))
                .copied();
            match best {
                Some((slot, kind)) => move_to(&mut gp, (slot, kind), &mut members),
                None => pending.push(entity),
            }
        }
        // Those with no practice to join form groups together, of the size of the data.
        let size = usize::from(s.structures.start_group_size.max(2));
        let mut chunks: Vec<Vec<Entity>> = pending.chunks(size).map(<[_]>::to_vec).collect();
        if chunks.len() > 1 && chunks.last().is_some_and(|c| c.len() == 1) {
            let last = chunks.pop().unwrap_or_default();
            if let Some(previous) = chunks.last_mut() {
                previous.extend(last);
            }
        }
        for chunk in chunks.iter().filter(|c| c.len() >= 2) {
            let draws = DrawKey::opened(FORMED_GROUP, 0, year, rank, 0);
            rank += 1;
            let slot = found_group_practice(&mut commands, &mut roster, s, draws, (commune, year));
            local.push((slot, StructureKind::GroupPractice));
            for &entity in chunk {
                if let Ok((_, mut gp)) = gps.get_mut(entity) {
                    move_to(&mut gp, (slot, StructureKind::GroupPractice), &mut members);
                }
            }
        }
    }
}

/// Founds a group practice in `commune` in `year`, its structure slot and its partner
/// profession (a fixed draw on `draws`, the founders' key) decided here; returns the slot.
pub fn found_group_practice(
    commands: &mut Commands,
    roster: &mut Roster,
    s: &crate::scenario::Scenario,
    draws: u64,
    (commune, year): (u16, u16),
) -> u32 {
    let slot = roster.new_structure_slot(draws);
    let has_partner =
        unit(key(s.seed, 0, Stream::Sequence, 5 << 40 | draws)) < s.structures.msp_partner_share;
    commands.spawn(Structure {
        slot,
        kind: StructureKind::GroupPractice,
        commune,
        opened: year,
        has_partner,
    });
    slot
}

/// Moves `gp` into the practice `slot` of `kind`; an empty practice left behind is removed by
/// `form_structures`.
fn move_to(gp: &mut Gp, (slot, kind): (u32, StructureKind), members: &mut HashMap<u32, u32>) {
    if gp.structure != NO_STRUCTURE
        && let Some(n) = members.get_mut(&gp.structure)
    {
        *n = n.saturating_sub(1);
    }
    *members.entry(slot).or_default() += 1;
    gp.structure = slot;
    gp.mode = if kind == StructureKind::Msp {
        PracticeMode::Msp
    } else {
        PracticeMode::Group
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::system::RunSystemOnce;

    use crate::model::resources::{Clock, Params};
    use crate::model::testing::{gp_at, tiny_world};

    /// Share of the GPs practising with another GP.
    fn grouped_share(world: &mut World) -> f64 {
        let mut q = world.query::<&Gp>();
        let gps: Vec<Gp> = q.iter(world).cloned().collect();
        let members = members_by_structure(gps.iter());
        let grouped = gps.iter().filter(|gp| !solo(gp, &members)).count();
        grouped as f64 / gps.len() as f64
    }

    #[test]
    fn solo_gps_join_groups_over_time() {
        let mut world = tiny_world();
        for i in 0..40u8 {
            gp_at(&mut world, u16::from(i % 3), 35 + i % 30);
        }
        let start = grouped_share(&mut world);
        let mut shares = Vec::new();
        for year in 2015..2025 {
            world.resource_mut::<Clock>().year = year;
            world.run_system_once(join_groups).unwrap();
            shares.push(grouped_share(&mut world));
        }
        assert_eq!(start, 0.0);
        assert!(shares.windows(2).all(|w| w[1] >= w[0]), "{shares:?}");
        assert!(
            shares[9] > 0.3,
            "group share of the cohort after 10 years: {shares:?}"
        );
    }

    #[test]
    fn without_a_rate_nobody_moves_and_one_decider_alone_stays_solo() {
        let mut world = tiny_world();
        gp_at(&mut world, 2, 40);
        gp_at(&mut world, 2, 41);
        world
            .resource_mut::<Params>()
            .0
            .structures
            .join_group_rate_under_50 = 0.0;
        world.run_system_once(join_groups).unwrap();
        assert_eq!(grouped_share(&mut world), 0.0);
        // With a rate of 1 the two of commune 2 form a group; the one of commune 1 has nobody
        // to join or form a group with.
        world
            .resource_mut::<Params>()
            .0
            .structures
            .join_group_rate_under_50 = 1.0;
        gp_at(&mut world, 1, 42);
        world.run_system_once(join_groups).unwrap();
        world.flush();
        assert!((grouped_share(&mut world) - 2.0 / 3.0).abs() < 1e-9);
        let kinds: Vec<StructureKind> = world
            .query::<&Structure>()
            .iter(&world)
            .map(|s| s.kind)
            .collect();
        assert_eq!(kinds, vec![StructureKind::GroupPractice]);
    }
}
