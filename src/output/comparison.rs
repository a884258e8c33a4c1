//! `medesert compare` outputs: comparison.csv (every effect with its 90 % interval),
//! comparison.md (a table a planner can paste), causal.csv, and the plots (see
//! [`super::comparison_plots`]).

use std::path::Path;

use anyhow::Result;

use super::briefing::{self, About};
use super::cell::write_csv;
use super::comparison_plots::{plot_causal, plot_difference, plot_effect_map, shared_effect_scale};
use super::text::{Lang, fill};
use crate::experiment::compare::{CostPerYearGained, Interval, Runs};
use crate::experiment::effects::{Effects, Measured, key_years};
use crate::inputs::Shapes;
use crate::model::Reason;
use crate::tables::Format;
use crate::tables::cell::{Cell, Dialect};

/// A simulated département: code, name and density class (`urban`, `intermediate`, `rural`).
#[derive(Debug, Clone)]
pub struct Unit {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Density class of data/departements.csv.
    pub class: String,
}

/// What the outputs are drawn from.
pub struct Comparison<'a> {
    /// The runs, baseline first.
    pub runs: &'a Runs,
    /// Their statistics.
    pub effects: &'a Effects,
    /// Départements in record order.
    pub units: Vec<Unit>,
    /// Outlines for the maps.
    pub shapes: &'a Shapes,
    /// Year of the effect maps (`effects::MAP_YEAR`, or the run's year nearest to it).
    pub map_year: u16,
    /// The scope of the whole simulated territory in comparison.csv: `France`, or the names of
    /// the régions and départements simulated.
    pub territory: String,
    /// How comparison.csv and causal.csv are written.
    pub dialect: Dialect,
    /// Language of comparison.md and the charts (the CSV's codes stay as they are).
    pub lang: Lang,
    /// The scenarios as run, the territory's name and the date, for comparison.md.
    pub about: About<'a>,
}

/// The columns of `comparison.csv`, in order (its writer and its readers share them).
pub const HEADER: [&str; 11] = [
    "policy",
    "metric",
    "scope",
    "year",
    "baseline",
    "policy_value",
    "effect",
    "effect_low_90",
    "effect_high_90",
    "replicates",
    "variance_share_parameters",
];

/// How a metric of comparison.csv is written: shares with 6 decimals, persons, person-years
/// and euros as integers.
fn metric_format(metric: &str) -> Format {
    match metric {
        "share_without_mt_17plus" => Format::Decimals(6),
        _ => Format::Count,
    }
}

fn row(
    policy: &str,
    metric: &str,
    scope: &str,
    year: &str,
    (base, pol): (f64, f64),
    effect: Option<Interval>,
    n: usize,
) -> Vec<Cell> {
    let f = |x: f64| metric_format(metric).cell(Some(x));
    let mut r = vec![
        Cell::text(policy),
        Cell::text(metric),
        Cell::text(scope),
        Cell::text(year),
        f(base),
        f(pol),
    ];
    match effect {
        Some(i) => r.extend([f(i.mean), f(i.low), f(i.high)]),
        None => r.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
    }
    r.push(Cell::Int(n as i64));
    r.push(Cell::real(effect.and_then(|i| i.parameter_share), 3));
    r
}

/// A row of a measured quantity: the means and the effect with its interval.
fn measured_row(
    policy: &str,
    metric: &str,
    scope: &str,
    year: &str,
    m: &Measured,
    n: usize,
) -> Vec<Cell> {
    row(
        policy,
        metric,
        scope,
        year,
        (m.baseline, m.policy),
        Some(m.effect),
        n,
    )
}

/// Rows of comparison.csv, header first.
pub fn rows(c: &Comparison) -> Vec<Vec<Cell>> {
    let n = c.runs.seeds.len();
    let mut out = vec![HEADER.iter().map(|h| Cell::text(*h)).collect()];
    for (name, e) in c.runs.names[1..].iter().zip(&c.effects.policies) {
        for y in &e.years {
            let year = y.year.to_string();
            let at = |metric, m| measured_row(name, metric, &c.territory, &year, m, n);
            out.push(at("share_without_mt_17plus", &y.share));
            out.push(at("patients_without_mt_17plus", &y.without));
            out.push(at("policy_cost_eur", &y.cost));
            // What the policy adds to the baseline's spending this year (docs/outputs.md).
            out.push(row(
                name,
                "incremental_cost_eur",
                &c.territory,
                &year,
                (f64::NAN, f64::NAN),
                Some(y.cost.effect),
                n,
            ));
        }
        let last = e.years.last().map_or(0, |y| y.year).to_string();
        out.push(row(
            name,
            "patient_years_with_mt_gained",
            &c.territory,
            &last,
            (f64::NAN, f64::NAN),
            Some(e.gained),
            n,
        ));
        out.push(measured_row(
            name,
            "policy_cost_eur_cumulated",
            &c.territory,
            &last,
            &e.cost_cumulated,
            n,
        ));
        out.push(row(
            name,
            "cost_per_patient_year_gained_eur",
            &c.territory,
            &last,
            (f64::NAN, e.cost_per_year_gained.eur()),
            None,
            n,
        ));
        for local in &e.local {
            let year = local.year.to_string();
            for (u, m) in c.units.iter().zip(&local.departements) {
                out.push(measured_row(
                    name,
                    "share_without_mt_17plus",
                    &u.code,
                    &year,
                    m,
                    n,
                ));
            }
            for (class, m) in &local.classes {
                out.push(measured_row(
                    name,
                    "share_without_mt_17plus",
                    class,
                    &year,
                    m,
                    n,
                ));
            }
        }
    }
    out
}

/// Rows of causal.csv: the yearly change of patients 17+ without an MT by reason, mean over
/// replicates, for every scenario.
pub fn causal_rows(c: &Comparison) -> Vec<Vec<Cell>> {
    let mut out = vec![
        ["scenario", "year", "reason", "change_persons"]
            .map(Cell::text)
            .to_vec(),
    ];
    for (name, causal) in c.runs.names.iter().zip(&c.effects.causal) {
        for &(year, change) in causal {
            for (reason, v) in Reason::ALL.iter().zip(change) {
                out.push(vec![
                    Cell::text(name.as_str()),
                    Cell::Int(year.into()),
                    Cell::text(reason.code()),
                    Cell::count(Some(v)),
                ]);
            }
        }
    }
    out
}

fn points(lang: Lang, i: Interval) -> String {
    let p = |v: f64| lang.signed(100.0 * v, 2);
    format!("{} {}", p(i.mean), lang.interval(&p(i.low), &p(i.high)))
}

/// comparison.md, a briefing note in `c.lang`: title, the levers, the headline's definition,
/// the table of effects, caveats, costs, method and sources ([`briefing`]).
pub fn markdown(c: &Comparison) -> String {
    let lang = c.lang;
    let about = &c.about;
    format!(
        "{}\n\n{}{}{}{}{}{}",
        briefing::title_line(about, lang),
        briefing::levers(about, lang),
        briefing::definition(lang),
        table(c),
        briefing::caveats(c, about),
        briefing::costs(about, lang),
        briefing::method(c, about)
    )
}

/// The table of effects: one line per policy, the figures a planner asks for, in `c.lang`,
/// under a heading naming the scenarios, and the method of the intervals.
fn table(c: &Comparison) -> String {
    let (runs, lang) = (c.runs, c.lang);
    let words = &lang.text().compare;
    let n = runs.seeds.len();
    let years: Vec<u16> = runs.runs[0][0].years.iter().map(|y| y.year).collect();
    let keys = key_years(&years);
    let seeds: Vec<String> = runs.seeds.iter().map(|s| s.to_string()).collect();
    let sets = runs.sets.iter().max().map_or(1, |m| m + 1);
    let heading = match lang {
        Lang::Fr => "## Effets",
        Lang::En => "## Effects",
    };
    let method = if sets > 1 {
        let per_set = seeds[..(n / sets).min(seeds.len())].join(", ");
        fill(
            words.method_ensemble,
            &[
                &n.to_string(),
                &sets.to_string(),
                &(n / sets).to_string(),
                &per_set,
            ],
        )
    } else {
        fill(words.method_seeds, &[&n.to_string(), &seeds.join(", ")])
    };
    let mut t = format!("{heading}\n\n{method}\n\n| {} |", words.columns[0]);
    for y in &keys {
        t.push_str(&format!(" {} |", fill(words.columns[1], &[&y.to_string()])));
    }
    for column in &words.columns[2..] {
        t.push_str(&format!(" {column} |"));
    }
    t.push_str("\n|---|");
    t.push_str(&"---|".repeat(keys.len() + 3));
    t.push('\n');
    let num = |v: f64, d: usize| lang.number(v, d);
    for (s, e) in c.about.scenarios[1..].iter().zip(&c.effects.policies) {
        t.push_str(&format!("| {} |", briefing::title(s, lang)));
        for &year in &keys {
            let share = e.years.iter().find(|y| y.year == year).map(|y| y.share);
            let (b, v, effect) = share.map_or((f64::NAN, f64::NAN, None), |m| {
                (m.baseline, m.policy, Some(m.effect))
            });
            t.push_str(&format!(
                " {} → {} ({}) |",
                lang.percent(100.0 * b, 2),
                lang.percent(100.0 * v, 2),
                effect.map_or(String::new(), |i| points(lang, i))
            ));
        }
        let (gained, cost) = (e.gained, e.cost_cumulated.effect);
        let per = match e.cost_per_year_gained {
            CostPerYearGained::NoCost => words.no_cost[0].to_string(),
            CostPerYearGained::NoGain => words.no_cost[1].to_string(),
            CostPerYearGained::Eur(v) => num(v, 0),
        };
        let with_interval = |i: Interval, scale: f64, d: usize| {
            let v = |x: f64| num(x / scale, d);
            format!("{} {}", v(i.mean), lang.interval(&v(i.low), &v(i.high)))
        };
        t.push_str(&format!(
            " {} | {} | {per} |\n",
            with_interval(gained, 1.0, 0),
            with_interval(cost, 1e6, 1)
        ));
    }
    let year = c.map_year.to_string();
    t.push_str(&format!("\n{}\n\n", fill(words.closing, &[&year, &year])));
    t
}

/// Writes every output of a comparison into `dir`.
pub fn write(dir: &Path, c: &Comparison) -> Result<()> {
    write_csv(&dir.join("comparison.csv"), rows(c), c.dialect)?;
    super::write_text(&dir.join("comparison.md"), markdown(c))?;
    write_csv(&dir.join("causal.csv"), causal_rows(c), c.dialect)?;
    plot_difference(&dir.join("difference.png"), c)?;
    // Effects in points, every policy's, so that all maps share one scale.
    let effects: Vec<Vec<(String, f64)>> = c
        .effects
        .policies
        .iter()
        .map(|e| {
            c.units
                .iter()
                .zip(&e.map)
                .map(|(u, v)| (u.code.clone(), 100.0 * v))
                .collect()
        })
        .collect();
    let scale = shared_effect_scale(&effects);
    for (p, name) in c.runs.names.iter().enumerate() {
        plot_causal(&dir.join(format!("causal-{name}.png")), c, p)?;
        if p > 0 {
            let path = dir.join(format!("map-effect-{}-{name}.png", c.map_year));
            plot_effect_map(&path, c, (p, &effects[p - 1]), &scale)?;
        }
    }
    Ok(())
}
