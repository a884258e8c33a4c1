//! The GP place files (`gp-departements-2012-2018.csv`, `gp-liberal-communes-2020.csv`,
//! `commune-mergers-2021-2026.csv`) and the population of every year: the shipped files load
//! as documented, and a corrupt copy is refused with a message naming the file, the line (or
//! the missing rows), the column and the value.

mod common;
#[allow(dead_code)]
#[path = "data_files/helpers.rs"]
mod helpers;

use helpers::*;
use medesert::inputs::{Inputs, START_YEARS};

fn shipped() -> Inputs {
    Inputs::load(&common::repo().join("data")).expect("data/ loads")
}

#[test]
fn the_liberal_gp_addresses_of_metropolitan_france_are_all_kept_after_the_mergers() {
    let places = shipped().gp_places;
    // BPE 2020: 58,649 addresses in metropolitan France (data/README.md).
    let total: u32 = places.liberal_addresses.values().sum();
    assert_eq!(total, 58_649);
    // Pierrefitte-sur-Seine (93059, 11 addresses) merged into Saint-Denis (93066, 56) in 2025.
    assert_eq!(places.liberal_addresses["93066"], 56 + 11);
    assert!(!places.liberal_addresses.contains_key("93059"));
    // Overseas rows are read but left out.
    assert!(
        places
            .liberal_addresses
            .keys()
            .all(|c| !c.starts_with("97"))
    );
}

#[test]
fn rpps_counts_are_read_by_departement_and_year() {
    let places = shipped().gp_places;
    // DREES RPPS, metropolitan totals: 99,150 (2014), 98,961 (2018).
    let total = |year| -> u32 {
        shipped()
            .departements
            .iter()
            .filter(|d| !d.code.starts_with("97"))
            .map(|d| places.all_modes(&d.code, year).unwrap())
            .sum()
    };
    assert_eq!(total(2014), 99_150);
    assert_eq!(total(2018), 98_961);
    assert_eq!(places.all_modes("29", 2011), None);
}

#[test]
fn the_population_of_each_start_year_is_its_own() {
    let d = shipped().demography;
    let people = |year| -> u64 {
        d.age_bands(year)
            .values()
            .flat_map(|b| b.iter().map(|x| x.men as u64 + x.women as u64))
            .sum()
    };
    // INSEE estimates on 1 January (data/README.md): 66,130,873 (2014), 66,992,159 (2018).
    assert_eq!(people(2014), 66_130_873);
    assert_eq!(people(2018), 66_992_159);
    assert_ne!(d.single_ages(2014)[30], d.single_ages(2018)[30]);
}

#[test]
fn a_fractional_liberal_gp_count_is_refused_with_file_line_column_and_value() {
    let mut line = 0;
    let data = corrupt("gp-liberal-communes-2020.csv", |t| {
        let (t, n) = set_cell(&t, "01004,", "liberal_gps", "2.5");
        line = n;
        t
    });
    says(
        &refused(data.path()),
        &[
            "gp-liberal-communes-2020.csv",
            &format!("line {line}"),
            "`liberal_gps`",
            "\"2.5\"",
            "whole number",
        ],
    );
}

#[test]
fn a_commune_code_that_is_neither_a_commune_nor_a_merged_one_is_refused() {
    let data = corrupt("gp-liberal-communes-2020.csv", |t| {
        set_cell(&t, "01004,", "code_insee", "01999").0
    });
    says(
        &refused(data.path()),
        &[
            "gp-liberal-communes-2020.csv",
            "`code_insee`",
            "\"01999\"",
            "commune-mergers-2021-2026.csv",
        ],
    );
}

#[test]
fn a_merger_into_a_commune_that_does_not_exist_is_refused() {
    let data = corrupt("commune-mergers-2021-2026.csv", |t| {
        set_cell(&t, "93059,", "code_2026", "93999").0
    });
    says(
        &refused(data.path()),
        &[
            "commune-mergers-2021-2026.csv",
            "`code_2026`",
            "\"93999\"",
            "communes.csv",
        ],
    );
}

#[test]
fn a_merged_commune_that_still_exists_is_refused() {
    // Saint-Denis absorbed Pierrefitte; it cannot itself be a merged (vanished) commune.
    let data = corrupt("commune-mergers-2021-2026.csv", |t| {
        set_cell(&t, "93059,", "code_2021", "93066").0
    });
    says(
        &refused(data.path()),
        &["commune-mergers-2021-2026.csv", "`code_2021`", "\"93066\""],
    );
}

#[test]
fn a_negative_rpps_count_is_refused_with_file_line_column_and_value() {
    let mut line = 0;
    let data = corrupt("gp-departements-2012-2018.csv", |t| {
        let (t, n) = set_cell(&t, "29,2014,", "gps_all_modes", "-3");
        line = n;
        t
    });
    says(
        &refused(data.path()),
        &[
            "gp-departements-2012-2018.csv",
            &format!("line {line}"),
            "`gps_all_modes`",
            "\"-3\"",
        ],
    );
}

#[test]
fn a_departement_without_the_rpps_count_of_a_start_year_is_refused() {
    let data = corrupt("gp-departements-2012-2018.csv", |t| {
        keep_lines(&t, |l| !l.starts_with("29,2014,"))
    });
    says(
        &refused(data.path()),
        &[
            "gp-departements-2012-2018.csv",
            "no 2014 row for département 29",
        ],
    );
}

#[test]
fn a_start_year_missing_from_the_population_by_age_is_refused() {
    let data = corrupt("population-single-age-france.csv", |t| {
        keep_lines(&t, |l| !l.starts_with("2015,"))
    });
    says(
        &refused(data.path()),
        &["population-single-age-france.csv", "no 2015 row for age 0"],
    );
}

#[test]
fn the_start_years_the_registry_accepts_are_those_the_data_covers() {
    let row = medesert::scenario::registry::all()
        .iter()
        .find(|p| p.name == "start_year")
        .expect("start_year is a run setting of the registry");
    let years = (*START_YEARS.start() as f64, *START_YEARS.end() as f64);
    assert_eq!(row.hard, years);
}
