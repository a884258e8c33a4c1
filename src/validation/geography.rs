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
    let (a, b) = RPPS_YEARS;
    vec![
        ("apl_by_commune_2000plus", single(APL_YEAR), communes(s)),
        ("apl_by_departement", single(APL_YEAR), departements(s)),
        (
            "gp_change_by_departement",
            Years {
                reference: a,
                from: a,
                to: b,
            },
            gp_change(s),
        ),
    ]
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

/// The simulated départements with an RPPS count in both years of [`RPPS_YEARS`]: (index,
/// count of the first year, of the second).
fn rpps_units(s: &Sources) -> Vec<(usize, u32, u32)> {
    let (a, b) = RPPS_YEARS;
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
    rpps_units(s)
        .into_iter()
        .map_while(|(i, from, to)| {
            let d = &s.communes.departements[i];
            Some(GpChange {
                code: d.code.clone(),
                name: d.name.clone(),
                observed: (from, to),
                simulated: (mean(i, a)?, mean(i, b)?),
            })
        })
        .collect()
}

fn gp_change(s: &Sources) -> Result<Vec<f64>, String> {
    let (a, b) = RPPS_YEARS;
    let units: Vec<(usize, f64)> = rpps_units(s)
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
