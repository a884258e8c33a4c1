//! `medesert compare`: a baseline and policies on the same seeds, in parallel.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::{bar, guard, init_threads, thread_count};
use crate::cli::CompareArgs;
use crate::experiment::compare::run_all;
use crate::experiment::ensemble::Ensemble;
use crate::inputs::{Inputs, Shapes};
use crate::model::{check, territory};
use crate::output::comparison::{self, Comparison, Unit};
use crate::output::folder::{Kind, Target};
use crate::scenario::Scenario;

/// `medesert compare`.
pub fn compare(args: CompareArgs) -> Result<()> {
    let started = Instant::now();
    // Every check before any run: scenarios, comparability, territory and policy scopes.
    let scenarios: Vec<Scenario> = args
        .scenarios
        .iter()
        .map(|p| super::load_scenario(p, &[]))
        .collect::<Result<_>>()?;
    let base = &scenarios[0];
    for (s, path) in scenarios.iter().zip(&args.scenarios).skip(1) {
        if s.territory != base.territory
            || (s.start_year, s.end_year) != (base.start_year, base.end_year)
            || s.persons_per_agent != base.persons_per_agent
        {
            bail!(
                "{} cannot be compared with {}: territory, years and persons_per_agent must be \
                 the same (a policy scenario should extend the baseline and add [[policy]])",
                path.display(),
                args.scenarios[0].display()
            );
        }
    }
    let mut names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs")
            .join("compare")
            .join(names.join("-vs-"))
    });
    let out = Target::claim(&out, Kind::Comparison, &names.join(" "), args.force)?;
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        bail!("two scenarios have the same `name`: give each its own");
    }
    let inputs = Inputs::load(&args.data).context("cannot load the data files")?;
    let runs_in_all = scenarios.len() * args.replicates as usize;
    guard::check_memory(base, &inputs, thread_count(args.threads).min(runs_in_all))?;
    let threads = init_threads(args.threads);
    let shapes = Shapes::load(&args.data).context("cannot load the map outlines")?;
    for (s, path) in scenarios.iter().zip(&args.scenarios) {
        check(s, &inputs).with_context(|| format!("scenario file {}", path.display()))?;
    }
    let first = args.seed.unwrap_or(base.seed);
    let seeds = crate::experiment::replicates::seeds(first, args.replicates);
    let variants = variants(&args, scenarios.clone())?;
    let plan: Vec<(usize, u64)> = (0..variants.len())
        .flat_map(|set| seeds.iter().map(move |&seed| (set, seed)))
        .collect();
    let scenarios = &variants[0];
    let progress = bar(
        (scenarios.len() * plan.len()) as u64,
        args.quiet,
        "compare [{bar:30}] {pos}/{len} runs ({elapsed}, {eta} left)",
    );
    let runs = run_all(&variants, &inputs, &plan, || progress.inc(1))?;
    progress.finish_and_clear();

    let communes = territory::select(&inputs, &base.territory)?;
    let units = communes
        .departements
        .iter()
        .map(|d| Unit {
            code: d.code.clone(),
            name: d.name.clone(),
            class: inputs
                .departements
                .iter()
                .find(|r| r.code == d.code)
                .map_or(String::new(), |r| r.density_class.clone()),
        })
        .collect();
    let c = Comparison {
        runs: &runs,
        units,
        shapes: &shapes,
        map_year: 2035.clamp(base.start_year, base.end_year),
        territory: territory_label(base, &communes),
        dialect: args.csv_dialect,
    };
    out.publish(|dir| comparison::write(dir, &c))?;
    if !args.quiet {
        print!("{}", comparison::markdown(&c));
        println!(
            "wrote {} ({} runs on {threads} threads) in {:.1} s",
            out.path().display(),
            scenarios.len() * plan.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The scenarios as given, or, with `--ensemble`, once per parameter set of the ensemble
/// (`[set][scenario]`), every set checked before any run.
fn variants(args: &CompareArgs, scenarios: Vec<Scenario>) -> Result<Vec<Vec<Scenario>>> {
    let Some(path) = &args.ensemble else {
        return Ok(vec![scenarios]);
    };
    let ensemble = Ensemble::read(path)?;
    let runs = ensemble.sets.len() * scenarios.len() * args.replicates as usize;
    if runs > MAX_ENSEMBLE_RUNS {
        bail!(
            "--ensemble {}: {} sets × {} scenarios × {} seeds = {runs} runs, more than \
             {MAX_ENSEMBLE_RUNS}: keep fewer sets or seeds",
            path.display(),
            ensemble.sets.len(),
            scenarios.len(),
            args.replicates
        );
    }
    (0..ensemble.sets.len())
        .map(|k| {
            scenarios
                .iter()
                .zip(&args.scenarios)
                .map(|(s, file)| ensemble.apply(s, k, file))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()
        .with_context(|| format!("--ensemble {}", path.display()))
}

/// Most runs a comparison with an ensemble may ask for.
const MAX_ENSEMBLE_RUNS: usize = 100_000;

/// The scope of the whole territory in comparison.csv: `France` for metropolitan France, else
/// the names of the régions and départements of the scenario's `territory`.
fn territory_label(s: &Scenario, communes: &crate::model::Communes) -> String {
    let t = &s.territory;
    if t.regions.is_empty() && t.departements.is_empty() {
        return "France".to_string();
    }
    let name = |units: &[crate::model::resources::Unit], code: &String| {
        units
            .iter()
            .find(|u| &u.code == code)
            .map_or_else(|| code.clone(), |u| u.name.clone())
    };
    t.regions
        .iter()
        .map(|c| name(&communes.regions, c))
        .chain(
            t.departements
                .iter()
                .map(|c| name(&communes.departements, c)),
        )
        .collect::<Vec<_>>()
        .join(" + ")
}
