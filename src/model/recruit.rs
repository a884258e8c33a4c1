//! Salaried posts are filled from the training pipeline (MODEL.md §3.6): a health centre that
//! opens recruits locums who have not yet installed, those who came from nearest first (new
//! GPs settle near where they come from: INSEE 2019, median 85 km from the birth commune). A
//! centre never creates GPs from outside the pipeline; where the pool is short it opens with
//! fewer, and with none it does not open. Each locum recruited is one fewer to install later,
//! so the openings move GPs into salaried practice rather than adding to the count.

use std::cmp::Ordering;

use super::resources::{Communes, Locum, LocumPool};

/// Takes up to `n` locums from `pool` for salaried posts in `commune` in `year`: those whose
/// origin is nearest, then by id (a total order: the same pool gives the same recruits
/// whatever the threads). Their ages are brought to `year` (a locum's age is kept for their
/// decision year).
pub fn recruit(
    pool: &mut LocumPool,
    communes: &Communes,
    commune: u16,
    n: u8,
    year: u16,
) -> Vec<Locum> {
    if n == 0 || pool.locums.is_empty() {
        return Vec::new();
    }
    let mut order: Vec<(f64, u32, usize)> = pool
        .locums
        .iter()
        .enumerate()
        .filter(|(_, l)| l.recruitable())
        .map(|(i, l)| (communes.distance_km(l.origin_commune, commune), l.id, i))
        .collect();
    let n = usize::from(n).min(order.len());
    if n == 0 {
        return Vec::new();
    }
    let nearest = |a: &(f64, u32, usize), b: &(f64, u32, usize)| -> Ordering {
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
    };
    order.select_nth_unstable_by(n - 1, nearest);
    let mut chosen: Vec<(f64, u32, usize)> = order[..n].to_vec();
    chosen.sort_unstable_by(nearest);
    let mut taken = vec![false; pool.locums.len()];
    for &(_, _, i) in &chosen {
        taken[i] = true;
    }
    let recruits = chosen
        .iter()
        .map(|&(_, _, i)| {
            let mut l = pool.locums[i].clone();
            let early = l.decision_year.saturating_sub(year);
            l.age = l.age.saturating_sub(early.min(u16::from(u8::MAX)) as u8);
            l.decision_year = year;
            l
        })
        .collect();
    let mut i = 0;
    pool.locums.retain(|_| {
        i += 1;
        !taken[i - 1]
    });
    recruits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::tiny_world;

    fn locum(id: u32, origin: u16, decision_year: u16) -> Locum {
        Locum {
            id,
            age: 33,
            female: false,
            origin_commune: origin,
            birth_region: 0,
            faculty: 0,
            decision_year,
            internship_commune: None,
            destination: Default::default(),
        }
    }

    #[test]
    fn a_centre_recruits_the_locums_from_nearest_and_takes_them_out_of_the_pool() {
        let world = tiny_world();
        let communes = world.resource::<Communes>();
        // Communes 0 and 1 are 5 km apart; commune 2 is 100 km away.
        let mut pool = LocumPool {
            locums: vec![locum(1, 2, 2030), locum(2, 1, 2030), locum(3, 0, 2031)],
            ..LocumPool::default()
        };
        let got = recruit(&mut pool, communes, 0, 2, 2028);
        let ids: Vec<u32> = got.iter().map(|l| l.id).collect();
        assert_eq!(ids, vec![3, 2]);
        assert_eq!(pool.locums.len(), 1);
        assert_eq!(pool.locums[0].id, 1);
        // Recruited three years before their decision year: three years younger.
        assert_eq!(got[0].age, 30);
        assert_eq!(got[0].decision_year, 2028);
    }

    #[test]
    fn a_short_pool_gives_what_it_has_and_an_empty_one_nobody() {
        let world = tiny_world();
        let communes = world.resource::<Communes>();
        let mut pool = LocumPool {
            locums: vec![locum(1, 0, 2030)],
            ..LocumPool::default()
        };
        assert_eq!(recruit(&mut pool, communes, 1, 3, 2029).len(), 1);
        assert!(recruit(&mut pool, communes, 1, 3, 2029).is_empty());
    }
}
