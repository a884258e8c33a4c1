//! medesert: an agent-based simulation of medical deserts (déserts médicaux) in France.
//!
//! Layers, inward: [`cli`] (clap types) → [`app`] (one function per subcommand) →
//! [`scenario`] (TOML → validated parameters), [`inputs`] (data files → plain tables),
//! [`output`] (records → files), [`validation`] (records against observed data) and
//! [`model`] (bevy_ecs + rand only: no I/O); [`web`] (report and serve) sits beside
//! [`output`].

pub mod app;
pub mod cli;
pub mod experiment;
pub mod inputs;
pub mod model;
pub mod output;
pub mod scenario;
pub mod validation;
pub mod web;
