//! `medesert report`: one self-contained HTML file (nothing fetched when it is viewed), in
//! French or English, of a run folder or a comparison folder; it replaces only a report, and
//! a folder that is neither kind is refused by name. (What the page draws is checked in a
//! browser by tests/browser.rs.)

mod common;

use common::{fails_with, ok};

/// The page's inlined data (the JSON of its `<script id="data">`).
fn data(html: &str) -> serde_json::Value {
    let start = html.find("id=\"data\">").expect("a data element") + "id=\"data\">".len();
    let end = start + html[start..].find("</script>").expect("its end");
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

/// Nothing in the page points outside it: no script, style, image or font to fetch.
fn self_contained(html: &str) {
    for outside in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(outside), "{outside} in the page");
    }
}

#[test]
fn a_runs_report_is_one_self_contained_file_in_either_language() {
    let run = common::tmp("report", "run");
    ok(common::small_run(&run, r#"["29", "56"]"#, &[]));
    let dir = run.to_str().unwrap();
    ok(common::medesert(&["report", dir, "-q"]));
    ok(common::medesert(&["report", dir, "-q", "--lang", "en"]));
    let fr = std::fs::read_to_string(run.join("report-fr.html")).unwrap();
    let en = std::fs::read_to_string(run.join("report-en.html")).unwrap();
    for (html, lang) in [(&fr, "fr"), (&en, "en")] {
        self_contained(html);
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        let d = data(html);
        assert_eq!(d["lang"], lang);
        assert_eq!(d["kind"], "run");
        assert_eq!(d["run"]["years"], serde_json::json!([2014, 2015, 2016]));
        let codes: Vec<&String> = d["run"]["departements"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(codes, ["29", "56"]);
        // Two départements are not France: CNAM's national points are not drawn on them.
        assert_eq!(d["run"]["observed"], serde_json::json!([]));
        // The run wrote communes.csv and reports one région: its communes come with it.
        let communes = &d["run"]["communes"];
        assert_eq!(communes["region"], "53");
        let n = communes["names"].as_array().unwrap().len();
        assert!(n > 300, "{n} communes");
        assert_eq!(communes["share"][2].as_array().unwrap().len(), n);
        let headline = &d["run"]["national"]["share_without_mt_17plus_cnam"][2];
        let table = common::table_value(
            &run,
            "national.csv",
            None,
            "2016",
            "share_without_mt_17plus_cnam",
        );
        assert!((headline.as_f64().unwrap() - table).abs() < 1e-9);
    }
}

#[test]
fn a_comparisons_report_carries_each_policys_effect_interval_and_cost() {
    let out = common::tmp("report", "compare");
    ok(common::medesert(&[
        "compare",
        "configs/tiny.toml",
        "tests/policies/tiny-teleconsultation.toml",
        "--set",
        "end_year=2030",
        "--replicates",
        "2",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]));
    let file = out.join("comparison-en.html");
    ok(common::medesert(&[
        "report",
        out.to_str().unwrap(),
        "-q",
        "--lang",
        "en",
        "--out",
        file.to_str().unwrap(),
    ]));
    let html = std::fs::read_to_string(&file).unwrap();
    self_contained(&html);
    let d = data(&html);
    assert_eq!(d["kind"], "compare");
    let p = &d["compare"]["policies"][0];
    assert_eq!(p["name"], "tiny-teleconsultation");
    let years = d["compare"]["years"].as_array().unwrap().len();
    for series in ["effect", "low", "high", "value"] {
        assert_eq!(p[series].as_array().unwrap().len(), years, "{series}");
    }
    assert!(p["cost"].is_array() && p["gained"].is_array(), "{p}");
    assert_eq!(d["compare"]["map_year"], 2030);
    assert!(p["departements"]["29"].is_array(), "{p}");
    assert_eq!(d["compare"]["territory"], "Finistère + Morbihan");
}

#[test]
fn a_report_replaces_only_a_report_and_refuses_other_folders() {
    let run = common::tmp("report", "guard");
    ok(common::small_run(&run, r#"["29"]"#, &[]));
    let other = run.join("notes.html");
    std::fs::write(&other, "my notes").unwrap();
    let dir = run.to_str().unwrap();
    fails_with(
        &common::medesert(&["report", dir, "--out", other.to_str().unwrap()]),
        &["notes.html", "not a report medesert wrote", "--force"],
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "my notes");
    ok(common::medesert(&["report", dir, "-q"]));
    ok(common::medesert(&["report", dir, "-q"]));
    // The run rewritten keeps the report drawn in its folder (as it keeps an animation).
    std::fs::remove_file(&other).unwrap();
    ok(common::small_run(&run, r#"["29"]"#, &[]));
    assert!(run.join("report-fr.html").is_file());
    fails_with(
        &common::medesert(&["report", dir, "--region", "24"]),
        &["--region 24", "not a région of the run", "53"],
    );
    fails_with(
        &common::medesert(&["report", "configs"]),
        &["configs", "comparison.csv", "medesert compare"],
    );
    fails_with(
        &common::medesert(&["report", "no/such/folder"]),
        &["no/such/folder", "is not a folder"],
    );
}
