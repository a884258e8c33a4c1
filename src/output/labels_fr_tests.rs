use std::collections::HashSet;

use super::*;
use crate::output::summary::SUMMARY_COLUMNS;
use crate::output::{COMMUNE_COLUMNS, comparison};
use crate::tables::{COLUMNS, is_share, unit_keys};

/// Every title a French table can carry: the columns', and both of each category's.
fn titles() -> Vec<&'static str> {
    let mut all: Vec<&str> = HEADERS.iter().map(|(_, fr)| *fr).collect();
    all.extend(CATEGORIES.iter().flat_map(|c| [c.code, c.label]));
    all
}

#[test]
fn every_french_title_is_unique_so_a_french_table_reads_back() {
    let mut seen = HashSet::new();
    for t in titles() {
        assert!(seen.insert(t), "{t:?} titles two columns");
    }
    let mut names = HashSet::new();
    for name in HEADERS.iter().map(|(en, _)| *en) {
        assert!(names.insert(name), "{name} is listed twice");
    }
    for c in &CATEGORIES {
        assert!(
            names.insert(c.column),
            "{} is a category and a column",
            c.column
        );
    }
    // A category's labels keep their French title when read back: it must name no column.
    for c in &CATEGORIES {
        assert!(!names.contains(c.label), "{} names a column", c.label);
    }
}

#[test]
fn french_titles_fit_a_spreadsheet_column() {
    for t in titles()
        .into_iter()
        .chain(METRICS.iter().map(|(_, fr)| *fr))
    {
        let n = t.chars().count();
        assert!(n <= 64, "{t:?} has {n} characters");
        assert_eq!(t.trim(), t);
        assert!(!t.contains('_'), "{t:?} looks like a code");
    }
}

#[test]
fn every_column_of_the_tables_has_a_french_title() {
    let keys = [unit_keys(true), unit_keys(false)].concat();
    let names = ["year"]
        .iter()
        .chain(&keys)
        .chain(&COLUMNS)
        .chain(&COMMUNE_COLUMNS)
        .chain(&SUMMARY_COLUMNS)
        .chain(&comparison::HEADER);
    for name in names {
        assert!(
            header(name).is_some() || category(name).is_some(),
            "{name} has no French title in HEADERS or CATEGORIES"
        );
    }
}

#[test]
fn a_share_is_a_part_never_a_percentage() {
    for name in COLUMNS.iter().filter(|c| is_share(c)) {
        let title = header(name).unwrap();
        assert!(title.starts_with("part "), "{name}: {title:?}");
        assert!(!title.contains('%'), "{name}: {title:?}");
    }
}

#[test]
fn every_code_of_a_category_has_a_french_label() {
    let codes: [(&str, Vec<&str>); 5] = [
        ("sex", SEXES.to_vec()),
        ("zone", crate::output::commune_table::ZONES.to_vec()),
        ("reason", Reason::ALL.iter().map(|r| r.code()).collect()),
        ("indicator", COLUMNS.to_vec()),
        ("scope", crate::inputs::DENSITY_CLASSES.to_vec()),
    ];
    for (column, list) in codes {
        let category = category(column).unwrap();
        for code in list {
            assert!(category.label_of(code).is_some(), "{column} {code}");
        }
    }
    let metric = category("metric").unwrap();
    for (code, _) in METRICS {
        assert!(metric.label_of(code).is_some(), "{code}");
    }
}

#[test]
fn the_split_by_reason_is_titled_with_the_reasons_names_of_the_plots() {
    let names = Lang::Fr.text().reasons;
    for (reason, name) in Reason::ALL.iter().zip(names) {
        let column = format!("share_without_mt_17plus_{}", reason.code());
        let title = header(&column).unwrap();
        assert_eq!(title, format!("part sans médecin traitant : {name}"));
    }
}

#[test]
fn a_category_is_written_as_its_code_then_its_label_and_reads_back_as_its_code() {
    let header: Vec<String> = ["year", "scope", "metric", "effect"]
        .map(String::from)
        .to_vec();
    let (table, titles) = FrenchTable::new(&header);
    assert_eq!(
        titles,
        [
            "année",
            "code périmètre",
            "périmètre",
            "code grandeur",
            "grandeur",
            "effet"
        ]
    );
    let row = |cells: [&str; 4]| table.row(cells.map(String::from).to_vec());
    assert_eq!(
        row(["2030", "rural", "policy_cost_eur", "1,5"]),
        [
            "2030",
            "rural",
            "départements ruraux",
            "policy_cost_eur",
            "coût des mesures (€)",
            "1,5"
        ]
    );
    // A territory's name and a département code are no codes of the list: kept as they are.
    assert_eq!(row(["2030", "29", "x", ""])[1..5], ["29", "29", "x", "x"]);
    let back: Vec<Option<&str>> = titles.iter().map(|t| english(t)).collect();
    assert_eq!(
        back,
        [
            Some("year"),
            Some("scope"),
            None,
            Some("metric"),
            None,
            Some("effect")
        ]
    );
}

#[test]
fn a_table_without_categories_keeps_its_cells_and_an_unknown_title() {
    let (table, titles) = FrenchTable::new(&["departement".into(), "other".into()]);
    assert_eq!(titles, ["code département", "other"]);
    assert_eq!(table.row(vec!["2A".into(), "x".into()]), ["2A", "x"]);
}
