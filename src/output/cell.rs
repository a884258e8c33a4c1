//! CSV files of typed cells in a [`Dialect`]: written with the header first (French column
//! titles and category labels in the French dialect, [`labels_fr`]) and read back whichever
//! dialect they were written in. The cells and the dialects themselves are in
//! [`crate::tables::cell`].

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::labels_fr::{self, FrenchTable};
use crate::tables::cell::{BOM, Cell, Dialect};

/// A CSV reader of `path` in the dialect the file was written in (byte-order mark
/// skipped), whose headers are the English column names in either dialect: a French
/// title is read as its column's name, a category's French labels keep their title.
pub fn reader(path: &Path) -> Result<(Dialect, csv::Reader<std::io::Cursor<Vec<u8>>>)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot open {}", path.display()))?;
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
        let (dialect, mut r) = reader(&path).unwrap();
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
