//! Command-line types (clap derive). Doc comments are the help text; no logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// medesert: agent-based simulation of medical deserts (déserts médicaux) in France.
#[derive(Debug, Parser)]
#[command(name = "medesert", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and write tables, plots and a manifest to the run folder.
    Run(RunArgs),
}

/// Arguments of `medesert run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    #[arg(default_value = "configs/baseline.toml")]
    pub scenario: PathBuf,
    /// Seed of every random draw (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder (default: outputs/<scenario name>/). Replaced atomically.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a parameter: --set section.name=value (repeatable), e.g. --set gps.capacity_scale=1.1.
    #[arg(long = "set", value_name = "SECTION.NAME=VALUE")]
    pub set: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder of the data files.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// No progress bar or summary table.
    #[arg(long, short)]
    pub quiet: bool,
}
