//! How large a sweep may be: checked from the design's size before any point is built, so a
//! mistyped `points` or `replicates` is refused with a message instead of aborting on memory.

use super::design::{self, Design, Factor};

/// Runs (points × replicates) a sweep may have without `--force`: about a day on a 64-core
/// node for the tiny scenario, and far beyond any sensitivity analysis in docs/sweeps.md.
pub const MAX_RUNS: u64 = 1_000_000;

/// Replicates per point a sweep may have without `--force` (the spread over replicates is
/// stable to 1 % long before that).
pub const MAX_REPLICATES: u32 = 10_000;

/// Runs a sweep may never exceed, even with `--force`: its list of run ids and its points
/// alone would take gigabytes of memory.
pub const MAX_RUNS_FORCED: u64 = 100_000_000;

/// The number of runs of a design with `replicates` per point, or why it cannot run: above
/// [`MAX_RUNS`] or [`MAX_REPLICATES`] unless `force`, above [`MAX_RUNS_FORCED`] always.
pub fn check_size(
    design: &Design,
    factors: &[Factor],
    replicates: u32,
    force: bool,
) -> Result<u64, String> {
    let points = design::size(design, factors);
    let runs = points.and_then(|p| p.checked_mul(u64::from(replicates)));
    let text = |n: Option<u64>| n.map_or("more than 2^64".to_string(), group);
    let (Some(points), Some(runs)) = (points, runs) else {
        return Err(format!(
            "the design has {} points × {replicates} replicates: far beyond the limit of {} runs",
            text(points),
            group(MAX_RUNS_FORCED)
        ));
    };
    if points == 0 {
        return Err("the design has zero points".into());
    }
    if runs > MAX_RUNS_FORCED {
        return Err(format!(
            "{} points × {replicates} replicates = {} runs: more than the {} a sweep can hold \
             in memory, even with --force; split it into several sweeps",
            group(points),
            group(runs),
            group(MAX_RUNS_FORCED)
        ));
    }
    if !force && replicates > MAX_REPLICATES {
        return Err(format!(
            "`replicates` = {replicates}: more than {} (give --force to run it anyway)",
            group(u64::from(MAX_REPLICATES))
        ));
    }
    if !force && runs > MAX_RUNS {
        return Err(format!(
            "{} points × {replicates} replicates = {} runs: more than {} (give --force to run \
             it anyway, or --shard it across machines)",
            group(points),
            group(runs),
            group(MAX_RUNS)
        ));
    }
    Ok(runs)
}

/// 1234567 → "1,234,567".
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::registry::Kind;

    fn factors(d: usize) -> Vec<Factor> {
        (0..d)
            .map(|i| Factor {
                name: format!("f{i}"),
                min: 0.0,
                max: 1.0,
                kind: Kind::Real,
                values: None,
            })
            .collect()
    }

    #[test]
    fn a_sweep_above_the_run_cap_is_refused_unless_forced() {
        let lhs = Design::Lhs { points: 1_000_000 };
        assert_eq!(check_size(&lhs, &factors(2), 1, false), Ok(1_000_000));
        let err = check_size(&lhs, &factors(2), 2, false).unwrap_err();
        assert!(
            err.contains("2,000,000 runs") && err.contains("--force"),
            "{err}"
        );
        assert_eq!(check_size(&lhs, &factors(2), 2, true), Ok(2_000_000));
    }

    #[test]
    fn absurd_sizes_are_refused_even_when_forced() {
        let billion = Design::Lhs {
            points: 1_000_000_000,
        };
        let err = check_size(&billion, &factors(2), 1, true).unwrap_err();
        assert!(err.contains("even with --force"), "{err}");
        let err = check_size(&Design::Lhs { points: 5 }, &factors(2), u32::MAX, false).unwrap_err();
        assert!(err.contains("4294967295"), "{err}");
        let grid = Design::Grid { levels: 100_000 };
        let err = check_size(&grid, &factors(10), 1, true).unwrap_err();
        assert!(err.contains("more than 2^64"), "{err}");
    }

    #[test]
    fn too_many_replicates_are_refused_unless_forced() {
        let lhs = Design::Lhs { points: 2 };
        assert!(check_size(&lhs, &factors(1), MAX_REPLICATES + 1, false).is_err());
        assert!(check_size(&lhs, &factors(1), MAX_REPLICATES + 1, true).is_ok());
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(1_234_567), "1,234,567");
    }
}
