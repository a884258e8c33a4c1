//! Unit tests of the offer and the search.

use super::*;

const ONE: Seeker = Seeker {
    demand: 1.0,
    chronic: false,
};

fn offer(rooms: &[f64]) -> Offer {
    let n = rooms.len();
    Offer::from_slots(
        vec![vec![0], vec![1, 2]],
        rooms,
        &vec![0.0; n],
        &vec![NO_STRUCTURE; n],
    )
}

#[test]
fn a_patient_takes_the_nearest_gp_with_room() {
    let mut o = offer(&[1.0, 5.0, 5.0]);
    assert_eq!(o.search(&o.stops(&[0, 1]), (3, 1.0), ONE, 42), Some(0));
    assert_eq!(o.room(0), 0.0);
}

#[test]
fn no_gp_takes_more_than_their_room() {
    let mut o = offer(&[2.0, 1.0, 0.0]);
    let found: Vec<_> = (0..10)
        .map(|k| o.search(&o.stops(&[0, 1]), (5, 1.0), ONE, k))
        .collect();
    assert_eq!(
        found.iter().flatten().count(),
        3,
        "only three places: {found:?}"
    );
    assert!((0..3).all(|slot| o.room(slot) >= 0.0));
}

#[test]
fn a_full_gp_still_takes_chronic_patients_within_the_priority_margin() {
    let mut o = offer(&[0.0, 0.0, 0.0]);
    let m = o.member(0);
    o.chronic_extra[m] = 3.0;
    assert_eq!(o.search(&o.stops(&[0]), (5, 1.0), ONE, 7), None);
    let chronic = Seeker {
        chronic: true,
        ..ONE
    };
    assert_eq!(o.search(&o.stops(&[0]), (5, 1.0), chronic, 7), Some(0));
}

#[test]
fn full_gps_use_up_the_contacts_of_the_year() {
    let o = offer(&[0.0, 0.0, 7.0]);
    // Two contacts: GP 0 (full) then the first of commune 1; GP 2 is found only if reached.
    let hits = (0..200)
        .filter(|&k| {
            o.clone()
                .search(&o.stops(&[0, 1]), (2, 1.0), ONE, k)
                .is_some()
        })
        .count();
    assert!(hits > 0 && hits < 200, "{hits}");
}

#[test]
fn a_health_centre_is_one_contact_that_finds_any_of_its_gps_with_room() {
    // Commune 0: a centre of GPs 0 (full) and 1 (room); commune 1: a liberal GP 2 (room).
    let mut o = Offer::from_slots(
        vec![vec![0, 1], vec![2]],
        &[0.0, 1.0, 5.0],
        &[0.0; 3],
        &[9, 9, NO_STRUCTURE],
    );
    // One try: the centre's desk finds GP 1 whichever of its GPs is contacted.
    assert!((0..50).all(|k| o.clone().search(&o.stops(&[0, 1]), (1, 1.0), ONE, k) == Some(1)));
    // Full centre: one try spent on it, the second reaches the liberal GP.
    let m = o.member(1);
    o.members[m].room = 0.0;
    assert!((0..50).all(|k| o.clone().search(&o.stops(&[0, 1]), (2, 1.0), ONE, k) == Some(2)));
}

#[test]
fn searches_in_parallel_batches_find_what_searches_one_after_the_other_find() {
    // Few GPs and many seekers, so that batches overturn many guesses; chronic seekers
    // use the margin; two GPs share a desk.
    let n_gps = 60;
    let by_commune: Vec<Vec<u32>> = (0..12).map(|c| (c * 5..c * 5 + 5).collect()).collect();
    let room: Vec<f64> = (0..n_gps).map(|i| (mix(i as u64) % 40) as f64).collect();
    let extra: Vec<f64> = (0..n_gps).map(|i| (i % 3) as f64).collect();
    let mut desk = vec![NO_STRUCTURE; n_gps];
    (desk[7], desk[21]) = (4, 4);
    let reaches: Vec<Vec<u16>> = (0..12u16)
        .map(|c| (0..12u16).map(|d| (c + d) % 12).take(6).collect())
        .collect();
    let offer = Offer::from_slots(by_commune, &room, &extra, &desk);
    let stops: Vec<Vec<Stop>> = reaches.iter().map(|r| offer.stops(r)).collect();
    let seeker = |i: usize| {
        let k = mix(i as u64 + 1);
        let who = Seeker {
            demand: 0.5 + (k % 4) as f64,
            chronic: k.is_multiple_of(5),
        };
        (&stops[i % 12][..], (1 + (k % 6) as u32, 0.7), who, k)
    };
    let n = 40_000;
    let mut one_by_one = offer.clone();
    let expected: Vec<Option<u32>> = (0..n)
        .map(|i| {
            let (reach, tries, who, k) = seeker(i);
            one_by_one.search(reach, tries, who, k)
        })
        .collect();
    let mut batched = offer.clone();
    assert_eq!(batched.search_all(n, seeker), expected);
    assert_eq!(batched.members, one_by_one.members);
    assert!(
        expected.iter().flatten().count() > 100,
        "some seekers find a GP"
    );
}

impl Offer {
    /// The member of GP `slot`.
    fn member(&self, slot: u32) -> usize {
        self.members.iter().position(|m| m.slot == slot).unwrap()
    }

    /// The room left to GP `slot`.
    fn room(&mut self, slot: u32) -> f64 {
        self.members[self.member(slot)].room
    }
}
