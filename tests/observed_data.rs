//! The observed data `medesert validate` reads besides the targets: the DREES APL 2021 by
//! commune and the RPPS GPs by département. The shipped files load and map onto
//! `communes.csv`; a malformed row is refused naming the file, the line, the column, the
//! value and what was expected.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use medesert::inputs::{Inputs, ObservedApl, load_apl};

fn inputs() -> &'static Inputs {
    static INPUTS: OnceLock<Inputs> = OnceLock::new();
    INPUTS.get_or_init(|| Inputs::load(&common::repo().join("data")).expect("data/ loads"))
}

fn shipped(file: &str) -> String {
    std::fs::read_to_string(common::repo().join("data").join(file)).unwrap()
}

/// A folder holding only `file`, with `text`.
fn folder_with(file: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), text).unwrap();
    dir
}

fn apl(dir: &Path) -> Result<ObservedApl, String> {
    load_apl(dir, &inputs().communes).map_err(|e| e.to_string())
}

/// The shipped APL file with `from` replaced by `to` (once) on the line starting with `prefix`.
fn apl_edited(prefix: &str, from: &str, to: &str) -> (tempfile::TempDir, usize) {
    let text = shipped("apl-communes-2021.csv");
    let line = 1 + text.lines().position(|l| l.starts_with(prefix)).unwrap();
    let edited: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                l.replacen(from, to, 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    (
        folder_with("apl-communes-2021.csv", &(edited.join("\n") + "\n")),
        line,
    )
}

fn says(message: &str, needles: &[&str]) {
    for n in needles {
        assert!(
            message.contains(n),
            "the message should name {n:?}: {message}"
        );
    }
}

#[test]
fn the_shipped_apl_maps_arrondissements_onto_their_city_and_keeps_the_drees_mean() {
    let a = apl(&common::repo().join("data")).expect("the shipped file loads");
    let paris = a
        .communes
        .iter()
        .find(|c| c.code_insee == "75056")
        .expect("Paris");
    // Twenty arrondissements summed: about 2.1 million people.
    assert!(
        (2.0e6..2.3e6).contains(&paris.population),
        "{}",
        paris.population
    );
    assert!(
        a.communes
            .iter()
            .all(|c| !c.code_insee.starts_with("751") || c.code_insee == "75056")
    );
    // Merged communes are skipped, and few: under 0.5 % of the population.
    let people: f64 = a.communes.iter().map(|c| c.population).sum();
    assert!(a.skipped_absent > 0 && a.skipped_absent_population < 0.005 * people);
    assert_eq!(
        a.skipped_unpublished, 23,
        "6 Meuse villages and 17 communes of Mayotte"
    );
    // DREES's metropolitan mean, weighted by standardised population: 3.80.
    let metro = a
        .communes
        .iter()
        .filter(|c| !c.code_insee.starts_with("97"));
    let (sum, weight) = metro.fold((0.0, 0.0), |(s, w), c| {
        (
            s + c.apl_all_gps * c.standardised_population,
            w + c.standardised_population,
        )
    });
    assert!((sum / weight - 3.80).abs() < 0.01, "{}", sum / weight);
}

#[test]
fn a_non_numeric_apl_is_refused_with_file_line_column_and_value() {
    let (dir, line) = apl_edited("01004,", "3.367", "3.4x");
    let err = apl(dir.path()).unwrap_err();
    says(
        &err,
        &[
            "apl-communes-2021.csv",
            &format!("line {line}"),
            "`apl_all_gps`",
            "\"3.4x\"",
            "a finite number",
        ],
    );
}

#[test]
fn an_apl_out_of_range_or_a_half_empty_row_is_refused() {
    let (dir, line) = apl_edited("01004,", "3.367", "3367");
    let err = apl(dir.path()).unwrap_err();
    says(
        &err,
        &[
            &format!("line {line}"),
            "`apl_all_gps`",
            "\"3367\"",
            "from 0 to 300",
        ],
    );
    let (dir, line) = apl_edited("01004,", "13796.994", "");
    let err = apl(dir.path()).unwrap_err();
    says(
        &err,
        &[&format!("line {line}"), "`standardised_population`", "\"\""],
    );
}

#[test]
fn a_repeated_commune_or_another_year_is_refused() {
    let text = shipped("apl-communes-2021.csv");
    let first = text.lines().nth(1).unwrap();
    let dir = folder_with("apl-communes-2021.csv", &format!("{text}{first}\n"));
    let err = apl(dir.path()).unwrap_err();
    says(&err, &["`code_insee`", "\"01001\"", "already on line 2"]);
    let (dir, line) = apl_edited("01004,", ",2021,", ",2020,");
    let err = apl(dir.path()).unwrap_err();
    says(
        &err,
        &[
            &format!("line {line}"),
            "`year`",
            "\"2020\"",
            "from 2021 to 2021",
        ],
    );
}

#[test]
fn a_missing_apl_file_or_column_is_refused_by_name() {
    let empty = tempfile::tempdir().unwrap();
    says(
        &apl(empty.path()).unwrap_err(),
        &["apl-communes-2021.csv", "cannot read"],
    );
    let text = shipped("apl-communes-2021.csv").replacen("apl_gps_under_65", "apl_u65", 1);
    let dir = folder_with("apl-communes-2021.csv", &text);
    says(
        &apl(dir.path()).unwrap_err(),
        &["line 1", "`apl_gps_under_65`"],
    );
}
