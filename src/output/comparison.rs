//! `medesert compare` outputs: comparison.csv (every effect with its 90 % interval),
//! comparison.md (a table a planner can paste), causal.csv, and the plots (see
//! [`super::comparison_plots`]).

use std::path::Path;

use anyhow::Result;

use super::cell::{Cell, Dialect, write_csv};
use super::comparison_plots::{plot_causal, plot_difference, plot_effect_map, shared_effect_scale};
use super::tables::Format;
use super::text::{Lang, fill};
use crate::experiment::compare::{
    Interval, Runs, causal, effect, national, paired, per_replicate, person_years_without, share,
    total_cost,
};
use crate::inputs::Shapes;
use crate::model::{Counts, Reason, Records};

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
    /// Départements in record order.
    pub units: Vec<Unit>,
    /// Outlines for the maps.
    pub shapes: &'a Shapes,
    /// Year of the effect maps (2035, or the last year of the run before it).
    pub map_year: u16,
    /// The scope of the whole simulated territory in comparison.csv: `France`, or the names of
    /// the régions and départements simulated.
    pub territory: String,
    /// How comparison.csv and causal.csv are written.
    pub dialect: Dialect,
    /// Language of comparison.md and the charts (the CSV's codes stay as they are).
    pub lang: Lang,
}

impl Comparison<'_> {
    fn years(&self) -> Vec<u16> {
        self.runs.runs[0][0].years.iter().map(|y| y.year).collect()
    }

    /// Key years of the tables: 2030, 2035 and 2040 when simulated, else the last year.
    fn key_years(&self) -> Vec<u16> {
        let years = self.years();
        let v: Vec<u16> = [2030, 2035, 2040]
            .into_iter()
            .filter(|y| years.contains(y))
            .collect();
        if v.is_empty() {
            years.last().copied().into_iter().collect()
        } else {
            v
        }
    }
}

/// Counts of a set of départements (by predicate on their index) in a year.
fn units_where(r: &Records, year: u16, keep: impl Fn(usize) -> bool) -> Counts {
    let mut c = Counts::default();
    if let Some(y) = r.years.iter().find(|y| y.year == year) {
        for (i, d) in y.departements.iter().enumerate() {
            if keep(i) {
                c.add(d);
            }
        }
    }
    c
}

const HEADER: [&str; 11] = [
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

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// Rows of comparison.csv, header first.
pub fn rows(c: &Comparison) -> Vec<Vec<Cell>> {
    let runs = c.runs;
    let n = runs.seeds.len();
    let mut out = vec![HEADER.iter().map(|h| Cell::text(*h)).collect()];
    for (p, name) in runs.names.iter().enumerate().skip(1) {
        let both = |f: &dyn Fn(&Records) -> f64| {
            (
                mean(&per_replicate(runs, 0, f)),
                mean(&per_replicate(runs, p, f)),
            )
        };
        for year in c.years() {
            let y = year.to_string();
            let at = move |r: &Records, g: fn(&Counts) -> f64| national(r, year).map_or(0.0, g);
            let s = move |r: &Records| at(r, share);
            out.push(row(
                name,
                "share_without_mt_17plus",
                &c.territory,
                &y,
                both(&s),
                Some(effect(runs, p, s)),
                n,
            ));
            let w = move |r: &Records| at(r, |c| c.without_mt_17plus_total() as f64);
            out.push(row(
                name,
                "patients_without_mt_17plus",
                &c.territory,
                &y,
                both(&w),
                Some(effect(runs, p, w)),
                n,
            ));
            let cost = move |r: &Records| at(r, |c| c.policy_cost_eur);
            let spent = effect(runs, p, cost);
            out.push(row(
                name,
                "policy_cost_eur",
                &c.territory,
                &y,
                both(&cost),
                Some(spent),
                n,
            ));
            // What the policy adds to the baseline's spending this year (docs/outputs.md).
            out.push(row(
                name,
                "incremental_cost_eur",
                &c.territory,
                &y,
                (f64::NAN, f64::NAN),
                Some(spent),
                n,
            ));
        }
        let last = c.years().last().copied().unwrap_or(0).to_string();
        // Positive: person-years with an MT gained by the policy.
        let avoided = |r: &Records| -person_years_without(r);
        out.push(row(
            name,
            "patient_years_with_mt_gained",
            &c.territory,
            &last,
            (0.0, 0.0),
            Some(effect(runs, p, avoided)),
            n,
        ));
        let cost = effect(runs, p, total_cost);
        out.push(row(
            name,
            "policy_cost_eur_cumulated",
            &c.territory,
            &last,
            both(&total_cost),
            Some(cost),
            n,
        ));
        let gained = effect(runs, p, avoided).mean;
        let per = if gained > 0.0 {
            cost.mean / gained
        } else {
            f64::NAN
        };
        out.push(row(
            name,
            "cost_per_patient_year_gained_eur",
            &c.territory,
            &last,
            (f64::NAN, per),
            None,
            n,
        ));
        for year in c.key_years() {
            let y = year.to_string();
            for (i, u) in c.units.iter().enumerate() {
                let s = move |r: &Records| share(&units_where(r, year, |k| k == i));
                out.push(row(
                    name,
                    "share_without_mt_17plus",
                    &u.code,
                    &y,
                    both(&s),
                    Some(effect(runs, p, s)),
                    n,
                ));
            }
            for class in ["urban", "intermediate", "rural"] {
                let members: Vec<usize> = (0..c.units.len())
                    .filter(|&i| c.units[i].class == class)
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let s = |r: &Records| share(&units_where(r, year, |k| members.contains(&k)));
                out.push(row(
                    name,
                    "share_without_mt_17plus",
                    class,
                    &y,
                    both(&s),
                    Some(effect(runs, p, s)),
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
    for (k, name) in c.runs.names.iter().enumerate() {
        for (year, change) in causal(c.runs, k) {
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

/// comparison.md: one line per policy, the figures a planner asks for, in `c.lang`.
pub fn markdown(c: &Comparison) -> String {
    let (runs, lang) = (c.runs, c.lang);
    let words = &lang.text().compare;
    let n = runs.seeds.len();
    let keys = c.key_years();
    let seeds: Vec<String> = runs.seeds.iter().map(|s| s.to_string()).collect();
    let sets = runs.sets.iter().max().map_or(1, |m| m + 1);
    let heading = fill(
        words.heading,
        &[&runs.names[1..].join(", "), runs.names[0].as_str()],
    );
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
    for (p, name) in runs.names.iter().enumerate().skip(1) {
        t.push_str(&format!("| {name} |"));
        for &year in &keys {
            let s = move |r: &Records| national(r, year).map_or(0.0, share);
            let (b, v) = (
                mean(&per_replicate(runs, 0, s)),
                mean(&per_replicate(runs, p, s)),
            );
            t.push_str(&format!(
                " {} → {} ({}) |",
                lang.percent(100.0 * b, 2),
                lang.percent(100.0 * v, 2),
                points(lang, effect(runs, p, s))
            ));
        }
        let gained = effect(runs, p, |r| -person_years_without(r));
        let cost = effect(runs, p, total_cost);
        let per = if cost.mean == 0.0 {
            words.no_cost[0].to_string()
        } else if gained.mean > 0.0 {
            num(cost.mean / gained.mean, 0)
        } else {
            words.no_cost[1].to_string()
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
    t.push_str(&format!("\n{}\n", fill(words.closing, &[&year, &year])));
    t
}

/// Writes every output of a comparison into `dir`.
pub fn write(dir: &Path, c: &Comparison) -> Result<()> {
    write_csv(&dir.join("comparison.csv"), rows(c), c.dialect)?;
    std::fs::write(dir.join("comparison.md"), markdown(c))?;
    write_csv(&dir.join("causal.csv"), causal_rows(c), c.dialect)?;
    plot_difference(&dir.join("difference.png"), c)?;
    // Effects in points, every policy's, so that all maps share one scale.
    let effects: Vec<Vec<(String, f64)>> = (1..c.runs.names.len())
        .map(|p| {
            departement_effects(c, p, c.map_year)
                .into_iter()
                .map(|(code, v)| (code, 100.0 * v))
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

/// Mean paired effect of policy `p` on the share of each département in `year` (points).
pub fn departement_effects(c: &Comparison, p: usize, year: u16) -> Vec<(String, f64)> {
    c.units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let s = move |r: &Records| share(&units_where(r, year, |k| k == i));
            (u.code.clone(), mean(&paired(c.runs, p, s)))
        })
        .collect()
}
