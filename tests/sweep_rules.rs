//! A sweep never runs a point that breaks a rule between parameters: the two zoning
//! thresholds, each valid over its own plausible range, must stay ordered, and a design that
//! crosses them is refused before any run, naming the rule and the first point that breaks it.

mod common;

use medesert::experiment::sweep;

/// A Latin-hypercube sweep of the two zoning thresholds over the given ranges, written in a
/// scratch folder `name`.
fn zoning_sweep(name: &str, priority: (f64, f64), intermediate: (f64, f64)) -> std::path::PathBuf {
    let dir = common::tmp("sweep-rules", name);
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::canonicalize("tests/sweeps/short.toml").unwrap();
    let text = format!(
        "name = \"rules\"\nbase = {base:?}\ndesign = \"lhs\"\npoints = 40\nseed = 3\n\
         outputs = [\"gps\"]\nyears = [2022]\n\n\
         [[parameter]]\nname = \"zoning.priority_apl_below\"\nmin = {}\nmax = {}\n\n\
         [[parameter]]\nname = \"zoning.intermediate_apl_below\"\nmin = {}\nmax = {}\n",
        priority.0, priority.1, intermediate.0, intermediate.1
    );
    let file = dir.join("sweep.toml");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_design_whose_points_cross_two_ordered_thresholds_is_refused_before_any_run() {
    // Each range is inside the parameter's plausible range, but they overlap.
    let file = zoning_sweep("crossed", (2.0, 3.0), (2.5, 4.0));
    let Err(err) = sweep::load(&file) else {
        panic!("a design that crosses the thresholds was accepted");
    };
    let err = format!("{err:#}");
    assert!(err.contains("break a rule between parameters"), "{err}");
    assert!(err.contains("zoning.intermediate_apl_below"), "{err}");
    assert!(err.contains("Narrow the [[parameter]] ranges"), "{err}");
}

#[test]
fn a_design_whose_ranges_keep_the_thresholds_ordered_is_accepted() {
    let file = zoning_sweep("ordered", (2.0, 2.5), (2.5, 4.0));
    let s = sweep::load(&file).expect("every point is valid");
    assert_eq!(s.points.len(), 40);
    assert!(s.points.iter().all(|p| p[0] <= p[1]));
}
