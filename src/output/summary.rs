//! `national_summary.csv`, `regions_summary.csv` and `departements_summary.csv`: a run's
//! tables summarised over its replicates (computed in `experiment::replicates`), formatted.

use std::path::Path;

use anyhow::Result;

use super::tables::write_table;
use crate::experiment::replicates::{Summary, SummaryTable};

/// Statistic columns of every summary file, after `year`, the unit's keys and `indicator`.
pub const SUMMARY_COLUMNS: [&str; 6] = [
    "mean",
    "p5",
    "p50",
    "p95",
    "runs",
    "variance_share_parameters",
];

/// Writes the three summary files of `summary` into the run folder `dir`.
pub fn write_summaries(dir: &Path, summary: &Summary) -> Result<()> {
    for (file, table) in [
        ("national_summary.csv", &summary.national),
        ("regions_summary.csv", &summary.regions),
        ("departements_summary.csv", &summary.departements),
    ] {
        write_table(&dir.join(file), &summary_rows(table))?;
    }
    Ok(())
}

/// Rows of a summary file, header first: `year`, the unit's keys, `indicator`, then
/// [`SUMMARY_COLUMNS`] (empty cells where no run gave a value, and for the variance share
/// with a single parameter set).
pub fn summary_rows(table: &SummaryTable) -> Vec<Vec<String>> {
    let mut header = vec!["year".to_string()];
    header.extend(table.unit_names.iter().cloned());
    header.push("indicator".to_string());
    header.extend(SUMMARY_COLUMNS.map(String::from));
    let mut rows = vec![header];
    for r in &table.rows {
        let mut row = vec![r.year.to_string()];
        row.extend(r.unit.iter().cloned());
        row.push(r.indicator.clone());
        match &r.stats {
            Some(s) => {
                row.extend([s.mean, s.p5, s.p50, s.p95].map(number));
                row.push(s.runs.to_string());
                row.push(
                    s.parameter_share
                        .map_or(String::new(), |v| format!("{v:.3}")),
                );
            }
            None => {
                row.extend(std::iter::repeat_n(String::new(), 4));
                row.push("0".to_string());
                row.push(String::new());
            }
        }
        rows.push(row);
    }
    rows
}

/// A statistic to six decimals without trailing zeros: a mean of counts that are all equal
/// reads 401950, not 401950.000000.
fn number(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".to_string(),
        t => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_read_as_plain_numbers() {
        assert_eq!(number(401950.0), "401950");
        assert_eq!(number(0.1234567), "0.123457");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-0.0000001), "0");
        assert_eq!(number(0.0), "0");
    }
}
