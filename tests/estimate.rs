//! Batches say what they cost before they start: `--estimate` prints the wall time and
//! memory a sweep, a calibration or a comparison will take on this machine, from a probe run,
//! and stops without running it or creating its folder.

mod common;

use common::{medesert, ok, tmp};

/// The estimate line of a command's error stream, and the seconds it gives.
fn estimate(stderr: &[u8], what: &str) -> f64 {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{what}: ")))
        .unwrap_or_else(|| panic!("no estimate in {text}"));
    assert!(
        line.contains("runs of") && line.contains("memory about"),
        "{line}"
    );
    let about = line.split(": about ").nth(1).unwrap();
    let words: Vec<&str> = about.split(" (").next().unwrap().split(' ').collect();
    words
        .chunks(2)
        .map(|p| {
            let v: f64 = p[0].parse().unwrap();
            match p[1] {
                "h" => v * 3600.0,
                "min" => v * 60.0,
                _ => v,
            }
        })
        .sum()
}

#[test]
fn a_sweep_says_what_it_will_take_and_grows_with_its_runs() {
    let out = tmp("estimate", "sweep");
    let o = ok(medesert(&[
        "sweep",
        "tests/sweeps/lhs.toml",
        "--estimate",
        "--threads",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]));
    let all = estimate(&o.stderr, "sweep");
    assert!(all > 0.0);
    assert!(!out.exists(), "--estimate created {}", out.display());
    // Half the runs (a shard of two) cost less.
    let o = ok(medesert(&[
        "sweep",
        "tests/sweeps/lhs.toml",
        "--estimate",
        "--threads",
        "1",
        "--shard",
        "1/2",
    ]));
    let half = estimate(&o.stderr, "sweep");
    assert!(half < all, "{half} against {all}");
}

#[test]
fn a_calibration_and_a_comparison_say_it_too_without_running() {
    let out = tmp("estimate", "calibrate");
    let o = ok(medesert(&[
        "calibrate",
        "tests/calibrations/tiny.toml",
        "--estimate",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(estimate(&o.stderr, "calibrate") > 0.0);
    assert!(!out.exists());
    let out = tmp("estimate", "compare");
    let o = ok(medesert(&[
        "compare",
        "configs/tiny.toml",
        "tests/policies/tiny-teleconsultation.toml",
        "--replicates",
        "3",
        "--estimate",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(estimate(&o.stderr, "compare") > 0.0);
    assert!(!out.exists());
    assert!(o.stdout.is_empty(), "nothing ran: no summary");
}
