//! Issue 36's diagnosis: the same départements in a France run and in a région run, side by
//! side, so a planner's région run can be checked against the ministry's France run.
//!
//! ```sh
//! cargo run --release --example region_diagnosis -- 24 10 2030
//! #                                         région ^  ^ seeds ^ last year
//! ```
//!
//! For each département of the région: the flows summed over the years after the start year
//! (installations in `install_gps`, salaried entries: centre recruits and local services'
//! retirees, GP exits and retirements, people who found or lost an MT, net migrants) and the
//! last year's stocks (GPs, residents 17+ with an MT per GP, the CNAM-definition share without
//! an MT), means over the seeds (base seed + 0, 1, …), France run | région run | gap.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use medesert::inputs::Inputs;
use medesert::model::Simulation;
use medesert::model::components::{Gp, NO_GP, Patient};
use medesert::model::records::Counts;
use medesert::model::resources::Communes;

/// Where a commune lies, seen from a région run: its territory, its border ring, or beyond.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
enum Area {
    Territory,
    Ring,
    Beyond,
}

/// Adults by home area and their MT's area (or none), and GPs by area, in the last year.
#[derive(Default, Clone)]
struct Crossing {
    adults: HashMap<(Area, Option<Area>), f64>,
    gps: HashMap<Area, f64>,
    /// Σ of the GPs' list thresholds (consultations a year), by area.
    capacity: HashMap<Area, f64>,
    /// Σ of the GPs' ages, by area.
    ages: HashMap<Area, f64>,
    /// Σ of the acts of the docteurs juniors they supervise, by area.
    juniors: HashMap<Area, f64>,
}

/// The région run's territory and ring, by INSEE code.
fn region_areas(sim: &mut Simulation) -> HashMap<String, Area> {
    let communes = sim.world_mut().resource::<Communes>();
    communes
        .communes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let area = if communes.is_reported(i as u16) {
                Area::Territory
            } else {
                Area::Ring
            };
            (c.code.clone(), area)
        })
        .collect()
}

/// Counts [`Crossing`] in a run's last year, persons (`ppa` per agent), over `seeds` runs.
fn crossing(sim: &mut Simulation, areas: &HashMap<String, Area>, ppa: f64, into: &mut Crossing) {
    let world = sim.world_mut();
    let area_of: Vec<Area> = world
        .resource::<Communes>()
        .communes
        .iter()
        .map(|c| areas.get(&c.code).copied().unwrap_or(Area::Beyond))
        .collect();
    let mut gp_area: HashMap<u32, Area> = HashMap::new();
    for gp in world.query::<&Gp>().iter(world) {
        gp_area.insert(gp.slot, area_of[gp.commune as usize]);
        let area = area_of[gp.commune as usize];
        *into.gps.entry(area).or_default() += 1.0;
        *into.capacity.entry(area).or_default() += f64::from(gp.list_threshold);
        *into.ages.entry(area).or_default() += f64::from(gp.age);
        *into.juniors.entry(area).or_default() += f64::from(gp.junior_acts);
    }
    for p in world.query::<&Patient>().iter(world) {
        if !p.alive() || p.age < 17 {
            continue;
        }
        let mt = (p.gp != NO_GP).then(|| gp_area.get(&p.gp).copied().unwrap_or(Area::Beyond));
        *into
            .adults
            .entry((area_of[p.commune as usize], mt))
            .or_default() += ppa;
    }
}

/// What the table sums, per département and seed.
#[derive(Clone, Copy, Default)]
struct Row {
    chosen: f64,
    born_in_region: f64,
    salaried: f64,
    exits: f64,
    retirements: f64,
    matches: f64,
    losses: f64,
    migrants: f64,
    gps: f64,
    with_mt_per_gp: f64,
    share_cnam: f64,
}

const COLUMNS: [&str; 11] = [
    "installed (chosen)",
    "… born in the région",
    "salaried entries",
    "GP exits",
    "of which retirements",
    "found an MT (persons)",
    "lost an MT (persons)",
    "net migrants (persons)",
    "GPs, last year",
    "residents with an MT per GP",
    "without an MT, CNAM, %",
];

impl Row {
    fn values(&self) -> [f64; 11] {
        [
            self.chosen,
            self.born_in_region,
            self.salaried,
            self.exits,
            self.retirements,
            self.matches,
            self.losses,
            self.migrants,
            self.gps,
            self.with_mt_per_gp,
            self.share_cnam,
        ]
    }

    fn add_flows(&mut self, c: &Counts) {
        self.chosen += (c.installations - c.salaried_entries) as f64;
        self.born_in_region += c.installed_in_origin_region as f64;
        self.salaried += c.salaried_entries as f64;
        self.exits += c.exits as f64;
        self.retirements += c.retirements as f64;
        self.matches += c.matches as f64;
        self.losses += c.losses as f64;
        self.migrants += c.migrants as f64;
    }

    fn set_stocks(&mut self, c: &Counts) {
        self.gps = c.gps as f64;
        self.with_mt_per_gp = c.with_mt as f64 / c.gps.max(1) as f64;
        self.share_cnam = 100.0 * c.share_without_mt_17plus_cnam().unwrap_or(0.0);
    }
}

/// Means over `seeds` runs of the scenario with `overrides`, for the départements `codes`:
/// one row of [`COLUMNS`] each.
fn runs(
    inputs: &Inputs,
    overrides: &[String],
    (seeds, end): (u64, u16),
    codes: &[String],
    (areas, crossed): (&mut HashMap<String, Area>, &mut Crossing),
) -> Result<Vec<[f64; COLUMNS.len()]>> {
    let mut mean = vec![[0.0; COLUMNS.len()]; codes.len()];
    let base = medesert::scenario::load(Path::new("configs/baseline.toml"), overrides)?;
    for i in 0..seeds {
        let mut s = base.clone();
        s.seed = base.seed.wrapping_add(i);
        s.end_year = end;
        let mut sim = Simulation::new(&s, inputs)?;
        sim.run(|_| {});
        if areas.is_empty() {
            *areas = region_areas(&mut sim);
        }
        crossing(&mut sim, areas, f64::from(s.persons_per_agent), crossed);
        let units = &sim.communes().departements;
        let records = &sim.records().years;
        for (k, code) in codes.iter().enumerate() {
            let d = units
                .iter()
                .position(|u| &u.code == code)
                .with_context(|| format!("département {code} is not in the run"))?;
            let mut row = Row::default();
            for y in records.iter().filter(|y| y.year > s.start_year) {
                row.add_flows(&y.departements[d]);
            }
            if let Some(last) = records.last() {
                row.set_stocks(&last.departements[d]);
            }
            for (m, v) in mean[k].iter_mut().zip(row.values()) {
                *m += v / seeds as f64;
            }
        }
    }
    Ok(mean)
}

/// The command line's `index`th argument, parsed, or `default` when absent.
fn argument<T: std::str::FromStr>(
    args: &[String],
    index: usize,
    name: &str,
    default: T,
) -> Result<T> {
    match args.get(index) {
        None => Ok(default),
        Some(a) => a.parse().map_err(|_| {
            anyhow!(
                "{name}: `{a}` is not a number (usage: région seeds last-year [section.name=value …])"
            )
        }),
    }
}

fn main() -> std::process::ExitCode {
    match diagnose() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Reads the command line, runs both sets of runs and prints the tables.
fn diagnose() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let region = args.first().cloned().unwrap_or_else(|| "24".into());
    let seeds: u64 = argument(&args, 1, "seeds", 10)?;
    let end: u16 = argument(&args, 2, "last year", 2030)?;
    let extra: Vec<String> = args.iter().skip(3).cloned().collect();
    let inputs = Inputs::load(Path::new("data"))?;
    let codes: Vec<String> = inputs
        .departements
        .iter()
        .filter(|d| d.region_code == region)
        .map(|d| d.code.clone())
        .collect();
    if codes.is_empty() || seeds == 0 {
        bail!(
            "région `{region}` with {seeds} seeds: expected an INSEE région code of \
             data/departements.csv (e.g. 24) and at least one seed"
        );
    }
    let mut with_region = extra.clone();
    with_region.push(format!("territory.regions=[\"{region}\"]"));
    let mut areas = HashMap::new();
    let (mut local_crossed, mut france_crossed) = (Crossing::default(), Crossing::default());
    let span = (seeds, end);
    let local = runs(
        &inputs,
        &with_region,
        span,
        &codes,
        (&mut areas, &mut local_crossed),
    )?;
    let france = runs(
        &inputs,
        &extra,
        span,
        &codes,
        (&mut areas, &mut france_crossed),
    )?;
    println!(
        "Région {region}, {seeds} seeds, flows summed after the start year to {end}, stocks in {end}: France run | région run | gap\n"
    );
    print!("| département |");
    for c in COLUMNS {
        print!(" {c} |");
    }
    println!();
    println!("|---|{}", "---:|".repeat(COLUMNS.len()));
    for (k, code) in codes.iter().enumerate() {
        print!("| {code} |");
        for (i, (&f, &r)) in france[k].iter().zip(&local[k]).enumerate() {
            if i + 1 == COLUMNS.len() {
                print!(" {f:.1} \\| {r:.1} ({:+.1} points) |", r - f);
            } else if f.abs() > 0.0 {
                print!(" {f:.0} \\| {r:.0} ({:+.1} %) |", 100.0 * (r / f - 1.0));
            } else {
                print!(" {f:.0} \\| {r:.0} |");
            }
        }
        println!();
    }
    println!(
        "\nIn {end}, the territory and its border ring (the région run's), adults by where they live and where their MT practises, and GPs, means of the seeds: France run | région run\n"
    );
    println!(
        "| adults living in | MT in the territory | MT in the ring | MT beyond | no MT | GPs there | their mean list threshold | their mean age | juniors' acts per GP |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let n = seeds as f64;
    // A France run's value | the région run's, as the tables print them.
    let pair = |f: f64, r: f64, decimals: usize| format!(" {f:.decimals$} \\| {r:.decimals$} |");
    for home in [Area::Territory, Area::Ring] {
        let mut line = format!("| {home:?} |");
        for mt in [
            Some(Area::Territory),
            Some(Area::Ring),
            Some(Area::Beyond),
            None,
        ] {
            let get = |c: &Crossing| c.adults.get(&(home, mt)).copied().unwrap_or(0.0) / n;
            line += &pair(get(&france_crossed), get(&local_crossed), 0);
        }
        let per_gp = |c: &Crossing, m: &HashMap<Area, f64>| {
            m.get(&home).copied().unwrap_or(0.0) / c.gps.get(&home).copied().unwrap_or(1.0)
        };
        let (f, r) = (&france_crossed, &local_crossed);
        let gps = |c: &Crossing| c.gps.get(&home).copied().unwrap_or(0.0) / n;
        line += &pair(gps(f), gps(r), 0);
        line += &pair(per_gp(f, &f.capacity), per_gp(r, &r.capacity), 0);
        line += &pair(per_gp(f, &f.ages), per_gp(r, &r.ages), 1);
        line += &pair(per_gp(f, &f.juniors), per_gp(r, &r.juniors), 0);
        println!("{line}");
    }
    Ok(())
}
