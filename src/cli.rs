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
    /// Run a scenario over several seeds and compare it with observed French data
    /// (validation.md, validation.csv and plots).
    Validate(ValidateArgs),
}

/// The scenario to run and how (shared by every subcommand that runs one).
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML).
    #[arg(default_value = "configs/baseline.toml")]
    pub scenario: PathBuf,
    /// Seed of every random draw (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override a parameter: --set section.name=value (repeatable), e.g. --set gps.capacity_scale=1.1.
    #[arg(long = "set", value_name = "SECTION.NAME=VALUE")]
    pub set: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder of the data files.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
}

/// Arguments of `medesert run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario.
    #[command(flatten)]
    pub common: ScenarioArgs,
    /// Output folder (default: outputs/<scenario name>/). Replaced atomically.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar or summary table.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write communes.csv: every commune every year (APL, zone, GPs, patients without
    /// an MT; ≈40 MB for France over 23 years).
    #[arg(long)]
    pub communes: bool,
}

/// Arguments of `medesert validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The scenario.
    #[command(flatten)]
    pub common: ScenarioArgs,
    /// Seeds to run: the scenario's seed, seed + 1, … (in parallel).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub replicates: u32,
    /// Observed targets (CSV: indicator, year, value, optional tolerance such as 0.02 or 10%).
    #[arg(long, default_value = "data/calibration-targets.csv")]
    pub targets: PathBuf,
    /// Output folder (default: outputs/<scenario name>/validation/). Replaced atomically.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Exit with an error when a compared target misses its tolerance.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar or summary.
    #[arg(long, short)]
    pub quiet: bool,
}
