//! One function per subcommand: load → build → run → write.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use rayon::prelude::*;

mod animate;
mod budget;
mod calibrate;
mod compare;
mod guard;
mod places;
mod sweep;

use crate::cli::{Cli, Command, RunArgs, ScenarioArgs, ValidateArgs};
use crate::experiment::replicates::{self, RunTables, Summary};
use crate::files::folder::{Kind, Target};
use crate::inputs::Inputs;
use crate::model::snapshot::{self, AplSnapshot};
use crate::model::{Reason, Records, Simulation, territory};
use crate::output::{self, Manifest};
use crate::scenario::{self, Scenario};
use crate::validation;

/// Dispatches a parsed command line.
pub fn main(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Validate(args) => validate(args),
        Command::Animate(args) => animate::animate(args),
        Command::Figures(args) => animate::figures(args),
        Command::Compare(args) => compare::compare(args),
        Command::Params(args) => sweep::params(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::SweepMerge(args) => sweep::merge(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
        Command::EstimatePlaces(args) => places::estimate(args),
        Command::Report(args) => crate::web::report::report(args),
        Command::Serve(args) => crate::web::serve::serve(args),
    }
}

/// Loads the scenario (with `--seed` and `--set`), sizes the pools (bevy's to `ecs_threads`,
/// default all) and reads the data.
fn prepare(args: &ScenarioArgs, ecs_threads: Option<usize>) -> Result<(Scenario, Inputs, usize)> {
    let mut overrides = overrides(args)?;
    if let Some(seed) = args.seed {
        overrides.push(format!("seed={seed}"));
    }
    let s = load_scenario(&args.scenario, &overrides)?;
    let threads = init_pools(args.threads, ecs_threads);
    let inputs = Inputs::load(&args.data).context("cannot load the data files")?;
    Ok((s, inputs, threads))
}

/// The `--set` overrides with `--regions`/`--departements` written as the territory's: what
/// makes a run differ from its scenario (its default folder and label follow them).
fn overrides(args: &ScenarioArgs) -> Result<Vec<String>> {
    Ok(scenario::shortcut_overrides(
        &args.regions,
        &args.departements,
        &args.set,
    )?)
}

/// Loads a scenario and prints its warnings (values outside their plausible ranges) once.
pub(crate) fn load_scenario(path: &Path, overrides: &[String]) -> Result<Scenario> {
    let loaded = scenario::load_with_warnings(path, overrides)?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    Ok(loaded.scenario)
}

pub(crate) fn bar(len: u64, quiet: bool, template: &str) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(len)
    };
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Sizes the worker pools once (rayon and bevy's compute pool); returns the thread count.
pub fn init_threads(threads: Option<usize>) -> usize {
    init_pools(threads, None)
}

/// Sizes rayon's pool to `threads` (default: all cores) and bevy's compute pool to
/// `ecs_threads` (default: the same), once; returns rayon's thread count.
pub(crate) fn init_pools(threads: Option<usize>, ecs_threads: Option<usize>) -> usize {
    let n = thread_count(threads);
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .ok();
    let ecs = ecs_threads.unwrap_or(n).max(1);
    bevy_tasks::ComputeTaskPool::get_or_init(|| {
        bevy_tasks::TaskPoolBuilder::new().num_threads(ecs).build()
    });
    n
}

/// The worker threads a command will use: `threads`, or all cores.
fn thread_count(threads: Option<usize>) -> usize {
    threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// `medesert run`.
pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    // Several runs go in parallel, each on one thread, as in the experiment layer.
    let several = args.replicates > 1 || args.ensemble.is_some();
    let (s, inputs, threads) = prepare(&args.common, several.then_some(1))?;
    // What makes this run differ from the scenario's own: its own default folder and label.
    let mut set = overrides(&args.common)?;
    if let Some(e) = &args.ensemble {
        set.push(format!("ensemble={}", e.display()));
    }
    if args.replicates > 1 {
        set.push(format!("replicates={}", args.replicates));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| guard::default_run_dir(&s.name, &set));
    // Refused here, before the run, if the folder holds anything but a previous run.
    let out = Target::claim(
        &out,
        Kind::Run,
        &guard::run_label(&s.name, &set),
        args.force,
    )?;
    let geo_year = args.geo_year.unwrap_or(s.end_year);
    if !(s.start_year..=s.end_year).contains(&geo_year) {
        anyhow::bail!(
            "--geo-year {geo_year}: expected a simulated year, {} to {}",
            s.start_year,
            s.end_year
        );
    }
    let outlines = crate::inputs::Shapes::load(&args.common.data)
        .context("cannot load the outlines of the GeoJSON files")?;
    let (variants, plan) = ensemble_plan(&s, &args)?;
    if args.ensemble.is_some() && args.replicates < 2 && !args.quiet {
        eprintln!(
            "note: --replicates {}: one seed per parameter set cannot tell the parameters' share of the variance from chance; variance_share_parameters is left empty (give --replicates 2 or more)",
            args.replicates
        );
    }
    guard::check_memory(&s, &inputs, threads.min(plan.len()))?;
    let observed = headline_points(&args.common.data, &s)?;
    let job = RunJob {
        scenario_file: &args.common.scenario,
        out: &out,
        communes: args.communes,
        quiet: args.quiet,
        threads,
        variants: &variants,
        plan: &plan,
        observed: &observed,
        dialect: args.csv_dialect,
        lang: args.lang,
        geo_year,
        outlines: &outlines,
    };
    let (sim, summary) = simulate(&inputs, &job)?;
    if !args.quiet {
        print_summary(sim.records());
        if let Some(summary) = &summary {
            print_spread(summary);
        }
        println!(
            "wrote {} in {:.1} s",
            out.path().display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The observed points of the headline chart: CNAM's share of 17+ without an MT in
/// `calibration-targets.csv` of the data folder (none, with a warning, if the file is absent).
/// They measure metropolitan France: a run of régions or départements draws none (its share
/// is not the nation's).
fn headline_points(data: &Path, s: &Scenario) -> Result<Vec<(u16, f64)>> {
    if !(s.territory.regions.is_empty() && s.territory.departements.is_empty()) {
        return Ok(Vec::new());
    }
    let path = data.join("calibration-targets.csv");
    if !path.exists() {
        eprintln!(
            "warning: {} not found: the headline chart has no observed points",
            path.display()
        );
        return Ok(Vec::new());
    }
    let targets = validation::read_targets(&path)?;
    Ok(validation::observed_points(
        &targets,
        "share_without_mt_17plus",
    ))
}

/// Where and how one scenario is run and written.
struct RunJob<'a> {
    scenario_file: &'a Path,
    out: &'a Target,
    communes: bool,
    quiet: bool,
    threads: usize,
    /// The scenario once per parameter set of an ensemble (or once).
    variants: &'a [Scenario],
    /// (parameter set, seed) of every run, the first (written as the run folder) first.
    plan: &'a [(usize, u64)],
    /// Observed (year, share) of 17+ without an MT, drawn on the headline chart.
    observed: &'a [(u16, f64)],
    /// How the CSV tables are written.
    dialect: crate::tables::cell::Dialect,
    /// Language of the plots.
    lang: output::text::Lang,
    /// Year of the GeoJSON files.
    geo_year: u16,
    /// Département outlines (data/departements-shapes.json).
    outlines: &'a crate::inputs::Shapes,
}

/// The runs to make: (parameter set, seed) of each.
type RunPlan = Vec<(usize, u64)>;

/// The scenario once per parameter set of `--ensemble` (or once), and the runs to make:
/// (parameter set, seed) for each set and each of the `--replicates` seeds.
fn ensemble_plan(s: &Scenario, args: &RunArgs) -> Result<(Vec<Scenario>, RunPlan)> {
    let variants = match &args.ensemble {
        None => vec![s.clone()],
        Some(path) => {
            let e = crate::experiment::ensemble::Ensemble::read(path)?;
            (0..e.sets.len())
                .map(|k| e.apply(s, k, &args.common.scenario))
                .collect::<Result<Vec<_>>>()
                .with_context(|| format!("--ensemble {}", path.display()))?
        }
    };
    let seeds = replicates::seeds(s.seed, args.replicates)?;
    let plan: Vec<(usize, u64)> = (0..variants.len())
        .flat_map(|set| seeds.iter().map(move |&seed| (set, seed)))
        .collect();
    if plan.len() > 100_000 {
        anyhow::bail!(
            "{} runs (sets × --replicates): more than 100,000",
            plan.len()
        );
    }
    Ok((variants, plan))
}

/// Runs a job's first run (with a progress bar unless quiet) and, beside it in parallel, its
/// other replicates, then writes the run folder: the first run's tables and, with several
/// runs, their summary.
fn simulate(inputs: &Inputs, job: &RunJob) -> Result<(Simulation, Option<Summary>)> {
    let started = Instant::now();
    let context = || format!("scenario file {}", job.scenario_file.display());
    let s = &job.variants[job.plan.first().map_or(0, |p| p.0)];
    let mut sim = Simulation::new(s, inputs).with_context(context)?;
    if job.communes {
        sim.record_communes();
    }
    let years = (s.end_year - s.start_year + 1) as u64;
    let runs = job.plan.len().max(1) as u64;
    let bar = bar(
        years * runs,
        job.quiet,
        if runs == 1 {
            "{prefix} [{bar:30}] {pos}/{len} years {msg} ({elapsed})"
        } else {
            "{prefix} [{bar:30}] {pos}/{len} run-years ({elapsed}, {eta} left)"
        },
    );
    bar.set_prefix(s.name.clone());
    let mut first = || {
        sim.run(|year| {
            bar.set_message(year.to_string());
            bar.inc(1);
        })
    };
    let others = if runs == 1 {
        first();
        Vec::new()
    } else {
        rayon::join(first, || other_runs(inputs, job, &bar))
            .1
            .with_context(context)?
    };
    bar.finish_and_clear();
    let territory = output::heading::territory_title(&s.territory, sim.communes());
    let manifest = Manifest {
        scenario: s.name.clone(),
        title: s.title.clone(),
        heading: output::heading::headings(s.title.as_ref(), &s.name, &territory),
        territory,
        seed: s.seed,
        version: env!("CARGO_PKG_VERSION").to_string(),
        wall_time_s: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        persons_per_agent: s.persons_per_agent,
        threads: job.threads,
        years: [s.start_year, s.end_year],
        sources: output::ATTRIBUTION.to_string(),
        runs: runs as usize,
    };
    let summary = (!others.is_empty()).then(|| {
        let mut all = vec![RunTables::of(sim.records(), sim.communes())];
        all.extend(others);
        let sets: Vec<usize> = job.plan.iter().map(|p| p.0).collect();
        replicates::summarise(&all, &sets)
    });
    let places =
        output::places::Places::new(&inputs.communes, sim.communes(), job.outlines.clone())?;
    let view = output::RunView {
        scenario: s,
        records: sim.records(),
        communes: sim.communes(),
        places: &places,
        dialect: job.dialect,
        geo_year: job.geo_year,
        lang: job.lang,
    };
    output::write_run(job.out, view, &manifest, summary.as_ref(), job.observed)?;
    Ok((sim, summary))
}

/// Every run of a job but the first, in parallel, each kept as the numbers of its tables.
fn other_runs(
    inputs: &Inputs,
    job: &RunJob,
    bar: &ProgressBar,
) -> Result<Vec<RunTables>, crate::model::ModelError> {
    job.plan
        .get(1..)
        .unwrap_or_default()
        .par_iter()
        .map(|&(set, seed)| {
            let mut run = job.variants[set].clone();
            run.seed = seed;
            let mut sim = Simulation::new(&run, inputs)?;
            sim.run(|_| bar.inc(1));
            Ok(RunTables::of(sim.records(), sim.communes()))
        })
        .collect()
}

/// `medesert validate`: the scenario over `replicates` seeds (in parallel), compared with
/// the targets file; writes the report atomically.
pub fn validate(args: ValidateArgs) -> Result<()> {
    let started = Instant::now();
    let (s, inputs, _) = prepare(&args.common, None)?;
    // Bad targets files fail here, before anything runs.
    let targets = validation::read_targets(&args.targets)?;
    let observed_apl = crate::inputs::load_apl(&args.common.data, &inputs.communes)?;
    let set = overrides(&args.common)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| guard::default_run_dir(&s.name, &set).join("validation"));
    let label = guard::run_label(&s.name, &set);
    let out = Target::claim(&out, Kind::Validation, &label, args.force)?;
    let threads = rayon::current_num_threads();
    guard::check_memory(&s, &inputs, threads.min(args.replicates as usize))?;
    let communes = territory::select(&inputs, &s.territory, &s.matching)
        .map(|c| c.reported())
        .with_context(|| format!("scenario file {}", args.common.scenario.display()))?;
    let seeds = replicates::seeds(s.seed, args.replicates)?;
    let years = (s.end_year - s.start_year + 1) as u64;
    let bar = bar(
        years * seeds.len() as u64,
        args.quiet,
        "validate [{bar:30}] {pos}/{len} run-years ({elapsed}, {eta} left)",
    );
    type Replicate = (Records, Option<AplSnapshot>, Vec<f64>);
    let done: Vec<Replicate> = seeds
        .par_iter()
        .map(|&seed| {
            let mut run = s.clone();
            run.seed = seed;
            let mut sim = Simulation::new(&run, &inputs)?;
            // The health centres' accounts of the start year, set beside IGAS 2025.
            let centres = crate::model::health_centres::centre_results(sim.world_mut());
            // The communes' APL is kept for the one year compared with DREES, not every year.
            let mut snapshot = None;
            while sim.year() <= run.end_year {
                let year = sim.year();
                sim.step();
                bar.inc(1);
                if year == validation::geography::APL_YEAR {
                    snapshot = Some(snapshot::apl_snapshot(sim.world_mut()));
                }
            }
            Ok((sim.records().clone(), snapshot, centres))
        })
        .collect::<Result<_, crate::model::ModelError>>()
        .with_context(|| format!("scenario file {}", args.common.scenario.display()))?;
    bar.finish_and_clear();
    let mut runs = Vec::new();
    let (mut snapshots, mut centres) = (Vec::new(), Vec::new());
    for (records, snapshot, results) in done {
        runs.push(records);
        snapshots.extend(snapshot);
        centres.push(results);
    }
    let (metropolitan, france) = inputs.population();
    let scope = validation::Scope {
        first_year: s.start_year,
        last_year: s.end_year,
        whole_france: communes.national_share > 0.9999,
        france_factor: france / metropolitan,
    };
    let sources = validation::geography::Sources {
        runs: &runs,
        snapshots: &snapshots,
        communes: &communes,
        apl: &observed_apl,
        rpps: &inputs.gp_places,
    };
    let rankings = validation::geography::rankings(&sources);
    // The map of the changes is drawn when the outlines are there (a data folder without them
    // still validates; a broken outline file is an error, not a missing map).
    let outlines = args.common.data.join("departements-shapes.json");
    let shapes = if outlines.exists() {
        Some(
            crate::inputs::Shapes::load(&args.common.data)
                .context("cannot load the map outlines")?,
        )
    } else {
        None
    };
    let rows = validation::compare(&targets, &runs, &scope, &rankings);
    let territory = if scope.whole_france {
        "metropolitan France".to_string()
    } else {
        format!(
            "{} départements ({:.1} % of metropolitan France's population)",
            communes.departements.len(),
            100.0 * communes.national_share
        )
    };
    let r = output::validation::Report {
        scenario: &s.name,
        seeds: &seeds,
        persons_per_agent: s.persons_per_agent,
        territory,
        targets: &args.targets,
        rows: &rows,
        densities: validation::densities(
            &runs,
            &communes,
            &inputs.workforce.gps_per_100k_2018,
            crate::inputs::GP_DENSITY_YEAR,
        ),
        population: validation::population_path(&runs, &inputs.demography.population_1jan),
        centres: validation::centres::Deficits::pooled(&centres),
        centre_rows: &validation::centres::rows(&centres, s.start_year),
        runs: &runs,
        gp_changes: validation::geography::gp_changes(&sources),
        shapes: shapes.as_ref(),
        places: validation::geography::where_gps_go(&sources),
    };
    out.publish(|dir| output::validation::write(dir, &r))?;
    let (passed, compared, skipped) = r.verdict();
    if !args.quiet {
        print!(
            "{}\n{}",
            output::validation::markdown_table(&rows),
            output::validation::trend_table(&rows)
        );
        println!(
            "{passed} of {compared} compared targets pass ({skipped} not compared); wrote {} in {:.1} s",
            out.path().display(),
            started.elapsed().as_secs_f64()
        );
    }
    if args.strict && compared == 0 {
        anyhow::bail!(
            "no target of {} could be compared with this run (--strict): check its indicators \
             and years; see {}",
            args.targets.display(),
            out.path().join("validation.md").display()
        );
    }
    if args.strict && passed < compared {
        anyhow::bail!(
            "{} of {compared} compared targets miss their tolerance (--strict); see {}",
            compared - passed,
            out.path().join("validation.md").display()
        );
    }
    Ok(())
}

/// A short table of the headline, every few years: the share of people 17+ without an MT as
/// CNAM counts it (`share_without_mt_17plus_cnam`: a patient who moved keeps their
/// declaration), split into lost and never declared, then `moved` on its own.
fn print_summary(records: &Records) {
    println!(
        "{:>6} {:>12} {:>8} {:>9} {:>10} {:>8} {:>8} {:>8} {:>6}",
        "year", "population", "GPs", "GP/100k", "no MT 17+", "lost", "never", "+moved", "MSPs"
    );
    let n = records.years.len();
    for (i, y) in records.years.iter().enumerate() {
        if i % 4 != 0 && i + 1 != n {
            continue;
        }
        let c = &y.national;
        let pct = |n: u64| 100.0 * c.share_of_adults(n).unwrap_or(f64::NAN);
        let lost = c.without_mt_17plus_lost();
        println!(
            "{:>6} {:>12} {:>8} {:>9.1} {:>9.1}% {:>7.1}% {:>7.1}% {:>7.1}% {:>6}",
            y.year,
            c.population,
            c.gps,
            1e5 * c.gps as f64 / c.population.max(1) as f64,
            pct(c.without_mt_17plus_total() - c.without(Reason::Moved)),
            pct(lost),
            pct(c.without_mt_17plus_total() - lost - c.without(Reason::Moved)),
            pct(c.without(Reason::Moved)),
            c.msp_count
        );
    }
}

/// The headline over the runs, on the years of [`print_summary`]: mean and 5–95 %.
fn print_spread(summary: &Summary) {
    let rows = summary.national("share_without_mt_17plus_cnam");
    println!(
        "no MT 17+ (as CNAM counts) over {} runs (the table above is the first run's): mean \
         [5–95 % of runs]",
        summary.runs
    );
    for (i, (year, s)) in rows.iter().enumerate() {
        if i % 4 == 0 || i + 1 == rows.len() {
            println!(
                "{year:>6} {:>9.1}% [{:.1}–{:.1} %]",
                100.0 * s.mean,
                100.0 * s.p5,
                100.0 * s.p95
            );
        }
    }
}
