//! GeoJSON of a run as QGIS reads it: WGS84 longitude/latitude inside France, INSEE codes as
//! strings, the indicators of the chosen year.

mod common;

use std::path::{Path, PathBuf};

use common::{fails_with, ok, small_run, tmp};
use serde_json::Value;

/// Ain (codes 01…) and Finistère at a coarse scale, 2014–2016, with communes.
fn run(name: &str, extra: &[&str]) -> (PathBuf, std::process::Output) {
    let out = tmp("geojson", name);
    let output = small_run(&out, "[\"01\", \"29\"]", extra);
    (out, output)
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every [lon, lat] pair of a geometry's coordinates.
fn points(v: &Value, out: &mut Vec<(f64, f64)>) {
    match v.as_array() {
        Some(a) if a.len() == 2 && a[0].is_number() => {
            out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()))
        }
        Some(a) => a.iter().for_each(|x| points(x, out)),
        None => panic!("not a coordinate array: {v}"),
    }
}

/// Metropolitan France with Corsica, longitude and latitude in degrees.
fn in_france((lon, lat): (f64, f64)) -> bool {
    (-5.5..=10.0).contains(&lon) && (41.0..=51.5).contains(&lat)
}

fn features(v: &Value) -> &Vec<Value> {
    assert_eq!(v["type"], "FeatureCollection");
    v["features"].as_array().unwrap()
}

#[test]
fn departements_and_communes_geojson_are_wgs84_with_codes_as_strings() {
    let (out, output) = run("files", &["--geo-year", "2015"]);
    ok(output);
    let departements = read(&out.join("departements.geojson"));
    let codes: Vec<&str> = features(&departements)
        .iter()
        .map(|f| {
            f["properties"]["departement"]
                .as_str()
                .expect("a string code")
        })
        .collect();
    assert_eq!(codes, ["01", "29"]);
    for f in features(&departements) {
        assert_eq!(f["geometry"]["type"], "MultiPolygon");
        assert_eq!(f["properties"]["year"], 2015);
        assert!(f["properties"]["departement_name"].is_string());
        assert!(f["properties"]["share_without_mt_17plus"].is_number());
        let mut p = Vec::new();
        points(&f["geometry"]["coordinates"], &mut p);
        assert!(p.len() > 100 && p.iter().all(|&x| in_france(x)));
    }
    let communes = read(&out.join("communes.geojson"));
    let all = features(&communes);
    let ain = all
        .iter()
        .find(|f| f["properties"]["commune"] == "01001")
        .expect("01001 as a string");
    assert_eq!(ain["properties"]["commune_name"], "L'Abergement-Clémenciat");
    assert_eq!(ain["properties"]["year"], 2015);
    for f in all {
        assert_eq!(f["geometry"]["type"], "Point");
        let mut p = Vec::new();
        points(&f["geometry"]["coordinates"], &mut p);
        assert!(in_france(p[0]), "{p:?}");
        assert!(f["properties"]["commune"].is_string());
    }
}

#[test]
fn a_geo_year_outside_the_run_is_refused_before_anything_is_written() {
    let (out, output) = run("bad-year", &["--geo-year", "2050"]);
    fails_with(&output, &["--geo-year 2050", "2014 to 2016"]);
    assert!(!out.exists());
}

#[test]
fn ogrinfo_reads_the_geojson_with_codes_as_strings() {
    let probe = std::process::Command::new("ogrinfo")
        .arg("--version")
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("note: ogrinfo (GDAL) is not on the PATH: the GDAL check is skipped");
        return;
    }
    let (out, output) = run("ogrinfo", &[]);
    ok(output);
    for (file, code) in [
        ("departements.geojson", "departement"),
        ("communes.geojson", "commune"),
    ] {
        let info = std::process::Command::new("ogrinfo")
            .args(["-ro", "-so", "-al"])
            .arg(out.join(file))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&info.stdout);
        assert!(info.status.success(), "{file}: {text}");
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{code}: String"))),
            "{file}: {code} is not a String field:\n{text}"
        );
    }
}

#[test]
fn the_departements_of_a_run_with_replicates_carry_the_band_of_the_runs() {
    let (out, output) = run("band", &["--replicates", "3"]);
    ok(output);
    let departements = read(&out.join("departements.geojson"));
    for f in features(&departements) {
        let p = &f["properties"];
        let q = |name: &str| p[name].as_f64().unwrap_or_else(|| panic!("{name} in {p}"));
        let (low, mid, high) = (
            q("share_without_mt_17plus_p5"),
            q("share_without_mt_17plus_p50"),
            q("share_without_mt_17plus_p95"),
        );
        assert!(low <= mid && mid <= high, "{low} {mid} {high}");
        assert!(q("gps_p95") >= q("gps_p5"));
    }
    // QGIS loads the style beside the layer; its field is one of the layer's.
    let style = std::fs::read_to_string(out.join("departements.qml")).unwrap();
    let field = style
        .split("attr=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a graduated renderer on a field");
    assert!(
        features(&departements)[0]["properties"][field].is_number(),
        "{field}"
    );
    // A single run has no band.
    let (single, output) = run("single", &[]);
    ok(output);
    let departements = read(&single.join("departements.geojson"));
    assert!(features(&departements)[0]["properties"]["gps_p5"].is_null());
}
