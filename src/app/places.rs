//! `medesert estimate-places`: each département's own attractiveness to installing GPs,
//! inverted from the RPPS stock changes of 2012–2016 on the model itself and shrunk toward
//! covariates (`experiment/places.rs`; docs/model.md, "Where GPs settle"). Writes
//! `place-attractiveness.csv`, the file the model reads from `data/`, and `estimation.md`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::cli::EstimatePlacesArgs;
use crate::experiment::places::{self, Flows, Inversion, Shrunk};
use crate::experiment::replicates;
use crate::files::folder::{Kind, Target};
use crate::inputs::{Inputs, PlaceConstants};
use crate::model::{Simulation, territory};

/// The observed window: RPPS GPs of all modes on 1 January of these years.
pub const OBSERVED: (u16, u16) = (2012, 2016);

/// The simulated window: the model's stock at the end of the first year against the last
/// (the same years as `validate`'s comparison of each département's change).
pub const SIMULATED: (u16, u16) = (2014, 2016);

/// The covariates the constants are explained by (each standardised over the départements).
pub const COVARIATES: [(&str, &str); 7] = [
    (
        "log_population",
        "log of the population (communes.csv, 2023)",
    ),
    (
        "urban_share",
        "share of people in urban-cluster communes (communes.csv)",
    ),
    (
        "latitude",
        "population-weighted latitude, degrees (the south's sun and climate, as a proxy)",
    ),
    ("paris_region", "1 in Île-de-France (région 11)"),
    (
        "km_to_faculty_town",
        "population-weighted distance to the faculty town (CHU) of its subdivision, km",
    ),
    (
        "share_60_plus",
        "share of people aged 60+ on 1 January 2014 (INSEE)",
    ),
    (
        "gps_per_1000_2014",
        "RPPS GPs of all modes per 1,000 people, 2014",
    ),
];

/// `medesert estimate-places`.
pub fn estimate(args: EstimatePlacesArgs) -> Result<()> {
    let started = Instant::now();
    let (mut s, inputs, _) = super::prepare(&args.common, None)?;
    let set = super::overrides(&args.common)?;
    let communes = territory::select(&inputs, &s.territory, &s.matching)
        .with_context(|| format!("scenario file {}", args.common.scenario.display()))?
        .reported();
    if communes.national_share < 0.9999 {
        bail!(
            "estimate-places fits every département together: run it on France (the scenario's \
             territory covers {:.1} % of the population)",
            100.0 * communes.national_share
        );
    }
    if s.start_year != SIMULATED.0 {
        bail!(
            "estimate-places fits the years {}–{}: the scenario must start in {} (start_year = {})",
            SIMULATED.0,
            SIMULATED.1,
            SIMULATED.0,
            s.start_year
        );
    }
    s.end_year = SIMULATED.1;
    s.installation.beta_place_attractiveness = 1.0;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("outputs/places"));
    let label = super::guard::run_label(&s.name, &set);
    let out = Target::claim(&out, Kind::Places, &label, args.force)?;
    let codes: Vec<String> = communes
        .departements
        .iter()
        .map(|d| d.code.clone())
        .collect();
    let rpps = |code: &str, year: u16| -> Result<f64> {
        inputs
            .gp_places
            .all_modes(code, year)
            .map(f64::from)
            .with_context(|| format!("gp-departements-2012-2018.csv has no row for {code} {year}"))
    };
    let mut observed = Vec::new();
    for code in &codes {
        let (a, b) = (rpps(code, OBSERVED.0)?, rpps(code, OBSERVED.1)?);
        observed.push((b / a).powf(1.0 / f64::from(OBSERVED.1 - OBSERVED.0)) - 1.0);
    }
    let seeds = replicates::seeds(s.seed, args.seeds)?;
    let bar = super::bar(
        u64::from(args.iterations),
        args.quiet,
        "estimate-places [{bar:30}] {pos}/{len} steps ({elapsed}, {eta} left)",
    );
    let simulate = |constant: &[f64]| -> Result<Flows> {
        let mut here = inputs.clone();
        here.places = PlaceConstants {
            constant: codes
                .iter()
                .cloned()
                .zip(constant.iter().copied())
                .collect(),
        };
        let runs = seeds
            .par_iter()
            .map(|&seed| {
                let mut run = s.clone();
                run.seed = seed;
                let mut sim = Simulation::new(&run, &here)?;
                sim.run(|_| {});
                Ok(window_flows(sim.records(), codes.len()))
            })
            .collect::<Result<Vec<Flows>, crate::model::ModelError>>()?;
        bar.inc(1);
        Ok(sum(&runs))
    };
    let settings = Inversion {
        years: f64::from(SIMULATED.1 - SIMULATED.0),
        iterations: args.iterations as usize,
        damping: 0.8,
        averaged: (args.iterations as usize / 2).max(1),
    };
    let inverted = places::invert(&observed, settings, vec![0.0; codes.len()], simulate)?;
    bar.finish_and_clear();
    let last = &inverted.last;
    let target = places::target_installations(last, &observed, settings.years);
    // The observed gross flows, from the model's (entries and exits a year, brought to RPPS
    // GPs by each département's ratio of RPPS to model GPs).
    let n_seeds = seeds.len() as f64;
    let mut scale = Vec::new();
    let mut gross = Vec::new();
    for (d, code) in codes.iter().enumerate() {
        let model_gps = last.start[d] / n_seeds;
        let ratio = rpps(code, SIMULATED.0)? / model_gps.max(1.0);
        let yearly = (last.installations[d] + last.exits[d]) / n_seeds / settings.years;
        gross.push(yearly * ratio * f64::from(OBSERVED.1 - OBSERVED.0));
        scale.push(n_seeds / ratio);
    }
    let se = places::standard_errors(
        last,
        &target,
        &gross,
        &scale,
        (settings.years, f64::from(OBSERVED.1 - OBSERVED.0)),
    );
    let raw = covariates(&inputs, &codes);
    let standardised = standardise(&raw);
    let shrunk = places::shrink(&inverted.constant, &se, &standardised)
        .context("the covariates of the départements are collinear")?;
    out.publish(|dir| {
        std::fs::write(
            dir.join(crate::inputs::PLACES_FILE),
            constants_csv(&codes, &inverted.constant, &shrunk, &observed),
        )?;
        std::fs::write(
            dir.join("estimation.md"),
            report(&Report {
                label: &label,
                seeds: &seeds,
                settings,
                history: &inverted.history,
                shrunk: &shrunk,
                codes: &codes,
                names: &communes
                    .departements
                    .iter()
                    .map(|d| d.name.clone())
                    .collect::<Vec<_>>(),
                estimated: &inverted.constant,
                se: &se,
            }),
        )?;
        Ok(())
    })?;
    eprintln!(
        "estimated {} constants (τ² {:.3}); wrote {} in {:.0} s",
        codes.len(),
        shrunk.tau2,
        out.path().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Each département's stock at the ends of the simulated window and its flows in between.
fn window_flows(records: &crate::model::Records, n: usize) -> Flows {
    let mut f = Flows {
        start: vec![0.0; n],
        end: vec![0.0; n],
        installations: vec![0.0; n],
        exits: vec![0.0; n],
    };
    for y in &records.years {
        for (d, c) in y.departements.iter().enumerate().take(n) {
            if y.year == SIMULATED.0 {
                f.start[d] = c.gps as f64;
            }
            if y.year == SIMULATED.1 {
                f.end[d] = c.gps as f64;
            }
            if y.year > SIMULATED.0 && y.year <= SIMULATED.1 {
                f.installations[d] += c.installations as f64;
                f.exits[d] += c.exits as f64;
            }
        }
    }
    f
}

/// The flows of several runs added up.
fn sum(runs: &[Flows]) -> Flows {
    let n = runs.first().map_or(0, |f| f.start.len());
    let add = |pick: fn(&Flows) -> &Vec<f64>| -> Vec<f64> {
        (0..n)
            .map(|d| runs.iter().map(|f| pick(f)[d]).sum())
            .collect()
    };
    Flows {
        start: add(|f| &f.start),
        end: add(|f| &f.end),
        installations: add(|f| &f.installations),
        exits: add(|f| &f.exits),
    }
}

/// The [`COVARIATES`] of each département, unstandardised.
fn covariates(inputs: &Inputs, codes: &[String]) -> Vec<Vec<f64>> {
    let position: HashMap<&str, (f64, f64)> = inputs
        .communes
        .iter()
        .map(|c| (c.code_insee.as_str(), (c.lat, c.lon)))
        .collect();
    let faculty_of: HashMap<&str, (f64, f64)> = inputs
        .faculties
        .iter()
        .flat_map(|f| {
            let town = position
                .get(f.faculty_commune.as_str())
                .copied()
                .unwrap_or_default();
            f.departements.iter().map(move |d| (d.as_str(), town))
        })
        .collect();
    let bands = inputs.demography.age_bands(SIMULATED.0);
    codes
        .iter()
        .map(|code| {
            let (mut people, mut urban, mut lat, mut km) = (0.0, 0.0, 0.0, 0.0);
            let town = faculty_of.get(code.as_str()).copied().unwrap_or_default();
            for c in inputs.communes.iter().filter(|c| &c.departement == code) {
                let p = f64::from(c.population);
                people += p;
                urban += p * f64::from(c.urban_cluster);
                lat += p * c.lat;
                km += p * haversine_km((c.lat, c.lon), town);
            }
            let people = people.max(1.0);
            let (old, everyone) = bands.get(code).map_or((0.0, 1.0), |b| {
                let n = |band: &crate::inputs::AgeBand| f64::from(band.men + band.women);
                (n(&b[2]) + n(&b[3]), b.iter().map(n).sum::<f64>().max(1.0))
            });
            let gps = inputs
                .gp_places
                .all_modes(code, SIMULATED.0)
                .map_or(0.0, f64::from);
            let region = inputs
                .departements
                .iter()
                .find(|d| &d.code == code)
                .map_or("", |d| d.region_code.as_str());
            vec![
                people.ln(),
                urban / people,
                lat / people,
                f64::from(u8::from(region == "11")),
                km / people,
                old / everyone,
                1000.0 * gps / everyone,
            ]
        })
        .collect()
}

/// Great-circle distance, km.
fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la, lb) = (a.0.to_radians(), b.0.to_radians());
    let (dlat, dlon) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Each column to mean 0 and standard deviation 1 (a constant column stays 0).
fn standardise(rows: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let (n, k) = (rows.len() as f64, rows.first().map_or(0, Vec::len));
    let mut out = rows.to_vec();
    for j in 0..k {
        let mean = rows.iter().map(|r| r[j]).sum::<f64>() / n;
        let sd = (rows.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n).sqrt();
        for r in &mut out {
            r[j] = if sd > 0.0 { (r[j] - mean) / sd } else { 0.0 };
        }
    }
    out
}

/// The file the model reads (`data/place-attractiveness.csv`), with the estimate's parts.
fn constants_csv(codes: &[String], estimated: &[f64], s: &Shrunk, observed: &[f64]) -> String {
    let mut t = crate::inputs::PLACES_COLUMNS.join(",");
    t.push('\n');
    for (d, code) in codes.iter().enumerate() {
        let (c, sd) = (s.constant[d], s.sd[d]);
        writeln!(
            t,
            "{code},{:.4},{:.4},{:.4},{:.4},{:.4},{:.3},{:.5}",
            c,
            c - 1.645 * sd,
            c + 1.645 * sd,
            estimated[d],
            s.prediction[d],
            s.weight[d],
            observed[d]
        )
        .expect("writing to a String");
    }
    t
}

struct Report<'a> {
    label: &'a str,
    seeds: &'a [u64],
    settings: Inversion,
    history: &'a [f64],
    shrunk: &'a Shrunk,
    codes: &'a [String],
    names: &'a [String],
    estimated: &'a [f64],
    se: &'a [f64],
}

fn report(r: &Report) -> String {
    let s = r.shrunk;
    let mut t = String::new();
    let w = &mut t;
    let _ = writeln!(w, "# Where GPs settle: each département's attractiveness\n");
    let _ = writeln!(
        w,
        "Scenario `{}`; seeds {:?}; {} contraction steps (damping {}), the last {} averaged; \
         observed: RPPS GPs of all modes, yearly change {}–{}; simulated: the model's GPs, \
         {}–{} (docs/model.md, \"Where GPs settle\").\n",
        r.label,
        r.seeds,
        r.settings.iterations,
        r.settings.damping,
        r.settings.averaged,
        OBSERVED.0,
        OBSERVED.1,
        SIMULATED.0,
        SIMULATED.1
    );
    let _ = writeln!(
        w,
        "## Convergence (root mean square log gap of installations)\n"
    );
    let steps: Vec<String> = r.history.iter().map(|h| format!("{h:.3}")).collect();
    let _ = writeln!(w, "{}\n", steps.join(" → "));
    let _ = writeln!(
        w,
        "## Covariate model (weighted least squares, τ² = {:.4}, standardised covariates)\n",
        s.tau2
    );
    let _ = writeln!(w, "| covariate | coefficient | standard error | meaning |");
    let _ = writeln!(w, "|---|---:|---:|---|");
    let _ = writeln!(
        w,
        "| intercept | {:.3} | {:.3} | |",
        s.coefficient[0], s.coefficient_se[0]
    );
    for (j, (name, meaning)) in COVARIATES.iter().enumerate() {
        let _ = writeln!(
            w,
            "| {name} | {:.3} | {:.3} | {meaning} |",
            s.coefficient[j + 1],
            s.coefficient_se[j + 1]
        );
    }
    let _ = writeln!(
        w,
        "\n## Constants (sorted; 90 % interval of the shrunk value)\n"
    );
    let _ = writeln!(
        w,
        "| département | constant [90 %] | estimated ± se | covariate prediction | weight |"
    );
    let _ = writeln!(w, "|---|---:|---:|---:|---:|");
    let mut order: Vec<usize> = (0..r.codes.len()).collect();
    order.sort_by(|&a, &b| s.constant[b].total_cmp(&s.constant[a]));
    for d in order {
        let _ = writeln!(
            w,
            "| {} {} | {:.2} [{:.2}, {:.2}] | {:.2} ± {:.2} | {:.2} | {:.2} |",
            r.codes[d],
            r.names[d],
            s.constant[d],
            s.constant[d] - 1.645 * s.sd[d],
            s.constant[d] + 1.645 * s.sd[d],
            r.estimated[d],
            r.se[d],
            s.prediction[d],
            s.weight[d]
        );
    }
    t
}
