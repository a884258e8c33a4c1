//! medesert: an agent-based simulation of medical deserts (déserts médicaux) in France.
//!
//! Layers, each importing only those after it (`main` parses the [`cli`] and calls [`app`]):
//! [`app`] (one function per subcommand) → [`web`] (report and serve) → [`cli`] (clap types)
//! → [`output`] (records and results → files) → [`experiment`] (replicates, comparisons,
//! sweeps, calibration: typed results) → [`validation`] (records against observed data) →
//! [`tables`] (a run's indicators as tables, no I/O) and [`files`] (output folders, locks and
//! atomic files, whatever they hold) → [`scenario`] (TOML → validated parameters), [`inputs`]
//! (data files → plain tables) and [`model`] (bevy_ecs + rand only: no I/O). CI runs
//! `tools/import-cycles.py`, which fails on an import cycle between the folders of `src/`.

pub mod app;
pub mod cli;
pub mod experiment;
pub mod files;
pub mod inputs;
pub mod model;
pub mod output;
pub mod scenario;
pub mod tables;
pub mod validation;
pub mod web;
