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

use std::path::Path;

use medesert::inputs::Inputs;
use medesert::model::Simulation;
use medesert::model::records::Counts;

/// What the table sums, per département and seed.
#[derive(Clone, Copy, Default)]
struct Row {
    chosen: f64,
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

const COLUMNS: [&str; 10] = [
    "installed (chosen)",
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
    fn values(&self) -> [f64; 10] {
        [
            self.chosen,
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

/// Means over `seeds` runs of the scenario with `overrides`, for the départements `codes`.
fn runs(inputs: &Inputs, overrides: &[String], seeds: u64, end: u16, codes: &[String]) -> Vec<Row> {
    let mut mean = vec![Row::default(); codes.len()];
    let base = medesert::scenario::load(Path::new("configs/baseline.toml"), overrides)
        .unwrap_or_else(|e| panic!("the baseline loads: {e}"));
    for i in 0..seeds {
        let mut s = base.clone();
        s.seed = base.seed.wrapping_add(i);
        s.end_year = end;
        let mut sim = Simulation::new(&s, inputs).unwrap_or_else(|e| panic!("{e}"));
        sim.run(|_| {});
        let units = &sim.communes().departements;
        let records = &sim.records().years;
        for (k, code) in codes.iter().enumerate() {
            let d = units
                .iter()
                .position(|u| &u.code == code)
                .unwrap_or_else(|| panic!("département {code} in the run"));
            let mut row = Row::default();
            for y in records.iter().filter(|y| y.year > s.start_year) {
                row.add_flows(&y.departements[d]);
            }
            if let Some(last) = records.last() {
                row.set_stocks(&last.departements[d]);
            }
            let add = |a: f64, b: f64| a + b / seeds as f64;
            let m = &mut mean[k];
            m.chosen = add(m.chosen, row.chosen);
            m.salaried = add(m.salaried, row.salaried);
            m.exits = add(m.exits, row.exits);
            m.retirements = add(m.retirements, row.retirements);
            m.matches = add(m.matches, row.matches);
            m.losses = add(m.losses, row.losses);
            m.migrants = add(m.migrants, row.migrants);
            m.gps = add(m.gps, row.gps);
            m.with_mt_per_gp = add(m.with_mt_per_gp, row.with_mt_per_gp);
            m.share_cnam = add(m.share_cnam, row.share_cnam);
        }
    }
    mean
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let region = args.first().cloned().unwrap_or_else(|| "24".into());
    let seeds: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let end: u16 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2030);
    let extra: Vec<String> = args.iter().skip(3).cloned().collect();
    let inputs = Inputs::load(Path::new("data")).unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<String> = inputs
        .departements
        .iter()
        .filter(|d| d.region_code == region)
        .map(|d| d.code.clone())
        .collect();
    let france = runs(&inputs, &extra, seeds, end, &codes);
    let mut with_region = extra.clone();
    with_region.push(format!("territory.regions=[\"{region}\"]"));
    let local = runs(&inputs, &with_region, seeds, end, &codes);
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
        let values = france[k].values().into_iter().zip(local[k].values());
        for (i, (f, r)) in values.enumerate() {
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
}
