//! The border ring of a sub-national run (docs/model.md, "Sub-national runs"): the communes
//! outside the requested territory within the matching's reach of one of its communes. They
//! are simulated like the territory (population, start-year GPs, every process), so the
//! territory's patients reach GPs across the border and the ring's patients compete for them,
//! but they are never reported: the territory comes first in every list of [`Communes`], and
//! [`Communes::reported`] keeps that leading part.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::distances::{KM_PER_DEG_LAT, KM_PER_DEG_LON, radius_km, road_minutes};
use super::resources::{Commune, Communes, Unit};
use crate::inputs::{CommuneRow, DepartementRow, Inputs};
use crate::scenario::Matching;

impl Communes {
    /// The requested territory alone, as the outputs show it: the ring's communes,
    /// départements and régions left out (a copy; without a ring, the same lists).
    pub fn reported(&self) -> Communes {
        let r = self.reported;
        Communes {
            communes: self.communes[..r.communes].to_vec(),
            departements: self.departements[..r.departements].to_vec(),
            departement_region: self.departement_region[..r.departements].to_vec(),
            departement_population_share: self.departement_population_share[..r.departements]
                .to_vec(),
            regions: self.regions[..r.regions].to_vec(),
            national_share: r.national_share,
            faculties: self.faculties.clone(),
            reported: r,
        }
    }

    /// Is commune `c` in the requested territory (not in the ring)?
    #[inline]
    pub fn is_reported(&self, c: u16) -> bool {
        (c as usize) < self.reported.communes
    }
}

/// Indexes into `inputs.communes` of the ring around the départements `inside`: the
/// communes of the other départements of `eligible` within `m.reach_minutes` of road of a
/// commune inside (the travel time of the matching's reach, which is the same both ways),
/// in data order.
pub fn ring(
    inputs: &Inputs,
    inside: &HashSet<&str>,
    eligible: impl Fn(&str) -> bool,
    m: &Matching,
) -> Vec<usize> {
    let point = |c: &CommuneRow| (c.lon * KM_PER_DEG_LON, c.lat * KM_PER_DEG_LAT);
    let cell = radius_km(m, m.reach_minutes).max(1.0);
    let key = |(x, y): (f64, f64)| ((x / cell).floor() as i64, (y / cell).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<&CommuneRow>> = HashMap::new();
    for c in inputs
        .communes
        .iter()
        .filter(|c| inside.contains(c.departement.as_str()))
    {
        grid.entry(key(point(c))).or_default().push(c);
    }
    let near = |c: &CommuneRow| {
        let (x, y) = point(c);
        let (gx, gy) = key((x, y));
        (-1..=1).any(|dx| {
            (-1..=1).any(|dy| {
                grid.get(&(gx + dx, gy + dy)).is_some_and(|cell| {
                    cell.iter().any(|t| {
                        let (tx, ty) = point(t);
                        let km = ((x - tx).powi(2) + (y - ty).powi(2)).sqrt();
                        let urban = (c.urban_cluster == 1, t.urban_cluster == 1);
                        road_minutes(km, urban, m) <= m.reach_minutes
                    })
                })
            })
        })
    };
    inputs
        .communes
        .iter()
        .enumerate()
        .filter(|(_, c)| !inside.contains(c.departement.as_str()) && eligible(&c.departement))
        .filter(|(_, c)| near(c))
        .map(|(i, _)| i)
        .collect()
}

/// A commune's GP practice addresses: position (km), urban, how many, simulated.
type AddressesAt = (f64, f64, bool, f64, bool);

/// For each commune of a border ring (`ring`), the share of the GP practice addresses within
/// the matching's reach (`m.reach_minutes` of road; BPE 2020 liberal addresses) that lie in
/// communes not `simulated`: about that share of the ring's people hold their MT beyond the
/// ring in a France run, and never seek one among the simulated GPs. An assumption, labelled as
/// such: people take the GPs within reach in proportion to their addresses, as open (or as
/// full) beyond the ring as inside it. The mirror image, the part of the ring GPs' lists that
/// people from beyond hold, is not modelled (docs/model.md, "Sub-national runs"). A commune
/// with no address in reach gets 0.
pub fn beyond_shares(
    inputs: &Inputs,
    simulated: &HashSet<&str>,
    ring: &[Commune],
    m: &Matching,
) -> Vec<f32> {
    let addresses = &inputs.gp_places.liberal_addresses;
    let cell = radius_km(m, m.reach_minutes).max(1.0);
    let key = |x: f64, y: f64| ((x / cell).floor() as i64, (y / cell).floor() as i64);
    // Every metropolitan commune with an address, by grid cell.
    let mut grid: HashMap<(i64, i64), Vec<AddressesAt>> = HashMap::new();
    for c in &inputs.communes {
        let Some(&n) = addresses.get(&c.code_insee) else {
            continue;
        };
        let (x, y) = (c.lon * KM_PER_DEG_LON, c.lat * KM_PER_DEG_LAT);
        let here = simulated.contains(c.code_insee.as_str());
        grid.entry(key(x, y))
            .or_default()
            .push((x, y, c.urban_cluster == 1, f64::from(n), here));
    }
    ring.iter()
        .map(|c| {
            let (gx, gy) = key(c.x_km, c.y_km);
            let (mut beyond, mut all) = (0.0, 0.0);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    let cell = grid.get(&(gx + dx, gy + dy)).into_iter().flatten();
                    for &(x, y, urban, n, here) in cell {
                        let km = ((x - c.x_km).powi(2) + (y - c.y_km).powi(2)).sqrt();
                        if road_minutes(km, (c.urban, urban), m) <= m.reach_minutes {
                            all += n;
                            beyond += if here { 0.0 } else { n };
                        }
                    }
                }
            }
            if all > 0.0 {
                (beyond / all) as f32
            } else {
                0.0
            }
        })
        .collect()
}

/// The régions (the territory's by code, then the ring's others by code), the région of each
/// département, and how many régions are the territory's.
pub(super) fn regions(
    chosen: &[&DepartementRow],
    ring: &[&DepartementRow],
) -> (Vec<Unit>, Vec<u16>, usize) {
    let codes = |ds: &[&DepartementRow]| -> BTreeSet<(String, String)> {
        ds.iter()
            .map(|d| (d.region_code.clone(), d.region_nom.clone()))
            .collect()
    };
    let inside = codes(chosen);
    let outside: Vec<(String, String)> = codes(ring).difference(&inside).cloned().collect();
    let regions: Vec<Unit> = inside
        .iter()
        .chain(&outside)
        .map(|(code, name)| Unit {
            code: code.clone(),
            name: name.clone(),
        })
        .collect();
    let departement_region = chosen
        .iter()
        .chain(ring)
        .map(|d| {
            regions
                .iter()
                .position(|r| r.code == d.region_code)
                .expect("built from these départements") as u16
        })
        .collect();
    (regions, departement_region, inside.len())
}

/// Share of each département's population (data) living in its simulated communes: 1 for
/// the territory's `chosen` first départements, less for a département the ring cuts.
pub(super) fn population_shares(
    inputs: &Inputs,
    all: &[&DepartementRow],
    communes: &[Commune],
    chosen: usize,
) -> Vec<f64> {
    let mut simulated = vec![0u64; all.len()];
    for c in communes {
        simulated[c.departement as usize] += u64::from(c.population);
    }
    all.iter()
        .enumerate()
        .map(|(i, d)| {
            if i < chosen {
                return 1.0;
            }
            let total: u64 = inputs
                .communes
                .iter()
                .filter(|c| c.departement == d.code)
                .map(|c| u64::from(c.population))
                .sum();
            if total == 0 {
                1.0
            } else {
                simulated[i] as f64 / total as f64
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "border_tests.rs"]
mod tests;
