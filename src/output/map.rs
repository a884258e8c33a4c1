//! Choropleth maps of départements: a fixed, colour-blind-safe scale (viridis) shared by every
//! frame, the outlines of `data/departements-shapes.json`, and a colour bar.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use clap::ValueEnum;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::glyphs::draw_label;

use super::run_data::RunData;
use super::text::Lang;
use crate::inputs::Shapes;

/// What a map shows, per département.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Indicator {
    /// Share of people aged 17+ without a médecin traitant, %.
    Share,
    /// GPs per 100,000 inhabitants.
    GpDensity,
    /// APL, consultations a year per inhabitant (population-weighted mean).
    Apl,
    /// A policy's effect on the share without a médecin traitant, percentage points
    /// (comparisons only).
    #[value(skip)]
    ShareEffect,
    /// Relative change of a département's GPs, % (validation maps only).
    #[value(skip)]
    GpChange,
}

impl Indicator {
    /// Column of departements.csv.
    pub fn column(self) -> &'static str {
        match self {
            Indicator::Share => "share_without_mt_17plus",
            Indicator::GpDensity => "gps_per_100k",
            Indicator::Apl => "apl_mean",
            Indicator::ShareEffect | Indicator::GpChange => "",
        }
    }

    /// Displayed value from the column's value.
    pub fn display(self, v: f64) -> f64 {
        match self {
            Indicator::Share | Indicator::ShareEffect | Indicator::GpChange => 100.0 * v,
            _ => v,
        }
    }

    /// A high value is a worse situation (drawn darker).
    pub fn high_is_bad(self) -> bool {
        matches!(self, Indicator::Share | Indicator::ShareEffect)
    }

    /// Name in a language.
    pub fn name(self, lang: Lang) -> &'static str {
        lang.text().indicators[self as usize]
    }

    /// A value formatted for the legend.
    pub fn format(self, lang: Lang, v: f64) -> String {
        match self {
            Indicator::Share => lang.percent(v, 0),
            Indicator::GpDensity => lang.number(v, 0),
            Indicator::Apl => lang.number(v, 1),
            Indicator::ShareEffect | Indicator::GpChange => {
                format!("{}{}", if v > 0.0 { "+" } else { "" }, lang.number(v, 1))
            }
        }
    }
}

/// A fixed colour scale from `lo` to `hi` (displayed units).
#[derive(Debug, Clone, Copy)]
pub struct ColourScale {
    /// Lowest value of the bar.
    pub lo: f64,
    /// Highest value of the bar.
    pub hi: f64,
    /// What is shown.
    pub indicator: Indicator,
}

impl ColourScale {
    /// The scale that covers every département and year of `runs` (so colours mean the same
    /// in every frame and on both maps of a comparison), rounded outwards to a readable step.
    /// Fails when no run recorded the indicator.
    pub fn covering(indicator: Indicator, runs: &[&RunData]) -> Result<ColourScale> {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for run in runs {
            let mut found = false;
            for series in run.departements.values() {
                let Some(values) = series.get(indicator.column()) else {
                    continue;
                };
                found = true;
                for &v in values.iter().filter(|v| v.is_finite()) {
                    lo = lo.min(indicator.display(v));
                    hi = hi.max(indicator.display(v));
                }
            }
            if !found {
                return Err(anyhow!(
                    "the run in {} did not record the indicator `{}` (no column {} in \
                     departements.csv); run it again with this version of medesert",
                    run.dir.display(),
                    indicator
                        .to_possible_value()
                        .map_or("?".into(), |v| v.get_name().to_string()),
                    indicator.column()
                ));
            }
        }
        if !lo.is_finite() {
            return Err(anyhow!("no département value to map"));
        }
        Ok(ColourScale::spanning(lo, hi, indicator))
    }

    /// A scale from `lo` to `hi` rounded outwards to a step of 1, 2 or 5 × 10ⁿ.
    pub fn spanning(lo: f64, hi: f64, indicator: Indicator) -> ColourScale {
        let step = nice_step((hi - lo).max(1e-9) / 5.0);
        let lo = (lo / step).floor() * step;
        let hi = ((hi / step).ceil() * step).max(lo + step);
        ColourScale { lo, hi, indicator }
    }

    /// The scale [−m, +m] shared by every map of a comparison's effects: `m` is the largest
    /// absolute effect of `effects` (displayed units), rounded outwards to a step of 1, 2 or
    /// 5 × 10ⁿ, so zero sits in the middle of the bar whatever the policies.
    pub fn centred<'a>(effects: impl IntoIterator<Item = &'a f64>, indicator: Indicator) -> Self {
        let m = effects
            .into_iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |m, v| m.max(v.abs()))
            .max(0.01);
        let step = nice_step(m / 2.0);
        let m = (m / step - 1e-9).ceil() * step;
        ColourScale {
            lo: -m,
            hi: m,
            indicator,
        }
    }

    /// Colour of a displayed value: viridis, dark where the situation is worse; for an effect,
    /// diverging blue–white–red with white at zero and red where the share without an MT rises.
    pub fn colour(&self, v: f64) -> RGBColor {
        if self.indicator == Indicator::ShareEffect {
            let m = self.hi.abs().max(self.lo.abs()).max(1e-12);
            return super::palette::diverging(v / m);
        }
        let h = ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        let h = if self.indicator.high_is_bad() {
            1.0 - h
        } else {
            h
        };
        ViridisRGB::get_color(h)
    }

    /// Tick values of the bar (for an effect, symmetric around a tick at zero).
    pub fn ticks(&self) -> Vec<f64> {
        if self.indicator == Indicator::ShareEffect && self.lo == -self.hi {
            let step = nice_step(self.hi / 2.0);
            let n = (self.hi / step).round() as i32;
            return (-n..=n).map(|i| i as f64 * step).collect();
        }
        let step = nice_step((self.hi - self.lo) / 5.0);
        let n = ((self.hi - self.lo) / step).round() as usize;
        (0..=n).map(|i| self.lo + i as f64 * step).collect()
    }
}

/// 1, 2 or 5 × a power of ten, at least `x`.
fn nice_step(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= x * 0.999)
        .unwrap_or(10.0 * p)
}

/// Which départements a map draws and the window it fits.
#[derive(Debug, Clone)]
pub struct MapView {
    /// Codes drawn, in the outlines' fill order.
    pub codes: Vec<String>,
    /// `[min_x, min_y, max_x, max_y]`, km.
    pub bbox: [f64; 4],
}

impl MapView {
    /// A view of `codes` (those without an outline are skipped); `None` when none has one.
    pub fn of(shapes: &Shapes, codes: &[String]) -> Option<MapView> {
        let codes: Vec<String> = shapes
            .draw_order
            .iter()
            .filter(|c| codes.contains(c))
            .cloned()
            .collect();
        let bbox = shapes.bbox(codes.iter().map(String::as_str))?;
        Some(MapView { codes, bbox })
    }
}

/// Values shown on a map: département code → displayed value (absent: not simulated).
pub type Values = std::collections::HashMap<String, f64>;

/// What every frame's map shares: outlines, window, colour scale and département names.
pub struct Map<'a> {
    /// Outlines.
    pub shapes: &'a Shapes,
    /// Départements drawn and window.
    pub view: &'a MapView,
    /// Colour scale.
    pub scale: &'a ColourScale,
    /// Names by code, written on the map when it shows at most [`NAMED_UP_TO`] départements.
    pub names: &'a BTreeMap<String, String>,
    /// Legend of the grey fill of départements with no value.
    pub not_simulated: &'a str,
}

/// Maps of this many départements or fewer carry their names.
pub const NAMED_UP_TO: usize = 15;

/// Draws the départements of the map filled by `values` on `area`, fitted and centred.
pub fn draw_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &Map,
    values: &Values,
    font_px: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let (w, h) = area.dim_in_pixel();
    let [x0, y0, x1, y1] = map.view.bbox;
    let k = (w as f64 / (x1 - x0)).min(h as f64 / (y1 - y0)) * 0.98;
    let (ox, oy) = (
        (w as f64 - (x1 - x0) * k) / 2.0,
        (h as f64 - (y1 - y0) * k) / 2.0,
    );
    let px = |p: &[f64; 2]| {
        (
            (ox + (p[0] - x0) * k).round() as i32,
            (oy + (y1 - p[1]) * k).round() as i32,
        )
    };
    let border = RGBColor(255, 255, 255);
    let missing = RGBColor(215, 215, 215);
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    let shapes = map.shapes;
    for code in &map.view.codes {
        let fill = values.get(code).map_or(missing, |&v| map.scale.colour(v));
        for ring in &shapes.departements[code] {
            let points: Vec<(i32, i32)> = ring.iter().map(px).collect();
            area.draw(&Polygon::new(points.clone(), fill.filled()))
                .map_err(e)?;
            area.draw(&PathElement::new(points, border.stroke_width(1)))
                .map_err(e)?;
        }
        for ring in shapes.holes.get(code).into_iter().flatten() {
            let points: Vec<(i32, i32)> = ring.iter().map(px).collect();
            area.draw(&Polygon::new(points, WHITE.filled()))
                .map_err(e)?;
        }
    }
    if map.view.codes.iter().any(|c| !values.contains_key(c)) {
        let side = font_px as i32;
        let (x, y) = (2, h as i32 - side - 2);
        area.draw(&Rectangle::new(
            [(x, y), (x + side, y + side)],
            missing.filled(),
        ))
        .map_err(e)?;
        let at = (x + side + (font_px / 2.0) as i32, y + 1);
        draw_label(area, map.not_simulated, at, font_px, HPos::Left, &BLACK)?;
    }
    if map.view.codes.len() > NAMED_UP_TO {
        return Ok(());
    }
    for code in &map.view.codes {
        let (Some(at), Some(name)) = (shapes.labels.get(code), map.names.get(code)) else {
            continue;
        };
        let fill = values.get(code).map_or(missing, |&v| map.scale.colour(v));
        let luminance = 0.3 * f64::from(fill.0) + 0.6 * f64::from(fill.1) + 0.1 * f64::from(fill.2);
        let dark = luminance < 128.0;
        let ink = if dark { WHITE } else { BLACK };
        let (x, y) = px(at);
        let y = y - (font_px / 2.0) as i32;
        draw_label(area, name, (x, y), font_px, HPos::Center, &ink)?;
    }
    Ok(())
}

/// Draws a horizontal colour bar with ticks and the indicator name above it, filling `area`.
pub fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &ColourScale,
    lang: Lang,
    font_px: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let margin = (font_px * 1.5) as i32;
    let bar_top = (font_px * 1.4) as i32;
    let bar_h = (h - bar_top - (font_px * 1.4) as i32).max(4);
    draw_label(
        area,
        scale.indicator.name(lang),
        (margin, 0),
        font_px,
        HPos::Left,
        &BLACK,
    )?;
    let width = (w - 2 * margin).max(10);
    for i in 0..width {
        let v = scale.lo + (scale.hi - scale.lo) * (i as f64 + 0.5) / width as f64;
        area.draw(&Rectangle::new(
            [(margin + i, bar_top), (margin + i + 1, bar_top + bar_h)],
            scale.colour(v).filled(),
        ))
        .map_err(e)?;
    }
    for t in scale.ticks() {
        let x = margin + ((t - scale.lo) / (scale.hi - scale.lo) * width as f64).round() as i32;
        area.draw(&PathElement::new(
            vec![(x, bar_top + bar_h), (x, bar_top + bar_h + 3)],
            BLACK.stroke_width(1),
        ))
        .map_err(e)?;
        let label = scale.indicator.format(lang, t);
        draw_label(
            area,
            &label,
            (x, bar_top + bar_h + 5),
            font_px,
            HPos::Center,
            &BLACK,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(0.8), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(0.03), 0.05);
    }

    #[test]
    fn worse_situations_are_darker_whatever_the_indicator() {
        let luminance = |c: RGBColor| 0.3 * c.0 as f64 + 0.6 * c.1 as f64 + 0.1 * c.2 as f64;
        let share = ColourScale {
            lo: 0.0,
            hi: 20.0,
            indicator: Indicator::Share,
        };
        assert!(luminance(share.colour(18.0)) < luminance(share.colour(2.0)));
        let density = ColourScale {
            lo: 40.0,
            hi: 140.0,
            indicator: Indicator::GpDensity,
        };
        assert!(luminance(density.colour(50.0)) < luminance(density.colour(130.0)));
    }
}
