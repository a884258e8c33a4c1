//! Plots of a comparison: the paired difference over time with its 90 % band, the map of a
//! policy's effect by département, and the yearly change of patients without an MT by reason.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::comparison::Comparison;
use super::glyphs::{draw_text, fit};
use super::map::{ColourScale, Indicator, Map, MapView, Values, draw_colour_bar, draw_map};
use super::plots::{COLOURS, register_font};
use super::side_legend::{self, Entry, Key, Layout};
use super::text::fill;

fn palette(k: usize) -> RGBColor {
    let all = [
        COLOURS[0], COLOURS[2], COLOURS[4], COLOURS[5], COLOURS[3], COLOURS[1],
    ];
    all[k % all.len()]
}

/// (year, low, high) of a 90 % band.
type Band = (f64, f64, f64);

/// Font size of legends.
const LEGEND_PX: f64 = 15.0;

/// Draws the legend in its column of `layout` and writes the picture.
fn finish<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    entries: &[side_legend::Entry],
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    side_legend::draw(&side_legend::part(root, layout.legend), entries, LEGEND_PX)?;
    root.present().map_err(|e| anyhow!("{e}"))
}

/// Draws `title` across the title band of `layout`, smaller when it is too long.
fn title<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, layout: &Layout, s: &str) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let w = f64::from(layout.title.2 - layout.title.0) - 30.0;
    draw_text(root, s, (15, 14), fit(s, 20.0, w), HPos::Left)
}

/// Mean paired difference of the share without an MT (points) by year, with its 90 % band,
/// one colour per policy.
pub fn plot_difference(path: &Path, c: &Comparison) -> Result<()> {
    register_font();
    let years: Vec<u16> = c.runs.runs[0][0].years.iter().map(|y| y.year).collect();
    let series: Vec<(String, Vec<Band>)> = c.runs.names[1..]
        .iter()
        .zip(&c.effects.policies)
        .map(|(name, e)| {
            let v = e
                .years
                .iter()
                .map(|y| {
                    let i = y.share.effect;
                    (y.year as f64, 100.0 * i.low, 100.0 * i.high)
                })
                .collect();
            (name.clone(), v)
        })
        .collect();
    let (lo, hi) = series
        .iter()
        .flat_map(|(_, v)| v.iter())
        .fold((-0.1f64, 0.1f64), |(a, b), &(_, l, h)| (a.min(l), b.max(h)));
    let pad = (hi - lo) * 0.1;
    let words = &c.lang.text().compare;
    let size = (1000, 600);
    let labels: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
    let layout = side_legend::layout(size, &labels, LEGEND_PX);
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    title(
        &root,
        &layout,
        &fill(words.difference_title, &[c.runs.names[0].as_str()]),
    )?;
    let (first, last) = (years[0] as f64, *years.last().unwrap_or(&years[0]) as f64);
    let mut chart = ChartBuilder::on(&side_legend::part(&root, layout.chart))
        .margin(15)
        .x_label_area_size(35)
        .y_label_area_size(70)
        .build_cartesian_2d(first..last.max(first + 1.0), (lo - pad)..(hi + pad))
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .configure_mesh()
        .x_label_formatter(&|y| format!("{y:.0}"))
        .y_label_formatter(&|v| points_label(*v, hi - lo + 2.0 * pad, c.lang))
        .y_desc(words.difference_axis)
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .draw_series(LineSeries::new(
            vec![(first, 0.0), (last, 0.0)],
            BLACK.stroke_width(1),
        ))
        .map_err(|e| anyhow!("{e}"))?;
    let mut entries = Vec::new();
    for (k, (name, v)) in series.iter().enumerate() {
        let colour = palette(k);
        entries.push(Entry {
            label: name.clone(),
            colour,
            key: Key::Line,
        });
        let mut band: Vec<(f64, f64)> = v.iter().map(|&(x, l, _)| (x, l)).collect();
        band.extend(v.iter().rev().map(|&(x, _, h)| (x, h)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.25).filled(),
            )))
            .map_err(|e| anyhow!("{e}"))?;
        let mid: Vec<(f64, f64)> = v.iter().map(|&(x, l, h)| (x, (l + h) / 2.0)).collect();
        chart
            .draw_series(LineSeries::new(mid, colour.stroke_width(3)))
            .map_err(|e| anyhow!("{e}"))?;
    }
    finish(&root, &layout, &entries)
}

/// The one colour scale of every effect map of a comparison: symmetric around zero over every
/// policy's département effects (points), `effects[policy]` as (code, effect).
pub fn shared_effect_scale(effects: &[Vec<(String, f64)>]) -> ColourScale {
    ColourScale::centred(
        effects.iter().flatten().map(|(_, v)| v),
        Indicator::ShareEffect,
    )
}

/// Map of a policy's mean effect by département in the comparison's map year (`effects`,
/// points) on the comparison's shared `scale`: red where the share without an MT rises, blue
/// where it falls, white where it does not move.
pub fn plot_effect_map(
    path: &Path,
    c: &Comparison,
    (p, effects): (usize, &[(String, f64)]),
    scale: &ColourScale,
) -> Result<()> {
    register_font();
    let values: Values = effects.iter().cloned().collect();
    let codes: Vec<String> = c.units.iter().map(|u| u.code.clone()).collect();
    let view = MapView::of(c.shapes, &codes).ok_or_else(|| anyhow!("no outline to map"))?;
    let names: BTreeMap<String, String> = c
        .units
        .iter()
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    let lang = c.lang;
    let map = Map {
        shapes: c.shapes,
        view: &view,
        scale,
        names: &names,
        not_simulated: lang.text().not_simulated,
    };
    let root = BitMapBackend::new(path, (800, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let title = format!("{} − {}, {}", c.runs.names[p], c.runs.names[0], c.map_year);
    super::glyphs::draw_text(
        &root,
        &title,
        (20, 14),
        20.0,
        plotters::style::text_anchor::HPos::Left,
    )?;
    let area = root.clone().shrink((10, 50), (780, 640));
    draw_map(&area, &map, &values, 14.0)?;
    let bar = root.clone().shrink((100, 705), (600, 60));
    draw_colour_bar(&bar, scale, lang, 13.0)?;
    super::animate::draw_source(&root, lang, 1.1)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// Stacked bars of the yearly change of patients 17+ without an MT by reason (persons):
/// increases above zero, decreases below, the net change as a line.
pub fn plot_causal(path: &Path, c: &Comparison, scenario: usize) -> Result<()> {
    register_font();
    let data = &c.effects.causal[scenario];
    if data.is_empty() {
        return Ok(());
    }
    let (lo, hi) = data.iter().fold((0.0f64, 0.0f64), |(a, b), (_, ch)| {
        let up: f64 = ch.iter().filter(|v| **v > 0.0).sum();
        let down: f64 = ch.iter().filter(|v| **v < 0.0).sum();
        (a.min(down), b.max(up))
    });
    let pad = (hi - lo).max(1.0) * 0.08;
    let text = c.lang.text();
    let mut entries: Vec<Entry> = text
        .reasons
        .iter()
        .zip(COLOURS)
        .map(|(r, colour)| Entry {
            label: r.to_string(),
            colour,
            key: Key::Box,
        })
        .collect();
    entries.push(Entry {
        label: text.compare.net_change.to_string(),
        colour: BLACK,
        key: Key::Line,
    });
    let size = (1000, 600);
    let labels: Vec<String> = entries.iter().map(|e| e.label.clone()).collect();
    let layout = side_legend::layout(size, &labels, LEGEND_PX);
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let name = c.runs.names[scenario].as_str();
    title(&root, &layout, &fill(text.compare.causal_title, &[name]))?;
    let (first, last) = (data[0].0 as f64 - 0.5, data[data.len() - 1].0 as f64 + 0.5);
    let mut chart = ChartBuilder::on(&side_legend::part(&root, layout.chart))
        .margin(15)
        .x_label_area_size(35)
        .y_label_area_size(90)
        .build_cartesian_2d(first..last, (lo - pad)..(hi + pad))
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .configure_mesh()
        .x_label_formatter(&|y| format!("{y:.0}"))
        .y_label_formatter(&|v| c.lang.signed(*v, 0))
        .y_desc(text.compare.causal_axis)
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    for i in 0..crate::model::Reason::COUNT {
        let bars = data.iter().map(|(year, ch)| {
            let x = *year as f64;
            // Stack each sign separately, reasons in a fixed order.
            let below: f64 = ch[..i]
                .iter()
                .filter(|v| v.signum() == ch[i].signum())
                .sum();
            Rectangle::new(
                [(x - 0.35, below), (x + 0.35, below + ch[i])],
                COLOURS[i].mix(0.85).filled(),
            )
        });
        chart.draw_series(bars).map_err(|e| anyhow!("{e}"))?;
    }
    let net: Vec<(f64, f64)> = data
        .iter()
        .map(|(y, ch)| (*y as f64, ch.iter().sum()))
        .collect();
    chart
        .draw_series(LineSeries::new(net, BLACK.stroke_width(2)))
        .map_err(|e| anyhow!("{e}"))?;
    finish(&root, &layout, &entries)
}

/// A tick label in points, in `lang`, with as many decimals as the axis span needs (ticks are
/// about a tenth of it apart), and no "−0".
fn points_label(v: f64, span: f64, lang: super::text::Lang) -> String {
    let decimals = if span >= 2.0 {
        1
    } else if span >= 0.2 {
        2
    } else {
        3
    };
    lang.signed(v, decimals)
}

#[cfg(test)]
mod label_tests {
    use super::{points_label, shared_effect_scale};

    #[test]
    fn every_effect_map_of_a_comparison_shares_one_scale_centred_on_zero() {
        let small = vec![("29".to_string(), -0.12), ("56".to_string(), 0.05)];
        let large = vec![("29".to_string(), 0.8), ("56".to_string(), 1.3)];
        let both = [small.clone(), large.clone()];
        let scale = shared_effect_scale(&both);
        assert_eq!(scale.lo, -scale.hi, "symmetric: {scale:?}");
        assert!(scale.hi >= 1.3, "covers the largest effect: {scale:?}");
        // The same scale whatever the order of the policies.
        let swapped = shared_effect_scale(&[large, small]);
        assert_eq!((scale.lo, scale.hi), (swapped.lo, swapped.hi));
        assert!(scale.ticks().contains(&0.0), "{:?}", scale.ticks());
        // White at zero, red for a rise (bad), blue for a fall.
        assert_eq!(scale.colour(0.0), plotters::style::RGBColor(255, 255, 255));
        let (up, down) = (scale.colour(scale.hi), scale.colour(scale.lo));
        assert!(up.0 > up.2 && down.2 > down.0, "{up:?} {down:?}");
    }

    #[test]
    fn tick_labels_are_distinct_at_every_span() {
        use crate::output::text::Lang::{En, Fr};
        assert_eq!(points_label(-0.05, 0.45, En), "−0.05");
        assert_eq!(points_label(-0.0001, 0.45, En), "0.00");
        assert_eq!(points_label(0.5, 3.0, Fr), "+0,5");
        assert_eq!(points_label(-0.004, 0.05, En), "−0.004");
    }
}
