//! A planner's région (24, Centre-Val de Loire): every chart, map and manifest of its run, and
//! its comparison's briefing note, name the région and the scenarios' own titles, and no
//! national CNAM point is drawn on the région's curve.

mod common;

use std::path::Path;

use common::{medesert, ok};

/// Coarse settings that keep a région run to a few seconds.
const COARSE: [&str; 6] = [
    "--set",
    "persons_per_agent=400",
    "--set",
    "territory.france_persons_per_agent=1000",
    "--set",
    "end_year=2026",
];

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

#[test]
fn a_region_run_names_its_region_everywhere_and_draws_no_national_observation() {
    let dir = common::tmp("region_outputs", "run");
    let region = dir.join("r24");
    let mut args = vec![
        "run",
        "--regions",
        "24",
        "-q",
        "--out",
        region.to_str().unwrap(),
    ];
    args.extend(COARSE);
    ok(medesert(&args));
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&region, "manifest.json")).unwrap();
    assert_eq!(manifest["territory"]["fr"], "Centre-Val de Loire");
    for lang in ["fr", "en"] {
        let heading = manifest["heading"][lang].as_str().unwrap();
        assert!(heading.contains("Centre-Val de Loire"), "{heading}");
        assert!(!heading.contains("France"), "{heading}");
    }
    let chart = read(&region, "share_without_mt.svg");
    assert!(
        chart.contains("Centre-Val de Loire"),
        "the chart names the région"
    );
    assert!(!chart.contains("France"), "the chart does not say France");
    assert!(
        !chart.contains("observé (CNAM)"),
        "CNAM's national points are not the région's"
    );
    ok(medesert(&["figures", region.to_str().unwrap()]));
    for figure in ["headline.svg", "map-2026.svg"] {
        let svg = read(&region.join("figures"), figure);
        assert!(svg.contains("Centre-Val de Loire"), "{figure}");
        assert!(!svg.contains("France métropolitaine"), "{figure}");
    }

    // A national run keeps CNAM's points and names France.
    let national = dir.join("france");
    ok(medesert(&[
        "run",
        "-q",
        "--set",
        "persons_per_agent=2000",
        "--set",
        "end_year=2022",
        "--out",
        national.to_str().unwrap(),
    ]));
    let chart = read(&national, "share_without_mt.svg");
    assert!(chart.contains("observé (CNAM)"));
    assert!(chart.contains("France métropolitaine"));
}

#[test]
fn a_comparison_on_a_region_is_a_briefing_note_filled_from_the_scenarios() {
    let dir = common::tmp("region_outputs", "compare");
    let out = dir.join("cmp");
    let mut args = vec![
        "compare",
        "--regions",
        "24",
        "configs/baseline.toml",
        "configs/policies/delegation.toml",
        "configs/policies/teleconsultation.toml",
        "configs/policies/installation-incentive.toml",
        "--replicates",
        "2",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(COARSE);
    ok(medesert(&args));
    let md = read(&out, "comparison.md");
    let title = md.lines().next().unwrap();
    for part in [
        "Assistants médicaux dès 2025",
        "Téléconsultation à 10 % dès 2025",
        "Politiques de 2024 prolongées",
        "Centre-Val de Loire",
    ] {
        assert!(title.contains(part), "title {title:?} lacks {part:?}");
    }
    let section = |heading: &str| -> String {
        let start = md
            .find(heading)
            .unwrap_or_else(|| panic!("no {heading:?} in\n{md}"));
        let rest = &md[start + heading.len()..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        let body = rest[..end].trim().to_string();
        assert!(!body.is_empty(), "{heading} is empty");
        body
    };
    let levers = section("## Les mesures comparées");
    for fact in [
        "33\u{a0}%", // delegation's uptake
        "(`delegation`), de 2025 à 2026",
        "10\u{a0}%",       // teleconsultation's remote share
        "50\u{a0}000",     // the installation incentive's amount
        "zone sous-dense", // its scope
    ] {
        assert!(levers.contains(fact), "levers lack {fact:?}:\n{levers}");
    }
    let measured = section("## Ce qui est mesuré");
    assert!(measured.contains("share_without_mt_17plus") && measured.contains("CNAM"));
    section("## Effets");
    let caveats = section("## Précautions");
    for fact in ["hasard", "2025", "2 simulations"] {
        assert!(caveats.contains(fact), "caveats lack {fact:?}:\n{caveats}");
    }
    let costs = section("## Coûts");
    for fact in [
        "payé par",
        "compté",
        "Assurance maladie",
        "`installation_incentive`",
    ] {
        assert!(costs.contains(fact), "costs lack {fact:?}:\n{costs}");
    }
    let method = section("## Méthode et sources");
    for fact in [
        "Centre-Val de Loire",
        "1 agent = 400 personnes",
        "2014–2026",
        "20180101, 20180102",
        "non (un jeu de paramètres)",
        "Sources",
        "INSEE",
        "Date",
    ] {
        assert!(method.contains(fact), "method lacks {fact:?}:\n{method}");
    }
}
