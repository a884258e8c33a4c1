//! Commune maps of one year, as Cartosanté draws them: APL, share of adults without a médecin
//! traitant and the zone, in the classes of [`super::commune_classes`], each commune drawn as
//! its cell ([`super::commune_cells`]), a legend in its own column beside the map.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::commune_cells::CommuneCell;
use super::commune_classes::{CommuneIndicator, NO_DATA};
use super::commune_values::CommuneValues;
use super::glyphs::{draw_label, draw_text, fit};
use super::side_legend::{self, Entry, Key};
use super::text::Lang;
use crate::inputs::Shapes;

/// Above this many communes the cells' borders are not drawn (a région has up to ≈5,000
/// communes; France's 34,875 cells are a few pixels wide and white borders would hide them).
pub const BORDERED_UP_TO: usize = 6000;
/// Width of a commune map, pixels; its height follows the territory's shape
/// ([`MapFrame::size`]).
pub const WIDTH: u32 = 1100;
/// Height of the map area, pixels: at least room for the legend, at most a page's.
const MAP_HEIGHT_PX: (f64, f64) = (420.0, 900.0);
/// Width of the legend column, pixels.
const LEGEND_PX: u32 = 330;
/// Height of the title band, pixels.
const TITLE_PX: u32 = 78;

/// Where a commune map puts a point of the outlines' frame: fitted and centred in the map
/// area (left of the legend, below the title band).
#[derive(Debug, Clone, Copy)]
pub struct MapFrame {
    bbox: [f64; 4],
    scale: f64,
    origin: (f64, f64),
    height: u32,
}

impl MapFrame {
    /// The frame of a map of window `bbox` (`[min_x, min_y, max_x, max_y]`, km): the map area
    /// is as tall as the window's shape asks at the figure's width, within [`MAP_HEIGHT_PX`],
    /// so a wide région leaves no empty band under it.
    pub fn of(bbox: [f64; 4]) -> MapFrame {
        let [x0, y0, x1, y1] = bbox;
        let w = f64::from(WIDTH - LEGEND_PX - 20);
        let h = (w * (y1 - y0) / (x1 - x0).max(1e-9)).clamp(MAP_HEIGHT_PX.0, MAP_HEIGHT_PX.1);
        let scale = (w / (x1 - x0).max(1e-9)).min(h / (y1 - y0).max(1e-9)) * 0.98;
        let origin = (
            10.0 + (w - (x1 - x0) * scale) / 2.0,
            f64::from(TITLE_PX) + (h - (y1 - y0) * scale) / 2.0,
        );
        MapFrame {
            bbox,
            scale,
            origin,
            height: TITLE_PX + h.ceil() as u32 + 40,
        }
    }

    /// Size of the figure, pixels.
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, self.height)
    }

    /// The pixel of the figure at point `p`, km.
    pub fn pixel(&self, p: [f64; 2]) -> (i32, i32) {
        (
            (self.origin.0 + (p[0] - self.bbox[0]) * self.scale).round() as i32,
            (self.origin.1 + (self.bbox[3] - p[1]) * self.scale).round() as i32,
        )
    }
}

/// What the commune maps of a territory share.
#[derive(Debug, Clone)]
pub struct CommuneMaps {
    /// The cells of each département drawn, in fill order.
    pub cells: Vec<(String, Vec<CommuneCell>)>,
    /// Values of the year by INSEE code.
    pub values: HashMap<String, CommuneValues>,
    /// Window, km.
    pub bbox: [f64; 4],
}

/// One commune map to draw.
struct Drawing<'a> {
    maps: &'a CommuneMaps,
    shapes: &'a Shapes,
    indicator: CommuneIndicator,
    lang: Lang,
    /// The run's heading and the year.
    subtitle: String,
}

/// Writes the three commune maps as PNG and SVG into `dir` (communes-apl-YEAR.png, …);
/// returns how many files. `heading` names the run (its title, zoomed territory included).
pub fn write_commune_maps(
    dir: &Path,
    maps: &CommuneMaps,
    shapes: &Shapes,
    heading: &str,
    at: (Lang, u16),
) -> Result<usize> {
    let (lang, year) = at;
    let size = MapFrame::of(maps.bbox).size();
    let mut written = 0;
    for indicator in CommuneIndicator::ALL {
        let d = Drawing {
            maps,
            shapes,
            indicator,
            lang,
            subtitle: format!("{heading} — {year}"),
        };
        let stem = format!("communes-{}-{year}", indicator.stem());
        let svg = dir.join(format!("{stem}.svg"));
        let root = SVGBackend::new(&svg, size).into_drawing_area();
        draw(&root, &d)?;
        root.present()
            .map_err(|e| anyhow!("{}: {e}", svg.display()))?;
        let png = dir.join(format!("{stem}.png"));
        let root = BitMapBackend::new(&png, size).into_drawing_area();
        draw(&root, &d)?;
        root.present()
            .map_err(|e| anyhow!("{}: {e}", png.display()))?;
        written += 2;
    }
    Ok(written)
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &Drawing) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    root.fill(&WHITE).map_err(e)?;
    let t = d.lang.communes();
    let title = t.titles[d.indicator as usize];
    let width = f64::from(WIDTH - 40);
    draw_text(root, title, (20, 12), fit(title, 24.0, width), HPos::Left)?;
    let sub = fit(&d.subtitle, 16.0, width);
    draw_text(root, &d.subtitle, (20, 46), sub, HPos::Left)?;
    draw_cells(root, d)?;
    let height = root.dim_in_pixel().1;
    let legend = side_legend::part(root, (WIDTH - LEGEND_PX, TITLE_PX, WIDTH, height));
    let mut entries: Vec<Entry> = d
        .indicator
        .classes(d.lang)
        .into_iter()
        .map(|(label, colour)| Entry {
            label,
            colour,
            key: Key::Box,
        })
        .collect();
    entries.push(Entry {
        label: t.no_data.to_string(),
        colour: NO_DATA,
        key: Key::Box,
    });
    draw_text(
        &legend,
        t.units[d.indicator as usize],
        (4, 0),
        16.0,
        HPos::Left,
    )?;
    side_legend::draw(&legend, &entries, 15.0)?;
    let grey = RGBColor(90, 90, 90);
    let below = 30 + (entries.len() as f64 * 15.0 * 1.7) as i32 + 20;
    for (k, line) in t.method.iter().enumerate() {
        draw_label(
            &legend,
            line,
            (4, below + 17 * k as i32),
            12.0,
            HPos::Left,
            &grey,
        )?;
    }
    super::animate::draw_source(root, d.lang, 1.2)
}

/// The cells filled by class, their borders in white (up to [`BORDERED_UP_TO`] communes),
/// the départements' outlines in dark grey over them.
fn draw_cells<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &Drawing) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    let frame = MapFrame::of(d.maps.bbox);
    let px =
        |ring: &[[f64; 2]]| -> Vec<(i32, i32)> { ring.iter().map(|p| frame.pixel(*p)).collect() };
    let count: usize = d.maps.cells.iter().map(|(_, c)| c.len()).sum();
    for (_, cells) in &d.maps.cells {
        for cell in cells {
            let colour = d.indicator.fill(d.maps.values.get(&cell.code));
            for ring in &cell.rings {
                root.draw(&Polygon::new(px(ring), colour.filled()))
                    .map_err(e)?;
            }
        }
        if count <= BORDERED_UP_TO {
            // Fainter where cells are small (a région), so the borders do not wash out the fill.
            let border = WHITE.mix(if count > 1500 { 0.5 } else { 1.0 });
            for ring in cells.iter().flat_map(|c| &c.rings) {
                root.draw(&PathElement::new(px(ring), border.stroke_width(1)))
                    .map_err(e)?;
            }
        }
    }
    let ink = RGBColor(40, 40, 40);
    let outline = if d.maps.cells.len() > 1 { 2 } else { 1 };
    for (code, _) in &d.maps.cells {
        for ring in d.shapes.holes.get(code).into_iter().flatten() {
            root.draw(&Polygon::new(px(ring), WHITE.filled()))
                .map_err(e)?;
        }
        for ring in d.shapes.departements.get(code).into_iter().flatten() {
            root.draw(&PathElement::new(px(ring), ink.stroke_width(outline)))
                .map_err(e)?;
        }
    }
    Ok(())
}
