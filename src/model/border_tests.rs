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
