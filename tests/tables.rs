//! Run tables as a planner opens them: commune names, codes as text, empty cells where
//! nobody is simulated, counts as integers.

mod common;

use common::{medesert, ok, tmp};

/// A small run of Hautes-Alpes (codes 05…) at a coarse scale, so some communes have nobody.
fn hautes_alpes(name: &str, extra: &[&str]) -> std::path::PathBuf {
    small_run(name, "05", extra)
}

/// A run of one département at a coarse scale, 2014–2016, with communes.
fn small_run(name: &str, departement: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = tmp("tables", name);
    ok(common::small_run(
        &out,
        &format!("[\"{departement}\"]"),
        extra,
    ));
    out
}

fn rows(path: &std::path::Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().clone();
    (header, r.records().map(Result::unwrap).collect())
}

#[test]
fn communes_csv_names_each_commune_and_keeps_codes_as_text() {
    let out = hautes_alpes("names", &[]);
    let (header, rows) = rows(&out.join("communes.csv"));
    assert_eq!(&header[1], "commune");
    assert_eq!(&header[2], "commune_name");
    let abries = rows.iter().find(|r| &r[1] == "05001").expect("05001 kept");
    assert_eq!(&abries[2], "Abriès-Ristolas");
    assert_eq!(&abries[3], "05");
}

#[test]
fn a_commune_with_nobody_17plus_has_an_empty_share_not_zero() {
    let out = hautes_alpes("empty", &[]);
    let (header, rows) = rows(&out.join("communes.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (adults, share) = (col("population_17plus"), col("share_without_mt_17plus"));
    let empty: Vec<_> = rows.iter().filter(|r| &r[adults] == "0").collect();
    assert!(!empty.is_empty(), "the coarse scale leaves communes empty");
    assert!(empty.iter().all(|r| r[share].is_empty()));
    assert!(
        rows.iter()
            .filter(|r| &r[adults] != "0")
            .all(|r| r[share].parse::<f64>().is_ok())
    );
}

#[test]
fn counts_are_written_as_integers_in_every_table() {
    let out = hautes_alpes("counts", &[]);
    for (file, columns) in [
        (
            "national.csv",
            &["population", "gps", "patients_without_mt_17plus"][..],
        ),
        (
            "departements.csv",
            &["population", "births", "policy_cost_eur"][..],
        ),
        ("communes.csv", &["population", "gps"][..]),
    ] {
        let (header, rows) = rows(&out.join(file));
        for c in columns {
            let k = header.iter().position(|h| h == *c).unwrap();
            for r in &rows {
                assert!(r[k].parse::<u64>().is_ok(), "{file} {c}: {:?}", &r[k]);
            }
        }
    }
}

#[test]
fn national_summary_writes_the_statistics_of_a_count_as_integers() {
    let out = hautes_alpes("summary", &["--replicates", "2"]);
    let (header, summary) = rows(&out.join("national_summary.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let stats = ["mean", "p5", "p50", "p95"].map(col);
    let (indicator, runs) = (col("indicator"), col("runs"));
    let population: Vec<_> = summary
        .iter()
        .filter(|r| &r[indicator] == "population")
        .collect();
    assert_eq!(population.len(), 3, "one row a year, 2014-2016");
    for r in &population {
        for k in stats {
            assert!(r[k].parse::<u64>().is_ok(), "{}: {:?}", &header[k], &r[k]);
        }
        assert_eq!(&r[runs], "2");
    }
    // A share keeps its decimals.
    let share = summary
        .iter()
        .find(|r| &r[indicator] == "share_without_mt_17plus")
        .unwrap();
    assert!(share[stats[0]].contains('.'), "{:?}", &share[stats[0]]);
}

#[test]
fn a_french_dialect_run_opens_in_columns_in_french_excel_and_reads_back() {
    let out = hautes_alpes("fr", &["--csv-dialect", "fr"]);
    let bytes = std::fs::read(out.join("communes.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    // French titles; the INSEE codes keep their own columns, as text.
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("année;code commune;commune;code département;")
    );
    let abries = lines.find(|l| l.contains(";05001;")).unwrap();
    assert!(abries.contains(";Abriès-Ristolas;05;"), "{abries}");
    let national = common::read(&out, "national.csv");
    let share = "part sans médecin traitant (17 ans et plus)";
    let header: Vec<&str> = national.lines().next().unwrap().split(';').collect();
    assert_eq!(header[6], share);
    let row: Vec<&str> = national.lines().nth(1).unwrap().split(';').collect();
    assert!(row[6].contains(',') && !row[6].contains('.'), "{}", row[6]);
    // animate and figures read a French run folder back.
    ok(medesert(&[
        "figures",
        out.to_str().unwrap(),
        "--year",
        "2016",
        "--out",
        out.join("figures").to_str().unwrap(),
    ]));
}

#[test]
fn the_workbook_keeps_codes_as_text_and_numbers_as_numbers() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let out = small_run("xlsx", "01", &[]);
    let mut book: Xlsx<_> = open_workbook(out.join("tables.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["national", "regions", "departements", "gp_ages", "communes"]
    );
    let departements = book.worksheet_range("departements").unwrap();
    let header: Vec<String> = departements
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = departements.rows().nth(1).unwrap();
    assert_eq!(first[col("departement")], Data::String("01".into()));
    assert_eq!(first[col("departement_name")], Data::String("Ain".into()));
    assert!(matches!(first[col("population")], Data::Float(p) if p > 0.0));
    assert!(
        matches!(first[col("share_without_mt_17plus")], Data::Float(s) if (0.0..=1.0).contains(&s))
    );
    let communes = book.worksheet_range("communes").unwrap();
    let row = communes
        .rows()
        .find(|r| r[1] == Data::String("01001".into()))
        .expect("01001 keeps its leading zero");
    assert_eq!(row[2], Data::String("L'Abergement-Clémenciat".into()));
    // Empty where nobody 17+ is simulated, as in communes.csv.
    assert!(
        communes
            .rows()
            .skip(1)
            .filter(|r| r[5] == Data::Float(0.0))
            .all(|r| r[7] == Data::Empty)
    );
}

#[test]
fn a_french_dialect_comparison_names_its_territory_and_writes_counts_as_integers() {
    let out = tmp("tables", "compare-fr");
    ok(medesert(&[
        "compare",
        "configs/tiny.toml",
        "tests/policies/tiny-delegation.toml",
        "-q",
        "--replicates",
        "2",
        "--csv-dialect",
        "fr",
        "--out",
        out.to_str().unwrap(),
    ]));
    let bytes = std::fs::read(out.join("comparison.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(';').collect()).collect();
    let col = |title: &str| rows[0].iter().position(|t| *t == title).unwrap();
    let (metric, scope, baseline) = (
        col("code grandeur"),
        col("code périmètre"),
        col("référence"),
    );
    assert!(
        rows.iter().skip(1).all(|r| r[scope] != "France"),
        "a two-département run is not France"
    );
    let people = rows
        .iter()
        .find(|r| r[metric] == "patients_without_mt_17plus" && r[scope] == "Finistère + Morbihan")
        .expect("the territory's row");
    assert!(
        people[baseline].parse::<i64>().is_ok(),
        "{:?}",
        people[baseline]
    );
    let share = rows
        .iter()
        .find(|r| r[metric] == "share_without_mt_17plus")
        .unwrap();
    assert!(
        share[baseline].contains(',') && share[baseline].parse::<f64>().is_err(),
        "{:?}",
        share[baseline]
    );
}
