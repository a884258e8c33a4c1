//! What a researcher reads after a sweep: `summary.csv` (per point and output: mean, sd and
//! 5/50/95 % over replicates) and, for Sobol and Morris designs, `sensitivity.csv`.

use std::collections::BTreeMap;

use super::design::Design;
use super::sensitivity::{self, Estimate};
use super::sweep::{Sweep, value_text};

/// Values of each output (by name) at each point, over the point's successful runs.
pub fn by_point(
    sweep: &Sweep,
    rows: &BTreeMap<u64, Vec<String>>,
) -> Vec<BTreeMap<String, Vec<f64>>> {
    let names = sweep.output_names();
    let first_output = super::runs::KEYS.len() + sweep.factors.len() + 2;
    let mut out = vec![BTreeMap::new(); sweep.points.len()];
    for r in rows.values() {
        let Ok(point) = r[1].parse::<usize>() else {
            continue;
        };
        if r[first_output - 2] != "ok" || point >= out.len() {
            continue;
        }
        for (k, name) in names.iter().enumerate() {
            if let Ok(v) = r[first_output + k].parse::<f64>() {
                out[point]
                    .entry(name.clone())
                    .or_insert_with(Vec::new)
                    .push(v);
            }
        }
    }
    out
}

/// The `p` quantile of sorted values (type 7: linear between order statistics).
pub(crate) fn quantile(sorted: &[f64], p: f64) -> f64 {
    // Linear interpolation between order statistics (type 7, as numpy and R by default).
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo as f64)
}

/// Rows of summary.csv, header first.
pub fn summary(sweep: &Sweep, rows: &BTreeMap<u64, Vec<String>>) -> Vec<Vec<String>> {
    let mut header = vec!["point_id".to_string()];
    header.extend(sweep.factors.iter().map(|f| f.name.clone()));
    header.extend(["output", "runs", "mean", "sd", "p5", "p50", "p95"].map(String::from));
    let mut out = vec![header];
    for (point, outputs) in by_point(sweep, rows).iter().enumerate() {
        for name in sweep.output_names() {
            let mut v = outputs.get(&name).cloned().unwrap_or_default();
            let mut row = vec![point.to_string()];
            row.extend(
                sweep
                    .factors
                    .iter()
                    .zip(&sweep.points[point])
                    .map(|(f, x)| value_text(*x, f)),
            );
            row.push(name.clone());
            row.push(v.len().to_string());
            if v.is_empty() {
                row.extend((0..5).map(|_| String::new()));
            } else {
                v.sort_by(f64::total_cmp);
                let n = v.len() as f64;
                let mean = v.iter().sum::<f64>() / n;
                let sd = if v.len() > 1 {
                    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                } else {
                    0.0
                };
                row.extend(
                    [
                        mean,
                        sd,
                        quantile(&v, 0.05),
                        quantile(&v, 0.5),
                        quantile(&v, 0.95),
                    ]
                    .map(|x| format!("{x:.6}")),
                );
            }
            out.push(row);
        }
    }
    out
}

/// One row of sensitivity results, for the table and the plot.
#[derive(Debug, Clone)]
pub struct SensitivityRow {
    /// Output name.
    pub output: String,
    /// Parameter name.
    pub parameter: String,
    /// Sobol: S1, ST; Morris: μ*, μ, σ.
    pub indices: Indices,
}

/// Indices of one parameter for one output.
#[derive(Debug, Clone)]
pub enum Indices {
    /// First- and total-order Sobol indices with bootstrap intervals.
    Sobol {
        /// First order.
        s1: Estimate,
        /// Total order.
        st: Estimate,
    },
    /// Morris statistics.
    Morris(sensitivity::MorrisIndices),
}

/// Sensitivity of every kept output (on the mean over replicates of each point), or the
/// reason it cannot be computed; empty for designs without indices.
pub fn sensitivity(
    sweep: &Sweep,
    rows: &BTreeMap<u64, Vec<String>>,
) -> (Vec<SensitivityRow>, Vec<String>) {
    let points = by_point(sweep, rows);
    let mut out = Vec::new();
    let mut notes = Vec::new();
    if !matches!(sweep.design, Design::Sobol { .. } | Design::Morris { .. }) {
        return (out, notes);
    }
    for name in sweep.output_names() {
        let y: Option<Vec<f64>> = points
            .iter()
            .map(|p| {
                let v = p.get(&name)?;
                Some(v.iter().sum::<f64>() / v.len() as f64)
            })
            .collect();
        let Some(y) = y else {
            notes.push(format!(
                "{name}: not computed, some points have no successful run"
            ));
            continue;
        };
        let d = sweep.factors.len();
        match &sweep.design {
            Design::Sobol { .. } => match sensitivity::sobol(&y, d, sweep.file.seed) {
                Some(ix) => out.extend(sweep.factors.iter().zip(ix).map(|(f, i)| SensitivityRow {
                    output: name.clone(),
                    parameter: f.name.clone(),
                    indices: Indices::Sobol { s1: i.s1, st: i.st },
                })),
                None => notes.push(format!("{name}: not computed, the output does not vary")),
            },
            Design::Morris { .. } => {
                let ranges: Vec<(f64, f64)> =
                    sweep.factors.iter().map(|f| (f.min, f.max)).collect();
                let ix = sensitivity::morris(&sweep.points, &y, &ranges);
                out.extend(sweep.factors.iter().zip(ix).map(|(f, i)| SensitivityRow {
                    output: name.clone(),
                    parameter: f.name.clone(),
                    indices: Indices::Morris(i),
                }));
            }
            _ => {}
        }
    }
    (out, notes)
}

/// Rows of sensitivity.csv, header first.
/// Sobol base samples (N) or Morris trajectories (r) below which the indices are flagged:
/// Sobol indices at N < 64 can leave [0, 1] (S1 = 1.37 at N = 8 in a Cantal sweep), and
/// Morris screening usually takes 10 to 50 trajectories (Campolongo et al. 2007).
pub const TOO_FEW: (usize, usize) = (64, 10);

/// A warning when the indices of `rows` rest on too few points (`n`: Sobol's N or Morris's
/// r), or a Sobol index left [0, 1] (beyond its interval's noise); none when they look sound.
pub fn sample_warning(rows: &[&SensitivityRow], n: usize) -> Option<String> {
    let sobol = rows
        .first()
        .is_some_and(|r| matches!(r.indices, Indices::Sobol { .. }));
    let outside = rows.iter().any(|r| match r.indices {
        Indices::Sobol { s1, st } => [s1.value, st.value]
            .iter()
            .any(|v| !(-0.05..=1.05).contains(v)),
        Indices::Morris(_) => false,
    });
    match (sobol, n) {
        (true, n) if n < TOO_FEW.0 || outside => Some(format!(
            "Sobol indices from N = {n} base samples{}: too few to read them; use N = {} or more (a power of two) and read the intervals",
            if outside { ", some outside 0–1" } else { "" },
            TOO_FEW.0
        )),
        (false, n) if n < TOO_FEW.1 => Some(format!(
            "Morris indices from r = {n} trajectories: too few for a stable ranking; use r = {} or more",
            TOO_FEW.1
        )),
        _ => None,
    }
}

/// Rows of sensitivity.csv, header first; every row carries `N` (Sobol's base samples or
/// Morris's trajectories) and the `replicates` per point, so that a reader knows what the
/// indices rest on.
pub fn sensitivity_rows(
    rows: &[SensitivityRow],
    sobol: bool,
    (n, replicates): (usize, u32),
) -> Vec<Vec<String>> {
    let header: &[&str] = if sobol {
        &[
            "output",
            "parameter",
            "S1",
            "S1_low",
            "S1_high",
            "ST",
            "ST_low",
            "ST_high",
        ]
    } else {
        &["output", "parameter", "mu_star", "mu", "sigma"]
    };
    let header: Vec<&str> = header.iter().copied().chain(["N", "replicates"]).collect();
    let mut out = vec![header.iter().map(|h| h.to_string()).collect()];
    for r in rows {
        let mut row = vec![r.output.clone(), r.parameter.clone()];
        let f = |x: f64| format!("{x:.6}");
        match &r.indices {
            Indices::Sobol { s1, st } => {
                row.extend([s1.value, s1.low, s1.high, st.value, st.low, st.high].map(f))
            }
            Indices::Morris(m) => row.extend([m.mu_star, m.mu, m.sigma].map(f)),
        }
        row.extend([n.to_string(), replicates.to_string()]);
        out.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sensitivity::Estimate;

    fn sobol(s1: f64, st: f64) -> SensitivityRow {
        let e = |v: f64| Estimate {
            value: v,
            low: v - 0.1,
            high: v + 0.1,
        };
        SensitivityRow {
            output: "share_without_mt_17plus".into(),
            parameter: "training.install_share".into(),
            indices: Indices::Sobol {
                s1: e(s1),
                st: e(st),
            },
        }
    }

    #[test]
    fn indices_from_too_few_samples_or_outside_0_1_carry_a_warning_with_their_n() {
        let wild = sobol(1.37, 1.69);
        let warning = sample_warning(&[&wild], 8).expect("N = 8 is too few");
        assert!(
            warning.contains("N = 8") && warning.contains("outside"),
            "{warning}"
        );
        let sound = sobol(0.3, 0.4);
        assert_eq!(sample_warning(&[&sound], 128), None);
        assert!(
            sample_warning(&[&wild], 128).is_some(),
            "outside 0–1 at any N"
        );
        let rows = sensitivity_rows(&[sound], true, (128, 2));
        assert_eq!(rows[0][8..], ["N", "replicates"]);
        assert_eq!(rows[1][8..], ["128", "2"]);
    }
}
