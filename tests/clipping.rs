//! No label of a shipped figure or frame is clipped: the default run's charts and report
//! figures (headline, map, flows, GP pyramid), the classroom
//! animation and the classroom comparison GIF are drawn in French and English on a backend
//! that records every label with a glyph pixel outside the canvas (src/output/extents.rs).

mod common;

use std::path::Path;

use common::{medesert, ok};
use medesert::inputs::{Inputs, Shapes};
use medesert::output::animate::{AnimationOptions, Scene};
use medesert::output::extents::clipped_labels;
use medesert::output::heading;
use medesert::output::map::Indicator;
use medesert::output::run_data::{RunData, Zoom};
use medesert::output::text::Lang;
use medesert::output::{draw_gps, draw_share_on};

/// A coarse run of a classroom scenario into `out`.
fn classroom_run(scenario: &str, out: &Path) {
    ok(medesert(&[
        "run",
        scenario,
        "-q",
        "--set",
        "persons_per_agent=400",
        "--set",
        "territory.france_persons_per_agent=1000",
        "--out",
        out.to_str().unwrap(),
    ]));
}

#[test]
fn no_label_of_the_classroom_frames_or_their_comparison_is_clipped_in_either_language() {
    let dir = common::tmp("clipping", "classroom");
    let (base, policy) = (dir.join("classroom"), dir.join("installations"));
    classroom_run("configs/classroom.toml", &base);
    classroom_run("configs/classroom-installations.toml", &policy);
    let shapes = Shapes::load(&common::repo().join("data")).unwrap();
    let runs: Vec<RunData> = [&base, &policy]
        .iter()
        .map(|d| RunData::load(d).unwrap().zoomed(&Zoom::default()).unwrap())
        .collect();
    for lang in [Lang::Fr, Lang::En] {
        let options = AnimationOptions {
            lang,
            size: (800, 600),
            indicator: Indicator::Share,
            frames_per_year: 1,
            delay_ms: 700,
            hold_ms: 4000,
        };
        for pair in [vec![&runs[0]], vec![&runs[0], &runs[1]]] {
            let n = pair.len();
            let scene = Scene::new(pair, &shapes, &[], options.clone()).unwrap();
            for frame in 0..scene.frame_count() {
                let clipped = clipped_labels(options.size, |root| scene.draw(root, frame)).unwrap();
                assert!(
                    clipped.is_empty(),
                    "{lang:?}, {n} run(s), frame {frame}: clipped {clipped:?}"
                );
            }
        }
    }
}

#[test]
fn no_label_of_the_default_run_charts_is_clipped_in_either_language() {
    let repo = common::repo();
    let loaded = medesert::scenario::load_with_warnings(
        &repo.join("configs/baseline.toml"),
        &["persons_per_agent=2000".to_string()],
    )
    .unwrap();
    let s = loaded.scenario;
    let inputs = Inputs::load(&repo.join("data")).unwrap();
    let mut sim = medesert::model::Simulation::new(&s, &inputs).unwrap();
    sim.run(|_| ());
    let territory = heading::territory_title(&s.territory, sim.communes());
    // CNAM's two national points, as the run draws them.
    let observed = [(2017, 0.098), (2021, 0.11)];
    for lang in [Lang::Fr, Lang::En] {
        let title = heading::heading(s.title.as_ref(), &s.name, &territory, lang);
        let share = clipped_labels((1000, 600), |root| {
            draw_share_on(root, (sim.records(), None), (&title, lang), &observed)
        })
        .unwrap();
        assert!(share.is_empty(), "{lang:?} share_without_mt: {share:?}");
        let gps = clipped_labels((1000, 600), |root| {
            draw_gps(root, (sim.records(), None), (&title, lang))
        })
        .unwrap();
        assert!(gps.is_empty(), "{lang:?} gps: {gps:?}");
    }
}

#[test]
fn no_label_of_the_report_figures_is_clipped_in_either_language() {
    let repo = common::repo();
    let out = common::tmp("clipping", "figures");
    ok(medesert(&[
        "run",
        "-q",
        "--set",
        "persons_per_agent=2000",
        "--out",
        out.to_str().unwrap(),
    ]));
    let run = RunData::load(&out).unwrap();
    let shapes = Shapes::load(&repo.join("data")).unwrap();
    for lang in [Lang::Fr, Lang::En] {
        for indicator in [Indicator::Share, Indicator::GpDensity, Indicator::Apl] {
            let options = medesert::output::figures::FigureOptions {
                year: 2030,
                lang,
                indicator,
                zoom: Vec::new(),
                communes: None,
            };
            let figures =
                medesert::output::figures::clipped_labels(&run, &shapes, &options).unwrap();
            assert_eq!(figures.len(), 4, "headline, map, flows, pyramid");
            for (stem, clipped) in figures {
                assert!(
                    clipped.is_empty(),
                    "{lang:?} {indicator:?} {stem}: clipped {clipped:?}"
                );
            }
        }
    }
}
