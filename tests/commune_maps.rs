//! `medesert figures --communes`: commune maps (APL, share without an MT, zone) in PNG and SVG,
//! each commune drawn as its town hall's Voronoi cell clipped to its département, communes
//! with nobody simulated in the no-data grey.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use common::{fails_with, medesert, ok, repo};
use medesert::inputs::{CommunePoint, Shapes, load_commune_points};
use medesert::output::commune_cells::{CommuneCell, commune_cells};
use medesert::output::commune_classes::{CommuneIndicator, NO_DATA};
use medesert::output::commune_map::MapFrame;
use medesert::output::commune_values::read_commune_values;

/// Population of each commune of the run's communes.csv in `year`, read as a user would.
fn populations(run: &Path, year: &str) -> HashMap<String, u64> {
    let mut r = csv::Reader::from_path(run.join("communes.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (y, c, p) = (col("year"), col("commune"), col("population"));
    r.records()
        .map(|r| r.unwrap())
        .filter(|r| &r[y] == year)
        .map(|r| (r[c].to_string(), r[p].parse().unwrap()))
        .collect()
}

/// The commune of `among` whose town hall lies deepest inside its own cell (farthest from
/// the cell's edges, outlines and coast included), so the pixel there is its fill, never a
/// border line: an island's town hall can sit a pixel from its coast.
fn deepest<'a>(among: &[&'a CommunePoint], cells: &[CommuneCell]) -> &'a CommunePoint {
    let depth = |p: &CommunePoint| -> f64 {
        let Some(cell) = cells.iter().find(|c| c.code == p.code) else {
            return 0.0;
        };
        let [x, y] = cell.point;
        let mut nearest = f64::INFINITY;
        for ring in &cell.rings {
            for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
                let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                let t = (((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy).max(1e-12))
                    .clamp(0.0, 1.0);
                nearest = nearest.min((x - a[0] - t * dx).hypot(y - a[1] - t * dy));
            }
        }
        nearest
    };
    among
        .iter()
        .max_by(|a, b| depth(a).total_cmp(&depth(b)))
        .expect("a candidate")
}

fn pixel(png: &Path, at: (i32, i32)) -> [u8; 3] {
    let img = image::open(png).unwrap().to_rgb8();
    img.get_pixel(at.0 as u32, at.1 as u32).0
}

#[test]
fn commune_maps_colour_each_commune_by_its_class_and_nobody_in_the_no_data_grey() {
    let (run, figures) = (
        common::tmp("commune_maps", "run"),
        common::tmp("commune_maps", "figures"),
    );
    ok(common::small_run(&run, r#"["29"]"#, &[]));
    ok(medesert(&[
        "figures",
        run.to_str().unwrap(),
        "--communes",
        "--year",
        "2016",
        "--out",
        figures.to_str().unwrap(),
    ]));
    let data = repo().join("data");
    let points: Vec<CommunePoint> = load_commune_points(&data)
        .unwrap()
        .into_iter()
        .filter(|p| p.departement == "29")
        .collect();
    let people = populations(&run, "2016");
    let (empty, peopled): (Vec<&CommunePoint>, Vec<&CommunePoint>) =
        points.iter().partition(|p| people[&p.code] == 0);
    assert!(!empty.is_empty() && !peopled.is_empty(), "{people:?}");
    let shapes = Shapes::load(&data).unwrap();
    let cells = commune_cells(&points, &shapes, &["29".to_string()]).unwrap();
    let drawn: BTreeSet<&str> = cells[0].1.iter().map(|c| c.code.as_str()).collect();
    let simulated: BTreeSet<&str> = people.keys().map(String::as_str).collect();
    assert_eq!(drawn, simulated, "one cell per simulated commune");
    let frame = MapFrame::of(shapes.bbox(["29"]).unwrap());
    let values = read_commune_values(&run, 2016, &["29".to_string()]).unwrap();
    let grey = [NO_DATA.0, NO_DATA.1, NO_DATA.2];
    for indicator in CommuneIndicator::ALL {
        for ext in ["png", "svg"] {
            let f = figures.join(format!("communes-{}-2016.{ext}", indicator.stem()));
            assert!(f.is_file(), "{}", f.display());
        }
        let png = figures.join(format!("communes-{}-2016.png", indicator.stem()));
        let nobody = deepest(&empty, &cells[0].1);
        assert_eq!(
            pixel(&png, frame.pixel(nobody.map_km)),
            grey,
            "{}",
            nobody.code
        );
        let somebody = deepest(&peopled, &cells[0].1);
        let c = indicator.fill(values.get(&somebody.code));
        assert_ne!(c, NO_DATA, "{} has people", somebody.code);
        assert_eq!(pixel(&png, frame.pixel(somebody.map_km)), [c.0, c.1, c.2]);
        let svg = std::fs::read_to_string(png.with_extension("svg")).unwrap();
        assert!(
            svg.contains(r##"fill="#BEBEBE""##),
            "the no-data fill in the SVG"
        );
    }
}

#[test]
fn every_commune_of_france_gets_one_cell_even_an_island_the_outline_dropped() {
    let data = repo().join("data");
    let points = load_commune_points(&data).unwrap();
    let shapes = Shapes::load(&data).unwrap();
    let codes = shapes.draw_order.clone();
    let cells = commune_cells(&points, &shapes, &codes).unwrap();
    let expected: BTreeSet<&str> = points
        .iter()
        .filter(|p| codes.contains(&p.departement))
        .map(|p| p.code.as_str())
        .collect();
    let drawn: Vec<&str> = cells
        .iter()
        .flat_map(|(_, c)| c.iter().map(|c| c.code.as_str()))
        .collect();
    assert_eq!(drawn.len(), expected.len(), "one cell per commune");
    assert_eq!(drawn.into_iter().collect::<BTreeSet<_>>(), expected);
    for (_, departement) in &cells {
        for cell in departement {
            assert!(
                cell.rings.iter().any(|r| r.len() >= 4),
                "{}: an empty cell",
                cell.code
            );
        }
    }
}

#[test]
fn commune_maps_of_a_run_without_communes_csv_name_the_flag_to_add() {
    let (run, figures) = (
        common::tmp("commune_maps", "bare-run"),
        common::tmp("commune_maps", "bare-figures"),
    );
    ok(common::small_run(&run, r#"["29"]"#, &[]));
    std::fs::remove_file(run.join("communes.csv")).unwrap();
    let out = medesert(&[
        "figures",
        run.to_str().unwrap(),
        "--communes",
        "--out",
        figures.to_str().unwrap(),
    ]);
    fails_with(&out, &["communes.csv", "medesert run --communes"]);
}
