//! Replicates of one scenario: the seeds every command runs them on, and the summary of a
//! run's tables over them (`medesert run --replicates N`, with or without `--ensemble`): the
//! mean and the 5/50/95 % quantiles of every indicator, per unit and year, as typed results
//! that `output/` only formats and draws.
//!
//! The summary reads each run's values as numbers from the rows its tables are made of
//! (`tables::national_values` and `tables::unit_values`, each indicator defined once), so a
//! summary is of the indicators a user finds in national.csv, regions.csv and
//! departements.csv, unrounded: no number goes through text on its way.

use crate::model::{Communes, Records};

use super::compare::grouped_interval;
use super::results::quantile;

/// The seed of replicate `k` (from 0) of a scenario whose seed is `first`: `first + k`
/// (wrapping). Every command that runs replicates (run, validate, compare, sweep and so
/// calibrate) derives them here, so replicate k of a run is replicate k of a comparison.
pub fn seed(first: u64, k: u64) -> u64 {
    first.wrapping_add(k)
}

/// Checks that the seeds of `n` replicates from `first` all lie within 0 to
/// [`MAX_SEED`](crate::scenario::MAX_SEED), the range of a scenario's `seed`.
pub fn check_seeds(first: u64, n: u32) -> Result<(), String> {
    let last = u128::from(first) + u128::from(n.max(1)) - 1;
    if last > u128::from(crate::scenario::MAX_SEED) {
        return Err(format!(
            "seed {first} with {n} replicates runs seeds up to {last}, beyond the largest seed \
             {} (seeds are whole numbers 0 to 2^63 - 1): choose a smaller seed",
            crate::scenario::MAX_SEED
        ));
    }
    Ok(())
}

/// The seeds of `n` replicates: `seed(first, 0)`, …, `seed(first, n − 1)`, each a valid seed
/// (see [`check_seeds`]).
pub fn seeds(first: u64, n: u32) -> anyhow::Result<Vec<u64>> {
    check_seeds(first, n).map_err(anyhow::Error::msg)?;
    Ok((0..u64::from(n)).map(|k| seed(first, k)).collect())
}

/// One table of a run as numbers: a row per year (and unit), a value per indicator (NaN
/// where the table's cell is empty).
#[derive(Debug, Clone)]
struct Table {
    /// Names of the unit's key columns after `year` (empty for national.csv).
    unit_names: Vec<String>,
    /// Indicator columns.
    indicators: Vec<String>,
    /// (year, unit keys, values) of each row.
    rows: Vec<(u16, Vec<String>, Vec<f64>)>,
}

impl Table {
    /// A table of indicator rows whose units have the key columns `unit_names`.
    fn of(rows: Vec<crate::tables::ValueRow>, unit_names: &[&str]) -> Table {
        Table {
            unit_names: unit_names.iter().map(|s| s.to_string()).collect(),
            indicators: crate::tables::COLUMNS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows,
        }
    }
}

/// The three tables of one run (national, régions, départements) as numbers, made as soon as
/// the run ends so that its records can be dropped.
#[derive(Debug, Clone)]
pub struct RunTables([Table; 3]);

impl RunTables {
    /// The tables of a run's records on the communes it simulated.
    pub fn of(records: &Records, communes: &Communes) -> RunTables {
        use crate::tables::{national_values, unit_keys, unit_values};
        RunTables([
            Table::of(national_values(records), &[]),
            Table::of(unit_values(records, communes, false), &unit_keys(false)),
            Table::of(unit_values(records, communes, true), &unit_keys(true)),
        ])
    }
}

/// An indicator of one unit in one year, over the runs that gave it a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Runs with a value.
    pub runs: usize,
    /// Mean over the runs.
    pub mean: f64,
    /// 5th, 50th (median) and 95th percentiles over the runs: linear interpolation between
    /// order statistics (type 7, as numpy and R by default; as the sweep's summary.csv).
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// With several parameter sets: the share of the variance due to the parameters, the
    /// rest being chance (one-way analysis of variance, as `compare --ensemble`).
    pub parameter_share: Option<f64>,
}

/// One row of a summary: an indicator of a unit in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Year.
    pub year: u16,
    /// The unit's key cells (code and name; empty for the national table).
    pub unit: Vec<String>,
    /// Indicator (a column of the run's table).
    pub indicator: String,
    /// Its statistics; `None` when no run gave it a value.
    pub stats: Option<Stats>,
}

/// The summary of one table over the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryTable {
    /// Names of the unit key columns (e.g. `region`, `region_name`; empty for national).
    pub unit_names: Vec<String>,
    /// Rows in the table's order (year, unit), every indicator of a row in column order.
    pub rows: Vec<SummaryRow>,
}

/// A run's tables summarised over its replicates (and parameter sets).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Runs summarised: parameter sets × seeds.
    pub runs: usize,
    /// Seeds per parameter set.
    pub seeds: usize,
    /// Parameter sets (1 without `--ensemble`).
    pub sets: usize,
    /// national.csv summarised.
    pub national: SummaryTable,
    /// regions.csv summarised.
    pub regions: SummaryTable,
    /// departements.csv summarised.
    pub departements: SummaryTable,
}

impl Summary {
    /// The national statistics of `indicator`, year by year (empty if it is not a column).
    pub fn national(&self, indicator: &str) -> Vec<(u16, Stats)> {
        self.national
            .rows
            .iter()
            .filter(|r| r.indicator == indicator)
            .filter_map(|r| Some((r.year, r.stats?)))
            .collect()
    }
}

/// Summarises `runs` (the first run's tables give the rows; parameter set `sets[k]` for run
/// k). Runs are aligned row by row: a run whose row differs in year or unit counts as
/// giving no value there.
pub fn summarise(runs: &[RunTables], sets: &[usize]) -> Summary {
    let n_sets = sets.iter().max().map_or(1, |m| m + 1);
    let table = |level: usize| summarise_table(runs, level, sets, n_sets);
    Summary {
        runs: runs.len(),
        seeds: runs.len() / n_sets.max(1),
        sets: n_sets,
        national: table(0),
        regions: table(1),
        departements: table(2),
    }
}

fn summarise_table(
    runs: &[RunTables],
    level: usize,
    sets: &[usize],
    n_sets: usize,
) -> SummaryTable {
    let Some(first) = runs.first().map(|r| &r.0[level]) else {
        return SummaryTable {
            unit_names: Vec::new(),
            rows: Vec::new(),
        };
    };
    let mut rows = Vec::with_capacity(first.rows.len() * first.indicators.len());
    let mut values = Vec::with_capacity(runs.len());
    let mut groups = Vec::with_capacity(runs.len());
    for (i, (year, unit, _)) in first.rows.iter().enumerate() {
        for (c, indicator) in first.indicators.iter().enumerate() {
            values.clear();
            groups.clear();
            for (k, run) in runs.iter().enumerate() {
                let v = run.0[level]
                    .rows
                    .get(i)
                    .filter(|(y, u, _)| y == year && u == unit)
                    .and_then(|(_, _, v)| v.get(c).copied())
                    .filter(|v| v.is_finite());
                if let Some(v) = v {
                    values.push(v);
                    groups.push(sets.get(k).copied().unwrap_or(0));
                }
            }
            rows.push(SummaryRow {
                year: *year,
                unit: unit.clone(),
                indicator: indicator.clone(),
                stats: stats(&values, &groups, n_sets),
            });
        }
    }
    SummaryTable {
        unit_names: first.unit_names.clone(),
        rows,
    }
}

/// Mean and quantiles of `values` (from parameter sets `groups`); `None` when empty.
fn stats(values: &[f64], groups: &[usize], n_sets: usize) -> Option<Stats> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    // The variance split needs several sets; without them it would only cost time.
    let parameter_share = if n_sets > 1 {
        grouped_interval(values, groups).parameter_share
    } else {
        None
    };
    Some(Stats {
        runs: values.len(),
        mean,
        p5: quantile(&sorted, 0.05),
        p50: quantile(&sorted, 0.5),
        p95: quantile(&sorted, 0.95),
        parameter_share,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(values: &[f64]) -> RunTables {
        let unit = || vec!["53".to_string(), "Bretagne".to_string()];
        let units = Table {
            unit_names: vec!["region".into(), "region_name".into()],
            indicators: vec!["share".into(), "gps".into()],
            rows: vec![
                (2020, unit(), values.to_vec()),
                // A share with nobody to divide among.
                (2021, unit(), vec![f64::NAN, 1.0]),
            ],
        };
        let national = Table {
            unit_names: Vec::new(),
            indicators: vec!["share".into()],
            rows: Vec::new(),
        };
        RunTables([national, units.clone(), units])
    }

    #[test]
    fn replicate_seeds_follow_the_scenario_seed_and_wrap() {
        assert_eq!(seeds(42, 3).unwrap(), [42, 43, 44]);
        let max = crate::scenario::MAX_SEED;
        assert_eq!(seeds(max, 1).unwrap(), [max]);
        let err = seeds(max - 1, 3).unwrap_err().to_string();
        assert!(err.contains("beyond the largest seed"), "{err}");
        assert_eq!(seed(7, 0), 7);
    }

    #[test]
    fn quantiles_are_linear_between_order_statistics_and_ordered() {
        let runs: Vec<RunTables> = [0.3, 0.1, 0.2, 0.5, 0.4]
            .iter()
            .map(|&v| table(&[v, 10.0 * v]))
            .collect();
        let s = summarise(&runs, &[0; 5]);
        assert_eq!((s.runs, s.seeds, s.sets), (5, 5, 1));
        assert_eq!(s.regions.unit_names, ["region", "region_name"]);
        let share = s.regions.rows[0].stats.unwrap();
        assert_eq!(s.regions.rows[0].unit, ["53", "Bretagne"]);
        assert!((share.mean - 0.3).abs() < 1e-12);
        // Sorted 0.1 … 0.5: p5 at rank 0.2, p95 at rank 3.8.
        assert!((share.p5 - 0.12).abs() < 1e-12, "{share:?}");
        assert!((share.p50 - 0.3).abs() < 1e-12);
        assert!((share.p95 - 0.48).abs() < 1e-12);
        assert_eq!(share.parameter_share, None);
    }

    #[test]
    fn an_empty_cell_is_left_out_and_a_row_with_no_value_has_no_stats() {
        let runs = vec![table(&[0.1, 1.0]), table(&[0.2, 2.0])];
        let s = summarise(&runs, &[0, 0]);
        let empty = &s.regions.rows[2];
        assert_eq!((empty.year, empty.indicator.as_str()), (2021, "share"));
        assert_eq!(empty.stats, None);
        assert_eq!(s.regions.rows[3].stats.unwrap().runs, 2);
    }

    #[test]
    fn parameter_sets_split_the_variance() {
        let runs: Vec<RunTables> = [0.1, 0.11, 0.5, 0.51]
            .iter()
            .map(|&v| table(&[v, v]))
            .collect();
        let s = summarise(&runs, &[0, 0, 1, 1]);
        assert_eq!((s.runs, s.seeds, s.sets), (4, 2, 2));
        let share = s.regions.rows[0].stats.unwrap().parameter_share.unwrap();
        assert!(share > 0.99, "{share}");
    }
}
