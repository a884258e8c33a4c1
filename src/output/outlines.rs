//! Département outlines as polygons with holes, for GeoJSON: the outlines file holds exterior
//! rings only (maps fill enclaves over their surroundings), so the holes are rebuilt here.

use crate::inputs::{Ring, Shapes};

/// Twice the signed area of a ring (positive when counter-clockwise, y up).
fn signed_area(ring: &Ring) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum()
}

/// Is `p` inside `ring` (even-odd rule)?
fn contains(ring: &Ring, [x, y]: [f64; 2]) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let ([x1, y1], [x2, y2]) = (w[0], w[1]);
        if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
            inside = !inside;
        }
    }
    inside
}

/// `ring` oriented counter-clockwise (`ccw`) or clockwise, as RFC 7946 asks of exterior
/// rings and holes.
fn oriented(ring: &Ring, ccw: bool) -> Ring {
    let mut r = ring.clone();
    if (signed_area(&r) > 0.0) != ccw {
        r.reverse();
    }
    r
}

/// A point inside a compact ring: the mean of its points.
fn probe(ring: &Ring) -> [f64; 2] {
    let n = ring.len().max(1) as f64;
    let (sx, sy) = ring
        .iter()
        .fold((0.0, 0.0), |(sx, sy), p| (sx + p[0], sy + p[1]));
    [sx / n, sy / n]
}

/// Does `exterior` surround `ring`? Its probe is inside, and each of its points is inside or
/// on a point of `exterior`: shared borders are identical in the outlines file (a coverage
/// simplification), so an enclave's points are all the surrounding ring's, while a
/// neighbour has points of its own outside.
fn surrounds(exterior: &Ring, ring: &Ring) -> bool {
    contains(exterior, probe(ring))
        && ring
            .iter()
            .all(|p| exterior.contains(p) || contains(exterior, *p))
}

/// The polygons of département `code`: each an exterior ring (counter-clockwise) followed by
/// its holes (clockwise): the holes of the outlines file that belong to no département
/// (Llívia in 66) and the polygons of other départements it surrounds (the Enclave des Papes
/// of 84 in 26). `None` when the file has no outline for the code.
pub fn polygons(shapes: &Shapes, code: &str) -> Option<Vec<Vec<Ring>>> {
    let exteriors = shapes.departements.get(code)?;
    let holes = shapes.holes.get(code).into_iter().flatten();
    let enclaves = shapes
        .departements
        .iter()
        .filter(|(other, _)| other.as_str() != code)
        .flat_map(|(_, rings)| rings);
    let mut out: Vec<Vec<Ring>> = exteriors.iter().map(|r| vec![oriented(r, true)]).collect();
    for hole in holes.chain(enclaves) {
        if let Some(polygon) = out.iter_mut().find(|p| surrounds(&p[0], hole)) {
            polygon.push(oriented(hole, false));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, side: f64) -> Ring {
        vec![
            [x, y],
            [x + side, y],
            [x + side, y + side],
            [x, y + side],
            [x, y],
        ]
    }

    #[test]
    fn an_enclave_of_another_departement_is_a_clockwise_hole() {
        let mut departements = std::collections::HashMap::new();
        departements.insert("26".to_string(), vec![square(0.0, 0.0, 10.0)]);
        departements.insert(
            "84".to_string(),
            vec![square(4.0, 4.0, 1.0), square(20.0, 0.0, 5.0)],
        );
        let shapes = Shapes {
            draw_order: vec![],
            labels: Default::default(),
            holes: Default::default(),
            departements,
        };
        let p = polygons(&shapes, "26").unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].len(), 2, "the enclave is a hole");
        assert!(signed_area(&p[0][0]) > 0.0 && signed_area(&p[0][1]) < 0.0);
        assert_eq!(
            polygons(&shapes, "84")
                .unwrap()
                .iter()
                .map(Vec::len)
                .sum::<usize>(),
            2
        );
        assert!(polygons(&shapes, "971").is_none());
    }
}
