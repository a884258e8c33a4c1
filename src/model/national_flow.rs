//! Installers from the national flow, for a run restricted to régions or départements with
//! its border ring (docs/model.md, "Sub-national runs"). Every graduate of the national
//! training pipeline is drawn with an origin commune over metropolitan France (∝ population)
//! and a subdivision of training by the rule of [`super::train_and_graduate::draw_faculty`]
//! over France, and is a locum until their decision year; a nested choice then keeps those who
//! will practise in the simulated communes:
//!
//! - upper level: the simulated communes of a département, or another part of France (each
//!   département's communes outside the simulation), by the installation logit at the level of
//!   départements: the log-sum of their communes' utility for every installer in the
//!   decision year, as a France run of the same scenario at a coarse scale computes it
//!   (`france`: size, urban cluster, group practice with room, unmet demand, zone, GP
//!   density around, colleagues, MSP, and the policies in force), and the installer's own terms
//!   at the part's centroid (distances to origin and faculty town, subdivision of training,
//!   birth région), exactly for the communes near the origin;
//! - lower level: the commune, among the simulated ones, by the full logit of
//!   [`super::install_gps`], the same year and on the run's own state. Those who choose
//!   another part of France leave the run.
//!
//! A France run has no other part: it keeps the graduates drawn over its own communes.

use std::collections::HashMap;

use bevy_ecs::prelude::*;

use super::distances::{KM_PER_DEG_LAT, KM_PER_DEG_LON};
use super::resources::{Communes, FranceRecord};
use crate::inputs::Inputs;
use crate::scenario::{Border, Installation, Scenario, Territory};

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
    region: u16,
    subdivision: u8,
    /// Index into `Communes::departements` of a part of simulated communes.
    simulated: Option<u16>,
}

/// A part in one year: the weight and centroid of its candidates.
#[derive(Debug, Clone, Default)]
struct PartYear {
    /// Σ exp(utility) over its candidate communes.
    weight: f64,
    /// Centroid of its candidates weighted as `weight`, km.
    x_km: f64,
    y_km: f64,
}

/// The upper level in one decision year.
#[derive(Debug, Clone, Default)]
struct Year {
    /// exp(utility) of each of [`NationalFlow::candidates`].
    weights: Vec<f64>,
    /// Each of [`NationalFlow::parts`].
    parts: Vec<PartYear>,
    /// For each subdivision of training, each part's faculty terms at its centroid:
    /// exp(distance to the faculty town's utility + the subdivision's bonus, counted as a loss
    /// outside it).
    by_faculty: Vec<Vec<f64>>,
}

/// Radius around a graduate's origin within which the upper level counts each candidate
/// commune's distances exactly rather than at its part's centroid, km: the communes near home
/// weigh most (installers settle a median 85 km from their birth commune, INSEE 2019), where a
/// centroid's distance would understate them.
const NEAR_KM: f64 = 30.0;

/// A candidate commune of the upper level.
#[derive(Debug, Clone)]
struct Candidate {
    x_km: f64,
    y_km: f64,
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
    candidates: Vec<Candidate>,
    /// Indexes into `candidates` by square of [`NEAR_KM`].
    near: HashMap<(i64, i64), Vec<u32>>,
    /// The upper level year by year, as the France run reaches each (earlier decision years
    /// take the first; a year France has not recorded, the latest before it).
    years: Vec<(u16, Year)>,
    /// Index into `candidates` of each commune of the France run, if a candidate.
    france_candidate: Vec<Option<u32>>,
    /// (year, people of France per person of its health-centre sites), from the France run.
    people_per_site_person: Vec<(u16, f64)>,
    /// (year, chances of a junior for a supervisor in the zone and elsewhere), from the France
    /// run.
    junior_chances: Vec<(u16, (f64, f64))>,
    /// People of each subdivision of the 3rd cycle, over France.
    faculty_population: Vec<u64>,
    /// Index into `Communes::regions` of each metropolitan région (`u16::MAX`: not simulated).
    regions: Vec<u16>,
}

impl NationalFlow {
    /// The flow of a run of `s` over `communes`: open for a sub-national run with its border
    /// ring, with the France run behind its upper level and what France recorded in the
    /// start year (the graduates before it choose on the start year's France); empty
    /// otherwise.
    pub fn new(
        s: &Scenario,
        inputs: &Inputs,
        communes: &Communes,
        france: Option<(FranceRun, FranceRecord)>,
    ) -> (NationalFlow, Option<FranceRun>) {
        let Some((france, first)) = france else {
            return (NationalFlow::default(), None);
        };
        let mut flow = NationalFlow::over(s, inputs, communes, &france.codes());
        flow.extend(first, communes, &s.installation);
        if flow.years.is_empty() {
            // A France run that installed nobody: no part draws anyone.
            let none = vec![0.0; flow.candidates.len()];
            let year = flow.year(none, communes, &s.installation);
            flow.years.push((s.start_year, year));
        }
        (flow, Some(france))
    }

    /// Adds what the France run recorded in its latest years.
    pub fn extend(&mut self, record: FranceRecord, communes: &Communes, i: &Installation) {
        for (y, list) in record.utilities {
            let mut weights = vec![0.0; self.candidates.len()];
            for (c, u) in list {
                if let Some(at) = self.france_candidate[c as usize] {
                    // exp(u) for u up to ≈ 20: no overflow, no shift needed.
                    weights[at as usize] = u.exp();
                }
            }
            let year = self.year(weights, communes, i);
            self.years.push((y, year));
        }
        self.people_per_site_person
            .extend(record.people_per_site_person);
        self.junior_chances.extend(record.junior_chances);
    }

    /// The flow's fixed part (origins, parts, candidates) for a run of `s` over `communes`,
    /// beside a France run of communes `france_codes`.
    fn over(
        s: &Scenario,
        inputs: &Inputs,
        communes: &Communes,
        france_codes: &[String],
    ) -> NationalFlow {
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
        let mut flow = NationalFlow {
            faculty_population: vec![0; inputs.faculties.len()],
            ..NationalFlow::default()
        };
        let mut parts: HashMap<(&str, bool), u32> = HashMap::new();
        // Index into `flow.candidates` of each candidate commune's INSEE code.
        let mut candidate_of: HashMap<&str, u32> = HashMap::new();
        let mut total = 0u64;
        for d in &inputs.departements {
            // Overseas départements have no GP data and are never simulated.
            if !inputs.workforce.gps_all_modes_2018.contains_key(&d.code) {
                continue;
            }
            let region = region_of(&d.region_code);
            let sub = subdivision.get(d.code.as_str()).copied().unwrap_or(0);
            for c in inputs.communes.iter().filter(|c| c.departement == d.code) {
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
                let id = (d.code.as_str(), here.is_some());
                let part = *parts.entry(id).or_insert_with(|| {
                    flow.parts.push(Part {
                        region,
                        subdivision: sub,
                        simulated: here.map(|c| communes.communes[c as usize].departement),
                    });
                    flow.parts.len() as u32 - 1
                });
                // The France run's candidates: communes of at least the minimum population.
                if c.population < s.installation.min_commune_population.max(1) {
                    continue;
                }
                let at = flow.candidates.len() as u32;
                candidate_of.insert(c.code_insee.as_str(), at);
                flow.near.entry(square(x_km, y_km)).or_default().push(at);
                flow.candidates.push(Candidate { x_km, y_km, part });
            }
        }
        flow.france_candidate = france_codes
            .iter()
            .map(|code| candidate_of.get(code.as_str()).copied())
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

    /// The upper level of a year whose candidates weigh `weights`.
    fn year(&self, weights: Vec<f64>, communes: &Communes, i: &Installation) -> Year {
        let mut parts = vec![PartYear::default(); self.parts.len()];
        for (c, &w) in self.candidates.iter().zip(&weights) {
            let p = &mut parts[c.part as usize];
            p.weight += w;
            p.x_km += w * c.x_km;
            p.y_km += w * c.y_km;
        }
        for p in parts.iter_mut().filter(|p| p.weight > 0.0) {
            p.x_km /= p.weight;
            p.y_km /= p.weight;
        }
        let by_faculty = communes
            .faculties
            .iter()
            .enumerate()
            .map(|(f, town)| {
                let f = f as u8;
                self.parts
                    .iter()
                    .zip(&parts)
                    .map(|(p, at)| {
                        let outside = f64::from(u8::from(p.subdivision != f));
                        (i.beta_faculty_distance_per_100km
                            * km(at.x_km - town.x_km, at.y_km - town.y_km)
                            / 100.0
                            - i.beta_training_subdivision * outside)
                            .exp()
                    })
                    .collect()
            })
            .collect();
        Year {
            weights,
            parts,
            by_faculty,
        }
    }

    /// Is the national flow open (a sub-national run with its ring)?
    pub fn is_open(&self) -> bool {
        !self.parts.is_empty()
    }

    /// The people whose health-centre openings a run's sites of `site_people` people (the
    /// population of its under-dense communes where centres open) receive in `year`, for a
    /// sub-national run: France's openings go to France's sites in proportion to their people,
    /// so those of the simulated sites are France's people × their share of France's sites
    /// (none for a France run, which counts its own people).
    pub fn people_for_centre_sites(&self, year: u16, site_people: u64) -> Option<f64> {
        in_year(&self.people_per_site_person, year).map(|ratio| ratio * site_people as f64)
    }

    /// The chance of a docteur junior for a supervisor in the under-dense zone and for one
    /// elsewhere in `year`, as the France run placed them (none for a France run).
    pub fn junior_chances(&self, year: u16) -> Option<(f64, f64)> {
        in_year(&self.junior_chances, year)
    }

    /// The upper level of decision year `year`: its own, else the latest before it, else
    /// the first.
    fn upper_level(&self, year: u16) -> &Year {
        let after = self.years.partition_point(|(y, _)| *y <= year);
        &self.years[after.saturating_sub(1)].1
    }
}

/// Is the national flow open for `t`: a territory of régions or départements with its border
/// ring (a France run or a closed territory keeps its own graduates)?
fn is_open(t: &Territory) -> bool {
    !(t.regions.is_empty() && t.departements.is_empty()) && t.border != Border::None
}

/// The value of `year` in a yearly series (the last one's after it).
fn in_year<T: Copy>(series: &[(u16, T)], year: u16) -> Option<T> {
    let last = series.last()?;
    Some(series.iter().find(|(y, _)| *y == year).unwrap_or(last).1)
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
mod france;

pub use france::FranceRun;

#[cfg(test)]
#[path = "national_flow_tests.rs"]
mod tests;
