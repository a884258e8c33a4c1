//! The statistics of a comparison, computed once from its runs: each policy's effect on the
//! share and number of adults without an MT and on spending, year by year, over the run, by
//! département and by density class, and every scenario's causal accounting. The output layer
//! (comparison.csv, comparison.md, the plots) only formats them.

use super::compare::{
    CostPerYearGained, Interval, Runs, causal, effect, national, paired, per_replicate,
    person_years_without, share, total_cost,
};
use crate::inputs::DENSITY_CLASSES;
use crate::model::{Counts, Reason, Records};

/// A quantity in the baseline and in a policy (means over replicates) and the policy's paired
/// effect on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    /// Mean over the baseline's replicates.
    pub baseline: f64,
    /// Mean over the policy's replicates.
    pub policy: f64,
    /// Policy − baseline, paired by replicate, with its 90 % interval.
    pub effect: Interval,
}

/// A policy's effects in one year, for the whole simulated territory.
#[derive(Debug, Clone, PartialEq)]
pub struct YearEffects {
    /// The year.
    pub year: u16,
    /// Share of 17+ without an MT.
    pub share: Measured,
    /// People 17+ without an MT.
    pub without: Measured,
    /// Spending of the year's levers, €; its effect is the policy's incremental cost.
    pub cost: Measured,
}

/// A policy's effect on the share of 17+ without an MT in a key year, by département and by
/// density class.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalEffects {
    /// The year.
    pub year: u16,
    /// Each département, in record order.
    pub departements: Vec<Measured>,
    /// Each density class with a simulated département (`urban`, `intermediate`, `rural`).
    pub classes: Vec<(&'static str, Measured)>,
}

/// What one policy changes against the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyEffects {
    /// Every simulated year.
    pub years: Vec<YearEffects>,
    /// Person-years with an MT gained over the run (adults).
    pub gained: Interval,
    /// Spending summed over the run, €.
    pub cost_cumulated: Measured,
    /// Cumulated incremental cost per person-year gained.
    pub cost_per_year_gained: CostPerYearGained,
    /// The key years, by département and density class.
    pub local: Vec<LocalEffects>,
    /// Mean effect on each département's share in the map year (record order).
    pub map: Vec<f64>,
}

/// Every statistic of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// Each policy's effects, in scenario order (the baseline, scenario 0, has none).
    pub policies: Vec<PolicyEffects>,
    /// Each scenario's yearly change of 17+ without an MT by reason (mean over replicates).
    pub causal: Vec<Vec<(u16, [f64; Reason::COUNT])>>,
}

/// Years of comparison.md's columns and of the tables by département and density class, when
/// simulated.
pub const KEY_YEARS: [u16; 3] = [2030, 2035, 2040];

/// Year of the effect maps: the middle key year, or the run's year nearest to it.
pub const MAP_YEAR: u16 = KEY_YEARS[1];

/// The key years among the simulated `years`, else the last simulated year.
pub fn key_years(years: &[u16]) -> Vec<u16> {
    let v: Vec<u16> = KEY_YEARS
        .into_iter()
        .filter(|y| years.contains(y))
        .collect();
    if v.is_empty() {
        years.last().copied().into_iter().collect()
    } else {
        v
    }
}

/// Where a comparison's local statistics are taken.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// Density class of each département, in record order.
    pub classes: &'a [String],
    /// Year of the effect maps.
    pub map_year: u16,
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// `f` in the baseline and in policy `p`, and the paired effect.
fn measured(runs: &Runs, p: usize, f: impl Fn(&Records) -> f64) -> Measured {
    Measured {
        baseline: mean(&per_replicate(runs, 0, &f)),
        policy: mean(&per_replicate(runs, p, &f)),
        effect: effect(runs, p, &f),
    }
}

/// Counts of the départements `keep` (by index) in `year`.
fn departements_where(r: &Records, year: u16, keep: impl Fn(usize) -> bool) -> Counts {
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

/// A policy's effects in `year` (whole territory).
fn year_effects(runs: &Runs, p: usize, year: u16) -> YearEffects {
    let at = move |r: &Records, g: fn(&Counts) -> f64| national(r, year).map_or(f64::NAN, g);
    YearEffects {
        year,
        share: measured(runs, p, |r| at(r, share)),
        without: measured(runs, p, |r| at(r, |c| c.without_mt_17plus_total() as f64)),
        cost: measured(runs, p, |r| at(r, |c| c.policy_cost_eur)),
    }
}

/// A policy's effects in `year` by département and density class.
fn local_effects(runs: &Runs, p: usize, classes: &[String], year: u16) -> LocalEffects {
    let departements = (0..classes.len())
        .map(|i| measured(runs, p, |r| share(&departements_where(r, year, |k| k == i))))
        .collect();
    let classes = DENSITY_CLASSES
        .iter()
        .filter_map(|&class| {
            let members: Vec<usize> = (0..classes.len())
                .filter(|&i| classes[i] == class)
                .collect();
            if members.is_empty() {
                return None;
            }
            let s = |r: &Records| share(&departements_where(r, year, |k| members.contains(&k)));
            Some((class, measured(runs, p, s)))
        })
        .collect();
    LocalEffects {
        year,
        departements,
        classes,
    }
}

/// Every statistic of the comparison `runs` (scenario 0 the baseline).
pub fn measure(runs: &Runs, scope: Scope) -> Effects {
    let years: Vec<u16> = runs.runs[0][0].years.iter().map(|y| y.year).collect();
    let key_years = key_years(&years);
    let policies = (1..runs.names.len())
        .map(|p| {
            // Positive: person-years with an MT gained by the policy.
            let gained = effect(runs, p, |r| -person_years_without(r));
            let cost_cumulated = measured(runs, p, total_cost);
            let map = (0..scope.classes.len())
                .map(|i| {
                    let s = |r: &Records| share(&departements_where(r, scope.map_year, |k| k == i));
                    mean(&paired(runs, p, s))
                })
                .collect();
            PolicyEffects {
                years: years.iter().map(|&y| year_effects(runs, p, y)).collect(),
                gained,
                cost_per_year_gained: CostPerYearGained::of(
                    cost_cumulated.effect.mean,
                    gained.mean,
                ),
                cost_cumulated,
                local: key_years
                    .iter()
                    .map(|&y| local_effects(runs, p, scope.classes, y))
                    .collect(),
                map,
            }
        })
        .collect();
    Effects {
        policies,
        causal: (0..runs.names.len()).map(|k| causal(runs, k)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_years_are_the_simulated_ones_else_the_last_year() {
        let run: Vec<u16> = (2014..=2040).collect();
        assert_eq!(key_years(&run), vec![2030, 2035, 2040]);
        let short: Vec<u16> = (2014..=2032).collect();
        assert_eq!(key_years(&short), vec![2030]);
        let early: Vec<u16> = (2014..=2027).collect();
        assert_eq!(key_years(&early), vec![2027]);
    }

    #[test]
    fn a_cost_per_person_year_needs_a_cost_and_a_gain() {
        assert_eq!(CostPerYearGained::of(0.0, -5.0), CostPerYearGained::NoCost);
        assert_eq!(CostPerYearGained::of(0.0, -5.0).eur(), 0.0);
        assert_eq!(CostPerYearGained::of(1e6, 0.0), CostPerYearGained::NoGain);
        assert!(CostPerYearGained::of(1e6, -2.0).eur().is_nan());
        assert_eq!(CostPerYearGained::of(1e6, 200.0).eur(), 5000.0);
    }
}
