//! Plots drawn from records with an embedded font (DejaVu Sans, licence in assets/fonts), so
//! they render the same on a machine with no fonts installed.

use std::path::Path;
use std::sync::Once;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;

use super::bands::{Headline, PlotSource, draw_band, mean_and_band};
use super::text::Lang;

/// A share-of-17+ chart over years: its axes and labels.
pub type ShareChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordi32, RangedCoordf64>>;

/// Draws the axes of a chart of the share of people 17+ (percent) by year, in `lang`.
pub fn share_axes<DB: DrawingBackend>(chart: &mut ShareChart<'_, DB>, lang: Lang) -> Result<()>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_mesh()
        .x_desc(lang.text().run.year)
        .y_desc(lang.text().share_axis)
        .label_style(("sans-serif", 16))
        .x_label_formatter(&|y| y.to_string())
        .y_label_formatter(&|v| lang.percent(*v, 0))
        .draw()
        .map_err(|e| anyhow!("{e}"))
}

pub(crate) static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Registers the embedded font as "sans-serif" (once).
pub(crate) fn register_font() {
    REGISTER.call_once(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
            .map_err(|_| ())
            .expect("the embedded font is a valid TTF");
    });
}

/// Reason colours (Okabe–Ito, colour-blind safe), in `Reason::ALL` order.
pub(crate) const COLOURS: [RGBColor; crate::model::Reason::COUNT] = [
    RGBColor(0, 114, 178),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
];

/// Colour of observed points and of the CNAM-definition line (white points, black rims: no
/// reason's colour).
const OBSERVED: RGBColor = RGBColor(255, 255, 255);

/// National share of 17+ without an MT, reasons stacked, total as a line, and the
/// `observed` (year, share 0–1) points of CNAM (PNG or SVG by extension). Over replicates
/// (a summary of several runs), the runs' means with the band of 90 % of the runs' totals.
pub fn plot_share_without_mt(
    path: &Path,
    source: PlotSource,
    (title, lang): (&str, Lang),
    observed: &[(u16, f64)],
) -> Result<()> {
    register_font();
    let headline = Headline::of(source, lang);
    let is_svg = path.extension().is_some_and(|e| e == "svg");
    let size = (1000, 600);
    if is_svg {
        let root = SVGBackend::new(path, size).into_drawing_area();
        draw_share(&root, &headline, (title, lang), observed)?;
        root.present()
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
    } else {
        let root = BitMapBackend::new(path, size).into_drawing_area();
        draw_share(&root, &headline, (title, lang), observed)?;
        root.present()
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
    }
}

fn draw_share<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &Headline,
    (title, lang): (&str, Lang),
    observed: &[(u16, f64)],
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let (first, last) = (
        *h.years.first().unwrap_or(&2018),
        *h.years.last().unwrap_or(&2019),
    );
    // Observed points from the first simulated year back widen the axis by a year more, so
    // that none sits on the axis.
    let first = observed
        .iter()
        .map(|o| o.0 as i32 - 1)
        .filter(|&y| y < first)
        .fold(first, i32::min);
    let observed: Vec<(i32, f64)> = observed
        .iter()
        .map(|&(y, v)| (y as i32, 100.0 * v))
        .filter(|o| o.0 <= last)
        .collect();
    let band_top = h.band.iter().flat_map(|b| b.points.iter().map(|p| p.2));
    // Room above the data for the legend: its rows (one per reason, the two totals, the
    // observed points, the band; about 19 px each with the 15 px font, as drawn) over the
    // height of the plotting area (the image less the caption, margins and x labels).
    let rows = lang.text().reasons.len()
        + 2
        + usize::from(!observed.is_empty())
        + usize::from(h.band.is_some());
    let plot_px = (f64::from(root.dim_in_pixel().1) - 110.0).max(100.0);
    let legend_share = ((rows as f64 * 19.0 + 30.0) / plot_px).min(0.6);
    let headroom = 1.0 / (1.0 - legend_share);
    let top = h
        .total
        .iter()
        .copied()
        .chain(band_top)
        .chain(observed.iter().map(|o| o.1))
        .fold(5.0, f64::max)
        * headroom;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{} — {title}", lang.text().title),
            ("sans-serif", 24),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(first..last.max(first + 1), 0.0..top)
        .map_err(|e| anyhow!("{e}"))?;
    share_axes(&mut chart, lang)?;
    // Stacked areas: draw cumulative bands from the top reason down.
    for (i, reason) in lang.text().reasons.iter().enumerate().rev() {
        let upper: Vec<(i32, f64)> = h
            .years
            .iter()
            .zip(&h.reasons)
            .map(|(y, r)| (*y, r[..=i].iter().sum()))
            .collect();
        chart
            .draw_series(AreaSeries::new(upper, 0.0, COLOURS[i].mix(0.85)).border_style(COLOURS[i]))
            .map_err(|e| anyhow!("{e}"))?
            .label(*reason)
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], COLOURS[i].filled())
            });
    }
    if let Some(band) = &h.band {
        draw_band(&mut chart, band)?;
    }
    let total: Vec<(i32, f64)> = h
        .years
        .iter()
        .copied()
        .zip(h.total.iter().copied())
        .collect();
    chart
        .draw_series(LineSeries::new(total, BLACK.stroke_width(3)))
        .map_err(|e| anyhow!("{e}"))?
        .label(h.total_label.clone())
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], BLACK.stroke_width(3)));
    // What CNAM counts (a patient who moved keeps their declaration): the line the observed
    // points are to be read against.
    let cnam: Vec<(i32, f64)> = h
        .years
        .iter()
        .copied()
        .zip(h.cnam.iter().copied())
        .collect();
    chart
        .draw_series(DashedLineSeries::new(cnam, 8, 5, BLACK.stroke_width(2)))
        .map_err(|e| anyhow!("{e}"))?
        .label(lang.text().run.total_cnam)
        .legend(|(x, y)| {
            // Dashed as the line: two dashes across the key's 14 pixels.
            EmptyElement::at((x, y))
                + PathElement::new(vec![(0, 0), (5, 0)], BLACK.stroke_width(2))
                + PathElement::new(vec![(9, 0), (14, 0)], BLACK.stroke_width(2))
        });
    if !observed.is_empty() {
        chart
            .draw_series(observed.iter().map(|&p| {
                EmptyElement::at(p)
                    + Circle::new((0, 0), 7, OBSERVED.filled())
                    + Circle::new((0, 0), 7, BLACK.stroke_width(1))
            }))
            .map_err(|e| anyhow!("{e}"))?
            .label(lang.text().run.observed_cnam)
            .legend(|(x, y)| {
                EmptyElement::at((x + 7, y))
                    + Circle::new((0, 0), 6, OBSERVED.filled())
                    + Circle::new((0, 0), 6, BLACK.stroke_width(1))
            });
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// The label of a horizontal bar chart's y value: the name of row `k` (drawn top down) at
/// `k + 0.5`, nothing elsewhere.
pub(crate) fn row_label(names: &[String], y: f64) -> String {
    let n = names.len();
    let k = y.floor() as usize;
    if (y - k as f64 - 0.5).abs() < 0.01 && k < n {
        names[n - 1 - k].clone()
    } else {
        String::new()
    }
}

/// Draws the series labels of a chart in the house style (boxed, 15 px) at `position`.
pub(crate) fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 15))
        .draw()
        .map_err(|e| anyhow!("{e}"))
}

/// Primary-care GPs (count) and GPs per 100,000 inhabitants; over replicates, the runs'
/// means with the band of 90 % of the runs.
pub fn plot_gps(
    path: &Path,
    (records, summary): PlotSource,
    (title, lang): (&str, Lang),
) -> Result<()> {
    register_font();
    let root = BitMapBackend::new(path, (1000, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let (left, right) = root.split_horizontally(500);
    let series = |f: &dyn Fn(&crate::model::Counts) -> f64| -> Vec<(i32, f64)> {
        records
            .years
            .iter()
            .map(|y| (y.year as i32, f(&y.national)))
            .collect()
    };
    let (gps, density) = match summary {
        Some(s) if s.runs > 1 => {
            let (gps, gps_band) = mean_and_band(s, "gps", 1.0, lang);
            let (density, density_band) = mean_and_band(s, "gps_per_100k", 1.0, lang);
            ((gps, Some(gps_band)), (density, Some(density_band)))
        }
        _ => (
            (series(&|c| c.gps as f64), None),
            (
                series(&|c| 1e5 * c.gps as f64 / c.population.max(1) as f64),
                None,
            ),
        ),
    };
    for (area, (data, band), label) in [
        (
            &left,
            gps,
            format!("{} — {title}", lang.text().run.gps_title),
        ),
        (&right, density, lang.text().gps_per_100k.to_string()),
    ] {
        let (first, last) = (
            data.first().map_or(2018, |x| x.0),
            data.last().map_or(2019, |x| x.0),
        );
        let band_top = band.iter().flat_map(|b| b.points.iter().map(|p| p.2));
        let max = data.iter().map(|x| x.1).chain(band_top).fold(1.0, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(area)
            .caption(label, ("sans-serif", 17))
            .margin(12)
            .x_label_area_size(35)
            .y_label_area_size(65)
            .build_cartesian_2d(first..last.max(first + 1), 0.0..max)
            .map_err(|e| anyhow!("{e}"))?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", 14))
            .x_label_formatter(&|y| y.to_string())
            .y_label_formatter(&|v| lang.number(*v, 0))
            .draw()
            .map_err(|e| anyhow!("{e}"))?;
        if let Some(band) = &band {
            draw_band(&mut chart, band)?;
        }
        chart
            .draw_series(LineSeries::new(data, COLOURS[0].stroke_width(3)))
            .map_err(|e| anyhow!("{e}"))?;
        if band.is_some() {
            legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
    }
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}
