//! Installers from the national flow, for a run restricted to régions or départements with
//! its border ring (docs/model.md, "Sub-national runs"). Every graduate of the national
//! training pipeline is drawn with an origin commune over metropolitan France (∝ population)
//! and a subdivision of training by the rule of [`super::train_and_graduate::draw_faculty`]
//! over France; a nested choice then keeps those who will practise in the simulated communes:
//!
//! - upper level: the simulated communes of a département, or another part of France (each
//!   département's communes outside the simulation), by the installation logit at the level of
//!   départements: the log-sum of the start-year static utility of their communes (size, urban
//!   cluster, a GP practising there, the département's GP density in the data), and the
//!   installer's own terms at their centroid (distances to origin and faculty town,
//!   subdivision of training, birth région);
//! - lower level: the commune, among the simulated ones, by the full logit of
//!   [`super::install_gps`], at the decision year. Those who choose another part of France are
//!   not simulated.
//!
//! A France run has no other part: it keeps the graduates drawn over its own communes.

use std::collections::HashMap;

use bevy_ecs::prelude::*;

use super::resources::Communes;
use super::territory::{KM_PER_DEG_LAT, KM_PER_DEG_LON};
use crate::inputs::Inputs;
use crate::scenario::{Border, Scenario};

/// A metropolitan commune as the origin of a graduate.
#[derive(Debug, Clone)]
struct Origin {
    x_km: f64,
    y_km: f64,
    /// Index into [`NationalFlow::regions`].
    region: u16,
    subdivision: u8,
    /// Index into `Communes::communes` when simulated.
    simulated: Option<u16>,
}

/// One alternative of the upper level: the candidate communes of a département, simulated or
/// not.
#[derive(Debug, Clone)]
struct Part {
    /// Σ exp(static utility) over its candidate communes.
    weight: f64,
    /// Centroid of its candidates weighted as `weight`, km.
    x_km: f64,
    y_km: f64,
    region: u16,
    subdivision: u8,
    simulated: bool,
}

/// Radius around a graduate's origin within which the upper level counts each candidate
/// commune's distances exactly rather than at its part's centroid, km: the communes near home
/// weigh most (installers settle a median 85 km from their birth commune, INSEE 2019), where a
/// centroid's distance would understate them.
const NEAR_KM: f64 = 30.0;

/// A candidate commune of the upper level, for the exact terms near an origin.
#[derive(Debug, Clone)]
struct Candidate {
    x_km: f64,
    y_km: f64,
    /// exp(static utility).
    weight: f64,
    /// Index into `NationalFlow::parts`.
    part: u32,
}

/// France as the national flow of graduates sees it (empty: a France run or a closed
/// territory, whose graduates are drawn over the simulated communes).
#[derive(Resource, Debug, Clone, Default)]
pub struct NationalFlow {
    origins: Vec<Origin>,
    /// Cumulative population of `origins`.
    cumulative: Vec<u64>,
    parts: Vec<Part>,
    /// For each subdivision of training, each part's faculty terms at its centroid:
    /// exp(distance to the faculty town's utility + the subdivision's bonus, counted as a loss
    /// outside it).
    by_faculty: Vec<Vec<f64>>,
    /// Candidate communes by square of [`NEAR_KM`].
    near: HashMap<(i64, i64), Vec<Candidate>>,
    /// People of each subdivision of the 3rd cycle, over France.
    faculty_population: Vec<u64>,
    /// Index into `Communes::regions` of each metropolitan région (`u16::MAX`: not simulated).
    regions: Vec<u16>,
}

impl NationalFlow {
    /// The flow of a run of `s` over `communes`: open for a sub-national run with its border
    /// ring, empty otherwise.
    pub fn new(s: &Scenario, inputs: &Inputs, communes: &Communes) -> NationalFlow {
        let t = &s.territory;
        if (t.regions.is_empty() && t.departements.is_empty()) || t.border == Border::None {
            return NationalFlow::default();
        }
        let simulated: HashMap<&str, u16> = communes
            .communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i as u16))
            .collect();
        let subdivision: HashMap<&str, u8> = inputs
            .faculties
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.departements.iter().map(move |d| (d.as_str(), i as u8)))
            .collect();
        let mut codes: Vec<String> = Vec::new();
        let mut region_of = |code: &str| {
            codes.iter().position(|c| c == code).unwrap_or_else(|| {
                codes.push(code.to_string());
                codes.len() - 1
            }) as u16
        };
        let i = &s.installation;
        let mut flow = NationalFlow {
            faculty_population: vec![0; inputs.faculties.len()],
            ..NationalFlow::default()
        };
        let mut parts: HashMap<(&str, bool), (u32, Part)> = HashMap::new();
        let mut order: Vec<(&str, bool)> = Vec::new();
        let mut total = 0u64;
        for d in &inputs.departements {
            // Overseas départements have no GP data and are never simulated.
            let Some(&rpps) = inputs.workforce.gps_all_modes_2018.get(&d.code) else {
                continue;
            };
            let rows: Vec<_> = inputs
                .communes
                .iter()
                .filter(|c| c.departement == d.code)
                .collect();
            let people: u64 = rows.iter().map(|c| u64::from(c.population)).sum();
            let gps = inputs
                .gp_places
                .all_modes(&d.code, s.start_year)
                .unwrap_or(rpps);
            let gps_per_1000 = 1000.0 * f64::from(gps) / people.max(1) as f64;
            let region = region_of(&d.region_code);
            let sub = subdivision.get(d.code.as_str()).copied().unwrap_or(0);
            for c in rows {
                let (x_km, y_km) = (c.lon * KM_PER_DEG_LON, c.lat * KM_PER_DEG_LAT);
                let here = simulated.get(c.code_insee.as_str()).copied();
                total += u64::from(c.population);
                flow.faculty_population[sub as usize] += u64::from(c.population);
                flow.cumulative.push(total);
                flow.origins.push(Origin {
                    x_km,
                    y_km,
                    region,
                    subdivision: sub,
                    simulated: here,
                });
                if c.population < i.min_commune_population.max(1) {
                    continue;
                }
                let one = |b: bool| f64::from(u8::from(b));
                let addresses = inputs.gp_places.liberal_addresses.get(&c.code_insee);
                let v = i.beta_log_population * f64::from(c.population).ln()
                    + i.beta_urban_cluster * one(c.urban_cluster == 1)
                    + i.beta_colleagues * one(addresses.is_some_and(|&n| n > 0))
                    + i.beta_gp_density_per_1000 * gps_per_1000;
                // exp(v) for v up to ≈ 20: no overflow, no shift needed.
                let w = v.exp();
                let id = (d.code.as_str(), here.is_some());
                let (at, part) = parts.entry(id).or_insert_with(|| {
                    order.push(id);
                    let part = Part {
                        weight: 0.0,
                        x_km: 0.0,
                        y_km: 0.0,
                        region,
                        subdivision: sub,
                        simulated: here.is_some(),
                    };
                    (order.len() as u32 - 1, part)
                });
                flow.near
                    .entry(square(x_km, y_km))
                    .or_default()
                    .push(Candidate {
                        x_km,
                        y_km,
                        weight: w,
                        part: *at,
                    });
                part.weight += w;
                part.x_km += w * x_km;
                part.y_km += w * y_km;
            }
        }
        flow.parts = order
            .iter()
            .map(|id| {
                let p = &parts[id].1;
                Part {
                    x_km: p.x_km / p.weight,
                    y_km: p.y_km / p.weight,
                    ..p.clone()
                }
            })
            .collect();
        flow.by_faculty = communes
            .faculties
            .iter()
            .enumerate()
            .map(|(f, town)| {
                let f = f as u8;
                flow.parts
                    .iter()
                    .map(|p| {
                        let outside = f64::from(u8::from(p.subdivision != f));
                        (i.beta_faculty_distance_per_100km
                            * km(p.x_km - town.x_km, p.y_km - town.y_km)
                            / 100.0
                            - i.beta_training_subdivision * outside)
                            .exp()
                    })
                    .collect()
            })
            .collect();
        flow.regions = codes
            .iter()
            .map(|code| {
                let at = communes.regions.iter().position(|r| r.code == *code);
                at.map_or(u16::MAX, |r| r as u16)
            })
            .collect();
        flow
    }

    /// Is the national flow open (a sub-national run with its ring)?
    pub fn is_open(&self) -> bool {
        !self.parts.is_empty()
    }
}

/// Length of a vector, km (libm's `hypot` guards against overflows that distances in France
/// cannot reach, at several times the cost).
#[inline]
fn km(dx: f64, dy: f64) -> f64 {
    (dx * dx + dy * dy).sqrt()
}

/// The square of side [`NEAR_KM`] holding a point (km).
fn square(x_km: f64, y_km: f64) -> (i64, i64) {
    (
        (x_km / NEAR_KM).floor() as i64,
        (y_km / NEAR_KM).floor() as i64,
    )
}

mod choice;

#[cfg(test)]
#[path = "national_flow_tests.rs"]
mod tests;
