//! Tests of the installation logit: exact draws, and the direction of each term.

use super::*;
use crate::model::testing::{baseline, tiny_world};

/// Only the origin-distance term: the other personal terms are switched off.
fn distance_only(beta_km: f64) -> Installation {
    Installation {
        beta_distance_per_100km: beta_km,
        beta_faculty_distance_per_100km: 0.0,
        beta_training_subdivision: 0.0,
        beta_birth_region: 0.0,
        ..baseline().installation
    }
}

const AT_0: Chooser = Chooser {
    from: 0,
    birth_region: 0,
    faculty: 0,
};

/// The logit's probabilities, summed over every candidate.
fn exact_probabilities(
    cands: &[(u16, f64)],
    communes: &Communes,
    i: &Installation,
    who: Chooser,
) -> Vec<f64> {
    let w: Vec<f64> = cands
        .iter()
        .map(|&(c, u)| (u + personal_utility(i, communes, who, c)).exp())
        .collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

/// Shares of 20,000 draws going to each of the tiny world's three communes.
fn shares(i: &Installation, who: Chooser, cands: &[(u16, f64)]) -> [f64; 3] {
    let world = tiny_world();
    let communes = world.resource::<Communes>();
    let logit = Logit::new(cands, communes);
    let mut n = [0u32; 3];
    for k in 0..20_000 {
        n[logit.choose(communes, i, who, mix(k)).unwrap() as usize] += 1;
    }
    n.map(|x| f64::from(x) / 20_000.0)
}

#[test]
fn draws_follow_the_logit_probabilities() {
    let world = tiny_world();
    let communes = world.resource::<Communes>();
    // Commune 2 is 100 km away: a high static utility, cut (e^-1.6 ≈ 0.2) by distance, and by
    // the faculty distance, the subdivision and the birth région, each for some choosers.
    let cands = [(0u16, 0.0), (1, -0.5), (2, 1.5)];
    let i = Installation {
        beta_faculty_distance_per_100km: -0.5,
        beta_training_subdivision: 0.4,
        beta_birth_region: 0.7,
        ..distance_only(-1.6)
    };
    let logit = Logit::new(&cands, communes);
    // Trained in subdivision 0 or 1; born in the tiny world's région (0) or in another.
    for who in [
        AT_0,
        Chooser { faculty: 1, ..AT_0 },
        Chooser {
            birth_region: 1,
            faculty: 1,
            from: 2,
        },
    ] {
        let p = exact_probabilities(&cands, communes, &i, who);
        let n = 100_000;
        let (mut drawn, mut exact) = ([0u32; 3], [0u32; 3]);
        for k in 0..n {
            let k = mix(k);
            drawn[logit.choose(communes, &i, who, k).unwrap() as usize] += 1;
            exact[logit.exact(communes, &i, who, unit(k)) as usize] += 1;
        }
        for c in 0..3 {
            // Binomial sd ≤ 0.0016 at n = 100,000: 5 sd.
            for counts in [drawn, exact] {
                let share = f64::from(counts[c]) / n as f64;
                assert!(
                    (share - p[c]).abs() < 0.008,
                    "{who:?}, commune {c}: {share} vs {}",
                    p[c]
                );
            }
        }
    }
}

#[test]
fn no_candidate_draws_nothing_and_one_candidate_is_always_drawn() {
    let world = tiny_world();
    let communes = world.resource::<Communes>();
    let i = distance_only(-1.6);
    assert_eq!(
        Logit::new(&[], communes).choose(communes, &i, AT_0, 7),
        None
    );
    let far = [(2u16, -30.0)];
    let i = distance_only(-20.0);
    assert!((0..100).all(|k| Logit::new(&far, communes).choose(communes, &i, AT_0, k) == Some(2)));
}

#[test]
fn a_closer_faculty_town_pulls_its_communes() {
    // Communes 0 and 2 are alike; faculty B's town lies 20 km past commune 2.
    let cands = [(0u16, 0.0), (2, 0.0)];
    let i = Installation {
        beta_faculty_distance_per_100km: -2.0,
        ..distance_only(0.0)
    };
    // Exact shares: 1 / (1 + e^-2) ≈ 0.88 and 1 / (1 + e^(-2.4 + 0.4)) ≈ 0.88.
    let near_a = shares(&i, AT_0, &cands);
    let near_b = shares(&i, Chooser { faculty: 1, ..AT_0 }, &cands);
    assert!(near_a[0] > 0.8 && near_b[2] > 0.8, "{near_a:?} {near_b:?}");
}

#[test]
fn the_subdivision_of_training_pulls_its_communes() {
    // Commune 2 is in subdivision 1; distances switched off.
    let cands = [(0u16, 0.0), (2, 0.0)];
    let none = shares(&distance_only(0.0), Chooser { faculty: 1, ..AT_0 }, &cands);
    let i = Installation {
        beta_training_subdivision: 1.0,
        ..distance_only(0.0)
    };
    let trained_there = shares(&i, Chooser { faculty: 1, ..AT_0 }, &cands);
    assert!(
        trained_there[2] > none[2] + 0.15,
        "{none:?} {trained_there:?}"
    );
}

#[test]
fn the_birth_region_pulls_its_communes() {
    // Every commune of the tiny world is in région 0: an origin "from région 1" finds none.
    let world = tiny_world();
    let communes = world.resource::<Communes>();
    let i = Installation {
        beta_birth_region: 1.0,
        ..distance_only(0.0)
    };
    let home = personal_utility(&i, communes, AT_0, 1);
    let away = personal_utility(
        &i,
        communes,
        Chooser {
            birth_region: 1,
            ..AT_0
        },
        1,
    );
    assert!(home > away && (home - away - 1.0).abs() < 1e-12);
}

#[test]
fn colleagues_an_msp_and_density_move_the_static_utility_by_their_sign() {
    let i = baseline().installation;
    let plain = Site {
        population: 2000,
        ..Site::default()
    };
    let u = |s: Site| static_utility(&i, &s);
    let colleagues = Site {
        colleagues: true,
        ..plain
    };
    let msp = Site { msp: true, ..plain };
    assert!((u(colleagues) - u(plain) - i.beta_colleagues).abs() < 1e-12);
    assert!((u(msp) - u(plain) - i.beta_msp_present).abs() < 1e-12);
    let denser = Site {
        gps_per_1000: 1.0,
        ..plain
    };
    assert!((u(denser) - u(plain) - i.beta_gp_density_per_1000).abs() < 1e-12);
    let bigger = Site {
        population: 20_000,
        ..plain
    };
    assert!(u(bigger) > u(plain), "size pulls (β log population > 0)");
}
