//! Text laid out with the embedded font's own metrics. plotters 0.3.7 (ab_glyph backend)
//! draws each glyph without its left side bearing and puts the baseline half an em below the
//! anchor, which makes small labels unevenly spaced ("1 7 an s") and clips large ones. Here
//! each character is placed by ab_glyph (advances, kerning, bearings) and drawn on its own,
//! so labels read evenly at every size in PNG and GIF. In SVG each label is one `<text>`
//! element (font family and size given), laid out by the viewer and editable.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, ScaleFont};
use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plots::{FONT, register_font};

fn font() -> &'static FontRef<'static> {
    static F: OnceLock<FontRef<'static>> = OnceLock::new();
    F.get_or_init(|| FontRef::try_from_slice(FONT).expect("the embedded font is a valid TTF"))
}

/// Where each character goes: (character, x offset of its drawing origin), and the width.
fn layout(s: &str, size: f64) -> (Vec<(char, f64)>, f64) {
    let f = font().as_scaled(size as f32);
    let mut pen = 0f32;
    let mut prev = None;
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            pen += f.kern(p, id);
        }
        prev = Some(id);
        // plotters draws the glyph box at the origin: add the bearing it leaves out.
        let bearing = f
            .outline_glyph(f.scaled_glyph(c))
            .map_or(0.0, |g| g.px_bounds().min.x);
        out.push((c, (pen + bearing) as f64));
        pen += f.h_advance(id);
    }
    (out, pen as f64)
}

/// Width of `s` in pixels at `size`.
pub fn width(s: &str, size: f64) -> f64 {
    layout(s, size).1
}

/// The size at which `s` fits in `max_width` pixels: `size`, or smaller (down to 60 % of it)
/// so that long captions or scenario names do not run into their neighbours.
pub fn fit(s: &str, size: f64, max_width: f64) -> f64 {
    let w = width(s, size);
    if w <= max_width || w == 0.0 {
        size
    } else {
        (size * max_width / w).max(0.6 * size)
    }
}

/// [`draw_label`] in black.
pub fn draw_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    at: (i32, i32),
    size: f64,
    h: HPos,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    draw_label(area, s, at, size, h, &BLACK)
}

/// Draws `s` with its top (cap height) at `at.1`, aligned on `at.0` by `h`.
pub fn draw_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    at: (i32, i32),
    size: f64,
    h: HPos,
    colour: &RGBColor,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    register_font();
    if is_svg::<DB>() {
        // An SVG viewer lays text out itself: one editable `<text>` per label, top at `at.1`
        // (plotters' SVG backend shifts a top-anchored label down by 0.76 em, near the cap
        // height of 0.73 em).
        let style = ("sans-serif", size)
            .into_font()
            .color(colour)
            .pos(Pos::new(h, VPos::Top));
        return area
            .draw(&Text::new(s.to_string(), at, style))
            .map_err(|e| anyhow!("{e}"));
    }
    let (chars, w) = layout(s, size);
    let x0 = at.0 as f64
        - match h {
            HPos::Left => 0.0,
            HPos::Center => w / 2.0,
            HPos::Right => w,
        };
    // plotters puts the baseline size/2 below the anchor; DejaVu's cap height is 0.73 em.
    let y = at.1 + (0.23 * size).round() as i32;
    let style = ("sans-serif", size)
        .into_font()
        .color(colour)
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (c, dx) in chars {
        if c == ' ' || c == '\u{a0}' {
            continue;
        }
        let x = (x0 + dx).round() as i32;
        area.draw(&Text::new(c.to_string(), (x, y), style.clone()))
            .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(())
}

/// Whether `DB` is plotters' SVG backend (the backends are generic parameters here, and
/// `SVGBackend` borrows, so `TypeId` cannot tell them apart).
fn is_svg<DB: DrawingBackend>() -> bool {
    std::any::type_name::<DB>().contains("SVGBackend")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::text::Lang;

    #[test]
    fn every_character_of_both_languages_has_a_glyph_in_the_embedded_font() {
        let f = font();
        for lang in [Lang::Fr, Lang::En] {
            let numbers = [lang.percent(-12345.6, 1), lang.colon("a", "b")];
            for s in lang
                .text()
                .all()
                .into_iter()
                .chain(numbers.iter().map(String::as_str))
            {
                for c in s.chars() {
                    assert_ne!(f.glyph_id(c).0, 0, "no glyph for {c:?} in {s:?}");
                }
            }
        }
    }

    #[test]
    fn labels_are_laid_out_with_advances_so_wider_text_is_wider() {
        assert!(width("médecins", 15.0) > width("médecin", 15.0));
        assert!((width("ab", 30.0) - 2.0 * width("ab", 15.0)).abs() < 1.0);
        assert_eq!(fit("court", 15.0, 1000.0), 15.0);
        assert!(fit("un titre beaucoup trop long", 20.0, 100.0) < 20.0);
    }
}
