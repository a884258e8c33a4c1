//! Approximate commune territories for commune maps. The project ships no commune outlines
//! (data/README.md, licence notes), so each commune is drawn as the Voronoi cell of its
//! town-hall point among the communes of its département (the part of the département closer
//! to its town hall than to any other), clipped to the département's outline. Cells tile each
//! département exactly, follow the départements' borders and coasts, and approximate the real
//! communes' shapes only roughly (a commune with its town hall off-centre loses land to its
//! neighbours).

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use geo::{BooleanOps, Coord, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use spade::{DelaunayTriangulation, Point2, Triangulation};

use crate::inputs::{CommunePoint, Ring, Shapes};

/// One commune's cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneCell {
    /// INSEE commune code.
    pub code: String,
    /// The town-hall point, km (frame of the outlines).
    pub point: [f64; 2],
    /// The parts of the cell (a coastal cell may hold islands), km.
    pub rings: Vec<Ring>,
}

/// Communes sharing one point (5 pairs or groups in data/communes.csv) are spread on a circle
/// of this radius, km, so each gets its own small cell instead of none.
const SPREAD_KM: f64 = 0.3;

/// A commune whose cell lies wholly outside the simplified outline (a small island the
/// outline dropped, as Sein or Molène in 29) is drawn as its cell within this distance of its
/// town hall, km, so that it still shows.
const ISLAND_KM: f64 = 1.5;

/// The cells of the communes of each of `codes` (départements, in the outlines' fill order so
/// that an enclave is drawn over the département around it). A département without an outline
/// is refused.
pub fn commune_cells(
    points: &[CommunePoint],
    shapes: &Shapes,
    codes: &[String],
) -> Result<Vec<(String, Vec<CommuneCell>)>> {
    let mut by_departement: HashMap<&str, Vec<&CommunePoint>> = HashMap::new();
    for p in points {
        by_departement.entry(&p.departement).or_default().push(p);
    }
    let ordered: Vec<&String> = shapes
        .draw_order
        .iter()
        .filter(|c| codes.contains(c))
        .collect();
    if let Some(c) = codes.iter().find(|c| !shapes.draw_order.contains(c)) {
        return Err(anyhow!(
            "département {c} has no outline in departements-shapes.json: cannot draw its communes"
        ));
    }
    ordered
        .par_iter()
        .map(|code| {
            let sites = by_departement
                .get(code.as_str())
                .cloned()
                .unwrap_or_default();
            let outline = outline(&shapes.departements[code.as_str()]);
            Ok((code.to_string(), departement_cells(&sites, &outline)))
        })
        .collect()
}

/// A département's outline as a multipolygon.
fn outline(rings: &[Ring]) -> MultiPolygon<f64> {
    MultiPolygon::new(rings.iter().map(|r| polygon(r)).collect())
}

fn polygon(ring: &[[f64; 2]]) -> Polygon<f64> {
    let coords: Vec<Coord<f64>> = ring.iter().map(|&[x, y]| Coord { x, y }).collect();
    Polygon::new(LineString::new(coords), vec![])
}

/// The cells of one département's communes, in the order of `sites`.
fn departement_cells(sites: &[&CommunePoint], outline: &MultiPolygon<f64>) -> Vec<CommuneCell> {
    let cell = |p: &CommunePoint, shape: &MultiPolygon<f64>| CommuneCell {
        code: p.code.clone(),
        point: p.map_km,
        rings: shape
            .iter()
            .map(|poly| poly.exterior().coords().map(|c| [c.x, c.y]).collect())
            .collect(),
    };
    if let [only] = sites {
        return vec![cell(only, outline)];
    }
    voronoi(&spread(sites))
        .iter()
        .zip(sites)
        .map(|(region, p)| {
            let region = polygon(region);
            let clipped = region.intersection(outline);
            if clipped.0.is_empty() {
                cell(p, &region.intersection(&disc(p.map_km, ISLAND_KM)))
            } else {
                cell(p, &clipped)
            }
        })
        .collect()
}

/// A 32-sided polygon of radius `r` around `c`.
fn disc(c: [f64; 2], r: f64) -> Polygon<f64> {
    let ring: Vec<[f64; 2]> = (0..=32)
        .map(|k| {
            let a = std::f64::consts::TAU * f64::from(k % 32) / 32.0;
            [c[0] + r * a.cos(), c[1] + r * a.sin()]
        })
        .collect();
    polygon(&ring)
}

/// The sites' positions, those that share a point spread around it.
fn spread(sites: &[&CommunePoint]) -> Vec<[f64; 2]> {
    let mut at: HashMap<[u64; 2], Vec<usize>> = HashMap::new();
    for (i, p) in sites.iter().enumerate() {
        at.entry(p.map_km.map(f64::to_bits)).or_default().push(i);
    }
    let mut out: Vec<[f64; 2]> = sites.iter().map(|p| p.map_km).collect();
    for group in at.values().filter(|g| g.len() > 1) {
        for (k, &i) in group.iter().enumerate() {
            let a = std::f64::consts::TAU * k as f64 / group.len() as f64;
            out[i] = [
                out[i][0] + SPREAD_KM * a.cos(),
                out[i][1] + SPREAD_KM * a.sin(),
            ];
        }
    }
    out
}

/// The Voronoi region of each of `sites` (distinct points), bounded: four far corners are
/// added around them, so no real site lies on the hull and every region is a closed polygon
/// of circumcentres, larger than the sites' extent (the clip to the outline trims it).
fn voronoi(sites: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for s in sites {
        lo = [lo[0].min(s[0]), lo[1].min(s[1])];
        hi = [hi[0].max(s[0]), hi[1].max(s[1])];
    }
    let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    let far = 10.0 * (hi[0] - lo[0]).max(hi[1] - lo[1]).max(10.0);
    let mut t: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    let mut handles = Vec::with_capacity(sites.len());
    for s in sites {
        // Finite and distinct (checked on reading, spread above): the insertion cannot fail.
        handles.push(t.insert(Point2::new(s[0], s[1])).ok());
    }
    for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
        let _ = t.insert(Point2::new(centre[0] + dx * far, centre[1] + dy * far));
    }
    handles
        .iter()
        .map(|h| {
            let Some(h) = h else { return Vec::new() };
            t.vertex(*h)
                .as_voronoi_face()
                .adjacent_edges()
                .filter_map(|e| e.from().position())
                .map(|p| [p.x, p.y])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn point(code: &str, x: f64, y: f64) -> CommunePoint {
        CommunePoint {
            code: code.into(),
            departement: "01".into(),
            map_km: [x, y],
        }
    }

    /// A 10 km square département.
    fn square_10km() -> Ring {
        vec![
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [0.0, 10.0],
            [0.0, 0.0],
        ]
    }

    fn area(cell: &CommuneCell) -> f64 {
        cell.rings.iter().map(|r| polygon(r).unsigned_area()).sum()
    }

    #[test]
    fn the_cells_tile_the_departement_and_each_holds_its_town_hall() {
        let square = square_10km();
        let sites = [
            point("a", 2.0, 2.0),
            point("b", 8.0, 3.0),
            point("c", 5.0, 8.0),
            point("d", 5.0, 5.0),
        ];
        let refs: Vec<&CommunePoint> = sites.iter().collect();
        let cells = departement_cells(&refs, &outline(&[square]));
        assert_eq!(cells.len(), 4);
        let total: f64 = cells.iter().map(area).sum();
        assert!((total - 100.0).abs() < 1e-6, "{total}");
        for c in &cells {
            use geo::Contains;
            let inside = c
                .rings
                .iter()
                .any(|r| polygon(r).contains(&geo::Point::new(c.point[0], c.point[1])));
            assert!(inside, "{c:?}");
        }
    }

    #[test]
    fn communes_sharing_a_point_each_get_a_cell() {
        let square = square_10km();
        let sites = [
            point("a", 5.0, 5.0),
            point("b", 5.0, 5.0),
            point("c", 1.0, 1.0),
        ];
        let refs: Vec<&CommunePoint> = sites.iter().collect();
        let cells = departement_cells(&refs, &outline(&[square]));
        assert!(cells.iter().all(|c| area(c) > 0.0), "{cells:?}");
    }
}
