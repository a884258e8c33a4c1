//! `medesert compare --lang`: comparison.md and the charts in the planner's language, while
//! the CSV files keep their codes for programs.

mod common;

use std::path::{Path, PathBuf};

use common::{medesert, ok};

fn compare(lang: &str) -> PathBuf {
    let out = common::tmp("compare_lang", lang);
    ok(medesert(&[
        "compare",
        "configs/tiny.toml",
        "tests/policies/tiny-delegation.toml",
        "-q",
        "--replicates",
        "2",
        "--set",
        "persons_per_agent=500",
        "--set",
        "end_year=2026",
        "--lang",
        lang,
        "--out",
        out.to_str().unwrap(),
    ]));
    out
}

fn bytes(dir: &Path, f: &str) -> Vec<u8> {
    std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(f).display()))
}

#[test]
fn compare_writes_its_report_and_charts_in_the_chosen_language_and_its_csv_as_codes() {
    let (fr, en) = (compare("fr"), compare("en"));
    let md = |d: &Path| String::from_utf8(bytes(d, "comparison.md")).unwrap();
    let (md_fr, md_en) = (md(&fr), md(&en));
    assert!(
        md_fr.contains("par rapport à") && md_fr.contains("répétitions"),
        "{md_fr}"
    );
    assert!(
        !md_fr.contains("against") && !md_fr.contains("replicates per"),
        "{md_fr}"
    );
    assert!(
        md_en.contains("against") && md_en.contains("replicates per"),
        "{md_en}"
    );
    assert!(!md_en.contains("par rapport à"), "{md_en}");
    for chart in [
        "difference.png",
        "causal-tiny.png",
        "causal-tiny-delegation.png",
        "map-effect-2026-tiny-delegation.png",
    ] {
        assert_ne!(
            bytes(&fr, chart),
            bytes(&en, chart),
            "{chart}: same text in fr and en"
        );
    }
    for table in ["comparison.csv", "causal.csv"] {
        assert_eq!(
            bytes(&fr, table),
            bytes(&en, table),
            "{table} follows --lang"
        );
    }
}
