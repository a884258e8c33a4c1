//! `faculties.csv`: the 26 metropolitan subdivisions of the 3rd cycle of medical studies
//! (where general-medicine interns train), the INSEE code of each one's faculty town (UFR and
//! CHU) and the départements it covers, checked as they are read (data/README.md,
//! "faculties.csv").

use std::collections::HashMap;
use std::path::Path;

use super::check::{DataError, Table, Unique};
use super::{CommuneRow, DepartementRow};

/// One subdivision of the 3rd cycle (subdivision de l'internat).
#[derive(Debug, Clone, PartialEq)]
pub struct FacultyRow {
    /// Subdivision name (the faculty town's name, "Paris" for Île-de-France).
    pub subdivision: String,
    /// INSEE code of the faculty town (a commune of communes.csv).
    pub faculty_commune: String,
    /// Département codes the subdivision covers.
    pub departements: Vec<String>,
}

/// Reads `faculties.csv`: each subdivision once, its town a metropolitan commune, each
/// metropolitan département of departements.csv in exactly one subdivision.
pub(super) fn load(
    path: &Path,
    communes: &[CommuneRow],
    departements: &[DepartementRow],
) -> Result<Vec<FacultyRow>, DataError> {
    let table = Table::read(
        path,
        &[
            "subdivision",
            "faculty_commune",
            "faculty_town",
            "departements",
            "departements_source",
        ],
    )?;
    let departement_of: HashMap<&str, &str> = communes
        .iter()
        .map(|c| (c.code_insee.as_str(), c.departement.as_str()))
        .collect();
    let metropolitan: Vec<&str> = departements
        .iter()
        .map(|d| d.code.as_str())
        .filter(|c| !c.starts_with("97"))
        .collect();
    let mut names = Unique::new("subdivision");
    let mut covered = Unique::new("departements");
    let mut rows = Vec::new();
    for row in table.rows() {
        let subdivision = row.text("subdivision")?;
        names.insert(&row, subdivision)?;
        row.text("departements_source")?;
        row.text("faculty_town")?;
        let town = row.text("faculty_commune")?;
        let town_departement = departement_of
            .get(town)
            .filter(|d| !d.starts_with("97"))
            .ok_or_else(|| {
                row.error("faculty_commune", "a metropolitan commune of communes.csv")
            })?;
        let codes: Vec<String> = row
            .text("departements")?
            .split_whitespace()
            .map(str::to_string)
            .collect();
        for code in &codes {
            if !metropolitan.contains(&code.as_str()) {
                return Err(row.error(
                    "departements",
                    format!(
                        "metropolitan département codes of departements.csv separated by \
                         spaces ({code} is not one)"
                    ),
                ));
            }
            covered.insert(&row, code.clone())?;
        }
        if !codes.iter().any(|c| c == town_departement) {
            return Err(row.error(
                "departements",
                format!("a list holding the faculty town's département {town_departement}"),
            ));
        }
        rows.push(FacultyRow {
            subdivision: subdivision.to_string(),
            faculty_commune: town.to_string(),
            departements: codes,
        });
    }
    for d in &metropolitan {
        if !rows.iter().any(|r| r.departements.iter().any(|c| c == d)) {
            return Err(table.missing(
                format!("département {d} is in no subdivision"),
                "every metropolitan département of departements.csv in one subdivision",
            ));
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(code: &str, departement: &str) -> CommuneRow {
        CommuneRow {
            code_insee: code.into(),
            nom: code.into(),
            departement: departement.into(),
            region: "00".into(),
            population: 1000,
            lon: 2.0,
            lat: 47.0,
            urban_cluster: 1,
        }
    }

    fn departement(code: &str) -> DepartementRow {
        DepartementRow {
            code: code.into(),
            nom: code.into(),
            region_code: "00".into(),
            region_nom: "R".into(),
            density_class: "urban".into(),
        }
    }

    fn read(body: &str) -> Result<Vec<FacultyRow>, DataError> {
        let f = write(&format!("{HEADER}{body}"));
        let communes = [commune("01001", "01"), commune("02001", "02")];
        let deps = [departement("01"), departement("02"), departement("03")];
        load(f.path(), &communes, &deps)
    }

    fn write(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(f.path(), text).expect("write");
        f
    }

    const HEADER: &str =
        "subdivision,faculty_commune,faculty_town,departements,departements_source\n";

    #[test]
    fn a_good_file_lists_each_subdivision_with_its_departements() {
        let rows = read("A,01001,A,01 03,source\nB,02001,B,02,source\n").expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].departements, ["01", "03"]);
    }

    #[test]
    fn a_departement_in_two_subdivisions_is_refused_with_its_line() {
        let e = read("A,01001,A,01 03,source\nB,02001,B,02 03,source\n").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("line 3") && msg.contains("`departements`"),
            "{msg}"
        );
    }

    #[test]
    fn an_unknown_faculty_town_is_refused() {
        let e = read("A,99999,A,01 03,source\nB,02001,B,02,source\n").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("line 2") && msg.contains("faculty_commune") && msg.contains("99999"),
            "{msg}"
        );
    }

    #[test]
    fn a_departement_in_no_subdivision_is_refused() {
        let e = read("A,01001,A,01,source\nB,02001,B,02,source\n").unwrap_err();
        assert!(e.to_string().contains("département 03"), "{e}");
    }

    #[test]
    fn the_shipped_file_covers_the_26_metropolitan_subdivisions() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let inputs = crate::inputs::Inputs::load(&dir).expect("data loads");
        assert_eq!(inputs.faculties.len(), 26);
    }
}
