//! A calibration's results, formatted: `posterior.csv` (the retained sets), `implausibility.csv`
//! (every set of every wave, by target), `waves.csv` (what each wave kept and how well its
//! emulators predicted held-back sets), `calibration.md`, and two plots. Every file is written
//! atomically; the writer only formats [`Outcome`].

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;

use super::plots::{COLOURS, register_font, row_label};
use crate::experiment::calibrate::Outcome;
use crate::experiment::calibrate::history::largest;
use crate::files::write_file_atomically;

/// Writes every result file of a calibration into `out`.
pub fn write(out: &Path, o: &Outcome) -> Result<()> {
    let names: Vec<&str> = o.calibration.priors.iter().map(|p| p.0.as_str()).collect();
    let mut posterior = vec![
        ["wave", "set"]
            .iter()
            .copied()
            .chain(names.iter().copied())
            .chain(["max_implausibility", "weight"])
            .map(String::from)
            .collect::<Vec<_>>(),
    ];
    for r in o.retained() {
        let mut row = vec![r.wave.to_string(), r.set.to_string()];
        row.extend(r.values.iter().map(|v| format!("{v}")));
        row.push(format!("{:.4}", r.implausibility));
        row.push(format!("{}", r.weight));
        posterior.push(row);
    }
    csv_file(&out.join("posterior.csv"), &posterior)?;
    csv_file(&out.join("implausibility.csv"), &implausibility_rows(o))?;
    csv_file(&out.join("waves.csv"), &wave_rows(o))?;
    let md = markdown(o);
    write_file_atomically(&out.join("calibration.md"), |f| {
        Ok(f.write_all(md.as_bytes())?)
    })?;
    plot_retained(&out.join("posterior.png"), o)?;
    plot_ruled_out(&out.join("implausibility.png"), o)
}

fn csv_file(path: &Path, rows: &[Vec<String>]) -> Result<()> {
    write_file_atomically(path, |f| {
        let mut w = csv::Writer::from_writer(f);
        for row in rows {
            w.write_record(row)?;
        }
        w.flush()?;
        Ok(())
    })
}

fn implausibility_rows(o: &Outcome) -> Vec<Vec<String>> {
    let mut header: Vec<String> = ["wave", "set"].map(String::from).to_vec();
    header.extend(o.calibration.priors.iter().map(|p| p.0.clone()));
    header.extend(
        o.calibration
            .targets
            .iter()
            .map(|t| format!("I({})", t.name)),
    );
    header.extend(["max_implausibility", "kept"].map(String::from));
    let mut rows = vec![header];
    for (k, w) in o.waves.iter().enumerate() {
        for (i, p) in w.points.iter().enumerate() {
            let mut row = vec![(k + 1).to_string(), i.to_string()];
            row.extend(o.values(p).iter().map(|v| format!("{v}")));
            row.extend(w.implausibility[i].iter().map(|v| format!("{v:.4}")));
            row.push(format!("{:.4}", largest(&w.implausibility[i])));
            row.push(w.kept[i].to_string());
            rows.push(row);
        }
    }
    rows
}

fn wave_rows(o: &Outcome) -> Vec<Vec<String>> {
    let mut header: Vec<String> = ["wave", "sets_run", "sets_failed", "sets_kept"]
        .map(String::from)
        .to_vec();
    for t in &o.calibration.targets {
        header.push(format!("emulator_within_3sd({})", t.name));
        header.push(format!("emulator_rmse({})", t.name));
    }
    let mut rows = vec![header];
    for (k, w) in o.waves.iter().enumerate() {
        let mut row = vec![
            (k + 1).to_string(),
            w.points.len().to_string(),
            o.failed_sets.get(k).copied().unwrap_or(0).to_string(),
            w.kept.iter().filter(|x| **x).count().to_string(),
        ];
        for c in &w.checks {
            match c {
                Some(c) => row.extend([format!("{:.3}", c.within_3_sd), format!("{:.6}", c.rmse)]),
                None => row.extend([String::new(), String::new()]),
            }
        }
        rows.push(row);
    }
    rows
}

/// `calibration.md`: what was fitted, how, what was reached and what was not.
pub fn markdown(o: &Outcome) -> String {
    let c = o.calibration;
    let f = &c.file;
    let mut s = String::new();
    let _ = writeln!(s, "# Calibration `{}`\n", f.name);
    let _ = writeln!(
        s,
        "History matching of `{}` in {} wave(s) of {} parameter sets × {} seeds, cut-off {} \
         (a set is kept when no target's implausibility exceeds it). Implausibility counts the \
         observation error, the model discrepancy, the run-to-run variance and, when a wave is \
         designed, the emulator's variance. Retained sets are equally weighted: history matching \
         gives the region the targets do not rule out, not a posterior density.\n",
        c.scenario_path.display(),
        o.waves.len(),
        f.points_per_wave,
        f.replicates,
        f.cutoff
    );
    if let Some(e) = &o.exhausted {
        let _ = writeln!(
            s,
            "**Stopped before wave {}**: none of {} candidate sets survived the earlier waves' \
             emulators. The targets cannot be met together within their errors by this model \
             and these priors; the table below shows which targets rule out most sets.\n",
            e.wave, e.candidates
        );
    }
    let retained = o.retained();
    let _ = writeln!(s, "{} sets retained (posterior.csv).\n", retained.len());
    let _ = writeln!(s, "## Parameters\n");
    let _ = writeln!(s, "| parameter | prior | retained min | median | max |");
    let _ = writeln!(s, "|---|---|---|---|---|");
    for p in o.parameters() {
        let (a, b, m) = match p.retained {
            Some((a, m, b)) => (format!("{a:.4}"), format!("{b:.4}"), format!("{m:.4}")),
            None => ("—".into(), "—".into(), "—".into()),
        };
        let _ = writeln!(
            s,
            "| `{}` | [{}, {}] | {a} | {m} | {b} |",
            p.name, p.prior.0, p.prior.1
        );
    }
    let _ = writeln!(s, "\n## Targets\n");
    let _ = writeln!(
        s,
        "| target | observed | sd (obs., discr.) | retained mean | best I | share ruled out by wave |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for t in o.targets() {
        let mean = t
            .retained_mean
            .map_or("—".to_string(), |m| format!("{m:.4}"));
        let shares: Vec<String> = t
            .ruled_out_share
            .iter()
            .map(|v| format!("{:.0} %", 100.0 * v))
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} | {}, {} | {mean} | {:.2} | {} |",
            t.name,
            t.observed,
            t.sd.0,
            t.sd.1,
            t.best_implausibility,
            shares.join(" → ")
        );
    }
    let unreachable: Vec<String> = o
        .targets()
        .into_iter()
        .filter(|t| t.best_implausibility > f.cutoff)
        .map(|t| {
            format!(
                "`{}` (best implausibility {:.1})",
                t.name, t.best_implausibility
            )
        })
        .collect();
    if !unreachable.is_empty() {
        let _ = writeln!(
            s,
            "\nNot reached by any set run: {}. Within these priors the model cannot produce \
             these values; widening a prior beyond its documented range is not a fix: the \
             mechanism behind the target is missing or wrong.",
            unreachable.join(", ")
        );
    }
    let _ = writeln!(
        s,
        "\nEmulator checks (waves.csv): every fifth set of a wave is held back, predicted by an \
         emulator fitted on the others, and counted within ±3 sd or not."
    );
    s
}

/// Pairs of parameters: every set of the last wave (grey) and the retained ones (colour).
fn plot_retained(path: &Path, o: &Outcome) -> Result<()> {
    register_font();
    let d = o.calibration.priors.len();
    let cell = 260u32;
    let root =
        BitMapBackend::new(path, (cell * d as u32 + 20, cell * d as u32 + 20)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let Some(last) = o.waves.last() else {
        return root
            .present()
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()));
    };
    let panels = root.margin(10, 10, 10, 10).split_evenly((d, d));
    for (n, panel) in panels.iter().enumerate() {
        let (row, col) = (n / d, n % d);
        let (name_x, lo_x, hi_x) = &o.calibration.priors[col];
        let (name_y, lo_y, hi_y) = &o.calibration.priors[row];
        let short = |name: &str| name.rsplit('.').next().unwrap_or(name).to_string();
        let mut chart = ChartBuilder::on(panel)
            .margin(4)
            .caption(
                if row == col {
                    short(name_x)
                } else {
                    format!("{} × {}", short(name_y), short(name_x))
                },
                ("sans-serif", 13),
            )
            .x_label_area_size(18)
            .y_label_area_size(36)
            .build_cartesian_2d(
                *lo_x..*hi_x,
                if row == col { 0.0..1.05 } else { *lo_y..*hi_y },
            )
            .map_err(|e| anyhow!("{e}"))?;
        chart
            .configure_mesh()
            .x_labels(3)
            .y_labels(3)
            .label_style(("sans-serif", 10))
            .draw()
            .map_err(|e| anyhow!("{e}"))?;
        let values: Vec<(Vec<f64>, bool)> = last
            .points
            .iter()
            .zip(&last.kept)
            .map(|(p, k)| (o.values(p), *k))
            .collect();
        if row == col {
            // Histogram of the retained values, as shares of the tallest bin.
            let bins = 12;
            let mut counts = vec![0usize; bins];
            for (v, _) in values.iter().filter(|(_, k)| *k) {
                let b = (((v[col] - lo_x) / (hi_x - lo_x)) * bins as f64) as usize;
                counts[b.min(bins - 1)] += 1;
            }
            let top = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
            let width = (hi_x - lo_x) / bins as f64;
            chart
                .draw_series(counts.iter().enumerate().map(|(b, &c)| {
                    let x0 = lo_x + width * b as f64;
                    Rectangle::new(
                        [(x0, 0.0), (x0 + width, c as f64 / top)],
                        COLOURS[0].filled(),
                    )
                }))
                .map_err(|e| anyhow!("{e}"))?;
        } else {
            let dots = values.iter().map(|(v, k)| {
                let style = if *k {
                    COLOURS[0].filled()
                } else {
                    RGBColor(200, 200, 200).filled()
                };
                Circle::new((v[col], v[row]), if *k { 3 } else { 2 }, style)
            });
            chart.draw_series(dots).map_err(|e| anyhow!("{e}"))?;
        }
    }
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// Share of each wave's sets each target rules out.
fn plot_ruled_out(path: &Path, o: &Outcome) -> Result<()> {
    register_font();
    let targets = o.targets();
    let n = targets.len().max(1);
    let waves = o.waves.len().max(1);
    let root = BitMapBackend::new(path, (1000, (100 + 50 * n) as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let names: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Share of sets ruled out, by target and wave",
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(30)
        .y_label_area_size(330)
        .build_cartesian_2d(0.0..1.0, 0.0..n as f64)
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n * 2 + 1)
        .y_label_formatter(&|y| row_label(&names, *y))
        .x_label_formatter(&|x| format!("{:.0} %", 100.0 * x))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    for w in 0..waves {
        let colour = COLOURS[w % COLOURS.len()];
        let height = 0.8 / waves as f64;
        chart
            .draw_series(targets.iter().enumerate().map(|(k, t)| {
                let y = (n - 1 - k) as f64 + 0.1 + height * w as f64;
                let v = t.ruled_out_share.get(w).copied().unwrap_or(0.0);
                Rectangle::new([(0.0, y), (v, y + height * 0.9)], colour.filled())
            }))
            .map_err(|e| anyhow!("{e}"))?
            .label(format!("wave {}", w + 1))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
    }
    super::plots::legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}
