//! The border ring on the real data: which communes it holds, and how a région run reports.

use super::*;
use crate::model::testing::{baseline, data_dir};

#[test]
fn the_territory_comes_first_in_every_list_and_its_ring_after() {
    let inputs = Inputs::load(&data_dir()).unwrap();
    let mut s = baseline();
    s.territory.regions = vec!["24".into()];
    let all = crate::model::territory::select(&inputs, &s.territory, &s.matching).unwrap();
    let r = all.reported;
    assert_eq!((r.departements, r.regions), (6, 1));
    assert!(all.communes.len() > r.communes && all.departements.len() > 6);
    let in_region = |c: &Commune| all.regions[c.region as usize].code == "24";
    assert!(all.communes[..r.communes].iter().all(in_region));
    assert!(!all.communes[r.communes..].iter().any(in_region));
    assert!(all.national_share > r.national_share);
    // A ring département keeps the share of its people living in the ring.
    assert!(
        all.departement_population_share[6..]
            .iter()
            .all(|&x| x > 0.0 && x <= 1.0)
    );
    let shown = all.reported();
    assert_eq!(shown.communes.len(), r.communes);
    assert_eq!(shown.regions.len(), 1);
    assert_eq!(shown.national_share, r.national_share);
    // Closed, the same territory is all there is.
    s.territory.border = crate::scenario::Border::None;
    let closed = crate::model::territory::select(&inputs, &s.territory, &s.matching).unwrap();
    assert_eq!(closed.communes.len(), r.communes);
    assert_eq!(closed.national_share, r.national_share);
}

#[test]
fn the_ring_holds_the_communes_within_reach_across_the_border_and_no_farther() {
    let inputs = Inputs::load(&data_dir()).unwrap();
    let m = baseline().matching;
    let inside: HashSet<&str> = ["15"].into();
    let ring = ring(&inputs, &inside, |d| !d.starts_with("97"), &m);
    assert!(!ring.is_empty());
    let deps: HashSet<&str> = ring
        .iter()
        .map(|&i| inputs.communes[i].departement.as_str())
        .collect();
    // Cantal borders these six départements, and only them.
    let neighbours: HashSet<&str> = ["19", "43", "46", "48", "12", "63"].into();
    assert!(deps.is_subset(&neighbours), "{deps:?}");
    assert!(deps.len() >= 4, "{deps:?}");
    // No commune of the ring lies farther than the reach's straight-line radius.
    let radius = radius_km(&m, m.reach_minutes);
    let cantal: Vec<&CommuneRow> = inputs
        .communes
        .iter()
        .filter(|c| c.departement == "15")
        .collect();
    for &i in &ring {
        let c = &inputs.communes[i];
        let nearest = cantal
            .iter()
            .map(|t| ((c.lon - t.lon) * KM_PER_DEG_LON).hypot((c.lat - t.lat) * KM_PER_DEG_LAT))
            .fold(f64::INFINITY, f64::min);
        assert!(nearest <= radius + 1e-9, "{} at {nearest} km", c.code_insee);
    }
}

#[test]
fn the_rings_outer_communes_have_more_of_their_gps_beyond_than_those_next_to_the_territory() {
    let inputs = Inputs::load(&data_dir()).unwrap();
    let mut s = baseline();
    s.territory.regions = vec!["24".into()];
    let all = crate::model::territory::select(&inputs, &s.territory, &s.matching).unwrap();
    let (territory, ring) = all.communes.split_at(all.reported.communes);
    assert!(territory.iter().all(|c| c.beyond_share == 0.0));
    assert!(ring.iter().all(|c| (0.0..=1.0).contains(&c.beyond_share)));
    let mean = |cs: &[&Commune]| {
        cs.iter().map(|c| f64::from(c.beyond_share)).sum::<f64>() / cs.len() as f64
    };
    let everyone: Vec<&Commune> = ring.iter().collect();
    let m = mean(&everyone);
    assert!((0.05..0.6).contains(&m), "{m}");
    // The half of the ring farthest from the territory looks beyond more than the nearest half.
    let gap = |c: &Commune| {
        territory
            .iter()
            .map(|t| (t.x_km - c.x_km).hypot(t.y_km - c.y_km))
            .fold(f64::INFINITY, f64::min)
    };
    let mut by_gap: Vec<(f64, &Commune)> = ring.iter().map(|c| (gap(c), c)).collect();
    by_gap.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = by_gap.len() / 2;
    let near: Vec<&Commune> = by_gap[..half].iter().map(|x| x.1).collect();
    let far: Vec<&Commune> = by_gap[half..].iter().map(|x| x.1).collect();
    assert!(
        mean(&far) > mean(&near) + 0.1,
        "{} {}",
        mean(&far),
        mean(&near)
    );
    // A France run has no ring, so nothing beyond.
    s.territory.regions.clear();
    let france = crate::model::territory::select(&inputs, &s.territory, &s.matching).unwrap();
    assert!(france.communes.iter().all(|c| c.beyond_share == 0.0));
}
