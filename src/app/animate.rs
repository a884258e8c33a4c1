//! `medesert animate` and `medesert figures`: pictures drawn from finished run folders (a
//! scenario given instead is run first).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::{RunJob, guard, init_threads, simulate};
use crate::cli::{AnimateArgs, FiguresArgs};
use crate::files::folder::{self, Kind, Target};
use crate::inputs::{DepartementRow, Inputs, Shapes, load_commune_points, read_csv};
use crate::output::animate::{AnimationOptions, Scene, is_medesert_gif, write_frames, write_gif};
use crate::output::commune_cells::commune_cells;
use crate::output::commune_map::CommuneMaps;
use crate::output::commune_values::read_commune_values;
use crate::output::figures::{FigureOptions, write_figures};
use crate::output::run_data::{RunData, Zoom};
use crate::scenario::Scenario;

/// What an argument of `animate` names.
enum Source {
    /// A finished run folder.
    RunDir(PathBuf),
    /// A scenario to run first.
    Scenario(PathBuf, Box<Scenario>),
}

impl Source {
    /// Classifies and checks a path (a scenario is loaded and validated, not run).
    fn of(path: &Path) -> Result<Source> {
        if path.is_dir() {
            return Ok(Source::RunDir(path.to_path_buf()));
        }
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            let s = super::load_scenario(path, &[])?;
            return Ok(Source::Scenario(path.to_path_buf(), Box::new(s)));
        }
        if path.exists() {
            bail!(
                "{} is neither a run folder nor a scenario file (.toml)",
                path.display()
            );
        }
        bail!(
            "{} does not exist: give a run folder (written by `medesert run`) or a scenario \
             file (.toml)",
            path.display()
        )
    }
}

/// `medesert animate`.
pub fn animate(args: AnimateArgs) -> Result<()> {
    let started = Instant::now();
    let sources: Vec<Source> = args
        .inputs
        .iter()
        .map(|p| Source::of(p))
        .collect::<Result<_>>()?;
    let shapes = Shapes::load(&args.data).context("cannot load the map outlines")?;
    let zoom = zoom(&args.data, &args.regions, &args.departements)?;
    if let Some(out) = &args.out {
        check_gif_path(out, args.force)?;
    }
    // Claimed before any run, so a refused folder costs nothing.
    let frames = match &args.frames {
        Some(dir) => Some(Target::claim(dir, Kind::Frames, "animate", false)?),
        None => None,
    };
    let names: Vec<&str> = sources
        .iter()
        .filter_map(|s| match s {
            Source::Scenario(_, s) => Some(s.name.as_str()),
            Source::RunDir(_) => None,
        })
        .collect();
    if names.len() == 2 && names[0] == names[1] && args.run_dirs.is_empty() {
        bail!(
            "both scenarios are named {:?}: their runs would share outputs/{}/; give one of \
             them another `name`, or each its own --run-dir",
            names[0],
            names[0]
        );
    }
    let dirs = run_scenarios(sources, &args)?;
    // Each run as seen on the zoom: the headline and curve are the zoomed territory's.
    let runs: Vec<RunData> = dirs
        .iter()
        .map(|d| RunData::load(d)?.zoomed(&zoom))
        .collect::<Result<_>>()?;
    let options = AnimationOptions {
        lang: args.lang,
        size: args.size,
        indicator: args.indicator,
        frames_per_year: args.frames_per_year,
        delay_ms: args.delay_ms,
        hold_ms: args.hold_ms,
    };
    let scene = Scene::new(runs.iter().collect(), &shapes, &zoom.codes, options)?;
    let out = match &args.out {
        Some(out) => out.clone(),
        None => {
            let last = &runs[runs.len() - 1];
            let lang = args.lang.code();
            let out = match runs.len() {
                1 => last.dir.join(format!("animation-{lang}.gif")),
                _ => last
                    .dir
                    .join(format!("animation-vs-{}-{lang}.gif", runs[0].scenario)),
            };
            check_gif_path(&out, args.force)?;
            out
        }
    };
    if let Some(dir) = &frames {
        write_frames(dir, &scene)?;
    }
    write_gif(&out, &scene)?;
    // Kept when the run it sits in is rerun.
    folder::register_derived(&out)?;
    if !args.quiet {
        println!(
            "wrote {} ({} frames) in {:.1} s",
            out.display(),
            scene.frame_count(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// An animation may be written at `path`: a `.gif` that does not exist or that medesert wrote
/// (another file only with `force`).
fn check_gif_path(path: &Path, force: bool) -> Result<()> {
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gif"))
    {
        bail!(
            "--out {}: an animation is written as a .gif file (e.g. --out animation.gif)",
            path.display()
        );
    }
    if path.is_dir() {
        bail!(
            "--out {}: is a folder; give a .gif file name",
            path.display()
        );
    }
    if path.exists() && !force && !is_medesert_gif(path) && !folder::is_registered(path) {
        bail!(
            "{} exists and was not written by medesert: add --force to replace it, or choose \
             another name",
            path.display()
        );
    }
    Ok(())
}

/// Runs the scenarios among `sources` (into their --run-dir, default outputs/<name>/);
/// returns every run folder. Every run folder is claimed before the first run starts.
fn run_scenarios(sources: Vec<Source>, args: &AnimateArgs) -> Result<Vec<PathBuf>> {
    let scenarios = sources
        .iter()
        .filter(|s| matches!(s, Source::Scenario(..)))
        .count();
    if !args.run_dirs.is_empty() && args.run_dirs.len() != scenarios {
        bail!(
            "--run-dir given {} time(s) for {scenarios} scenario(s): give one per scenario",
            args.run_dirs.len()
        );
    }
    let mut run_dirs = args.run_dirs.iter();
    let mut targets = Vec::new();
    for source in &sources {
        if let Source::Scenario(_, s) = source {
            let dir = run_dirs
                .next()
                .cloned()
                .unwrap_or_else(|| guard::default_run_dir(&s.name, &[]));
            targets.push(Target::claim(&dir, Kind::Run, &s.name, args.force)?);
        }
    }
    let mut targets = targets.into_iter();
    let mut inputs = None;
    let mut dirs = Vec::new();
    for source in sources {
        match source {
            Source::RunDir(dir) => dirs.push(dir),
            Source::Scenario(path, s) => {
                if inputs.is_none() {
                    inputs = Some(Inputs::load(&args.data).context("cannot load the data files")?);
                }
                let out = targets.next().expect("one target per scenario");
                let job = RunJob {
                    scenario_file: &path,
                    out: &out,
                    communes: false,
                    quiet: args.quiet,
                    threads: init_threads(args.threads),
                    variants: std::slice::from_ref(&s),
                    plan: &[(0, s.seed)],
                    observed: &super::headline_points(&args.data, &s)?,
                    dialect: crate::tables::cell::Dialect::En,
                    lang: args.lang,
                    geo_year: s.end_year,
                    outlines: &Shapes::load(&args.data).context("cannot load the map outlines")?,
                };
                simulate(inputs.as_ref().expect("loaded above"), &job)?;
                dirs.push(out.path().to_path_buf());
            }
        }
    }
    Ok(dirs)
}

/// The zoom: départements to frame are those named, plus those of the régions named; every
/// code checked against data/departements.csv.
fn zoom(data: &Path, regions: &[String], departements: &[String]) -> Result<Zoom> {
    if regions.is_empty() && departements.is_empty() {
        return Ok(Zoom::default());
    }
    let rows: Vec<DepartementRow> = read_csv(&data.join("departements.csv"))?;
    let mut codes = Vec::new();
    for r in regions {
        let of_region: Vec<String> = rows
            .iter()
            .filter(|d| &d.region_code == r)
            .map(|d| d.code.clone())
            .collect();
        if of_region.is_empty() {
            bail!("--region {r}: unknown région code (expected an INSEE code such as 24 or 53)");
        }
        codes.extend(of_region);
    }
    for d in departements {
        if !rows.iter().any(|row| &row.code == d) {
            bail!("--departement {d}: unknown département code (expected e.g. 01, 2A, 29)");
        }
        if !codes.contains(d) {
            codes.push(d.clone());
        }
    }
    Ok(Zoom {
        regions: regions.to_vec(),
        departements: departements.to_vec(),
        codes,
    })
}

/// `medesert figures`.
pub fn figures(args: FiguresArgs) -> Result<()> {
    let zoom = zoom(&args.data, &args.regions, &args.departements)?;
    let run = RunData::load(&args.run)?.zoomed(&zoom)?;
    let year = args.year.unwrap_or(run.years[run.years.len() - 1]);
    if run.year_index(year).is_none() {
        bail!(
            "--year {year}: the run in {} covers {}–{}",
            run.dir.display(),
            run.years[0],
            run.years[run.years.len() - 1]
        );
    }
    let shapes = Shapes::load(&args.data).context("cannot load the map outlines")?;
    let out = args.out.clone().unwrap_or_else(|| run.dir.join("figures"));
    let label = format!("{} {year}", run.name);
    let out = Target::claim(&out, Kind::Figures, &label, true)?;
    let options = FigureOptions {
        year,
        lang: args.lang,
        indicator: args.indicator,
        communes: match args.communes {
            true => Some(commune_maps(&args.data, &run, &shapes, &zoom, year)?),
            false => None,
        },
        zoom: zoom.codes,
    };
    let written = write_figures(&out, &run, &shapes, &options)?;
    println!("wrote {} figures in {}", written, out.path().display());
    Ok(())
}

/// The commune maps' cells and values over the zoom (or the whole run) in `year`.
fn commune_maps(
    data: &Path,
    run: &RunData,
    shapes: &Shapes,
    zoom: &Zoom,
    year: u16,
) -> Result<CommuneMaps> {
    let codes: Vec<String> = match zoom.codes.is_empty() {
        true => run.departements.keys().cloned().collect(),
        false => zoom.codes.clone(),
    };
    let values = read_commune_values(&run.dir, year, &codes)?;
    let points = load_commune_points(data)?;
    let cells = commune_cells(&points, shapes, &codes)?;
    let bbox = shapes
        .bbox(codes.iter().map(String::as_str))
        .context("no département of the map has an outline")?;
    Ok(CommuneMaps {
        cells,
        values,
        bbox,
    })
}
