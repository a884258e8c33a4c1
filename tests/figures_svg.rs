//! `medesert figures` SVGs: each label is one `<text>` element that an editor can change,
//! not one element per glyph.

mod common;

use common::{medesert, ok};

#[test]
fn an_svg_map_carries_one_text_element_per_label() {
    let (run, figures) = (
        common::tmp("figures_svg", "run"),
        common::tmp("figures_svg", "figures"),
    );
    ok(common::small_run(&run, r#"["29", "56"]"#, &[]));
    ok(medesert(&[
        "figures",
        run.to_str().unwrap(),
        "--year",
        "2016",
        "--out",
        figures.to_str().unwrap(),
    ]));
    let svg = std::fs::read_to_string(figures.join("map-2016.svg")).unwrap();
    let texts: Vec<String> = svg
        .split("<text")
        .skip(1)
        .map(|t| {
            let inner = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            inner.trim().to_string()
        })
        .collect();
    let ticks = texts.iter().filter(|t| t.ends_with("\u{a0}%")).count();
    assert!(ticks >= 2, "the colour bar's ticks: {texts:?}");
    let labels: Vec<&str> = texts
        .iter()
        .filter(|t| !t.ends_with("\u{a0}%"))
        .map(String::as_str)
        .collect();
    let indicator = "Part des 17 ans et plus sans médecin traitant";
    assert_eq!(
        labels,
        [
            indicator,
            "tiny — Finistère, Morbihan — 2016",
            "Finistère",
            "Morbihan",
            indicator,
            "Fond de carte : IGN ADMIN EXPRESS, INSEE — Licence Ouverte 2.0",
        ],
        "one <text> per label"
    );
}
