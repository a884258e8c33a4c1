//! The vocabulary of data-file checks: a CSV file read as a [`Table`] of text cells, each
//! [`Row`] parsing a cell by column name (`text`, `number`, `count`, `one_of`, …) and [`Unique`]
//! keys. Every refusal is a [`DataError`] naming the file, the line (the header is line 1),
//! the column, the value and what was expected, so each reader's checks read as a short list.

use std::collections::HashMap;
use std::hash::Hash;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use csv::StringRecord;

/// A data file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file is missing or unreadable, or is not valid CSV.
    #[error("cannot read data file {file}: {why}")]
    Unreadable {
        /// The file.
        file: PathBuf,
        /// What went wrong (with the line, where the CSV reader knows it).
        why: String,
    },
    /// The header lacks a column the program reads.
    #[error("data file {file}, line 1: no column `{column}` (the header is: {header})")]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The missing column.
        column: String,
        /// The header as found.
        header: String,
    },
    /// One cell holds a value outside what is accepted.
    #[error("data file {file}, line {line}, column `{column}`: {value:?}: expected {expected}")]
    Cell {
        /// The file.
        file: PathBuf,
        /// 1-based line (the header is line 1).
        line: u64,
        /// Column name.
        column: String,
        /// The cell as written.
        value: String,
        /// What is accepted there.
        expected: String,
    },
    /// Rows the program needs are absent.
    #[error("data file {file}: {what}: expected {expected}")]
    Missing {
        /// The file.
        file: PathBuf,
        /// What is absent (e.g. "no row for age 57 in the male life table 2017").
        what: String,
        /// What the file must hold.
        expected: String,
    },
}

/// A CSV data file with a header, read as text.
pub struct Table {
    file: PathBuf,
    columns: HashMap<String, usize>,
    records: Vec<StringRecord>,
}

impl Table {
    /// Reads `path`; refuses a file without one of `needed` columns or without data rows.
    pub fn read(path: &Path, needed: &[&str]) -> Result<Table, DataError> {
        let unreadable = |why: String| DataError::Unreadable {
            file: path.to_path_buf(),
            why,
        };
        let mut reader = csv::Reader::from_path(path).map_err(|e| unreadable(e.to_string()))?;
        let header = reader
            .headers()
            .map_err(|e| unreadable(e.to_string()))?
            .clone();
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, c)| (c.trim().to_string(), i))
            .collect();
        if let Some(c) = needed.iter().find(|c| !columns.contains_key(**c)) {
            return Err(DataError::MissingColumn {
                file: path.to_path_buf(),
                column: c.to_string(),
                header: header.iter().collect::<Vec<_>>().join(","),
            });
        }
        let records = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| unreadable(e.to_string()))?;
        if records.is_empty() {
            return Err(DataError::Missing {
                file: path.to_path_buf(),
                what: "no data row after the header".into(),
                expected: "at least one row from line 2".into(),
            });
        }
        Ok(Table {
            file: path.to_path_buf(),
            columns,
            records,
        })
    }

    /// The data rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(move |record| Row {
            table: self,
            record,
        })
    }

    /// An error for rows that should be in the file and are not.
    pub fn missing(&self, what: impl Into<String>, expected: impl Into<String>) -> DataError {
        DataError::Missing {
            file: self.file.clone(),
            what: what.into(),
            expected: expected.into(),
        }
    }
}

/// One data row of a [`Table`].
#[derive(Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    record: &'a StringRecord,
}

impl<'a> Row<'a> {
    /// 1-based line of the row in its file.
    pub fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// The trimmed cell of `column` (a column checked by [`Table::read`]; "" if the row is short).
    pub fn cell(&self, column: &str) -> &'a str {
        self.table
            .columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
            .trim()
    }

    /// The refusal of this row's `column`, naming its value and what was `expected`.
    pub fn error(&self, column: &str, expected: impl Into<String>) -> DataError {
        DataError::Cell {
            file: self.table.file.clone(),
            line: self.line(),
            column: column.to_string(),
            value: self.cell(column).to_string(),
            expected: expected.into(),
        }
    }

    /// A non-empty text cell.
    pub fn text(&self, column: &str) -> Result<&'a str, DataError> {
        let t = self.cell(column);
        if t.is_empty() {
            return Err(self.error(column, "a non-empty value"));
        }
        Ok(t)
    }

    /// A finite number (of any sign).
    pub fn finite(&self, column: &str) -> Result<f64, DataError> {
        self.number(column, f64::MIN..=f64::MAX)
    }

    /// A finite number within `range`.
    pub fn number(&self, column: &str, range: RangeInclusive<f64>) -> Result<f64, DataError> {
        match self.cell(column).parse::<f64>() {
            Ok(v) if v.is_finite() && range.contains(&v) => Ok(v),
            _ if range == (f64::MIN..=f64::MAX) => Err(self.error(column, "a finite number")),
            _ => Err(self.error(
                column,
                format!("a finite number from {} to {}", range.start(), range.end()),
            )),
        }
    }

    /// Like [`Row::number`], but an empty cell is `None` (a value the source does not give).
    pub fn optional_number(
        &self,
        column: &str,
        range: RangeInclusive<f64>,
    ) -> Result<Option<f64>, DataError> {
        if self.cell(column).is_empty() {
            return Ok(None);
        }
        self.number(column, range).map(Some)
    }

    /// A share, 0–1.
    pub fn share(&self, column: &str) -> Result<f64, DataError> {
        self.number(column, 0.0..=1.0)
    }

    /// A count of persons or things: a whole number ≥ 0.
    pub fn count(&self, column: &str) -> Result<u32, DataError> {
        self.whole(column, 0..=u32::MAX)
    }

    /// A calendar year within `range`.
    pub fn year(&self, column: &str, range: RangeInclusive<u16>) -> Result<u16, DataError> {
        self.whole(column, range)
    }

    /// A whole number within `range`.
    pub fn whole<T>(&self, column: &str, range: RangeInclusive<T>) -> Result<T, DataError>
    where
        T: FromStr + PartialOrd + std::fmt::Display,
    {
        match self.cell(column).parse::<T>() {
            Ok(v) if range.contains(&v) => Ok(v),
            _ => Err(self.error(
                column,
                format!("a whole number from {} to {}", range.start(), range.end()),
            )),
        }
    }

    /// One of a documented set of values.
    pub fn one_of<'s>(&self, column: &str, set: &[&'s str]) -> Result<&'s str, DataError> {
        let t = self.cell(column);
        set.iter()
            .find(|s| **s == t)
            .copied()
            .ok_or_else(|| self.error(column, format!("one of {}", set.join(", "))))
    }
}

/// Keys that must appear once in a file: remembers the line of each.
pub struct Unique<K> {
    column: &'static str,
    seen: HashMap<K, u64>,
}

impl<K: Eq + Hash> Unique<K> {
    /// Keys reported under `column` (the column, or the first of the columns forming the key).
    pub fn new(column: &'static str) -> Unique<K> {
        Unique {
            column,
            seen: HashMap::new(),
        }
    }

    /// Refuses `key` on `row` if an earlier row had it.
    pub fn insert(&mut self, row: &Row, key: K) -> Result<(), DataError> {
        match self.seen.insert(key, row.line()) {
            Some(first) => Err(row.error(
                self.column,
                format!("a key used once (already on line {first})"),
            )),
            None => Ok(()),
        }
    }
}
