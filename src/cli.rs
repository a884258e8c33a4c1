//! Command-line types (clap derive). Doc comments are the help text; no logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::map::Indicator;
use crate::output::text::Lang;
use crate::tables::cell::Dialect;

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
    /// Animated GIF of a run (or of a baseline and a policy side by side): a map by
    /// département and the national curve, one frame per year.
    Animate(AnimateArgs),
    /// Static figures of a run for reports (PNG and SVG): the headline chart, the map of a
    /// year, the GP age pyramid and the flows of a year.
    Figures(FiguresArgs),
    /// Compare policies with a baseline on the same seeds: effects with 90 % intervals, costs,
    /// maps of the effect by département, and why patients lose or find a GP.
    Compare(CompareArgs),
    /// Every scenario parameter with its unit, default, plausible range, meaning and source.
    Params(ParamsArgs),
    /// Run a parameter sweep (grid, Latin hypercube, Sobol, Morris or a CSV of points) in
    /// parallel; resumable, and shardable across machines.
    Sweep(SweepArgs),
    /// Merge the folders of a sharded sweep into the files of a single-machine sweep.
    SweepMerge(SweepMergeArgs),
    /// Calibrate a scenario's uncertain parameters to observed targets by history matching in
    /// waves (emulators, implausibility); resumable. Writes posterior.csv and calibration.md.
    Calibrate(CalibrateArgs),
    /// Estimate each département's own attractiveness to installing GPs from the RPPS stock
    /// changes of 2012–2016 (a logit inversion on the model, shrunk toward covariates); writes
    /// place-attractiveness.csv (to copy into data/) and estimation.md.
    EstimatePlaces(EstimatePlacesArgs),
    /// One self-contained HTML file of a run or a comparison (data, scripts and styles inlined:
    /// opens offline, from a file:// address, and can be e-mailed): curve, reasons, map by
    /// département, a year slider, tables; for a comparison, each policy's effect and cost.
    Report(ReportArgs),
    /// A local web app: sliders for the policy levers rerun a scenario and stream its years to
    /// the page, beside the baseline (binds 127.0.0.1).
    Serve(ServeArgs),
}

/// Arguments of `medesert estimate-places`.
#[derive(Debug, Args)]
pub struct EstimatePlacesArgs {
    /// The scenario the constants are estimated on (France; its own constants are replaced).
    #[command(flatten)]
    pub common: ScenarioArgs,
    /// Seeds run at each step (in parallel): the scenario's seed, seed + 1, …
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub seeds: u32,
    /// Contraction steps.
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub iterations: u32,
    /// Output folder (default: outputs/places/): a new or empty folder, or a previous estimate
    /// (replaced atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace a previous estimate of another scenario in --out.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `medesert calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Calibration file (TOML; see docs/calibration.md).
    #[arg(value_name = "CALIBRATION.toml")]
    pub calibration: PathBuf,
    /// Output folder (default outputs/calibrations/<name>/): a new or empty folder, or the same
    /// calibration, which then resumes where it stopped.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads: runs in parallel, each run on one thread (default: all cores).
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Folder of the data files.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// No progress bar or messages.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the batch's estimated wall time and memory on this machine (from a short timed
    /// run of its scenario) and stop, without running it or creating its folder.
    #[arg(long)]
    pub estimate: bool,
}

/// The scenario to run and how (shared by every subcommand that runs one).
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML).
    #[arg(default_value = "configs/baseline.toml")]
    pub scenario: PathBuf,
    /// Seed of every random draw (overrides the scenario's `seed`), 0 to 2^63 - 1.
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=crate::scenario::MAX_SEED))]
    pub seed: Option<u64>,
    /// Override a parameter: --set section.name=value (repeatable), e.g. --set workload.acceptance_threshold_share=1.1.
    #[arg(long = "set", value_name = "SECTION.NAME=VALUE")]
    pub set: Vec<String>,
    /// Run the scenario on these régions instead of its own territory (INSEE codes, e.g. 24
    /// or 24,84): --set territory.regions=[…] with territory.departements emptied.
    #[arg(long, value_name = "CODE[,CODE...]", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Run the scenario on these départements instead of its own territory (INSEE codes, e.g.
    /// 29,56): --set territory.departements=[…] with territory.regions emptied.
    #[arg(long, value_name = "CODE[,CODE...]", value_delimiter = ',')]
    pub departements: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = parse_threads)]
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
    /// Output folder (default: outputs/<scenario name>/, or outputs/<name>-set-<hash>/ with
    /// --set). A new or empty folder, or a previous run of the same scenario, which is replaced
    /// atomically; a folder holding other files is refused.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace a previous run of another scenario in --out (never a folder holding other files).
    #[arg(long)]
    pub force: bool,
    /// Runs of the scenario, on seeds seed, seed + 1, … (in parallel, each on one thread): the
    /// folder holds the first run's tables, national_summary.csv, regions_summary.csv and
    /// departements_summary.csv (mean and 5/50/95 % of every indicator per unit and year), and
    /// plots with the band of 90 % of the runs (run-to-run variation only; add --ensemble for
    /// the parameters').
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub replicates: u32,
    /// Parameter sets to run (posterior.csv of `medesert calibrate`), each on --replicates
    /// seeds: the summaries and bands then carry the parameters' uncertainty too.
    #[arg(long, value_name = "POSTERIOR.csv")]
    pub ensemble: Option<PathBuf>,
    /// No progress bar or summary table.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write communes.csv: every commune every year (APL, zone, GPs, patients without
    /// an MT; ≈40 MB for France over 23 years).
    #[arg(long)]
    pub communes: bool,
    /// How the CSV tables are written: en (comma, decimal point) or fr (semicolon, decimal
    /// comma, UTF-8 byte-order mark, French column titles and a French label next to each
    /// category's code: opens in columns in French Excel).
    #[arg(long, value_enum, default_value_t = Dialect::En)]
    pub csv_dialect: Dialect,
    /// Language of the plots' text (share_without_mt, gps).
    #[arg(long, value_enum, default_value_t = Lang::Fr)]
    pub lang: Lang,
    /// Year of departements.geojson and communes.geojson (default: the last simulated year).
    #[arg(long, value_name = "YEAR")]
    pub geo_year: Option<u16>,
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
    /// Output folder (default: outputs/<scenario name>/validation/). A new or empty folder, or a
    /// previous validation of the same scenario (replaced atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace a previous validation of another scenario in --out.
    #[arg(long)]
    pub force: bool,
    /// Exit with an error when a compared target misses its tolerance.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar or summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `medesert animate`.
#[derive(Debug, Args)]
pub struct AnimateArgs {
    /// A run folder (written by `medesert run`) or a scenario file (.toml, run first into
    /// outputs/<name>/). Two of them: a baseline and a policy, side by side.
    #[arg(required = true, num_args = 1..=2, value_name = "RUN_DIR|SCENARIO")]
    pub inputs: Vec<PathBuf>,
    /// GIF to write (default: animation-<lang>.gif, or animation-vs-<baseline>-<lang>.gif, in
    /// the (last) run folder). A GIF medesert wrote is replaced atomically; another file only
    /// with --force.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write every frame as a PNG in this folder (frame-001.png, …), for slides: a new or
    /// empty folder, or frames written before (a folder holding other files is refused).
    #[arg(long, value_name = "DIR")]
    pub frames: Option<PathBuf>,
    /// Where a scenario given is run (default: outputs/<name>/). One folder per scenario: with
    /// two scenarios, give it twice.
    #[arg(long = "run-dir", value_name = "DIR")]
    pub run_dirs: Vec<PathBuf>,
    /// Replace a file at --out that medesert did not write, or a run of another scenario in
    /// --run-dir (never a folder holding other files).
    #[arg(long)]
    pub force: bool,
    /// Language of every visible text.
    #[arg(long, value_enum, default_value_t = Lang::Fr)]
    pub lang: Lang,
    /// Size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "800x600", value_parser = parse_size)]
    pub size: (u32, u32),
    /// What the map shows.
    #[arg(long, value_enum, default_value_t = Indicator::Share)]
    pub indicator: Indicator,
    /// Zoom on these régions (INSEE codes, e.g. 24; repeatable): the map is framed on them and
    /// the headline figures and curve are theirs (a territory the run did not simulate is
    /// refused).
    #[arg(long = "region", value_name = "CODE")]
    pub regions: Vec<String>,
    /// Zoom on these départements (INSEE codes, e.g. 29; repeatable), as --region.
    #[arg(long = "departement", value_name = "CODE")]
    pub departements: Vec<String>,
    /// Frames per simulated year (values in between are interpolated).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=25))]
    pub frames_per_year: u32,
    /// Time each frame is shown, milliseconds.
    #[arg(long, default_value_t = 700, value_parser = clap::value_parser!(u32).range(20..=10000))]
    pub delay_ms: u32,
    /// Time the last frame is shown, milliseconds.
    #[arg(long, default_value_t = 4000, value_parser = clap::value_parser!(u32).range(20..=60000))]
    pub hold_ms: u32,
    /// Folder of the data files (outlines, and the data a scenario runs on).
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Worker threads when a scenario is run first (default: all cores).
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// No progress bar or messages.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `medesert figures`.
#[derive(Debug, Args)]
pub struct FiguresArgs {
    /// A run folder written by `medesert run`.
    #[arg(value_name = "RUN_DIR")]
    pub run: PathBuf,
    /// Year of the map and the flows (default: the last year of the run).
    #[arg(long)]
    pub year: Option<u16>,
    /// Language of every visible text.
    #[arg(long, value_enum, default_value_t = Lang::Fr)]
    pub lang: Lang,
    /// What the map shows.
    #[arg(long, value_enum, default_value_t = Indicator::Share)]
    pub indicator: Indicator,
    /// Show these régions (INSEE codes, e.g. 24; repeatable): the map is framed on them and the
    /// headline chart and flows are theirs (a territory the run did not simulate is refused).
    #[arg(long = "region", value_name = "CODE")]
    pub regions: Vec<String>,
    /// Show these départements (INSEE codes, e.g. 29; repeatable), as --region.
    #[arg(long = "departement", value_name = "CODE")]
    pub departements: Vec<String>,
    /// Also draw commune maps of the year (APL, share without an MT, zone:
    /// communes-apl-YEAR.png and .svg, …) over the territory shown; each commune is drawn as
    /// the Voronoi cell of its town hall clipped to its département. Needs a run written with
    /// `medesert run --communes`.
    #[arg(long)]
    pub communes: bool,
    /// Output folder (default: RUN_DIR/figures/): a new or empty folder, or figures written
    /// before (replaced atomically); a folder holding other files is refused.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Folder of the data files (département outlines).
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
}

/// Most worker threads accepted: beyond, threads only add overhead on any machine we know.
pub const MAX_THREADS: usize = 1024;

/// Parses a thread count (1 to [`MAX_THREADS`]).
fn parse_threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "{s:?}: expected a whole number of threads from 1 to {MAX_THREADS}"
        )),
    }
}

/// Parses WIDTHxHEIGHT (each 200 to 4000 pixels).
fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{s:?}: expected WIDTHxHEIGHT, e.g. 800x600"))?;
    let parse = |v: &str| -> Result<u32, String> {
        let n: u32 = v
            .trim()
            .parse()
            .map_err(|_| format!("{s:?}: {v:?} is not a whole number of pixels"))?;
        if (200..=4000).contains(&n) {
            Ok(n)
        } else {
            Err(format!("{s:?}: {n} pixels is outside 200–4000"))
        }
    };
    Ok((parse(w)?, parse(h)?))
}

/// Formats of `medesert params`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ParamsFormat {
    /// CSV: name, kind, unit, default, min, max, meaning, source.
    Csv,
    /// JSON array of the same fields.
    Json,
    /// SALib's "problem" (num_vars, names, bounds) for the parameters with a documented range.
    Salib,
    /// Markdown table (docs/parameters.md).
    Md,
}

/// Arguments of `medesert params`.
#[derive(Debug, Args)]
pub struct ParamsArgs {
    /// Scenario whose values are shown as defaults.
    #[arg(default_value = "configs/baseline.toml")]
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParamsFormat::Csv)]
    pub format: ParamsFormat,
    /// With --format salib: only the parameters a sensitivity analysis should vary (reals with
    /// a plausible interval), not the agent scales, seeds, dates, integer ages or counts.
    #[arg(long)]
    pub uncertain: bool,
}

/// Arguments of `medesert sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Sweep file (TOML; see docs/sweeps.md and configs/sweeps/).
    pub sweep: PathBuf,
    /// Output folder (default outputs/sweeps/<name>/, or …/shard-I-of-N/ with --shard).
    /// Rerunning into the same folder skips finished runs.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only share I of N of the design (runs whose id ≡ I−1 mod N), e.g. 3/10.
    #[arg(long, value_name = "I/N", value_parser = crate::experiment::runner::Shard::parse)]
    pub shard: Option<crate::experiment::runner::Shard>,
    /// Write a SLURM job-array script (one task per shard, then a merge) instead of running.
    #[arg(long)]
    pub emit_slurm: bool,
    /// Shards of the SLURM array (with --emit-slurm).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=100000))]
    pub shards: u64,
    /// Worker threads: runs in parallel, each run on one thread (default: all cores).
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Folder of the data files.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// No progress bar or summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the batch's estimated wall time and memory on this machine (from a short timed
    /// run of its scenario) and stop, without running it or creating its folder.
    #[arg(long)]
    pub estimate: bool,
    /// Run a sweep above 1,000,000 runs or 10,000 replicates (refused otherwise: see
    /// docs/sweeps.md).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `medesert sweep-merge`.
#[derive(Debug, Args)]
pub struct SweepMergeArgs {
    /// Shard folders written by `medesert sweep --shard`.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Merged folder (the same files as a single-machine sweep).
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `medesert compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline scenario, then one or more policy scenarios (same territory, years and
    /// scale).
    #[arg(required = true, num_args = 2.., value_name = "BASELINE POLICY")]
    pub scenarios: Vec<PathBuf>,
    /// Runs per scenario, on seeds seed, seed + 1, … (the same for every scenario).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub replicates: u32,
    /// First seed (default: the baseline's), 0 to 2^63 - 1.
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=crate::scenario::MAX_SEED))]
    pub seed: Option<u64>,
    /// Override a parameter of every scenario: --set section.name=value (repeatable), e.g.
    /// --set territory.regions='["24"]' compares the policies on région 24.
    #[arg(long = "set", value_name = "SECTION.NAME=VALUE")]
    pub set: Vec<String>,
    /// Run every scenario on these régions instead of its own territory (INSEE codes, e.g.
    /// 24 or 24,84): --set territory.regions=[…] with territory.departements emptied.
    #[arg(long, value_name = "CODE[,CODE...]", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Run every scenario on these départements instead of its own territory (INSEE codes,
    /// e.g. 29,56): --set territory.departements=[…] with territory.regions emptied.
    #[arg(long, value_name = "CODE[,CODE...]", value_delimiter = ',')]
    pub departements: Vec<String>,
    /// Output folder (default outputs/compare/<baseline>-vs-<policies>/, or
    /// <baseline>-vs-<n>-policies-<hash>/ for many policies; …-set-<hash>/ with --set, --regions
    /// or --departements): a new or empty folder, or a previous comparison of the same
    /// scenarios (replaced atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace a previous comparison of other scenarios in --out.
    #[arg(long)]
    pub force: bool,
    /// Parameter sets to run every scenario with (posterior.csv of `medesert calibrate`):
    /// each set on --replicates seeds, so the intervals carry the parameters' uncertainty.
    #[arg(long, value_name = "POSTERIOR.csv")]
    pub ensemble: Option<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Folder of the data files.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// How comparison.csv and causal.csv are written: en (comma, decimal point) or fr
    /// (semicolon, decimal comma, UTF-8 byte-order mark, French column titles and a French
    /// label next to each category's code, for French Excel).
    #[arg(long, value_enum, default_value_t = Dialect::En)]
    pub csv_dialect: Dialect,
    /// Language of comparison.md and of the charts' and maps' text (the CSV files keep their
    /// codes, which programs read).
    #[arg(long, value_enum, default_value_t = Lang::Fr)]
    pub lang: Lang,
    /// No progress bar or summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the batch's estimated wall time and memory on this machine (from a short timed
    /// run of its scenario) and stop, without running it or creating its folder.
    #[arg(long)]
    pub estimate: bool,
}

/// Arguments of `medesert report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run folder (`medesert run`) or a comparison folder (`medesert compare`).
    #[arg(value_name = "RUN_DIR|COMPARE_DIR")]
    pub folder: PathBuf,
    /// Language of every visible text.
    #[arg(long, value_enum, default_value_t = Lang::Fr)]
    pub lang: Lang,
    /// HTML file to write (default: report-<lang>.html in the folder). A report medesert wrote
    /// is replaced atomically; another file only with --force.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also show the communes of this région (INSEE code, e.g. 24) on a map of their own;
    /// needs a run written with --communes. Default: the run's région when it simulated one.
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    /// Replace a file at --out that medesert did not write.
    #[arg(long)]
    pub force: bool,
    /// Folder of the data files (outlines, names, CNAM's observed points).
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Print nothing.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `medesert serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Scenario the sliders start from (TOML).
    #[arg(default_value = "configs/classroom.toml")]
    pub scenario: PathBuf,
    /// TCP port.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on (default: this machine only). Anything else exposes the app to
    /// the network: it has no authentication.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Language of the page.
    #[arg(long, value_enum, default_value_t = Lang::Fr)]
    pub lang: Lang,
    /// Most patient agents a run may have (the territory's people / persons per agent):
    /// larger requests are refused, so a run takes seconds.
    #[arg(long, default_value_t = 150_000, value_parser = clap::value_parser!(u64).range(1000..=100_000_000))]
    pub max_agents: u64,
    /// Simulations run at once over all clients (default: 1; each uses every core).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub max_runs: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Folder of the data files.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
}
