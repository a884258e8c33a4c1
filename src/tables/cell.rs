//! Typed table cells and the CSV dialects: the one place where a number becomes text.
//!
//! Tables are built as rows of [`Cell`]s (text, integer, real with its decimals, or empty);
//! each exporter formats them its own way: CSV through a [`Dialect`] (files written and read
//! by `output::cell`, the French one with French column titles), the workbook as native text
//! and number cells (`output/xlsx.rs`). The experiments read a run's indicators through the
//! same English formatting, so a sweep's values are those of national.csv.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Context, Result};

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text: a code (INSEE codes keep their leading zeros), a name, a category.
    Text(String),
    /// A count or a year.
    Int(i64),
    /// A real number written with this many decimals.
    Real(f64, u8),
    /// No value: a ratio whose denominator is zero (nobody simulated there).
    Empty,
}

impl Cell {
    /// A real with `decimals`, or [`Cell::Empty`] when undefined (`None`, NaN or infinite).
    pub fn real(value: Option<f64>, decimals: u8) -> Cell {
        match value {
            Some(v) if v.is_finite() => Cell::Real(v, decimals),
            _ => Cell::Empty,
        }
    }

    /// A count: rounded to the nearest integer (a mean of counts over runs included), or
    /// [`Cell::Empty`] when undefined.
    pub fn count(value: Option<f64>) -> Cell {
        match value {
            Some(v) if v.is_finite() => Cell::Int(v.round() as i64),
            _ => Cell::Empty,
        }
    }

    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// How a CSV file writes its separator, decimal mark, encoding mark and header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Dialect {
    /// Comma separator, decimal point, no byte-order mark (R, Python, English Excel).
    #[default]
    En,
    /// Semicolon separator, decimal comma and a UTF-8 byte-order mark, so French Excel opens
    /// the file in columns with its accents right; French column titles, and each category's
    /// French label next to its code ([`labels_fr`]).
    Fr,
}

/// The UTF-8 byte-order mark, which tells Excel the file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Dialect {
    /// The field separator.
    pub fn delimiter(self) -> u8 {
        match self {
            Dialect::En => b',',
            Dialect::Fr => b';',
        }
    }

    /// A cell as text in this dialect.
    pub fn format(self, cell: &Cell) -> Cow<'_, str> {
        match cell {
            Cell::Text(s) => Cow::Owned(s.clone()),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Real(v, d) => {
                let s = format!("{v:.*}", usize::from(*d));
                match self {
                    Dialect::En => Cow::Owned(s),
                    Dialect::Fr => Cow::Owned(s.replace('.', ",")),
                }
            }
            Cell::Empty => Cow::Borrowed(""),
        }
    }

    /// The dialect of a CSV file from its first bytes: [`Dialect::Fr`] when it starts with
    /// the byte-order mark, [`Dialect::En`] otherwise.
    pub fn detect(head: &[u8]) -> Dialect {
        if head.starts_with(BOM) {
            Dialect::Fr
        } else {
            Dialect::En
        }
    }

    /// A number written in this dialect; `None` for an empty cell. Errors name the cell.
    pub fn parse(self, cell: &str) -> Result<Option<f64>> {
        if cell.is_empty() {
            return Ok(None);
        }
        let text = match self {
            Dialect::En => Cow::Borrowed(cell),
            Dialect::Fr => Cow::Owned(cell.replace(',', ".")),
        };
        let value: f64 = text
            .parse()
            .with_context(|| format!("{cell:?} is not a number"))?;
        if !value.is_finite() {
            // medesert writes an empty cell where a ratio has nobody to divide among: a NaN or
            // an infinity was written by another hand.
            anyhow::bail!("{cell:?} is not a finite number (expected a number, or an empty cell)");
        }
        Ok(Some(value))
    }

    /// The index of column `name` in `headers` of the table `path`, or an error naming both.
    pub fn column(path: &Path, headers: &csv::StringRecord, name: &str) -> Result<usize> {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column `{name}`", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_have_a_decimal_comma_and_english_ones_a_point() {
        let c = Cell::Real(0.1234567, 6);
        assert_eq!(Dialect::En.format(&c), "0.123457");
        assert_eq!(Dialect::Fr.format(&c), "0,123457");
        assert_eq!(Dialect::Fr.format(&Cell::Int(401950)), "401950");
        assert_eq!(Dialect::Fr.parse("0,5").unwrap(), Some(0.5));
        assert_eq!(Dialect::En.parse("").unwrap(), None);
        assert!(Dialect::En.parse("x").is_err());
        for bad in ["NaN", "nan", "inf", "-inf", "infinity"] {
            assert!(Dialect::En.parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_undefined_value_is_an_empty_cell_and_a_count_an_integer() {
        assert_eq!(Cell::real(Some(f64::NAN), 6), Cell::Empty);
        assert_eq!(Cell::real(None, 6), Cell::Empty);
        assert_eq!(Cell::count(Some(401950.4)), Cell::Int(401950));
        assert_eq!(Dialect::En.format(&Cell::Empty), "");
    }
}
