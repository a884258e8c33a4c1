//! `place-attractiveness.csv`: each metropolitan département's own attractiveness to
//! installing GPs (a constant of the installation logit), estimated by
//! `medesert estimate-places` from the RPPS stock changes of 2012–2016 and shrunk toward a
//! covariate model (docs/model.md, "Where GPs settle"; data/README.md). The model reads the
//! `constant` column; the others document the estimate.

use std::collections::HashMap;
use std::path::Path;

use super::DepartementRow;
use super::check::{DataError, Table, Unique};

/// The file's name under the data folder.
pub const FILE: &str = "place-attractiveness.csv";

/// The columns, in the order `estimate-places` writes them.
pub const COLUMNS: [&str; 8] = [
    "departement",
    "constant",
    "low",
    "high",
    "estimated",
    "covariate_prediction",
    "shrinkage_weight",
    "observed_yearly_change_2012_2016",
];

/// Constants far outside this range would make a département take almost all or none of
/// the installations: the file is refused rather than run.
pub const RANGE: std::ops::RangeInclusive<f64> = -10.0..=10.0;

/// Utility constant of each département (code → constant).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceConstants {
    /// Constant by département code.
    pub constant: HashMap<String, f64>,
}

impl PlaceConstants {
    /// The constant of département `code` (0 for an overseas département, which the model does
    /// not simulate).
    pub fn of(&self, code: &str) -> f64 {
        self.constant.get(code).copied().unwrap_or(0.0)
    }
}

/// Reads the file: each metropolitan département of departements.csv once, constants inside
/// [`RANGE`].
pub(super) fn load(
    path: &Path,
    departements: &[DepartementRow],
) -> Result<PlaceConstants, DataError> {
    let table = Table::read(path, &COLUMNS[..2])?;
    let known: Vec<&str> = departements
        .iter()
        .map(|d| d.code.as_str())
        .filter(|c| !c.starts_with("97"))
        .collect();
    let mut seen = Unique::new("departement");
    let mut constant = HashMap::new();
    for row in table.rows() {
        let code = row.text("departement")?;
        if !known.contains(&code) {
            return Err(row.error(
                "departement",
                "a metropolitan département code of departements.csv",
            ));
        }
        seen.insert(&row, code.to_string())?;
        constant.insert(code.to_string(), row.number("constant", RANGE)?);
    }
    for d in &known {
        if !constant.contains_key(*d) {
            return Err(table.missing(
                format!("département {d} has no row"),
                "one row for every metropolitan département of departements.csv",
            ));
        }
    }
    Ok(PlaceConstants { constant })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn departement(code: &str) -> DepartementRow {
        DepartementRow {
            code: code.into(),
            nom: code.into(),
            region_code: "00".into(),
            region_nom: "R".into(),
            density_class: "urban".into(),
        }
    }

    fn read(body: &str) -> Result<PlaceConstants, DataError> {
        let f = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(f.path(), format!("departement,constant\n{body}")).expect("write");
        load(f.path(), &[departement("01"), departement("2A")])
    }

    #[test]
    fn every_departement_once_inside_the_range() {
        let p = read("01,0.25\n2A,-0.5\n").expect("a good file");
        assert_eq!((p.of("01"), p.of("2A"), p.of("971")), (0.25, -0.5, 0.0));
    }

    #[test]
    fn a_missing_twice_unknown_or_wild_departement_is_refused_with_its_line() {
        let missing = read("01,0.25\n").unwrap_err().to_string();
        assert!(missing.contains("2A"), "{missing}");
        let twice = read("01,0.25\n01,0.1\n2A,0\n").unwrap_err().to_string();
        assert!(twice.contains("line 3"), "{twice}");
        let unknown = read("01,0\n2A,0\n99,0\n").unwrap_err().to_string();
        assert!(unknown.contains("99"), "{unknown}");
        let wild = read("01,0\n2A,12\n").unwrap_err().to_string();
        assert!(wild.contains("constant") && wild.contains("12"), "{wild}");
    }
}
