//! The explorer page as `serve` sends it: what the page needs before its first request
//! (sliders, territories and their people, scales, outlines), inlined in it.

use serde::Serialize;

use super::levers;
use super::request::{self, FRANCE, Place};
use crate::cli::ServeArgs;
use crate::inputs::{Inputs, Shapes};
use crate::output::text::Lang;
use crate::scenario::Scenario;
use crate::web::outlines::MapOutlines;

/// What the page needs before its first request.
#[derive(Serialize)]
struct Setup<'a> {
    lang: &'static str,
    scenario: String,
    title: Option<&'a crate::scenario::Title>,
    years: [u16; 2],
    sliders: Vec<levers::Slider>,
    places: &'a [Place],
    scales: &'static [u32],
    max_agents: u64,
    territory: String,
    scale: u32,
    outlines: MapOutlines,
}

/// The page, starting from the base scenario's territory (its région, else France) and
/// scale (the nearest offered if it is not one).
pub(super) fn page(args: &ServeArgs, base: &Scenario, places: &[Place], shapes: &Shapes) -> String {
    let territory = match (
        base.territory.regions.as_slice(),
        base.territory.departements.is_empty(),
    ) {
        ([r], true) => r.clone(),
        _ => FRANCE.to_string(),
    };
    let scale = request::SCALES
        .iter()
        .copied()
        .min_by_key(|s| s.abs_diff(base.persons_per_agent))
        .unwrap_or(50);
    let setup = Setup {
        lang: args.lang.code(),
        scenario: args.scenario.display().to_string(),
        title: base.title.as_ref(),
        years: [base.start_year, base.end_year],
        sliders: levers::SLIDERS.iter().map(|(s, _)| *s).collect(),
        places,
        scales: &request::SCALES,
        max_agents: args.max_agents,
        territory,
        scale,
        outlines: MapOutlines::of(shapes),
    };
    let title = match (&base.title, args.lang) {
        (Some(t), Lang::Fr) => format!("medesert — {}", t.fr),
        (Some(t), Lang::En) => format!("medesert — {}", t.en),
        (None, _) => format!("medesert — {}", base.name),
    };
    crate::web::page::explorer(&setup, args.lang, &title)
}

/// Metropolitan France and its régions, with their people.
pub(super) fn places(inputs: &Inputs) -> Vec<Place> {
    let mut by_region: Vec<Place> = Vec::new();
    let mut france = 0u64;
    for d in inputs
        .departements
        .iter()
        .filter(|d| !d.code.starts_with("97"))
    {
        if !by_region.iter().any(|p| p.code == d.region_code) {
            by_region.push(Place {
                code: d.region_code.clone(),
                name: d.region_nom.clone(),
                population: 0,
            });
        }
    }
    for c in inputs
        .communes
        .iter()
        .filter(|c| !c.departement.starts_with("97"))
    {
        france += u64::from(c.population);
        if let Some(p) = by_region.iter_mut().find(|p| p.code == c.region) {
            p.population += u64::from(c.population);
        }
    }
    by_region.sort_by(|a, b| a.name.cmp(&b.name));
    let mut all = vec![Place {
        code: FRANCE.to_string(),
        name: "France métropolitaine".to_string(),
        population: france,
    }];
    all.extend(by_region);
    all
}
