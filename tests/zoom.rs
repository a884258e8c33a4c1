//! Pictures zoomed on a part of a run's territory show that part's own numbers: the headline
//! of a zoomed animation is the région's or département's value in the run's tables, several
//! départements together give the value of the territory they make up, and a territory the
//! run did not simulate is refused.

mod common;

use std::path::Path;

use medesert::inputs::Shapes;
use medesert::output::animate::{AnimationOptions, Scene};
use medesert::output::map::Indicator;
use medesert::output::run_data::{RunData, Zoom};
use medesert::output::text::Lang;

/// The share of adults without an MT in `year`, read from a table of the run folder for the
/// unit in column 1 (`None`: national.csv).
fn table_share(dir: &Path, table: &str, unit: Option<&str>, year: &str) -> f64 {
    common::table_value(dir, table, unit, year, "share_without_mt_17plus")
}

/// The headline of the last frame of an animation of `run` zoomed on `zoom`.
fn zoomed_headline(run: &RunData, zoom: &Zoom) -> f64 {
    let shapes = Shapes::load(Path::new("data")).unwrap();
    let zoomed = run.zoomed(zoom).unwrap();
    let options = AnimationOptions {
        lang: Lang::En,
        size: (400, 300),
        indicator: Indicator::Share,
        frames_per_year: 1,
        delay_ms: 100,
        hold_ms: 100,
    };
    let scene = Scene::new(vec![&zoomed], &shapes, &zoom.codes, options).unwrap();
    scene.headline(scene.frame_count() - 1)
}

fn zoom(regions: &[&str], departements: &[&str], codes: &[&str]) -> Zoom {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Zoom {
        regions: owned(regions),
        departements: owned(departements),
        codes: owned(codes),
    }
}

#[test]
fn a_zoomed_headline_is_the_zoomed_territorys_value_in_the_runs_tables() {
    let out = common::tmp("zoom", "brittany-and-44");
    common::ok(common::small_run(
        &out,
        r#"["22","29","35","56","44"]"#,
        &[],
    ));
    let run = RunData::load(&out).unwrap();
    let last = run.years.last().unwrap().to_string();

    let brittany = zoomed_headline(&run, &zoom(&["53"], &[], &["22", "29", "35", "56"]));
    let region = 100.0 * table_share(&out, "regions.csv", Some("53"), &last);
    assert!((brittany - region).abs() < 1e-9, "{brittany} vs {region}");
    let national = 100.0 * table_share(&out, "national.csv", None, &last);
    assert!(
        (brittany - national).abs() > 1e-6,
        "the région is not the whole run"
    );

    let finistere = zoomed_headline(&run, &zoom(&[], &["29"], &["29"]));
    let departement = 100.0 * table_share(&out, "departements.csv", Some("29"), &last);
    assert!((finistere - departement).abs() < 1e-9);

    // Every département together is the run's territory: weighted by their adults, their
    // shares give the national value (to the tables' rounding).
    let all = ["22", "29", "35", "56", "44"];
    let together = zoomed_headline(&run, &zoom(&[], &all, &all));
    assert!(
        (together - national).abs() < 1e-3,
        "{together} vs {national}"
    );
}

#[test]
fn a_zoom_on_a_territory_the_run_did_not_simulate_is_refused() {
    let out = common::tmp("zoom", "finistere");
    common::ok(common::small_run(&out, r#"["29"]"#, &[]));
    let run = RunData::load(&out).unwrap();
    let Err(e) = run.zoomed(&zoom(&["53"], &[], &["22", "29", "35", "56"])) else {
        panic!("a zoom beyond the run's territory was accepted");
    };
    let e = e.to_string();
    assert!(
        e.contains("did not simulate") && e.contains("22, 35, 56"),
        "{e}"
    );
    // The command says so too, before drawing anything.
    let gif = out.join("zoom.gif");
    let o = common::medesert(&[
        "animate",
        out.to_str().unwrap(),
        "--region",
        "53",
        "--out",
        gif.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("did not simulate"));
    assert!(!gif.exists());
}

#[test]
fn an_unzoomed_picture_of_part_of_france_names_the_territory_it_simulated() {
    let out = common::tmp("zoom", "finistere-named");
    common::ok(common::small_run(&out, r#"["29"]"#, &[]));
    let run = RunData::load(&out).unwrap();
    let whole = zoom(&[], &[], &[]);
    let named = run.zoomed(&whole).unwrap();
    assert!(
        named.heading(Lang::Fr).ends_with(" — Finistère"),
        "{}",
        named.heading(Lang::Fr)
    );
    // Its numbers are the run's own.
    assert_eq!(
        zoomed_headline(&run, &whole),
        100.0
            * table_share(
                &out,
                "national.csv",
                None,
                &run.years.last().unwrap().to_string()
            )
    );
}
