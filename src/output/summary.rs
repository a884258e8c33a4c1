//! `national_summary.csv`, `regions_summary.csv` and `departements_summary.csv`: a run's
//! tables summarised over its replicates (computed in `experiment::replicates`), as cells
//! that the run's exporters write (CSV in the run's dialect, a sheet each in `tables.xlsx`).

use crate::experiment::replicates::{Summary, SummaryTable};
use crate::tables::cell::Cell;
use crate::tables::{Format, format_of};

/// Statistic columns of every summary table, after `year`, the unit's keys and `indicator`.
pub const SUMMARY_COLUMNS: [&str; 6] = [
    "mean",
    "p5",
    "p50",
    "p95",
    "runs",
    "variance_share_parameters",
];

/// The three summary tables of `summary`, named as their files (without `.csv`).
pub fn summary_tables(summary: &Summary) -> [(&'static str, Vec<Vec<Cell>>); 3] {
    [
        ("national_summary", summary_rows(&summary.national)),
        ("regions_summary", summary_rows(&summary.regions)),
        ("departements_summary", summary_rows(&summary.departements)),
    ]
}

/// Rows of a summary table, header first: `year`, the unit's keys, `indicator`, then
/// [`SUMMARY_COLUMNS`]. The statistics of a count are integers, those of any other indicator
/// have 6 decimals; cells are empty where no run gave a value, and for the variance share
/// with a single parameter set.
pub fn summary_rows(table: &SummaryTable) -> Vec<Vec<Cell>> {
    let mut header = vec![Cell::text("year")];
    header.extend(table.unit_names.iter().map(Cell::text));
    header.push(Cell::text("indicator"));
    header.extend(SUMMARY_COLUMNS.map(Cell::text));
    let mut rows = vec![header];
    for r in &table.rows {
        let format = match format_of(&r.indicator) {
            Some(Format::Count) => Format::Count,
            _ => Format::Decimals(6),
        };
        let mut row = vec![Cell::Int(r.year.into())];
        row.extend(r.unit.iter().map(Cell::text));
        row.push(Cell::text(r.indicator.as_str()));
        match &r.stats {
            Some(s) => {
                row.extend([s.mean, s.p5, s.p50, s.p95].map(|v| format.cell(Some(v))));
                row.push(Cell::Int(s.runs as i64));
                row.push(Cell::real(s.parameter_share, 3));
            }
            None => {
                row.extend(std::iter::repeat_n(Cell::Empty, 4));
                row.push(Cell::Int(0));
                row.push(Cell::Empty);
            }
        }
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::replicates::{Stats, SummaryRow};

    fn row(indicator: &str, stats: Option<Stats>) -> SummaryRow {
        SummaryRow {
            year: 2030,
            unit: Vec::new(),
            indicator: indicator.to_string(),
            stats,
        }
    }

    #[test]
    fn counts_are_integers_shares_have_six_decimals_and_no_value_is_empty() {
        let stats = Stats {
            runs: 3,
            mean: 401_950.4,
            p5: 0.1234567,
            p50: 12.5,
            p95: f64::NAN,
            parameter_share: None,
        };
        let table = SummaryTable {
            unit_names: Vec::new(),
            rows: vec![
                row("population", Some(stats)),
                row("share_without_mt_17plus", Some(stats)),
                row("gps", None),
            ],
        };
        let rows = summary_rows(&table);
        assert_eq!(rows[0].len(), 2 + SUMMARY_COLUMNS.len());
        assert_eq!(rows[1][2..4], [Cell::Int(401_950), Cell::Int(0)]);
        assert_eq!(rows[1][5], Cell::Empty, "NaN is no value");
        assert_eq!(rows[2][2], Cell::Real(401_950.4, 6));
        assert_eq!(
            rows[3][2..],
            [
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Int(0),
                Cell::Empty
            ]
        );
    }
}
