//! `departements.geojson` and `communes.geojson` (RFC 7946: WGS84 longitude/latitude): one
//! feature per simulated unit with the row of its table in the chosen year as properties, for
//! QGIS and other GIS tools.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use proj4rs::proj::Proj;
use serde_json::{Map, Value, json};

use super::places::Places;
use crate::inputs::Ring;
use crate::tables::cell::Cell;

/// The QGIS style of `departements.geojson` (assets/qgis), written beside it as
/// `departements.qml`, which QGIS loads with the layer: the share without an MT in classes.
pub const QGIS_STYLE: &str = include_str!("../../assets/qgis/departements.qml");

/// EPSG:2154 (RGF93 v1 / Lambert-93), the frame of data/departements-shapes.json. RGF93 is
/// ITRS-based, within a few centimetres of WGS84, hence the null datum shift.
const LAMBERT_93: &str = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 \
    +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";
/// EPSG:4326, the only CRS of RFC 7946.
const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";
/// Decimals of a coordinate: 1e-5° ≈ 1 m, below the outlines' 0.1 km rounding.
const COORDINATE_SCALE: f64 = 1e5;

/// Lambert-93 kilometres to WGS84 degrees.
pub struct Lambert93 {
    from: Proj,
    to: Proj,
}

impl Lambert93 {
    /// The two projections (fixed strings: an error here is a bug, reported as one).
    pub fn new() -> Result<Lambert93> {
        let proj = |s: &str| Proj::from_proj_string(s).map_err(|e| anyhow!("proj string {s}: {e}"));
        Ok(Lambert93 {
            from: proj(LAMBERT_93)?,
            to: proj(WGS84)?,
        })
    }

    /// `[x, y]` in Lambert-93 km as `[longitude, latitude]` in degrees, rounded to 1e-5°.
    pub fn to_wgs84(&self, [x_km, y_km]: [f64; 2]) -> Result<[f64; 2]> {
        let mut p = (x_km * 1000.0, y_km * 1000.0, 0.0);
        proj4rs::transform::transform(&self.from, &self.to, &mut p)
            .map_err(|e| anyhow!("cannot project ({x_km} km, {y_km} km) to WGS84: {e}"))?;
        let round = |v: f64| (v.to_degrees() * COORDINATE_SCALE).round() / COORDINATE_SCALE;
        Ok([round(p.0), round(p.1)])
    }
}

/// A table's row as GeoJSON properties: text as strings (codes keep their leading zeros),
/// numbers as numbers, empty cells as null.
fn properties(header: &[Cell], row: &[Cell]) -> Map<String, Value> {
    header
        .iter()
        .zip(row)
        .filter_map(|(h, c)| {
            let Cell::Text(name) = h else { return None };
            let value = match c {
                Cell::Text(s) => json!(s),
                Cell::Int(n) => json!(n),
                // The table's decimals: an f32 APL would otherwise carry float noise.
                Cell::Real(v, d) => {
                    let scale = 10f64.powi(i32::from(*d));
                    json!((v * scale).round() / scale)
                }
                Cell::Empty => Value::Null,
            };
            Some((name.clone(), value))
        })
        .collect()
}

/// Is this row of year `year` (first cell)?
fn in_year(row: &[Cell], year: u16) -> bool {
    row.first() == Some(&Cell::Int(year.into()))
}

/// Writes a FeatureCollection to `path`.
fn write(path: &Path, features: Vec<Value>) -> Result<()> {
    let collection = json!({ "type": "FeatureCollection", "features": features });
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    let cannot = || format!("cannot write {}", path.display());
    serde_json::to_writer(&mut w, &collection).with_context(cannot)?;
    w.write_all(b"\n").with_context(cannot)?;
    w.flush().with_context(cannot)
}

/// The band of a département in `year` from departements_summary (cells, header first:
/// `year`, `departement`, `departement_name`, `indicator`, `mean`, `p5`, `p50`, `p95`, …):
/// `<indicator>_p5`, `_p50` and `_p95` for each indicator, as the summary writes them.
fn band(summary: &[Vec<Cell>], code: &str, year: u16) -> Map<String, Value> {
    let Some((header, rows)) = summary.split_first() else {
        return Map::new();
    };
    let column = |name: &str| header.iter().position(|h| *h == Cell::text(name));
    let (Some(indicator), Some(p5)) = (column("indicator"), column("p5")) else {
        return Map::new();
    };
    let mut out = Map::new();
    for row in rows
        .iter()
        .filter(|r| in_year(r, year) && r.get(1) == Some(&Cell::text(code)))
    {
        let Some(Cell::Text(name)) = row.get(indicator) else {
            continue;
        };
        let names: Vec<Cell> = ["p5", "p50", "p95"]
            .map(|q| Cell::text(format!("{name}_{q}")))
            .to_vec();
        let values = row.get(p5..p5 + 3).unwrap_or_default();
        out.extend(properties(&names, values));
    }
    out
}

/// `departements.geojson`: the rows of `table` (departements.csv as cells, header first) in
/// `year`, each with its outline as a MultiPolygon (see [`super::outlines`]); with a
/// `summary` of several runs (departements_summary as cells), also the 5th, 50th and 95th
/// percentiles over the runs of every indicator (`<indicator>_p5`, `_p50`, `_p95`).
pub fn write_departements(
    path: &Path,
    (table, summary): (&[Vec<Cell>], Option<&[Vec<Cell>]>),
    places: &Places,
    year: u16,
) -> Result<()> {
    let Some((header, rows)) = table.split_first() else {
        return Ok(());
    };
    let lambert = Lambert93::new()?;
    let mut features = Vec::new();
    for row in rows.iter().filter(|r| in_year(r, year)) {
        let Some(Cell::Text(code)) = row.get(1) else {
            continue;
        };
        let Some(polygons) = super::outlines::polygons(&places.outlines, code) else {
            continue; // no outline (an overseas inset, never simulated): no feature
        };
        let multi = polygons
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|ring| ring_to_wgs84(&lambert, ring))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        let mut props = properties(header, row);
        if let Some(summary) = summary {
            props.extend(band(summary, code, year));
        }
        // Alphabetical, as serde_json's map writes them, whatever was added.
        props.sort_keys();
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "MultiPolygon", "coordinates": multi },
            "properties": props,
        }));
    }
    write(path, features)
}

fn ring_to_wgs84(lambert: &Lambert93, ring: &Ring) -> Result<Vec<[f64; 2]>> {
    ring.iter().map(|p| lambert.to_wgs84(*p)).collect()
}

/// `communes.geojson`: the rows of communes.csv in `year` (`rows` after the header, in the
/// order of the simulated communes every year), each at its point of data/communes.csv (town
/// hall or centroid: the data holds no commune outlines).
pub fn write_communes<R: AsRef<[Cell]>>(
    path: &Path,
    header: &[Cell],
    rows: impl IntoIterator<Item = R>,
    places: &Places,
    year: u16,
) -> Result<()> {
    let features = rows
        .into_iter()
        .filter(|r| in_year(r.as_ref(), year))
        .zip(&places.communes)
        .map(|(row, place)| {
            json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [place.lon, place.lat] },
                "properties": properties(header, row.as_ref()),
            })
        })
        .collect();
    write(path, features)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lambert_93_origin_is_3_east_46_5_north() {
        let l = Lambert93::new().unwrap();
        assert_eq!(l.to_wgs84([700.0, 6600.0]).unwrap(), [3.0, 46.5]);
        // Brest's town hall (29019 in data/communes.csv): map_x_km, map_y_km → lon, lat.
        let [lon, lat] = l.to_wgs84([146.76, 6836.39]).unwrap();
        assert!(
            (lon - -4.48454).abs() < 1e-3 && (lat - 48.39169).abs() < 1e-3,
            "{lon} {lat}"
        );
    }
}
