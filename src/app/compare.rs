//! `medesert compare`: a baseline and policies on the same seeds, in parallel.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::budget::Say;
use super::{bar, guard, init_threads, thread_count};
use crate::cli::CompareArgs;
use crate::experiment::compare::run_all;
use crate::experiment::effects::{self, MAP_YEAR};
use crate::experiment::ensemble::Ensemble;
use crate::files::folder::{Kind, Target};
use crate::inputs::{Inputs, Shapes};
use crate::model::{check, territory};
use crate::output::briefing::About;
use crate::output::comparison::{self, Comparison, Unit};
use crate::output::heading::territory_title;
use crate::scenario::{self, Scenario};

/// `medesert compare`.
pub fn compare(args: CompareArgs) -> Result<()> {
    let started = Instant::now();
    // Every check before any run: scenarios, comparability, territory and policy scopes.
    let set = scenario::shortcut_overrides(&args.regions, &args.departements, &args.set)?;
    let scenarios = load_all(&args.scenarios, &set)?;
    let base = &scenarios[0];
    for (s, path) in scenarios.iter().zip(&args.scenarios).skip(1) {
        let differences = differences(base, &args.scenarios[0], s, path);
        if !differences.is_empty() {
            bail!(
                "{} cannot be compared with {}: {} (territory, years and persons_per_agent must \
                 be the same: a policy scenario should extend the baseline and add [[policy]]; \
                 --set, --regions and --departements change every scenario alike)",
                path.display(),
                args.scenarios[0].display(),
                differences.join("; ")
            );
        }
    }
    let mut names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| guard::default_compare_dir(&names, &set));
    let label = guard::run_label(&names.join(" "), &set);
    let out = Target::claim(&out, Kind::Comparison, &label, args.force)?;
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
    let seeds = crate::experiment::replicates::seeds(first, args.replicates)?;
    let variants = variants(&args, scenarios.clone())?;
    let plan: Vec<(usize, u64)> = (0..variants.len())
        .flat_map(|set| seeds.iter().map(move |&seed| (set, seed)))
        .collect();
    let scenarios = &variants[0];
    let run_count = scenarios.len() * plan.len();
    super::budget::announce(
        "compare",
        base,
        &inputs,
        (run_count as u64, threads, threads.min(run_count)),
        Say::from_flags(args.estimate, args.quiet),
    )?;
    if args.estimate {
        return Ok(());
    }
    let progress = bar(
        (scenarios.len() * plan.len()) as u64,
        args.quiet,
        "compare [{bar:30}] {pos}/{len} runs ({elapsed}, {eta} left)",
    );
    let runs = run_all(&variants, &inputs, &plan, || progress.inc(1))?;
    progress.finish_and_clear();

    let communes = territory::select(&inputs, &base.territory, &base.matching)?.reported();
    let units: Vec<Unit> = communes
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
    let map_year = MAP_YEAR.clamp(base.start_year, base.end_year);
    let classes: Vec<String> = units.iter().map(|u| u.class.clone()).collect();
    let effects = effects::measure(
        &runs,
        effects::Scope {
            classes: &classes,
            map_year,
        },
    );
    let c = Comparison {
        runs: &runs,
        effects: &effects,
        units,
        shapes: &shapes,
        map_year,
        territory: territory_label(base, &communes),
        dialect: args.csv_dialect,
        lang: args.lang,
        about: About {
            scenarios,
            territory: territory_title(&base.territory, &communes),
            date: today(),
        },
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

/// Loads every scenario with the same overrides; a warning the overrides raise in each is
/// printed once.
fn load_all(paths: &[PathBuf], set: &[String]) -> Result<Vec<Scenario>> {
    let mut warnings: Vec<String> = Vec::new();
    let mut scenarios = Vec::with_capacity(paths.len());
    for path in paths {
        let loaded = scenario::load_with_warnings(path, set)?;
        for w in loaded.warnings {
            if !warnings.contains(&w) {
                eprintln!("warning: {w}");
                warnings.push(w);
            }
        }
        scenarios.push(loaded.scenario);
    }
    Ok(scenarios)
}

/// What keeps `s` (file `path`) from being compared with `base` (file `base_path`): each of
/// territory, years and persons_per_agent that differs, with both values (none: comparable).
fn differences(base: &Scenario, base_path: &Path, s: &Scenario, path: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut differ = |what: &str, a: String, b: String| {
        if a != b {
            found.push(format!(
                "{what}: {b} in {}, {a} in {}",
                path.display(),
                base_path.display()
            ));
        }
    };
    differ(
        "territory differs",
        base.territory.to_string(),
        s.territory.to_string(),
    );
    differ(
        "years differ",
        format!("{}–{}", base.start_year, base.end_year),
        format!("{}–{}", s.start_year, s.end_year),
    );
    differ(
        "persons_per_agent differs",
        base.persons_per_agent.to_string(),
        s.persons_per_agent.to_string(),
    );
    found
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
    territory_title(t, communes).fr
}

/// Today's date (UTC), `YYYY-MM-DD`, or that of `SOURCE_DATE_EPOCH` (seconds) when set, so
/// that a rebuild can reproduce a note byte for byte.
fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let (y, m, d) = civil_from_days((seconds / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn day_counts_become_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
