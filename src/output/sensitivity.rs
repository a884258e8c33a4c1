//! Bar plots of sensitivity indices: Sobol S1 and ST with their bootstrap intervals, or
//! Morris μ* with σ, one bar group per parameter.

use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;

use super::plots::{COLOURS, legend, register_font, row_label};
use crate::experiment::results::{Indices, SensitivityRow};

/// Plots the indices of one output (`rows` all of that output) to a PNG.
pub fn plot_sensitivity(path: &Path, output: &str, rows: &[&SensitivityRow]) -> Result<()> {
    register_font();
    let n = rows.len().max(1);
    let height = (120 + 60 * n) as u32;
    let root = BitMapBackend::new(path, (1000, height.max(300))).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let sobol = rows
        .first()
        .is_some_and(|r| matches!(r.indices, Indices::Sobol { .. }));
    let values = |r: &SensitivityRow| -> [f64; 3] {
        match r.indices {
            Indices::Sobol { s1, st } => [s1.value, st.value, st.high.max(s1.high)],
            Indices::Morris(m) => [m.mu_star, m.sigma, m.mu_star.max(m.sigma)],
        }
    };
    let max = rows.iter().map(|r| values(r)[2]).fold(0.0f64, f64::max);
    let (lo, hi) = if sobol {
        (
            rows.iter()
                .map(|r| match r.indices {
                    Indices::Sobol { s1, .. } => s1.low.min(0.0),
                    _ => 0.0,
                })
                .fold(0.0f64, f64::min),
            max.max(1.0) * 1.05,
        )
    } else {
        (0.0, max.max(1e-12) * 1.1)
    };
    let title = if sobol {
        format!("Sobol indices — {output}")
    } else {
        format!("Morris μ* and σ — {output}")
    };
    let names: Vec<String> = rows.iter().map(|r| r.parameter.clone()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(35)
        .y_label_area_size(330)
        .build_cartesian_2d(lo..hi, 0.0..n as f64)
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n * 2 + 1)
        .y_label_formatter(&|y| row_label(&names, *y))
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    let labels = if sobol { ["S1", "ST"] } else { ["μ*", "σ"] };
    for (j, (label, colour)) in labels.iter().zip([COLOURS[0], COLOURS[2]]).enumerate() {
        let bars = rows.iter().enumerate().map(move |(k, r)| {
            let y = (n - 1 - k) as f64 + 0.15 + 0.35 * j as f64;
            Rectangle::new([(0.0, y), (values(r)[j], y + 0.3)], colour.filled())
        });
        chart
            .draw_series(bars)
            .map_err(|e| anyhow!("{e}"))?
            .label(*label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
    }
    if sobol {
        let whiskers = rows.iter().enumerate().flat_map(|(k, r)| {
            let Indices::Sobol { s1, st } = r.indices else {
                return vec![];
            };
            [(s1, 0.3), (st, 0.65)]
                .into_iter()
                .map(|(e, dy)| {
                    let y = (n - 1 - k) as f64 + dy;
                    PathElement::new(vec![(e.low, y), (e.high, y)], BLACK.stroke_width(2))
                })
                .collect()
        });
        chart.draw_series(whiskers).map_err(|e| anyhow!("{e}"))?;
    }
    legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}
