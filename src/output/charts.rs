//! The national share without a médecin traitant as a chart that can stop at any (fractional)
//! year: stacked reasons for one run, one curve per run for a comparison. Shared by the
//! animation frames and the static headline figure.

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::coord::types::RangedCoordf64;
use plotters::style::text_anchor::HPos;

use super::glyphs::draw_label;
use super::palette::EXTRA_COLOURS;
use super::plots::COLOURS;
use super::run_data::{RunData, interpolate};
use super::text::Lang;
use crate::model::Reason;

const TOTAL: &str = "share_without_mt_17plus";

fn reason_column(r: Reason) -> String {
    format!("{TOTAL}_{}", r.code())
}

/// Points (year, %) of a column up to the fractional year index `t`.
fn points_until(run: &RunData, values: &[f64], t: f64) -> Vec<(f64, f64)> {
    let last = t.floor() as usize;
    let mut out: Vec<(f64, f64)> = (0..=last.min(values.len() - 1))
        .map(|k| (run.years[k] as f64, 100.0 * values[k]))
        .collect();
    if t.fract() > 0.0 {
        out.push((run.years[0] as f64 + t, 100.0 * interpolate(values, t)));
    }
    out
}

/// Draws the share chart on `area` up to year index `t`; `u` scales the fonts (1 at
/// 800 × 600).
pub fn draw_share_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[&RunData],
    t: f64,
    lang: Lang,
    u: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    let run = runs[0];
    let (first, last) = (run.years[0] as f64, run.years[run.years.len() - 1] as f64);
    let top = runs
        .iter()
        .filter_map(|r| r.national.get(TOTAL))
        .flatten()
        .fold(5.0f64, |m, v| m.max(100.0 * v))
        // A comparison writes the gap in the chart's top right corner: room above the curves.
        * if runs.len() > 1 { 1.45 } else { 1.2 };
    let mut chart = ChartBuilder::on(area)
        .margin((6.0 * u) as i32)
        .margin_right((22.0 * u) as i32)
        .x_label_area_size((24.0 * u) as i32)
        .y_label_area_size((40.0 * u) as i32)
        .build_cartesian_2d(first..last.max(first + 1.0), 0.0..top)
        .map_err(e)?;
    chart
        .configure_mesh()
        .label_style(("sans-serif", 12.0 * u))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|y| format!("{y:.0}"))
        .y_label_formatter(&|v| lang.percent(*v, 0))
        .light_line_style(WHITE)
        .draw()
        .map_err(e)?;
    draw_projection_boundary(area, &chart, (first, last, top), lang, u)?;
    if runs.len() == 1 {
        let columns: Vec<Vec<f64>> = Reason::ALL
            .iter()
            .map(|r| {
                run.national
                    .get(&reason_column(*r))
                    .map_or(Vec::new(), <[f64]>::to_vec)
            })
            .collect();
        if columns.iter().all(|c| c.len() == run.years.len()) {
            // Cumulative bands, drawn from the top reason down.
            for i in (0..Reason::ALL.len()).rev() {
                let cumulated: Vec<f64> = (0..run.years.len())
                    .map(|k| columns[..=i].iter().map(|c| c[k]).sum())
                    .collect();
                let points = points_until(run, &cumulated, t);
                chart
                    .draw_series(
                        AreaSeries::new(points, 0.0, COLOURS[i].mix(0.85).filled())
                            .border_style(COLOURS[i]),
                    )
                    .map_err(e)?;
            }
        }
    }
    let colours = [BLACK, EXTRA_COLOURS[1]];
    for (k, r) in runs.iter().enumerate() {
        let Some(total) = r.national.get(TOTAL) else {
            continue;
        };
        let colour = colours[k.min(1)];
        chart
            .draw_series(LineSeries::new(
                points_until(r, total, t),
                colour.stroke_width((3.0 * u).max(1.0) as u32),
            ))
            .map_err(e)?
            .label(if runs.len() == 1 {
                lang.text().total.to_string()
            } else {
                r.heading(lang).to_string()
            })
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(3))
            });
    }
    if runs.len() > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 13.0 * u))
            .draw()
            .map_err(e)?;
    }
    Ok(())
}

/// A legend of the total (a black line) and the six reasons (coloured squares and names),
/// one per line, filling `area`.
pub fn draw_reason_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lang: Lang,
    font_px: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    let line = (font_px * 1.45) as i32;
    let square = (font_px * 0.9) as i32;
    // The total first, as its line tops the stack.
    let mid = 2 + square / 2;
    area.draw(&PathElement::new(
        vec![(0, mid), (square, mid)],
        BLACK.stroke_width(3),
    ))
    .map_err(e)?;
    let at = (square + (font_px * 0.5) as i32, 2);
    draw_label(area, lang.text().total, at, font_px, HPos::Left, &BLACK)?;
    for (i, name) in lang.text().reasons.iter().enumerate().rev() {
        // Top of the legend = top of the stack.
        let y = (Reason::ALL.len() - i) as i32 * line;
        area.draw(&Rectangle::new(
            [(0, y + 2), (square, y + 2 + square)],
            COLOURS[i].mix(0.85).filled(),
        ))
        .map_err(e)?;
        let at = (square + (font_px * 0.5) as i32, y + 2);
        draw_label(area, name, at, font_px, HPos::Left, &BLACK)?;
    }
    Ok(())
}

/// First projected year: the baseline continues the policies of 2024 from data ending in 2023
/// (configs/baseline.toml: 2014–2023 are a back-cast of observed years).
pub const PROJECTION_FROM_YEAR: u16 = 2024;

/// A dashed grey line at [`PROJECTION_FROM_YEAR`], with "observed years" on its left and
/// "projection" on its right, when the chart spans it.
fn draw_projection_boundary<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    (first, last, top): (f64, f64, f64),
    lang: Lang,
    u: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let x = f64::from(PROJECTION_FROM_YEAR);
    if !(first < x && x <= last) {
        return Ok(());
    }
    let grey = RGBColor(110, 110, 110);
    let (base_x, base_y) = area.get_base_pixel();
    let to_area = |p: (i32, i32)| (p.0 - base_x, p.1 - base_y);
    let (x_px, top_px) = to_area(chart.backend_coord(&(x, top)));
    let (_, bottom_px) = to_area(chart.backend_coord(&(x, 0.0)));
    let dash = (4.0 * u).max(2.0) as i32;
    let mut y = top_px;
    while y < bottom_px {
        area.draw(&PathElement::new(
            vec![(x_px, y), (x_px, (y + dash).min(bottom_px))],
            grey.stroke_width(1),
        ))
        .map_err(|e| anyhow!("{e}"))?;
        y += 2 * dash;
    }
    let size = 11.0 * u;
    let [observed, projection] = lang.text().eras;
    let gap = (4.0 * u) as i32;
    let room_left = f64::from(x_px - chart_left(area, chart));
    if super::glyphs::width(observed, size) + f64::from(gap) <= room_left {
        draw_label(
            area,
            observed,
            (x_px - gap, top_px + gap),
            size,
            HPos::Right,
            &grey,
        )?;
    }
    draw_label(
        area,
        projection,
        (x_px + gap, top_px + gap),
        size,
        HPos::Left,
        &grey,
    )
}

/// Left edge of the chart's plotting area, in `area`'s pixels.
fn chart_left<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
) -> i32 {
    let range = chart.plotting_area().get_pixel_range();
    range.0.start - area.get_base_pixel().0
}
