//! The simulated territory: communes selected by the scenario, and who can reach whom.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::ModelError;
use super::border::{beyond_shares, population_shares, regions, ring};
use super::resources::{BIG_CITY_RADIUS_KM, Commune, Communes, Faculty, Reach, Reported, Unit};
use crate::inputs::{DepartementRow, Inputs};
use crate::scenario::{Border, Matching, Territory};

use super::distances::{KM_PER_DEG_LAT, KM_PER_DEG_LON, radius_km};
pub use super::distances::{road_minutes, travel_minutes};

/// The most communes a territory may hold: commune indexes are `u16` (components stay small
/// for the tens of millions of patients), so 65,536 communes are indexed 0–65,535.
pub const MAX_COMMUNES: usize = u16::MAX as usize + 1;

/// Selects the communes of the territory (metropolitan France by default), then those of
/// its border ring (`territory.border`, [`super::border`]): the territory's first in every
/// list, so that [`Communes::reported`] keeps it alone.
pub fn select(inputs: &Inputs, t: &Territory, m: &Matching) -> Result<Communes, ModelError> {
    check_codes(inputs, t)?;
    let everything = t.departements.is_empty() && t.regions.is_empty();
    let chosen: Vec<&DepartementRow> = inputs
        .departements
        .iter()
        .filter(|d| {
            (everything && !d.code.starts_with("97"))
                || t.departements.contains(&d.code)
                || t.regions.contains(&d.region_code)
        })
        .collect();
    for d in &chosen {
        if !inputs.workforce.gps_all_modes_2018.contains_key(&d.code) {
            return Err(ModelError::Territory {
                field: "territory".into(),
                value: d.code.clone(),
                expected: if d.code.starts_with("97") {
                    "a metropolitan département: data/gp-density-2018.csv has no GP count for \
                     overseas départements"
                        .into()
                } else {
                    "a département with a row in data/gp-density-2018.csv".into()
                },
            });
        }
    }
    let inside: HashSet<&str> = chosen.iter().map(|d| d.code.as_str()).collect();
    // Metropolitan France has no border to simulate; overseas départements have no GP data.
    let eligible = |d: &str| inputs.workforce.gps_all_modes_2018.contains_key(d);
    let ring = if everything || t.border == Border::None {
        Vec::new()
    } else {
        ring(inputs, &inside, eligible, m)
    };
    let ring_codes: HashSet<&str> = ring
        .iter()
        .map(|&i| inputs.communes[i].departement.as_str())
        .collect();
    let ring_departements: Vec<&DepartementRow> = inputs
        .departements
        .iter()
        .filter(|d| ring_codes.contains(d.code.as_str()))
        .collect();
    let all: Vec<&DepartementRow> = chosen.iter().chain(&ring_departements).copied().collect();
    let (regions, departement_region, territory_regions) = regions(&chosen, &ring_departements);
    let departements: Vec<Unit> = all
        .iter()
        .map(|d| Unit {
            code: d.code.clone(),
            name: d.nom.clone(),
        })
        .collect();
    let index: HashMap<&str, u16> = all
        .iter()
        .enumerate()
        .map(|(i, d)| (d.code.as_str(), i as u16))
        .collect();
    let (mut faculties, subdivision_of) = faculties(inputs);
    let rows = inputs
        .communes
        .iter()
        .filter(|c| inside.contains(c.departement.as_str()))
        .chain(ring.iter().map(|&i| &inputs.communes[i]));
    let mut communes: Vec<Commune> = Vec::new();
    for c in rows {
        let d = index[c.departement.as_str()];
        let (x_km, y_km) = (c.lon * KM_PER_DEG_LON, c.lat * KM_PER_DEG_LAT);
        // faculties.csv puts every metropolitan département in a subdivision.
        let subdivision = subdivision_of
            .get(c.departement.as_str())
            .copied()
            .unwrap_or(0);
        faculties[subdivision as usize].population += u64::from(c.population);
        let near_town = faculties
            .iter()
            .any(|f| (f.x_km - x_km).hypot(f.y_km - y_km) <= BIG_CITY_RADIUS_KM);
        let town = inputs
            .faculties
            .iter()
            .any(|f| f.faculty_commune == c.code_insee);
        communes.push(Commune {
            code: c.code_insee.clone(),
            departement: d,
            region: departement_region[d as usize],
            population: c.population,
            x_km,
            y_km,
            urban: c.urban_cluster == 1,
            subdivision,
            big_city: town || (near_town && c.urban_cluster == 1),
            attractiveness: inputs.places.of(&c.departement),
            beyond_share: 0.0,
        });
    }
    let in_territory = communes.len() - ring.len();
    if !ring.is_empty() {
        let simulated: HashSet<&str> = communes.iter().map(|c| c.code.as_str()).collect();
        let shares = beyond_shares(inputs, &simulated, &communes[in_territory..], m);
        for (c, share) in communes[in_territory..].iter_mut().zip(shares) {
            c.beyond_share = share;
        }
    }
    if communes.len() > MAX_COMMUNES {
        return Err(ModelError::Territory {
            field: "territory".into(),
            value: format!("{} communes", communes.len()),
            expected: format!(
                "at most {MAX_COMMUNES} communes (a commune is indexed by 16 bits, border ring \
                 included); simulate fewer départements or régions"
            ),
        });
    }
    let (metropolitan, _) = inputs.population();
    let people = |cs: &[Commune]| cs.iter().map(|c| c.population as f64).sum::<f64>();
    let here = people(&communes[..in_territory]);
    if in_territory == 0 || here <= 0.0 {
        return Err(ModelError::Territory {
            field: "territory".into(),
            value: "(empty)".into(),
            expected: "at least one populated commune".into(),
        });
    }
    Ok(Communes {
        departement_population_share: population_shares(inputs, &all, &communes, chosen.len()),
        national_share: people(&communes) / metropolitan,
        reported: Reported {
            communes: in_territory,
            departements: chosen.len(),
            regions: territory_regions,
            national_share: here / metropolitan,
        },
        communes,
        departements,
        departement_region,
        regions,
        faculties,
    })
}

/// Refuses a département or région code that is not in the data.
fn check_codes(inputs: &Inputs, t: &Territory) -> Result<(), ModelError> {
    for code in &t.departements {
        if !inputs.departements.iter().any(|d| &d.code == code) {
            return Err(ModelError::Territory {
                field: "territory.departements".into(),
                value: code.clone(),
                expected:
                    "an INSEE département code of data/departements.csv (e.g. \"29\", \"2A\")"
                        .into(),
            });
        }
    }
    for code in &t.regions {
        if !inputs.departements.iter().any(|d| &d.region_code == code) {
            return Err(ModelError::Territory {
                field: "territory.regions".into(),
                value: code.clone(),
                expected: "an INSEE région code of data/departements.csv (e.g. \"53\")".into(),
            });
        }
    }
    Ok(())
}

/// The subdivisions of the 3rd cycle with their towns' positions (population still 0), and
/// the subdivision of each metropolitan département code (faculties.csv checks that each is
/// in exactly one).
fn faculties(inputs: &Inputs) -> (Vec<Faculty>, HashMap<&str, u8>) {
    let position: HashMap<&str, (f64, f64)> = inputs
        .communes
        .iter()
        .map(|c| {
            let xy = (c.lon * KM_PER_DEG_LON, c.lat * KM_PER_DEG_LAT);
            (c.code_insee.as_str(), xy)
        })
        .collect();
    let mut subdivision_of = HashMap::new();
    let faculties = inputs
        .faculties
        .iter()
        .enumerate()
        .map(|(i, f)| {
            for d in &f.departements {
                subdivision_of.insert(d.as_str(), i as u8);
            }
            // faculties.csv checks that the town is a commune of communes.csv.
            let (x_km, y_km) = position
                .get(f.faculty_commune.as_str())
                .copied()
                .unwrap_or_default();
            Faculty {
                name: f.subdivision.clone(),
                x_km,
                y_km,
                population: 0,
            }
        })
        .collect();
    (faculties, subdivision_of)
}

/// Communes within `minutes` of road of each commune, nearest first, with their travel
/// times; built once with a grid index.
pub fn build_reach(communes: &Communes, m: &Matching, minutes: f64) -> Reach {
    let cs = &communes.communes;
    let cell = radius_km(m, minutes).max(1.0);
    let key = |c: &Commune| {
        (
            (c.x_km / cell).floor() as i64,
            (c.y_km / cell).floor() as i64,
        )
    };
    let mut grid: HashMap<(i64, i64), Vec<u16>> = HashMap::new();
    for (i, c) in cs.iter().enumerate() {
        grid.entry(key(c)).or_default().push(i as u16);
    }
    let rows: Vec<Vec<(f64, u16)>> = (0..cs.len())
        .into_par_iter()
        .map(|i| {
            let c = &cs[i];
            let (gx, gy) = key(c);
            let mut near: Vec<(f64, u16)> = Vec::new();
            for dx in -1..=1 {
                for dy in -1..=1 {
                    for &j in grid
                        .get(&(gx + dx, gy + dy))
                        .map(Vec::as_slice)
                        .unwrap_or(&[])
                    {
                        let t = travel_minutes(communes, i as u16, j, m);
                        if t <= minutes {
                            near.push((t, j));
                        }
                    }
                }
            }
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            near
        })
        .collect();
    let mut reach = Reach {
        offsets: Vec::with_capacity(cs.len() + 1),
        neighbours: Vec::new(),
        minutes: Vec::new(),
    };
    reach.offsets.push(0);
    for row in rows {
        for (t, j) in row {
            reach.neighbours.push(j);
            reach.minutes.push(t as f32);
        }
        reach.offsets.push(reach.neighbours.len() as u32);
    }
    reach
}
