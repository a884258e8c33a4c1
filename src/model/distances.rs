//! Distances between communes: degrees to kilometres, and the road travel time the reach of
//! patients and the border ring are built on (docs/model.md, "Territory").

use super::resources::Communes;
use crate::scenario::Matching;

/// Kilometres per degree of latitude, and of longitude at France's mean latitude (46.5°).
pub(crate) const KM_PER_DEG_LAT: f64 = 110.57;
pub(crate) const KM_PER_DEG_LON: f64 = 76.63;

/// Road travel time between `a` and `b`, minutes: straight-line distance × detour factor,
/// half the way at the speed of each end's density class (urban cluster or not), so the
/// time is the same both ways.
pub fn travel_minutes(communes: &Communes, a: u16, b: u16, m: &Matching) -> f64 {
    let (ca, cb) = (
        &communes.communes[a as usize],
        &communes.communes[b as usize],
    );
    road_minutes(communes.distance_km(a, b), (ca.urban, cb.urban), m)
}

/// Road travel time over `km` of straight line between two communes, each in an urban
/// cluster or not, minutes.
pub fn road_minutes(km: f64, (urban_a, urban_b): (bool, bool), m: &Matching) -> f64 {
    let speed_kmh = |urban: bool| {
        if urban {
            m.speed_urban_kmh
        } else {
            m.speed_rural_kmh
        }
    };
    let hours_per_km = 0.5 / speed_kmh(urban_a) + 0.5 / speed_kmh(urban_b);
    km * m.detour_factor * hours_per_km * 60.0
}

/// Largest straight-line distance covered in `minutes` of road, km.
pub fn radius_km(m: &Matching, minutes: f64) -> f64 {
    minutes / 60.0 * m.speed_urban_kmh.max(m.speed_rural_kmh) / m.detour_factor
}
