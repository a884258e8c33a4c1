//! Trend and geography targets: rows of the targets file whose indicator is `KIND:NAME`
//! (docs/validation.md, "Trend and geography targets"):
//!
//! - `change:IND`, year `A-B`: the change of indicator `IND` from A to B (B's value minus
//!   A's). It passes when its sign is the observed sign and it is within `IND`'s tolerance
//!   (or the row's) of the observed change;
//! - `trough:IND`, year `R:A-B`: `IND` falls to a minimum, over the years from R to the end
//!   of the run, that lies in A–B and at least `|value|` (relative) below its level in R; the
//!   value is the observed relative depth (negative), the tolerance column is not used;
//! - `spearman:NAME`, year `Y` or `A-B`: Spearman's rank correlation of a simulated and an
//!   observed geography (NAME in [`RANKINGS`]); the observed value is 1 (the observed
//!   ranking itself), so a tolerance `t` asks for ρ ≥ 1 − t.
//!
//! Every other row is a level (`IND`, year `Y`).

use super::{Indicator, Records, Row, Scope, TargetRow, Tolerance, indicators, simulated, summary};

/// The kinds of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A value in one year.
    Level,
    /// A signed change between two years.
    Change,
    /// A minimum within a window, deep enough below a reference year.
    Trough,
    /// A rank correlation of geographies.
    Spearman,
}

/// The geographies a `spearman:` target can name, with their default tolerance (1 − the
/// lowest ρ that passes; the thresholds are assumptions, docs/validation.md says why) and
/// what is ranked.
pub const RANKINGS: &[(&str, f64, &str)] = &[
    (
        "apl_by_commune_2000plus",
        0.7,
        "APL (all GPs) of each commune of 2,000+ people (DREES 2021 population)",
    ),
    (
        "apl_by_departement",
        0.5,
        "population-weighted mean APL (all GPs) of each département",
    ),
    (
        "gp_change_by_departement",
        0.7,
        "relative change of each département's GPs (model: primary care; RPPS: all modes)",
    ),
    (
        "gp_density_persistence",
        0.15,
        "each département's GPs per person against its own start-year value: the map's \
         persistence (1 = the start-year ranking kept; RPPS 2012→2018: 0.91)",
    ),
];

/// Splits `KIND:NAME` (a level has no prefix).
pub fn split(name: &str) -> (Kind, &str) {
    match name.split_once(':') {
        Some(("change", base)) => (Kind::Change, base),
        Some(("trough", base)) => (Kind::Trough, base),
        Some(("spearman", base)) => (Kind::Spearman, base),
        _ => (Kind::Level, name),
    }
}

/// Is `name` a name the report knows (a level or a kind of a known indicator)?
pub fn known(name: &str) -> bool {
    match split(name) {
        (Kind::Spearman, base) => RANKINGS.iter().any(|r| r.0 == base),
        (_, base) => indicators::find(base).is_some(),
    }
}

/// The years of a target: a reference year and a window (equal for a level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    /// Reference year (the start of a change; the trough's reference).
    pub reference: u16,
    /// First year of the window.
    pub from: u16,
    /// Last year of the window.
    pub to: u16,
}

impl Years {
    /// Parses `Y`, `A-B` (A < B) or `R:A-B` (R ≤ A ≤ B).
    pub fn parse(text: &str) -> Option<Years> {
        let year = |t: &str| t.trim().parse::<u16>().ok();
        let span = |t: &str| -> Option<(u16, u16)> {
            let (a, b) = t.split_once('-')?;
            Some((year(a)?, year(b)?)).filter(|(a, b)| a < b)
        };
        let t = text.trim();
        if let Some((r, window)) = t.split_once(':') {
            let (r, (a, b)) = (year(r)?, span(window)?);
            return (r <= a).then_some(Years {
                reference: r,
                from: a,
                to: b,
            });
        }
        if let Some((a, b)) = span(t) {
            return Some(Years {
                reference: a,
                from: a,
                to: b,
            });
        }
        year(t).map(|y| Years {
            reference: y,
            from: y,
            to: y,
        })
    }
}

/// The shape of year a kind expects, for messages.
pub fn expected_years(kind: Kind) -> &'static str {
    match kind {
        Kind::Level => "a year such as 2021",
        Kind::Change => "two years such as 2017-2021",
        Kind::Trough => "a reference year and a window such as 2021:2024-2030",
        Kind::Spearman => "a year such as 2021 or two years such as 2014-2018",
    }
}

/// Does `years` have the shape `kind` expects?
pub fn fits(kind: Kind, years: &Years) -> bool {
    let single = years.from == years.to;
    match kind {
        Kind::Level => single,
        Kind::Change => !single && years.reference == years.from,
        Kind::Trough => !single,
        Kind::Spearman => years.reference == years.from,
    }
}

/// Per-seed rank correlations by (ranking name, years), or why there are none.
pub type Rankings = Vec<(&'static str, Years, Result<Vec<f64>, String>)>;

/// Compares one trend or geography target into `row` (its observed value already parsed).
pub fn compare(
    t: &TargetRow,
    (kind, base): (Kind, &str),
    (years, observed): (Years, f64),
    (runs, scope, rankings): (&[Records], &Scope, &Rankings),
    row: &mut Row,
) {
    let tolerance = |default: Tolerance| match t.tolerance.as_deref().map(str::trim) {
        None | Some("") => Some(default),
        Some(text) => Tolerance::parse(text),
    };
    match kind {
        Kind::Spearman => {
            let Some(&(_, default, meaning)) = RANKINGS.iter().find(|r| r.0 == base) else {
                return;
            };
            let Some(tol) = tolerance(Tolerance::Absolute(default)) else {
                row.note = "tolerance is not a number or a percentage".into();
                return;
            };
            match rankings.iter().find(|r| r.0 == base && r.1 == years) {
                None => row.note = format!("not produced: no {base} ranking for {}", t.year.trim()),
                Some((_, _, Err(why))) => row.note = format!("not produced: {why}"),
                Some((_, _, Ok(rhos))) => {
                    let s = summary(rhos);
                    row.simulated = Some(s);
                    row.tolerance = Some(tol);
                    row.pass = Some(tol.passes(s[0], observed));
                    row.note = format!("Spearman ρ: {meaning}");
                }
            }
        }
        Kind::Change | Kind::Trough => {
            let Some(ind) = indicators::find(base) else {
                return;
            };
            let Some(tol) = tolerance(ind.tolerance) else {
                row.note = "tolerance is not a number or a percentage".into();
                return;
            };
            let result = if kind == Kind::Change {
                change(ind, runs, scope, years, observed, tol, row)
            } else {
                trough(ind, runs, scope, years, observed, row)
            };
            if let Err(why) = result {
                row.note = format!("not produced: {why}");
            }
        }
        Kind::Level => {}
    }
}

fn change(
    ind: &Indicator,
    runs: &[Records],
    scope: &Scope,
    y: Years,
    observed: f64,
    tol: Tolerance,
    row: &mut Row,
) -> Result<(), String> {
    let deltas = runs
        .iter()
        .map(|r| Ok(simulated(ind, r, y.to, scope)? - simulated(ind, r, y.from, scope)?))
        .collect::<Result<Vec<f64>, String>>()?;
    if deltas.is_empty() {
        return Err("no run".into());
    }
    let s = summary(&deltas);
    let same_sign = observed == 0.0 || s[0].signum() == observed.signum();
    row.simulated = Some(s);
    row.tolerance = Some(tol);
    row.pass = Some(same_sign && tol.passes(s[0], observed));
    row.note = format!(
        "change {}–{} of: {}{}",
        y.from,
        y.to,
        ind.meaning,
        if same_sign { "" } else { " (wrong sign)" }
    );
    Ok(())
}

fn trough(
    ind: &Indicator,
    runs: &[Records],
    scope: &Scope,
    y: Years,
    observed: f64,
    row: &mut Row,
) -> Result<(), String> {
    // A relative depth does not depend on the territory's size: national counts are fine.
    let scope = Scope {
        whole_france: true,
        ..*scope
    };
    let years: Vec<u16> = (y.reference..=scope.last_year).collect();
    let paths = runs
        .iter()
        .map(|r| {
            years
                .iter()
                .map(|&year| simulated(ind, r, year, &scope))
                .collect()
        })
        .collect::<Result<Vec<Vec<f64>>, String>>()?;
    if paths.is_empty() || scope.last_year < y.from {
        return Err(format!("the run ends before {}", y.from));
    }
    // (index of the minimum, depth relative to the reference year) of a path.
    let low = |p: &[f64]| {
        let (k, min) = p
            .iter()
            .enumerate()
            .fold((0, p[0]), |m, (k, &v)| if v < m.1 { (k, v) } else { m });
        (k, min / p[0] - 1.0)
    };
    let depths: Vec<f64> = paths.iter().map(|p| low(p).1).collect();
    let mean_path: Vec<f64> = (0..years.len())
        .map(|k| paths.iter().map(|p| p[k]).sum::<f64>() / paths.len() as f64)
        .collect();
    let (k, depth) = low(&mean_path);
    let year = years[k];
    let in_window = (y.from..=y.to).contains(&year);
    row.simulated = Some(summary(&depths));
    row.pass = Some(in_window && depth <= observed);
    row.note = format!(
        "relative depth of the minimum after {} of: {}; mean path's minimum in {year} ({:+.1} %){}; \
         passes when in {}–{} and at most {:+.1} %",
        y.reference,
        ind.meaning,
        100.0 * depth,
        if in_window {
            ""
        } else {
            ", outside the window"
        },
        y.from,
        y.to,
        100.0 * observed
    );
    Ok(())
}

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod tests;
