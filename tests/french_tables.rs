//! `--csv-dialect fr`: the tables a planner opens in French Excel carry French column titles
//! and French category labels, every code stays in a column of its own, and medesert reads its
//! French tables back as its English ones.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{medesert, ok};
use medesert::output::cell;
use medesert::output::labels_fr;
use medesert::tables::cell::Dialect;

/// The same run and the same comparison written in each dialect: (English, French) folders.
struct Folders {
    runs: [PathBuf; 2],
    comparisons: [PathBuf; 2],
}

fn folders() -> &'static Folders {
    static FOLDERS: OnceLock<Folders> = OnceLock::new();
    FOLDERS.get_or_init(|| {
        let [runs, comparisons] = ["run", "compare"].map(|kind| {
            ["en", "fr"].map(|dialect| common::tmp("french_tables", &format!("{kind}-{dialect}")))
        });
        for (dir, dialect) in runs.iter().zip(["en", "fr"]) {
            ok(medesert(&[
                "run",
                "configs/tiny.toml",
                "-q",
                "--communes",
                "--replicates",
                "2",
                "--csv-dialect",
                dialect,
                "--out",
                dir.to_str().unwrap(),
            ]));
        }
        for (dir, dialect) in comparisons.iter().zip(["en", "fr"]) {
            ok(medesert(&[
                "compare",
                "configs/tiny.toml",
                "tests/policies/tiny-delegation.toml",
                "-q",
                "--replicates",
                "2",
                "--csv-dialect",
                dialect,
                "--out",
                dir.to_str().unwrap(),
            ]));
        }
        Folders { runs, comparisons }
    })
}

/// Every CSV table of the run and of the comparison, as (English file, French file).
fn tables() -> Vec<(PathBuf, PathBuf)> {
    let f = folders();
    let mut out = Vec::new();
    for [en, fr] in [&f.runs, &f.comparisons] {
        let mut names: Vec<_> = std::fs::read_dir(en)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().ends_with(".csv"))
            .collect();
        names.sort();
        out.extend(names.iter().map(|n| (en.join(n), fr.join(n))));
    }
    assert_eq!(out.len(), 10, "7 tables of a run, 2 of a comparison");
    out
}

/// A French table as its titles and rows, the byte-order mark dropped.
fn french(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap()).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let titles = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|row| row.unwrap().iter().map(String::from).collect())
        .collect();
    (titles, rows)
}

/// The cells of the column titled `title` in a French table.
fn column<'a>(table: &'a (Vec<String>, Vec<Vec<String>>), title: &str) -> Vec<&'a str> {
    let (titles, rows) = table;
    let k = titles.iter().position(|t| t == title);
    let k = k.unwrap_or_else(|| panic!("no column {title:?} in {titles:?}"));
    rows.iter().map(|r| r[k].as_str()).collect()
}

#[test]
fn a_french_run_titles_its_columns_in_french_and_keeps_the_codes() {
    let f = folders();
    let national = french(&f.runs[1].join("national.csv"));
    assert_eq!(national.0[0], "année");
    assert!(
        national
            .0
            .contains(&"part sans médecin traitant (17 ans et plus)".to_string())
    );
    assert_eq!(column(&national, "année")[0], "2014");
    let departements = french(&f.runs[1].join("departements.csv"));
    let codes = column(&departements, "code département");
    let names = column(&departements, "département");
    assert_eq!((codes[0], names[0]), ("29", "Finistère"));
    let communes = french(&f.runs[1].join("communes.csv"));
    assert!(column(&communes, "code commune").contains(&"29001"));
}

#[test]
fn a_category_is_written_as_its_code_then_its_french_label() {
    let f = folders();
    let pairs = |file: &Path, code: &str, label: &str| -> Vec<(String, String)> {
        let table = french(file);
        let at = table.0.iter().position(|t| t == code).unwrap();
        assert_eq!(
            table.0[at + 1],
            label,
            "{}: the label follows the code",
            file.display()
        );
        let mut pairs: Vec<_> = table
            .1
            .iter()
            .map(|r| (r[at].clone(), r[at + 1].clone()))
            .collect();
        pairs.sort();
        pairs.dedup();
        pairs
    };
    let own = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(c, l)| (c.to_string(), l.to_string()))
            .collect()
    };
    let sexes = pairs(&f.runs[1].join("gp_ages.csv"), "code sexe", "sexe");
    assert_eq!(sexes, own(&[("men", "hommes"), ("women", "femmes")]));
    let zones = pairs(&f.runs[1].join("communes.csv"), "code zonage", "zonage");
    assert!(zones.contains(&own(&[("priority", "zone d’intervention prioritaire (ZIP)")])[0]));
    let indicators = pairs(
        &f.runs[1].join("national_summary.csv"),
        "code indicateur",
        "indicateur",
    );
    assert!(indicators.contains(&own(&[("births", "naissances")])[0]));
    let comparison = f.comparisons[1].join("comparison.csv");
    let scopes = pairs(&comparison, "code périmètre", "périmètre");
    assert!(scopes.contains(&own(&[("rural", "départements ruraux")])[0]));
    assert!(
        scopes.contains(&own(&[("29", "29")])[0]),
        "a code without a label"
    );
    let metrics = pairs(&comparison, "code grandeur", "grandeur");
    assert!(metrics.contains(&own(&[("incremental_cost_eur", "coût supplémentaire (€)")])[0]));
    let reasons = pairs(&f.comparisons[1].join("causal.csv"), "code motif", "motif");
    assert!(reasons.contains(&own(&[("moved", "déménagement")])[0]));
}

/// A new column written without a French title fails here: add it to `labels_fr::HEADERS`
/// (or `CATEGORIES`).
#[test]
fn every_column_medesert_writes_has_a_french_title() {
    for (en, fr) in tables() {
        let mut r = csv::Reader::from_path(&en).unwrap();
        for name in r.headers().unwrap() {
            assert!(
                labels_fr::header(name).is_some() || labels_fr::category(name).is_some(),
                "{}: column {name} has no French title in src/output/labels_fr.rs",
                en.display()
            );
        }
        for title in french(&fr).0 {
            let known = labels_fr::english(&title).is_some()
                || labels_fr::CATEGORIES.iter().any(|c| c.label == title);
            assert!(known, "{}: {title:?} is not French", fr.display());
        }
    }
}

/// The cells of a table read by medesert's reader: English column names, cells as text.
fn read_back(path: &Path) -> (Dialect, Vec<String>, Vec<Vec<String>>) {
    let (dialect, mut r) = cell::reader(path).unwrap();
    let names = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|row| row.unwrap().iter().map(String::from).collect())
        .collect();
    (dialect, names, rows)
}

#[test]
fn medesert_reads_a_french_table_as_the_english_one() {
    for (en, fr) in tables() {
        let (_, names, rows) = read_back(&en);
        let (dialect, french_names, french_rows) = read_back(&fr);
        assert_eq!(dialect, Dialect::Fr);
        assert_eq!(rows.len(), french_rows.len(), "{}", fr.display());
        for (k, name) in names.iter().enumerate() {
            let at = french_names.iter().position(|n| n == name);
            let at = at.unwrap_or_else(|| panic!("{}: no column {name}", fr.display()));
            for (row, french_row) in rows.iter().zip(&french_rows) {
                let (cell, french_cell) = (&row[k], &french_row[at]);
                match Dialect::En.parse(cell) {
                    Ok(value) => assert_eq!(value, dialect.parse(french_cell).unwrap()),
                    Err(_) => assert_eq!(cell, french_cell, "{}: {name}", fr.display()),
                }
            }
        }
    }
}

#[test]
fn figures_and_reports_of_a_french_run_are_those_of_the_english_run() {
    let f = folders();
    for [en, fr] in [&f.runs, &f.comparisons] {
        for dir in [en, fr] {
            ok(medesert(&["report", dir.to_str().unwrap(), "-q"]));
        }
        let html = |dir: &Path| std::fs::read(dir.join("report-fr.html")).unwrap();
        assert!(html(en) == html(fr), "{}: report", fr.display());
    }
    let figures = |dir: &Path| {
        let out = dir.join("figures");
        ok(medesert(&[
            "figures",
            dir.to_str().unwrap(),
            "--communes",
            "--out",
            out.to_str().unwrap(),
        ]));
        let mut files: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| (p.file_name().unwrap().to_owned(), std::fs::read(p).unwrap()))
            .collect::<Vec<_>>()
    };
    let (en, fr) = (figures(&f.runs[0]), figures(&f.runs[1]));
    assert!(en.len() > 10, "{} figures", en.len());
    assert!(en == fr, "the figures of the French run differ");
}
