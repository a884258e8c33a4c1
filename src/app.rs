//! One function per subcommand: load → build → run → write.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{Cli, Command, RunArgs};
use crate::inputs::Inputs;
use crate::model::{Reason, Records, Simulation};
use crate::output::{self, Manifest};
use crate::scenario;

/// Dispatches a parsed command line.
pub fn main(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run(args),
    }
}

/// Sizes the worker pools once (rayon and bevy's compute pool); returns the thread count.
pub fn init_threads(threads: Option<usize>) -> usize {
    let n = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .ok();
    bevy_tasks::ComputeTaskPool::get_or_init(|| {
        bevy_tasks::TaskPoolBuilder::new().num_threads(n).build()
    });
    n
}

/// `medesert run`.
pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let mut overrides = args.set.clone();
    if let Some(seed) = args.seed {
        overrides.push(format!("seed={seed}"));
    }
    let s = scenario::load(&args.scenario, &overrides)?;
    let threads = init_threads(args.threads);
    let inputs = Inputs::load(&args.data).context("cannot load the data files")?;
    let mut sim = Simulation::new(&s, &inputs)
        .with_context(|| format!("scenario file {}", args.scenario.display()))?;
    let years = (s.end_year - s.start_year + 1) as u64;
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(years)
    };
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} years {msg} ({elapsed})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(s.name.clone());
    sim.run(|year| {
        bar.set_message(year.to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(&s.name));
    let manifest = Manifest {
        scenario: s.name.clone(),
        seed: s.seed,
        version: env!("CARGO_PKG_VERSION").to_string(),
        wall_time_s: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        persons_per_agent: s.persons_per_agent,
        threads,
        years: [s.start_year, s.end_year],
        sources: output::ATTRIBUTION.to_string(),
    };
    output::write_run(&out, &s, sim.records(), sim.communes(), &manifest)?;
    if !args.quiet {
        print_summary(sim.records());
        println!(
            "wrote {} in {:.1} s",
            out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// A short table of the headline, every few years.
fn print_summary(records: &Records) {
    println!(
        "{:>6} {:>12} {:>8} {:>9} {:>10} {:>8} {:>8} {:>6}",
        "year", "population", "GPs", "GP/100k", "no MT 17+", "lost", "never", "MSPs"
    );
    let n = records.years.len();
    for (i, y) in records.years.iter().enumerate() {
        if i % 4 != 0 && i + 1 != n {
            continue;
        }
        let c = &y.national;
        let adults = c.population_17plus.max(1) as f64;
        let lost: u64 = Reason::ALL
            .iter()
            .filter(|r| r.is_lost())
            .map(|r| c.without(*r))
            .sum();
        println!(
            "{:>6} {:>12} {:>8} {:>9.1} {:>9.1}% {:>7.1}% {:>7.1}% {:>6}",
            y.year,
            c.population,
            c.gps,
            1e5 * c.gps as f64 / c.population.max(1) as f64,
            100.0 * c.without_mt_17plus_total() as f64 / adults,
            100.0 * lost as f64 / adults,
            100.0 * (c.without_mt_17plus_total() - lost) as f64 / adults,
            c.msp_count
        );
    }
}
