//! A scenario's `title` (French and English): carried by the run's manifest.json so that
//! frames and figures drawn from the run folder show it; refused when empty or on two lines.

mod common;

use std::path::{Path, PathBuf};

use common::{fails_with, medesert, ok};

/// A scenario file in `dir` extending configs/tiny.toml with `title_line` after its name.
fn scenario(dir: &Path, file: &str, title_line: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let tiny = common::repo().join("configs/tiny.toml");
    let path = dir.join(file);
    std::fs::write(
        &path,
        format!("extends = {tiny:?}\nname = \"titled\"\n{title_line}\n"),
    )
    .unwrap();
    path
}

fn run(path: &Path, out: &Path) -> std::process::Output {
    medesert(&[
        "run",
        path.to_str().unwrap(),
        "-q",
        "--set",
        "persons_per_agent=500",
        "--set",
        "end_year=2015",
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn a_scenario_title_is_written_in_the_run_manifest_in_both_languages() {
    let dir = common::tmp("scenario_title", "titled");
    let path = scenario(
        &dir,
        "titled.toml",
        r#"title = { fr = "Finistère et Morbihan", en = "Finistère and Morbihan" }"#,
    );
    let out = dir.join("run");
    ok(run(&path, &out));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["title"]["fr"], "Finistère et Morbihan");
    assert_eq!(manifest["title"]["en"], "Finistère and Morbihan");
    assert_eq!(manifest["scenario"], "titled");
}

#[test]
fn an_empty_or_multi_line_title_is_refused_naming_the_field() {
    let dir = common::tmp("scenario_title", "refused");
    let empty = scenario(
        &dir,
        "empty.toml",
        r#"title = { fr = " ", en = "A title" }"#,
    );
    fails_with(&run(&empty, &dir.join("empty")), &["title.fr", "not empty"]);
    let two = scenario(
        &dir,
        "two.toml",
        r#"title = { fr = "Un", en = "One\ntwo" }"#,
    );
    fails_with(&run(&two, &dir.join("two")), &["title.en", "one line"]);
}

#[test]
fn a_scenario_that_extends_a_titled_one_does_not_inherit_its_title() {
    let dir = common::tmp("scenario_title", "inherit");
    let base = scenario(&dir, "base.toml", r#"title = { fr = "Base", en = "Base" }"#);
    let child = dir.join("child.toml");
    std::fs::write(&child, "extends = \"base.toml\"\nname = \"child\"\n").unwrap();
    let out = dir.join("run");
    ok(run(&child, &out));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("\"title\""), "{manifest}");
    assert!(base.exists());
}
