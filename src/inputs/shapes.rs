//! Département outlines for maps (`departements-shapes.json`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// A closed ring of `[x, y]` points, km, y up.
pub type Ring = Vec<[f64; 2]>;

/// Outlines of the départements in Lambert-93 km (overseas ones as insets), read from
/// `data/departements-shapes.json` (IGN ADMIN EXPRESS, dissolved and simplified; see
/// data/README.md).
#[derive(Debug, Clone, Deserialize)]
pub struct Shapes {
    /// Codes in the order to fill them (départements around an enclave first).
    pub draw_order: Vec<String>,
    /// A point well inside each département, for a label.
    pub labels: HashMap<String, [f64; 2]>,
    /// Holes that belong to no département (Llívia in 66), to fill with the background.
    pub holes: HashMap<String, Vec<Ring>>,
    /// Exterior rings of each département.
    pub departements: HashMap<String, Vec<Ring>>,
}

impl Shapes {
    /// Reads `departements-shapes.json` from the data folder; refuses a ring of fewer than
    /// three points. (JSON holds no NaN nor infinity, and serde checks the rest.)
    pub fn load(dir: &Path) -> Result<Shapes> {
        super::data_folder(dir)?;
        let path = dir.join("departements-shapes.json");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot open data file {}", path.display()))?;
        let shapes: Shapes = serde_json::from_str(&text)
            .with_context(|| format!("data file {}: not a valid outlines file", path.display()))?;
        for (key, map) in [
            ("departements", &shapes.departements),
            ("holes", &shapes.holes),
        ] {
            for (code, rings) in map {
                if let Some((i, r)) = rings.iter().enumerate().find(|(_, r)| r.len() < 3) {
                    bail!(
                        "data file {}: `{key}.{code}` ring {i}: {} points: expected at least 3",
                        path.display(),
                        r.len()
                    );
                }
            }
        }
        Ok(shapes)
    }

    /// Bounding box `[min_x, min_y, max_x, max_y]` of the given départements (`None` when
    /// none of them has an outline).
    pub fn bbox<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> Option<[f64; 4]> {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for code in codes {
            for ring in self.departements.get(code).into_iter().flatten() {
                for &[x, y] in ring {
                    b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                }
            }
        }
        b[0].is_finite().then_some(b)
    }
}
