//! The geography targets' rank correlations, per seed: the DREES APL 2021 commune by commune
//! and département by département, and the RPPS change of GPs by département.

use std::collections::HashMap;

use super::kinds::{Rankings, Years};
use super::stats::spearman;
use crate::inputs::ObservedApl;
use crate::model::snapshot::AplSnapshot;
use crate::model::{Communes, Records};

/// The year of the DREES APL file.
pub const APL_YEAR: u16 = 2021;

/// The years of the RPPS comparison (`gp-departements-2012-2018.csv`).
pub const RPPS_YEARS: (u16, u16) = (2014, 2018);

/// The pseudo-out-of-sample window: the place constants are fitted on the RPPS changes of
/// 2012–2016 (`medesert estimate-places`), so 2016→2018 is the first change they have not
/// seen (docs/model.md, "Where GPs settle").
pub const HELD_OUT_YEARS: (u16, u16) = (2016, 2018);

/// The years of the map's persistence: each département's GP density against its own value
/// in the start year (RPPS 2012→2018: ρ = 0.91).
pub const PERSISTENCE_YEARS: (u16, u16) = (2014, 2021);

/// Communes of at least this many people (DREES 2021 population) enter the commune ranking:
/// below it, one GP more or less swings a commune's APL, in the model as in the data.
pub const MIN_COMMUNE_POPULATION: f64 = 2000.0;

/// What the rankings are computed from.
pub struct Sources<'a> {
    /// The replicates' records.
    pub runs: &'a [Records],
    /// Each replicate's APL snapshot at the end of [`APL_YEAR`] (empty if not simulated).
    pub snapshots: &'a [AplSnapshot],
    /// The simulated territory.
    pub communes: &'a Communes,
    /// `apl-communes-2021.csv`.
    pub apl: &'a ObservedApl,
    /// `gp-departements-2012-2018.csv`: GPs of all modes by (département, year).
    pub rpps: &'a crate::inputs::GpPlaces,
}

/// Every ranking of [`super::kinds::RANKINGS`], per seed, or why it cannot be computed.
pub fn rankings(s: &Sources) -> Rankings {
    let single = |y| Years {
        reference: y,
        from: y,
        to: y,
    };
    let window = |(a, b): (u16, u16)| Years {
        reference: a,
        from: a,
        to: b,
    };
    vec![
        ("apl_by_commune_2000plus", single(APL_YEAR), communes(s)),
        ("apl_by_departement", single(APL_YEAR), departements(s)),
        (
            "gp_change_by_departement",
            window(RPPS_YEARS),
            gp_change(s, RPPS_YEARS),
        ),
        (
            "gp_change_by_departement",
            window(HELD_OUT_YEARS),
            gp_change(s, HELD_OUT_YEARS),
        ),
        (
            "gp_density_persistence",
            window(PERSISTENCE_YEARS),
            persistence(s, PERSISTENCE_YEARS),
        ),
    ]
}

/// ρ of each département's GPs per person in `b` with its own value in `a`, per seed.
fn persistence(s: &Sources, (a, b): (u16, u16)) -> Result<Vec<f64>, String> {
    if s.communes.departements.len() < 3 {
        return Err("fewer than 3 simulated départements".into());
    }
    s.runs
        .iter()
        .map(|r| {
            let density = |year: u16| -> Result<Vec<f64>, String> {
                let y = r
                    .years
                    .iter()
                    .find(|y| y.year == year)
                    .ok_or_else(|| format!("year {year} is not simulated"))?;
                Ok(y.departements
                    .iter()
                    .take(s.communes.departements.len())
                    .map(|d| d.gps as f64 / d.population.max(1) as f64)
                    .collect())
            };
            Ok(spearman(&density(a)?, &density(b)?))
        })
        .collect()
}

fn communes(s: &Sources) -> Result<Vec<f64>, String> {
    if s.snapshots.is_empty() {
        return Err(format!("{APL_YEAR} is not simulated"));
    }
    let index: HashMap<&str, usize> = s
        .communes
        .communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.as_str(), i))
        .collect();
    let pairs: Vec<(usize, f64)> = s
        .apl
        .communes
        .iter()
        .filter(|c| c.population >= MIN_COMMUNE_POPULATION)
        .filter_map(|c| Some((*index.get(c.code_insee.as_str())?, c.apl_all_gps)))
        .collect();
    if pairs.len() < 3 {
        return Err("fewer than 3 simulated communes of 2,000+ people".into());
    }
    let observed: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    Ok(s.snapshots
        .iter()
        .map(|snap| {
            let simulated: Vec<f64> = pairs.iter().map(|p| f64::from(snap.apl[p.0])).collect();
            spearman(&simulated, &observed)
        })
        .collect())
}

/// Observed population-weighted mean APL (all GPs) by département code.
pub fn observed_departements(s: &Sources) -> HashMap<String, f64> {
    let departement: HashMap<&str, usize> = s
        .communes
        .communes
        .iter()
        .map(|c| (c.code.as_str(), c.departement as usize))
        .collect();
    let mut sums: HashMap<usize, (f64, f64)> = HashMap::new();
    for c in &s.apl.communes {
        if let Some(&d) = departement.get(c.code_insee.as_str()) {
            let e = sums.entry(d).or_default();
            e.0 += c.population * c.apl_all_gps;
            e.1 += c.population;
        }
    }
    sums.into_iter()
        .filter(|(_, (_, pop))| *pop > 0.0)
        .map(|(d, (sum, pop))| (s.communes.departements[d].code.clone(), sum / pop))
        .collect()
}

fn departements(s: &Sources) -> Result<Vec<f64>, String> {
    let observed = observed_departements(s);
    let units: Vec<(usize, f64)> = s
        .communes
        .departements
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((i, *observed.get(&d.code)?)))
        .collect();
    if units.len() < 3 {
        return Err("fewer than 3 simulated départements".into());
    }
    let obs: Vec<f64> = units.iter().map(|u| u.1).collect();
    s.runs
        .iter()
        .map(|r| {
            let y = r
                .years
                .iter()
                .find(|y| y.year == APL_YEAR)
                .ok_or_else(|| format!("{APL_YEAR} is not simulated"))?;
            let sim: Vec<f64> = units
                .iter()
                .map(|u| {
                    let d = &y.departements[u.0];
                    d.apl_sum / d.population.max(1) as f64
                })
                .collect();
            Ok(spearman(&sim, &obs))
        })
        .collect()
}

/// The simulated départements with an RPPS count in both years `a` and `b`: (index,
/// count of the first year, of the second).
fn rpps_units(s: &Sources, (a, b): (u16, u16)) -> Vec<(usize, u32, u32)> {
    s.communes
        .departements
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let (from, to) = (s.rpps.all_modes(&d.code, a)?, s.rpps.all_modes(&d.code, b)?);
            (from > 0).then_some((i, from, to))
        })
        .collect()
}

/// One département's GPs in the two years of [`RPPS_YEARS`], observed and simulated.
#[derive(Debug, Clone, PartialEq)]
pub struct GpChange {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// RPPS GPs of all modes, first and second year.
    pub observed: (u32, u32),
    /// The model's primary-care GPs, mean of the replicates, first and second year.
    pub simulated: (f64, f64),
    /// The model's flows between the two years (the second year's included, the first's
    /// not), mean of the replicates.
    pub flows: GpFlows,
}

/// What changed a département's GPs in the model: entries and exits by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GpFlows {
    /// GPs who chose the département's communes (the installation logit).
    pub chosen: f64,
    /// Salaried entries: health-centre recruits at openings, retirees in local services.
    pub salaried: f64,
    /// Retirements.
    pub retirements: f64,
    /// Other exits (before the retirement ages: leaving primary care, death, disability).
    pub other_exits: f64,
}

impl GpChange {
    /// Observed relative change.
    pub fn observed_change(&self) -> f64 {
        f64::from(self.observed.1) / f64::from(self.observed.0) - 1.0
    }

    /// Simulated relative change (of the replicates' mean counts).
    pub fn simulated_change(&self) -> f64 {
        self.simulated.1 / self.simulated.0.max(1.0) - 1.0
    }
}

/// Each département's RPPS change beside the model's, in the order of the territory's
/// départements (empty when a year of [`RPPS_YEARS`] is not simulated or there is no run).
pub fn gp_changes(s: &Sources) -> Vec<GpChange> {
    let (a, b) = RPPS_YEARS;
    let mean = |i: usize, year: u16| -> Option<f64> {
        let counts: Option<Vec<f64>> = s
            .runs
            .iter()
            .map(|r| {
                let y = r.years.iter().find(|y| y.year == year)?;
                Some(y.departements[i].gps as f64)
            })
            .collect();
        let counts = counts?;
        (!counts.is_empty()).then(|| counts.iter().sum::<f64>() / counts.len() as f64)
    };
    let flows = |i: usize| -> GpFlows {
        let mut f = GpFlows::default();
        for r in s.runs {
            for y in r.years.iter().filter(|y| y.year > a && y.year <= b) {
                let c = &y.departements[i];
                f.chosen += (c.installations - c.salaried_entries.min(c.installations)) as f64;
                f.salaried += c.salaried_entries as f64;
                f.retirements += c.retirements as f64;
                f.other_exits += (c.exits - c.retirements.min(c.exits)) as f64;
            }
        }
        let n = s.runs.len().max(1) as f64;
        GpFlows {
            chosen: f.chosen / n,
            salaried: f.salaried / n,
            retirements: f.retirements / n,
            other_exits: f.other_exits / n,
        }
    };
    rpps_units(s, RPPS_YEARS)
        .into_iter()
        .map_while(|(i, from, to)| {
            let d = &s.communes.departements[i];
            Some(GpChange {
                code: d.code.clone(),
                name: d.name.clone(),
                observed: (from, to),
                simulated: (mean(i, a)?, mean(i, b)?),
                flows: flows(i),
            })
        })
        .collect()
}

fn gp_change(s: &Sources, (a, b): (u16, u16)) -> Result<Vec<f64>, String> {
    let units: Vec<(usize, f64)> = rpps_units(s, (a, b))
        .into_iter()
        .map(|(i, from, to)| (i, f64::from(to) / f64::from(from) - 1.0))
        .collect();
    if units.len() < 3 {
        return Err("fewer than 3 simulated départements with RPPS counts".into());
    }
    let obs: Vec<f64> = units.iter().map(|u| u.1).collect();
    s.runs
        .iter()
        .map(|r| {
            let gps = |year: u16| {
                r.years
                    .iter()
                    .find(|y| y.year == year)
                    .map(|y| &y.departements)
                    .ok_or_else(|| {
                        format!(
                            "year {year} is not simulated (the run starts in {})",
                            r.years.first().map_or(0, |y| y.year)
                        )
                    })
            };
            let (from, to) = (gps(a)?, gps(b)?);
            let sim: Vec<f64> = units
                .iter()
                .map(|u| to[u.0].gps as f64 / from[u.0].gps.max(1) as f64 - 1.0)
                .collect();
            Ok(spearman(&sim, &obs))
        })
        .collect()
}

/// The years over which the shares of installations are compared with the shares of people
/// (the window: the first years a planner reads after the fitted ones).
pub const INSTALLATION_YEARS: (u16, u16) = (2019, 2024);

/// Where the model's GPs go, summed up over the replicates (docs/validation.md, "Where GPs
/// go").
#[derive(Debug, Clone, PartialEq)]
pub struct WhereGpsGo {
    /// ρ of the replicates' mean change by département with RPPS's, for [`RPPS_YEARS`] and
    /// [`HELD_OUT_YEARS`] (`None`: a year is not simulated).
    pub mean_change_rho: [Option<f64>; 2],
    /// Per replicate: the Paris region's share of the installations of
    /// [`INSTALLATION_YEARS`] (empty: not simulated or no installation).
    pub paris_installations: Vec<f64>,
    /// The Paris region's share of the people (the data's populations).
    pub paris_people: f64,
    /// Per replicate: the big-city areas' share of the installations of those years.
    pub big_city_installations: Vec<f64>,
    /// The big-city areas' share of the people.
    pub big_city_people: f64,
}

/// [`WhereGpsGo`] of the sources.
pub fn where_gps_go(s: &Sources) -> WhereGpsGo {
    let mean_change = |(a, b): (u16, u16)| -> Option<f64> {
        let units = rpps_units(s, (a, b));
        let mean = |i: usize, year: u16| -> Option<f64> {
            let total = s
                .runs
                .iter()
                .map(|r| Some(r.years.iter().find(|y| y.year == year)?.departements[i].gps))
                .sum::<Option<u64>>()?;
            Some(total as f64)
        };
        let mut sim = Vec::new();
        for &(i, _, _) in &units {
            sim.push(mean(i, b)? / mean(i, a)?.max(1.0) - 1.0);
        }
        let obs: Vec<f64> = units
            .iter()
            .map(|u| f64::from(u.2) / f64::from(u.1) - 1.0)
            .collect();
        (units.len() >= 3 && !s.runs.is_empty()).then(|| spearman(&sim, &obs))
    };
    let (a, b) = INSTALLATION_YEARS;
    let share = |pick: fn(&crate::model::Counts) -> u64| -> Vec<f64> {
        s.runs
            .iter()
            .filter_map(|r| {
                let window: Vec<_> = r
                    .years
                    .iter()
                    .filter(|y| y.year >= a && y.year <= b)
                    .collect();
                let all: u64 = window.iter().map(|y| y.national.installations).sum();
                (window.len() == usize::from(b - a + 1) && all > 0).then(|| {
                    window.iter().map(|y| pick(&y.national)).sum::<u64>() as f64 / all as f64
                })
            })
            .collect()
    };
    let people = |keep: &dyn Fn(&crate::model::resources::Commune) -> bool| -> f64 {
        let (mut here, mut all) = (0.0, 0.0);
        for c in &s.communes.communes {
            all += f64::from(c.population);
            if keep(c) {
                here += f64::from(c.population);
            }
        }
        here / all.max(1.0)
    };
    let paris = s
        .communes
        .regions
        .iter()
        .position(|r| r.code == crate::model::record_installation_places::PARIS_REGION);
    WhereGpsGo {
        mean_change_rho: [mean_change(RPPS_YEARS), mean_change(HELD_OUT_YEARS)],
        paris_installations: share(|c| c.installations_paris_region),
        paris_people: people(&|c| paris.is_some_and(|p| usize::from(c.region) == p)),
        big_city_installations: share(|c| c.installations_big_city),
        big_city_people: people(&|c| c.big_city),
    }
}
