//! A legend in its own column to the right of a chart, so that it never covers data (plotters'
//! own legend box is drawn inside the plotting area, over bars and curves).

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::glyphs::{draw_text, width};

/// How an entry's key is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Key {
    /// A line (a curve).
    Line,
    /// A filled box (bars, a band).
    Box,
}

/// One entry of a legend.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Text.
    pub label: String,
    /// Colour of the key.
    pub colour: RGBColor,
    /// Shape of the key.
    pub key: Key,
}

/// A rectangle in pixels: left, top, right, bottom (right and bottom excluded).
pub type Rect = (u32, u32, u32, u32);

/// Where a figure of `size` puts its title band, its chart (axes included) and its legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The title band across the whole width.
    pub title: Rect,
    /// The chart, axes and plotting area.
    pub chart: Rect,
    /// The legend column, right of the chart.
    pub legend: Rect,
}

/// Height of the title band.
const TITLE_PX: u32 = 44;
/// Size of key and gap before the label, in pixels.
const KEY_PX: f64 = 30.0;

/// The layout for `labels` at `font_px`: the legend column is as wide as its longest label
/// (at most 40 % of the width), the chart takes the rest.
pub fn layout(size: (u32, u32), labels: &[String], font_px: f64) -> Layout {
    let widest = labels.iter().map(|l| width(l, font_px)).fold(0.0, f64::max);
    let column = ((widest + KEY_PX + 20.0).ceil() as u32).min(size.0 * 2 / 5);
    let split = size.0 - column;
    Layout {
        title: (0, 0, size.0, TITLE_PX),
        chart: (0, TITLE_PX, split, size.1),
        legend: (split, TITLE_PX, size.0, size.1),
    }
}

/// The part `r` of `root`.
pub fn part<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, r: Rect) -> DrawingArea<DB, Shift> {
    let (w, h) = root.dim_in_pixel();
    root.clone()
        .shrink((r.0, r.1), (r.2.min(w) - r.0, r.3.min(h) - r.1))
}

/// Draws `entries` from the top of `area`, one a line.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    font_px: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let line = (font_px * 1.7) as i32;
    for (k, e) in entries.iter().enumerate() {
        let y = 30 + k as i32 * line;
        let mid = y + (font_px * 0.36) as i32;
        let shape = match e.key {
            Key::Line => area.draw(&PathElement::new(
                vec![(4, mid), (22, mid)],
                e.colour.stroke_width(3),
            )),
            Key::Box => area.draw(&Rectangle::new(
                [(4, mid - 6), (22, mid + 6)],
                e.colour.filled(),
            )),
        };
        shape.map_err(|err| anyhow!("{err}"))?;
        draw_text(area, &e.label, (KEY_PX as i32, y), font_px, HPos::Left)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: Rect, b: Rect) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    #[test]
    fn the_legend_column_never_overlaps_the_chart_and_fits_its_longest_label() {
        let labels: Vec<String> = ["net change", "médecin ayant réduit sa patientèle"]
            .map(String::from)
            .to_vec();
        let l = layout((1000, 600), &labels, 15.0);
        assert!(!overlap(l.chart, l.legend), "{l:?}");
        assert!(
            !overlap(l.title, l.chart) && !overlap(l.title, l.legend),
            "{l:?}"
        );
        let widest = width(&labels[1], 15.0);
        assert!(
            f64::from(l.legend.2 - l.legend.0) >= widest + KEY_PX,
            "{l:?}"
        );
        assert_eq!(l.legend.2, 1000);
        assert!(
            l.chart.2 - l.chart.0 >= 600,
            "the chart keeps most of the width: {l:?}"
        );
    }
}
