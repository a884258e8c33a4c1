//! Health centres' accounts at the start year beside IGAS 2025: the distribution of their
//! result over costs (median, quartiles, share in surplus).

use serde::Serialize;

use super::{Row, Tolerance, summary};

/// Quantiles of centres' result over costs (negative: deficit) and the share in surplus.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Deficits {
    /// Centres counted.
    pub centres: usize,
    /// Lower quartile (a quarter of centres are at or below it).
    pub lower_quartile: f64,
    /// Median.
    pub median: f64,
    /// Upper quartile.
    pub upper_quartile: f64,
    /// Share of centres with a result above zero.
    pub surplus_share: f64,
}

/// IGAS 2025's distribution of health centres' results: median deficit ≈10 % of costs, a
/// quarter of centres beyond −30 %, a third in surplus (its upper quartile is not given; the
/// value here only fills the row).
pub const IGAS_2025: Deficits = Deficits {
    centres: 0,
    lower_quartile: -0.30,
    median: -0.10,
    upper_quartile: f64::NAN,
    surplus_share: 1.0 / 3.0,
};

impl Deficits {
    /// The distribution of `results` (any order); `None` without any centre.
    pub fn of(results: &[f64]) -> Option<Deficits> {
        if results.is_empty() {
            return None;
        }
        let mut v = results.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let x = p * (v.len() - 1) as f64;
            let (i, f) = (x.floor() as usize, x.fract());
            v[i] + (v[(i + 1).min(v.len() - 1)] - v[i]) * f
        };
        Some(Deficits {
            centres: v.len(),
            lower_quartile: q(0.25),
            median: q(0.5),
            upper_quartile: q(0.75),
            surplus_share: v.iter().filter(|&&r| r > 0.0).count() as f64 / v.len() as f64,
        })
    }

    /// The distribution of every replicate's centres taken together.
    pub fn pooled(runs: &[Vec<f64>]) -> Option<Deficits> {
        Deficits::of(&runs.concat())
    }
}

/// How far each simulated statistic may be from IGAS 2025's and pass (absolute, in shares):
/// IGAS reports rounded figures from a sample of centres.
pub const TOLERANCE: f64 = 0.05;

/// Report rows of the start year's distribution against IGAS 2025: median, lower quartile
/// and share in surplus, each the mean (P5, P95) over the replicates (`per_seed`: each
/// replicate's centre results).
pub fn rows(per_seed: &[Vec<f64>], year: u16) -> Vec<Row> {
    let each: Vec<Deficits> = per_seed.iter().filter_map(|r| Deficits::of(r)).collect();
    type Statistic = (&'static str, fn(&Deficits) -> f64);
    let stats: [Statistic; 3] = [
        ("health_centre_result_median", |d| d.median),
        ("health_centre_result_lower_quartile", |d| d.lower_quartile),
        ("health_centre_surplus_share", |d| d.surplus_share),
    ];
    stats
        .iter()
        .map(|(name, f)| {
            let observed = f(&IGAS_2025);
            let simulated =
                (!each.is_empty()).then(|| summary(&each.iter().map(f).collect::<Vec<_>>()));
            let tolerance = Tolerance::Absolute(TOLERANCE);
            Row {
                indicator: (*name).to_string(),
                year: year.to_string(),
                observed: Some(observed),
                simulated,
                tolerance: Some(tolerance),
                pass: simulated.map(|s| tolerance.passes(s[0], observed)),
                note: if each.is_empty() {
                    "no health centre in the territory".to_string()
                } else {
                    "IGAS 2025: health centres' result over costs, start-year centres".to_string()
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_and_surplus_share_of_a_known_sample() {
        let d = Deficits::of(&[0.2, -0.4, -0.1, 0.0, -0.3]).expect("five centres");
        assert_eq!(d.centres, 5);
        assert!((d.median + 0.1).abs() < 1e-12);
        assert!((d.lower_quartile + 0.3).abs() < 1e-12);
        assert!((d.upper_quartile - 0.0).abs() < 1e-12);
        assert!((d.surplus_share - 0.2).abs() < 1e-12);
        assert!(Deficits::of(&[]).is_none());
    }
}
