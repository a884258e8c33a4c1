//! The geography of a validation report: the map of each département's GP change, observed
//! beside simulated, and the "Where GPs go" section (docs/validation.md). Split from
//! `validation.rs`, which writes the rest of the report.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;

use super::plots::register_font;
use crate::validation::{geography, summary};

/// Two maps side by side: each département's relative change of GPs over the RPPS years
/// minus France's, observed (all modes) and simulated (primary care, the replicates' mean),
/// in points, on one scale.
pub(super) fn plot_gp_change_maps(
    path: &Path,
    changes: &[geography::GpChange],
    shapes: &crate::inputs::Shapes,
) -> Result<()> {
    use super::map::{ColourScale, Indicator, Map, MapView, Values, draw_colour_bar, draw_map};
    use super::text::Lang;
    register_font();
    let codes: Vec<String> = changes.iter().map(|c| c.code.clone()).collect();
    let Some(view) = MapView::of(shapes, &codes) else {
        return Ok(());
    };
    // Each relative to its own national change (the model counts primary-care GPs, the RPPS
    // all modes: their levels differ, their geographies are what is compared).
    let total = |f: fn(&geography::GpChange) -> (f64, f64)| {
        let (a, b) = changes
            .iter()
            .map(f)
            .fold((0.0, 0.0), |(x, y), (a, b)| (x + a, y + b));
        b / f64::max(a, 1.0) - 1.0
    };
    let national_observed = total(|c| (f64::from(c.observed.0), f64::from(c.observed.1)));
    let national_simulated = total(|c| c.simulated);
    let observed: Values = changes
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                100.0 * (c.observed_change() - national_observed),
            )
        })
        .collect();
    let simulated: Values = changes
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                100.0 * (c.simulated_change() - national_simulated),
            )
        })
        .collect();
    let shown = observed.values().chain(simulated.values());
    let (lo, hi) = shown.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let m = lo.abs().max(hi.abs()).min(30.0);
    let scale = ColourScale::spanning(-m, m, Indicator::GpChange);
    let names = std::collections::BTreeMap::new();
    let map = Map {
        shapes,
        view: &view,
        scale: &scale,
        names: &names,
        not_simulated: "not compared",
    };
    let root = BitMapBackend::new(path, (1400, 780)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let (a, b) = geography::RPPS_YEARS;
    let font = |px: f64| ("sans-serif", px).into_font().color(&BLACK);
    let titles = [
        format!(
            "Observed (RPPS, all modes), {a}→{b}: France {:+.1} %",
            100.0 * national_observed
        ),
        format!(
            "Simulated (primary care, seeds' mean), {a}→{b}: France {:+.1} %",
            100.0 * national_simulated
        ),
    ];
    for (k, (values, title)) in [&observed, &simulated].iter().zip(&titles).enumerate() {
        let x = 10 + 690 * k as i32;
        root.draw(&Text::new(title.as_str(), (x + 10, 12), font(20.0)))
            .map_err(|e| anyhow!("{e}"))?;
        let area = root.clone().shrink((x as u32, 45), (680, 620));
        draw_map(&area, &map, values, 13.0)?;
    }
    let bar = root.clone().shrink((400, 690), (600, 60));
    draw_colour_bar(&bar, &scale, Lang::En, 13.0)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// "Where GPs go": the rank correlations of the seeds' mean map, and the shares of the
/// installations in the Paris region and the big-city areas beside their shares of people.
pub(super) fn places_section(p: &geography::WhereGpsGo) -> String {
    let mut md = String::from(
        "\n## Where GPs go\n\n\
         The `spearman:gp_change_by_departement` rows above are the mean of each seed's ρ; a \
         seed's map carries its own noise (a département of 100 GPs changes by a few GPs by \
         chance). The seeds' mean map is what a planner reads:\n\n",
    );
    let windows = [geography::RPPS_YEARS, geography::HELD_OUT_YEARS];
    for ((a, b), rho) in windows.iter().zip(p.mean_change_rho) {
        let held_out = if (*a, *b) == geography::HELD_OUT_YEARS {
            " (pseudo-out-of-sample: the place constants are fitted on 2012–2016)"
        } else {
            ""
        };
        let _ = writeln!(
            md,
            "- ρ of the seeds' mean change by département {a}→{b}{held_out}: {}",
            rho.map_or("not simulated".into(), |r| format!("{r:.3}"))
        );
    }
    let (a, b) = geography::INSTALLATION_YEARS;
    let share = |v: &[f64], people: f64, area: &str| -> String {
        if v.is_empty() {
            return format!("- {area}: {a}–{b} not simulated\n");
        }
        let s = summary(v);
        format!(
            "- {area}: {:.1} % of the installations {a}–{b} [{:.1}, {:.1}] for {:.1} % of the \
             people\n",
            100.0 * s[0],
            100.0 * s[1],
            100.0 * s[2],
            100.0 * people
        )
    };
    md.push_str(&share(
        &p.paris_installations,
        p.paris_people,
        "Paris region (Île-de-France)",
    ));
    md.push_str(&share(
        &p.big_city_installations,
        p.big_city_people,
        "big-city areas (faculty towns and urban communes within 20 km)",
    ));
    md
}
