//! Département outlines as SVG path data for the pages: Lambert-93 km, y flipped (SVG's y
//! points down), simplified so the map weighs tens of kilobytes, not half a megabyte.

use std::collections::BTreeMap;
use std::fmt::Write;

use geo::{LineString, Simplify};
use serde::Serialize;

use crate::inputs::Shapes;

/// Largest distance a simplified outline strays from the original, km: under a pixel on a
/// 600-pixel map of France (≈1,000 km across), and it shrinks the file about four times.
const TOLERANCE_KM: f64 = 1.0;

/// The outlines a page draws.
#[derive(Debug, Clone, Serialize)]
pub struct MapOutlines {
    /// `[x, y, width, height]` of metropolitan France, in path units.
    #[serde(rename = "viewBox")]
    pub view_box: [f64; 4],
    /// SVG path data of each metropolitan département.
    pub paths: BTreeMap<String, String>,
    /// `[min_x, min_y, max_x, max_y]` of each département, in path units (to frame a région).
    pub boxes: BTreeMap<String, [f64; 4]>,
}

impl MapOutlines {
    /// The metropolitan départements of `shapes` (the overseas insets, never simulated, are
    /// left out), simplified.
    pub fn of(shapes: &Shapes) -> MapOutlines {
        let mut paths = BTreeMap::new();
        let mut boxes = BTreeMap::new();
        let mut all = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for (code, rings) in &shapes.departements {
            if code.starts_with("97") {
                continue;
            }
            let mut d = String::new();
            let mut b = [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ];
            for ring in rings {
                let line: LineString<f64> = ring.iter().map(|&[x, y]| (x, -y)).collect();
                let simple = line.simplify(TOLERANCE_KM);
                // A small island may simplify to a sliver: keep its original ring.
                let points = if simple.0.len() >= 4 { simple } else { line };
                for (k, p) in points.0.iter().enumerate() {
                    let pen = if k == 0 { 'M' } else { 'L' };
                    let _ = write!(d, "{pen}{:.1} {:.1}", p.x, p.y);
                    b = [b[0].min(p.x), b[1].min(p.y), b[2].max(p.x), b[3].max(p.y)];
                }
                d.push('Z');
            }
            all = [
                all[0].min(b[0]),
                all[1].min(b[1]),
                all[2].max(b[2]),
                all[3].max(b[3]),
            ];
            paths.insert(code.clone(), d);
            boxes.insert(code.clone(), b);
        }
        let margin = 10.0;
        MapOutlines {
            view_box: [
                all[0] - margin,
                all[1] - margin,
                all[2] - all[0] + 2.0 * margin,
                all[3] - all[1] + 2.0 * margin,
            ],
            paths,
            boxes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_of_metropolitan_france_are_small_and_leave_the_insets_out() {
        let shapes = Shapes::load(std::path::Path::new("data")).unwrap();
        let o = MapOutlines::of(&shapes);
        assert_eq!(o.paths.len(), 96);
        assert!(!o.paths.contains_key("971"));
        let bytes: usize = o.paths.values().map(String::len).sum();
        assert!(bytes < 200_000, "{bytes} bytes of path data");
        // France is about 1,000 km across.
        assert!((900.0..1200.0).contains(&o.view_box[2]), "{:?}", o.view_box);
    }
}
