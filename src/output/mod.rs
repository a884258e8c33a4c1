//! Records and results (summaries, comparisons, sweeps, calibrations, validations) → files.
//! Never touches the World. Output folders are written whole into a hidden sibling, then
//! swapped into place, and never replace a folder holding files medesert did not write
//! ([`crate::files::folder`]).

pub mod animate;
mod bands;
pub mod briefing;
pub mod calibration;
pub mod cell;
mod charts;
pub mod commune_cells;
pub mod commune_classes;
pub mod commune_map;
mod commune_table;
mod commune_text;
pub mod commune_values;
pub mod comparison;
mod comparison_plots;
pub mod extents;
pub mod figures;
pub mod geojson;
mod glyphs;
pub mod heading;
pub mod labels_fr;
mod levers_text;
pub mod map;
mod outlines;
mod palette;
pub mod places;
pub(crate) mod plots;
pub mod run_data;
pub mod sensitivity;
mod side_legend;
pub mod summary;
pub mod text;
pub mod validation;
mod validation_geography;
pub mod xlsx;

pub use commune_table::{COMMUNE_COLUMNS, commune_header, commune_rows};
pub use plots::{draw_gps, draw_share_on, plot_gps, plot_share_without_mt};

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::experiment::replicates::Summary;
use crate::files::folder::Target;
use crate::model::{Communes, Records};
use crate::scenario::Scenario;
use crate::tables::cell::Dialect;
use crate::tables::{gp_age_table, national_table, unit_table};
use cell::write_csv;
use places::Places;

/// `manifest.json`: what produced a run.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// Scenario name.
    pub scenario: String,
    /// Scenario title in French and English, when the scenario has one (frames and figures
    /// drawn from the run folder show it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<crate::scenario::Title>,
    /// The simulated territory, named in French and English ("Centre-Val de Loire",
    /// "France métropolitaine").
    pub territory: crate::scenario::Title,
    /// What the charts of the run are titled: the title (else the name) and the territory.
    pub heading: crate::scenario::Title,
    /// Seed.
    pub seed: u64,
    /// medesert version.
    pub version: String,
    /// Wall time of the simulation and the writing, seconds.
    pub wall_time_s: f64,
    /// People per patient agent.
    pub persons_per_agent: u32,
    /// Worker threads.
    pub threads: usize,
    /// First and last simulated years.
    pub years: [u16; 2],
    /// Data attribution.
    pub sources: String,
    /// Runs summarised in the `*_summary.csv` files (parameter sets × seeds; 1 for a single
    /// run).
    pub runs: usize,
}

/// Data attribution, shown with every output (data/README.md).
pub const ATTRIBUTION: &str = "Sources : INSEE (COG 2026, populations légales 2023, estimations de population, \
RP2018, tables de mortalité, bilans démographiques), IGN (ADMIN EXPRESS), DILA, DREES/CNAM (médecins, \
calibration) — Licence Ouverte 2.0";

/// What a run folder is written from.
#[derive(Debug, Clone, Copy)]
pub struct RunView<'a> {
    /// The scenario as run.
    pub scenario: &'a Scenario,
    /// Its records.
    pub records: &'a Records,
    /// The simulated territory.
    pub communes: &'a Communes,
    /// Names and positions of its communes.
    pub places: &'a Places,
    /// How the CSV tables are written.
    pub dialect: Dialect,
    /// The year of the GeoJSON files.
    pub geo_year: u16,
    /// Language of the plots' text.
    pub lang: text::Lang,
}

/// Writes a run folder atomically: tables (CSV in the run's dialect, `tables.xlsx` with one
/// sheet per table, GeoJSON of the départements and communes in `geo_year`), resolved
/// scenario, plots (the headline with the `observed` (year, share) points the caller read),
/// then the manifest. With a `summary` of several runs, also the three `*_summary.csv` tables
/// (and sheets), and the plots draw its means with the 5–95 % band.
pub fn write_run(
    out: &Target,
    run: RunView,
    manifest: &Manifest,
    summary: Option<&Summary>,
    observed: &[(u16, f64)],
) -> Result<()> {
    let RunView {
        scenario: s,
        records,
        communes,
        places,
        dialect,
        geo_year,
        lang,
    } = run;
    // Built once, written by each exporter.
    let mut tables = vec![
        ("national", national_table(records)),
        ("regions", unit_table(records, communes, false)),
        ("departements", unit_table(records, communes, true)),
        ("gp_ages", gp_age_table(records)),
    ];
    if let Some(summary) = summary {
        tables.extend(summary::summary_tables(summary));
    }
    out.publish(|dir| {
        // Three independent groups of files, written in parallel.
        let tables_and_book = || -> Result<()> {
            for (name, rows) in &tables {
                write_csv(&dir.join(format!("{name}.csv")), rows, dialect)?;
            }
            if records.record_communes {
                let rows = std::iter::once(commune_header())
                    .chain(commune_rows(records, communes, places));
                write_csv(&dir.join("communes.csv"), rows, dialect)?;
            }
            let mut book = xlsx::Sheets::new();
            for (name, rows) in &tables {
                book.add(name, rows)?;
            }
            if records.record_communes {
                book.add(
                    "communes",
                    std::iter::once(commune_header())
                        .chain(commune_rows(records, communes, places)),
                )?;
            }
            book.save(&dir.join("tables.xlsx"))
        };
        let maps_and_run = || -> Result<()> {
            let table = |wanted: &str| {
                tables
                    .iter()
                    .find(|(name, _)| *name == wanted)
                    .map(|(_, rows)| rows.as_slice())
            };
            if let Some(rows) = table("departements") {
                let path = dir.join("departements.geojson");
                let band = table("departements_summary");
                geojson::write_departements(&path, (rows, band), places, geo_year)?;
                std::fs::write(dir.join("departements.qml"), geojson::QGIS_STYLE)?;
            }
            if records.record_communes {
                geojson::write_communes(
                    &dir.join("communes.geojson"),
                    &commune_header(),
                    commune_rows(records, communes, places),
                    places,
                    geo_year,
                )?;
            }
            write_text(&dir.join("scenario.resolved.toml"), s.to_toml())?;
            write_text(
                &dir.join("manifest.json"),
                serde_json::to_string_pretty(manifest)? + "\n",
            )?;
            Ok(())
        };
        let plots = || -> Result<()> {
            // The scenario's title in the plots' language (else its name) and its territory.
            let heading = heading::in_lang(&manifest.heading, lang);
            for file in ["share_without_mt.png", "share_without_mt.svg"] {
                let path = dir.join(file);
                plot_share_without_mt(&path, (records, summary), (heading, lang), observed)?;
            }
            plot_gps(&dir.join("gps.png"), (records, summary), (heading, lang))
        };
        let (first, (second, third)) =
            rayon::join(tables_and_book, || rayon::join(maps_and_run, plots));
        first.and(second).and(third)
    })
}

/// Writes `text` to `path` (inside a folder being filled); an error names the file.
pub fn write_text(path: &Path, text: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
