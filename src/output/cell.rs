//! Typed table cells and the CSV dialects: the one place where a number becomes text.
//!
//! Tables are built as rows of [`Cell`]s (text, integer, real with its decimals, or empty);
//! each exporter formats them its own way: CSV through a [`Dialect`] (the French one also
//! titles the columns in French, [`labels_fr`]), the workbook as native text and number cells
//! (`xlsx.rs`).

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::labels_fr::{self, FrenchTable};

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
const BOM: &[u8] = b"\xEF\xBB\xBF";

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

    /// A CSV reader of `path` in the dialect the file was written in (byte-order mark
    /// skipped), whose headers are the English column names in either dialect: a French
    /// title is read as its column's name, a category's French labels keep their title.
    pub fn reader(path: &Path) -> Result<(Dialect, csv::Reader<std::io::Cursor<Vec<u8>>>)> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot open {}", path.display()))?;
        let dialect = Dialect::detect(&bytes);
        let skip = if dialect == Dialect::Fr { BOM.len() } else { 0 };
        let mut cursor = std::io::Cursor::new(bytes);
        cursor.set_position(skip as u64);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(dialect.delimiter())
            .from_reader(cursor);
        if dialect == Dialect::Fr {
            let titles = reader
                .headers()
                .with_context(|| format!("{}: cannot read the header", path.display()))?;
            let names: csv::StringRecord = titles
                .iter()
                .map(|t| labels_fr::english(t).unwrap_or(t))
                .collect();
            reader.set_headers(names);
        }
        Ok((dialect, reader))
    }
}

/// Writes rows of cells as CSV in `dialect`, the header (English column names) first; rows
/// may be streamed from an iterator.
pub fn write_csv<R>(path: &Path, rows: impl IntoIterator<Item = R>, dialect: Dialect) -> Result<()>
where
    R: AsRef<[Cell]>,
{
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
    );
    if dialect == Dialect::Fr {
        file.write_all(BOM)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter())
        .from_writer(file);
    // The French columns, known once the header is read.
    let mut french: Option<FrenchTable> = None;
    for row in rows {
        let cells = row.as_ref().iter().map(|c| dialect.format(c).into_owned());
        let written = match (dialect, &french) {
            (Dialect::En, _) => w.write_record(cells),
            (Dialect::Fr, Some(table)) => w.write_record(table.row(cells.collect())),
            (Dialect::Fr, None) => {
                let (table, titles) = FrenchTable::new(&cells.collect::<Vec<_>>());
                french = Some(table);
                w.write_record(titles)
            }
        };
        written.with_context(|| format!("cannot write {}", path.display()))?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
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

    #[test]
    fn a_french_file_starts_with_the_bom_and_is_read_back_in_its_dialect() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let header = ["departement", "departement_name", "apl", "other"];
        let rows = [
            header.map(Cell::text).to_vec(),
            vec![
                Cell::text("01"),
                Cell::text("Aïn; test"),
                Cell::Real(0.25, 2),
                Cell::Empty,
            ],
        ];
        write_csv(&path, &rows, Dialect::Fr).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "code département;département;APL (consultations/an/habitant);other\n\
             01;\"Aïn; test\";0,25;\n"
        );
        let (dialect, mut r) = Dialect::reader(&path).unwrap();
        assert_eq!(dialect, Dialect::Fr);
        assert_eq!(
            r.headers().unwrap(),
            &csv::StringRecord::from(header.to_vec())
        );
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "01");
        assert_eq!(dialect.parse(&row[2]).unwrap(), Some(0.25));
        assert!(r.records().next().is_none(), "one row after the header");
    }
}
