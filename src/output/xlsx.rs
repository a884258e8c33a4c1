//! `tables.xlsx`: the run's tables as one workbook, one sheet per table. Text cells stay
//! text (INSEE codes keep their leading zeros whatever Excel's locale), numbers are numbers
//! shown with their table's decimals, empty cells are left blank.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XlsxFormat, Workbook, Worksheet};

use crate::tables::cell::Cell;

/// Rows of an Excel sheet (1,048,576), the header included.
const MAX_ROWS: usize = 1_048_576;

/// A workbook being written, sheet after sheet (each sheet streams its rows to a temporary
/// file, so a commune table of France does not sit in memory).
pub struct Sheets {
    book: Workbook,
    bold: XlsxFormat,
    /// Number formats by decimals: "0", "0.0", "0.00", … up to [`MAX_DECIMALS`].
    decimals: Vec<XlsxFormat>,
    /// Shares (0–1) shown as percentages with two decimals ("12.34 %"); the full value is
    /// stored.
    percent: XlsxFormat,
    /// Rows of a sheet, the header included ([`MAX_ROWS`]; fewer in tests).
    rows_per_sheet: usize,
}

/// The statistics columns of a summary table: shares when the row's `indicator` is one.
const STATISTICS: [&str; 4] = ["mean", "p5", "p50", "p95"];

/// Which columns hold shares, from the header: a share indicator's column (`INDICATORS`),
/// or a statistic of a summary table in a row whose `indicator` is a share; and the column of
/// `indicator`, if any.
fn share_columns(header: &[Cell]) -> (Vec<bool>, Vec<bool>, Option<usize>) {
    let names: Vec<&str> = header
        .iter()
        .map(|c| match c {
            Cell::Text(s) => s.as_str(),
            _ => "",
        })
        .collect();
    let share = names.iter().map(|n| crate::tables::is_share(n)).collect();
    let statistic = names.iter().map(|n| STATISTICS.contains(n)).collect();
    let indicator = names.iter().position(|n| *n == "indicator");
    (share, statistic, indicator)
}

/// Decimals shown at most (the tables use up to 6); a value with more is shown with these.
const MAX_DECIMALS: usize = 9;

impl Default for Sheets {
    fn default() -> Self {
        Sheets::new()
    }
}

impl Sheets {
    /// An empty workbook.
    pub fn new() -> Sheets {
        // A fixed creation date (Excel's properties would otherwise carry the time of
        // writing), so that the same run gives the same bytes, like every other file.
        let mut book = Workbook::new();
        if let Ok(date) = ExcelDateTime::from_ymd(2000, 1, 1) {
            book.set_properties(&DocProperties::new().set_creation_datetime(&date));
        }
        Sheets {
            book,
            bold: XlsxFormat::new().set_bold(),
            decimals: (0..=MAX_DECIMALS)
                .map(|d| {
                    let code = if d == 0 {
                        "0".to_string()
                    } else {
                        format!("0.{}", "0".repeat(d))
                    };
                    XlsxFormat::new().set_num_format(code)
                })
                .collect(),
            percent: XlsxFormat::new().set_num_format("0.00%"),
            rows_per_sheet: MAX_ROWS,
        }
    }

    /// Adds a table as sheet `name`: its first row is the header (bold, frozen). A table
    /// longer than a sheet continues on `name (2)`, `name (3)`, … each with the header.
    pub fn add<R: AsRef<[Cell]>>(
        &mut self,
        name: &str,
        rows: impl IntoIterator<Item = R>,
    ) -> Result<()> {
        let mut rows = rows.into_iter();
        let Some(header) = rows.next() else {
            return Ok(());
        };
        let header = header.as_ref().to_vec();
        let (shares, statistics, indicator) = share_columns(&header);
        let mut part = 1;
        let mut sheet = self.sheet(name, part, &header)?;
        let mut row = 1;
        for r in rows {
            if row == self.rows_per_sheet {
                self.filter(sheet, row, header.len())?;
                part += 1;
                sheet = self.sheet(name, part, &header)?;
                row = 1;
            }
            let r = r.as_ref();
            let share_row = indicator.is_some_and(|i| match r.get(i) {
                Some(Cell::Text(s)) => crate::tables::is_share(s),
                _ => false,
            });
            for (col, cell) in r.iter().enumerate() {
                let percent = shares.get(col).copied().unwrap_or(false)
                    || share_row && statistics.get(col).copied().unwrap_or(false);
                self.write(sheet, (row, col), cell, percent)
                    .with_context(|| format!("sheet {name}, row {}", row + 1))?;
            }
            row += 1;
        }
        self.filter(sheet, row, header.len())
    }

    /// A filter on the header of sheet `sheet` over its `rows` rows and `columns` columns.
    fn filter(&mut self, sheet: usize, rows: usize, columns: usize) -> Result<()> {
        let ws: &mut Worksheet = self.book.worksheet_from_index(sheet)?;
        let last_row = rows.max(2) as u32 - 1;
        ws.autofilter(0, 0, last_row, columns.max(1) as u16 - 1)?;
        Ok(())
    }

    /// A new sheet with the header written: its index in the workbook.
    fn sheet(&mut self, name: &str, part: usize, header: &[Cell]) -> Result<usize> {
        let title = if part == 1 {
            name.to_string()
        } else {
            format!("{name} ({part})")
        };
        let bold = self.bold.clone();
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        sheet.set_name(&title)?;
        sheet.set_freeze_panes(1, 0)?;
        for (col, cell) in header.iter().enumerate() {
            if let Cell::Text(s) = cell {
                sheet.write_string_with_format(0, col as u16, s, &bold)?;
            }
        }
        Ok(self.book.worksheets().len() - 1)
    }

    fn write(
        &mut self,
        sheet: usize,
        (row, col): (usize, usize),
        cell: &Cell,
        percent: bool,
    ) -> Result<()> {
        let ws: &mut Worksheet = self.book.worksheet_from_index(sheet)?;
        let (row, col) = (row as u32, col as u16);
        match cell {
            Cell::Text(s) => {
                ws.write_string(row, col, s)?;
            }
            Cell::Int(n) => {
                ws.write_number(row, col, *n as f64)?;
            }
            Cell::Real(v, d) => {
                let format = match percent {
                    true => &self.percent,
                    false => &self.decimals[usize::from(*d).min(MAX_DECIMALS)],
                };
                ws.write_number_with_format(row, col, *v, format)?;
            }
            Cell::Empty => {}
        }
        Ok(())
    }

    /// Writes the workbook to `path`.
    pub fn save(mut self, path: &Path) -> Result<()> {
        self.book
            .save(path)
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    #[test]
    fn shares_read_back_as_percentages_and_every_sheet_has_a_filter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let mut book = Sheets::new();
        let table = std::iter::once(vec![
            Cell::text("year"),
            Cell::text("share_without_mt_17plus"),
            Cell::text("gps_per_100k"),
        ])
        .chain(std::iter::once(vec![
            Cell::Int(2030),
            Cell::Real(0.1234, 6),
            Cell::Real(80.5, 2),
        ]));
        book.add("national", table).unwrap();
        let summary = std::iter::once(["year", "indicator", "mean", "p5"].map(Cell::text).to_vec())
            .chain([
                vec![
                    Cell::Int(2030),
                    Cell::text("share_without_mt_17plus"),
                    Cell::Real(0.12, 6),
                    Cell::Real(0.11, 6),
                ],
                vec![
                    Cell::Int(2030),
                    Cell::text("gps_per_100k"),
                    Cell::Real(80.5, 6),
                    Cell::Real(79.0, 6),
                ],
            ]);
        book.add("national_summary", summary).unwrap();
        book.save(&path).unwrap();
        let mut x: Xlsx<_> = open_workbook(&path).unwrap();
        let code = |x: &mut Xlsx<_>, sheet: &str, at: (u32, u32)| -> String {
            let styles = x.worksheet_style(sheet).unwrap();
            styles
                .get(at)
                .and_then(|s| s.number_format.as_ref())
                .map_or(String::new(), |f| f.format_code.clone())
        };
        assert_eq!(code(&mut x, "national", (1, 1)), "0.00%");
        assert_eq!(code(&mut x, "national", (1, 2)), "0.00");
        assert_eq!(code(&mut x, "national_summary", (1, 2)), "0.00%");
        assert_eq!(code(&mut x, "national_summary", (2, 2)), "0.000000");
        // The full value is stored.
        let range = x.worksheet_range("national").unwrap();
        assert_eq!(range.get((1, 1)), Some(&Data::Float(0.1234)));
        // A filter is Excel's hidden name _FilterDatabase, one per sheet.
        let filters = x
            .defined_names()
            .iter()
            .filter(|(name, _)| name.contains("_FilterDatabase"))
            .count();
        assert_eq!(filters, 2, "{:?}", x.defined_names());
    }

    #[test]
    fn a_table_longer_than_a_sheet_continues_on_numbered_sheets_with_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let mut book = Sheets::new();
        book.rows_per_sheet = 3;
        let rows = std::iter::once(vec![Cell::text("code"), Cell::text("share")])
            .chain((0..5).map(|i| vec![Cell::text(format!("0{i}")), Cell::Real(0.5, 6)]));
        book.add("communes", rows).unwrap();
        book.save(&path).unwrap();
        let mut x: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(
            x.sheet_names(),
            ["communes", "communes (2)", "communes (3)"]
        );
        let third = x.worksheet_range("communes (3)").unwrap();
        let cells: Vec<&Data> = third.rows().flatten().collect();
        assert_eq!(
            cells,
            [
                &Data::String("code".into()),
                &Data::String("share".into()),
                &Data::String("04".into()),
                &Data::Float(0.5)
            ]
        );
    }
}
