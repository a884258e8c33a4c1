//! Step 8, after [`measure`](super::measure): where the year's installers settled, added to
//! the year's records: installations in a big-city area and in the Paris region, by
//! département, summed to régions and the nation (their shares are in the tables).

use bevy_ecs::prelude::*;

use super::records::{Records, add_bins};
use super::resources::{Communes, InstallationPlaces};

/// INSEE code of the Paris region (Île-de-France).
pub const PARIS_REGION: &str = "11";

/// Adds this year's installations by place to the record `measure` just pushed.
pub fn record_installation_places(
    communes: Res<Communes>,
    mut places: ResMut<InstallationPlaces>,
    mut records: ResMut<Records>,
) {
    let big_city = std::mem::take(&mut places.big_city);
    let by_km = std::mem::take(&mut places.by_faculty_km);
    let Some(year) = records.years.last_mut() else {
        return;
    };
    for (i, d) in year.departements.iter_mut().enumerate() {
        d.installations_big_city = big_city.get(i).copied().unwrap_or(0);
        d.installations_by_faculty_km = by_km.get(i).cloned().unwrap_or_default();
        let region = &communes.regions[communes.departement_region[i] as usize];
        d.installations_paris_region = d.installations * u64::from(region.code == PARIS_REGION);
    }
    for r in year.regions.iter_mut() {
        (r.installations_big_city, r.installations_paris_region) = (0, 0);
        r.installations_by_faculty_km.clear();
    }
    let (mut big, mut paris, mut km) = (0, 0, Vec::new());
    for (i, d) in year.departements.iter().enumerate() {
        let r = &mut year.regions[communes.departement_region[i] as usize];
        r.installations_big_city += d.installations_big_city;
        r.installations_paris_region += d.installations_paris_region;
        add_bins(
            &mut r.installations_by_faculty_km,
            &d.installations_by_faculty_km,
        );
        add_bins(&mut km, &d.installations_by_faculty_km);
        big += d.installations_big_city;
        paris += d.installations_paris_region;
    }
    year.national.installations_big_city = big;
    year.national.installations_paris_region = paris;
    year.national.installations_by_faculty_km = km;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::records::{Counts, YearRecord};
    use crate::model::testing::tiny_world;
    use bevy_ecs::system::RunSystemOnce;

    #[test]
    fn big_city_installations_are_summed_to_the_region_and_the_nation() {
        let mut world = tiny_world();
        let counts = Counts {
            installations: 5,
            ..Counts::default()
        };
        world.insert_resource(Records::default());
        world.resource_mut::<Records>().years.push(YearRecord {
            year: 2020,
            national: counts.clone(),
            regions: vec![counts.clone()],
            departements: vec![counts],
            mt_lists: [0.0; 4],
            install_km_median: f64::NAN,
            communes: Vec::new(),
        });
        world.insert_resource(InstallationPlaces {
            big_city: vec![3],
            // Two installations at 0-5 km, one at 10-15 km: the median is 3.75 km.
            by_faculty_km: vec![vec![2, 0, 1]],
        });
        world.run_system_once(record_installation_places).unwrap();
        let y = &world.resource::<Records>().years[0];
        assert_eq!(y.departements[0].installations_big_city, 3);
        assert_eq!(y.regions[0].installations_big_city, 3);
        assert_eq!(y.national.installations_big_city, 3);
        assert_eq!(y.regions[0].installations_by_faculty_km, [2, 0, 1]);
        assert!((y.national.median_faculty_km() - 3.75).abs() < 1e-12);
        // The tiny world's région is 84 (Auvergne-Rhône-Alpes), not the Paris region.
        assert_eq!(y.national.installations_paris_region, 0);
    }
}
