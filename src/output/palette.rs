//! GIF frames on one fixed 256-colour palette (greys, viridis, the chart colours and their
//! tints), so a colour means the same in every frame: no per-frame quantisation drift, and
//! the same bytes on every machine.

use std::collections::HashMap;
use std::io::Write;

use anyhow::{Context, Result};
use plotters::prelude::{Color, RGBColor, ViridisRGB};

use super::plots::COLOURS;

/// Extra series colours (Okabe–Ito yellow, and a dark magenta apart from the reasons'
/// reddish purple) used by comparisons.
pub(crate) const EXTRA_COLOURS: [RGBColor; 2] = [RGBColor(240, 228, 66), RGBColor(150, 0, 90)];

/// ColorBrewer RdBu (11 classes) reversed: blue for a fall, white at zero, red for a rise;
/// colour-blind safe.
pub(crate) const RDBU: [(u8, u8, u8); 11] = [
    (5, 48, 97),
    (33, 102, 172),
    (67, 147, 195),
    (146, 197, 222),
    (209, 229, 240),
    (255, 255, 255),
    (253, 219, 199),
    (244, 165, 130),
    (214, 96, 77),
    (178, 24, 43),
    (103, 0, 31),
];

/// Colour of `t` in [−1, 1] on [`RDBU`], linearly between its classes.
pub(crate) fn diverging(t: f64) -> RGBColor {
    let x = (t.clamp(-1.0, 1.0) + 1.0) / 2.0 * (RDBU.len() - 1) as f64;
    let i = (x.floor() as usize).min(RDBU.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (RDBU[i], RDBU[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The fixed palette and a cache of nearest entries.
struct Palette {
    colours: Vec<[u8; 3]>,
    nearest: HashMap<[u8; 3], u8>,
}

impl Palette {
    fn new() -> Palette {
        let mut colours: Vec<[u8; 3]> = (0..64u32)
            .map(|i| {
                let g = (i * 255 / 63) as u8;
                [g, g, g]
            })
            .collect();
        colours.extend((0..96).map(|i| {
            let c = ViridisRGB::get_color(i as f64 / 95.0);
            [c.0, c.1, c.2]
        }));
        for c in COLOURS.iter().chain(&EXTRA_COLOURS) {
            for alpha in [1.0, 0.85, 0.7, 0.55, 0.4, 0.25, 0.12] {
                let t = c.mix(alpha).to_rgba();
                let over = |v: u8| (v as f64 * t.3 + 255.0 * (1.0 - t.3)).round() as u8;
                colours.push([over(t.0), over(t.1), over(t.2)]);
            }
        }
        colours.truncate(256);
        Palette {
            colours,
            nearest: HashMap::new(),
        }
    }

    /// Index of the nearest palette colour (weighted RGB distance).
    fn index(&mut self, rgb: [u8; 3]) -> u8 {
        let colours = &self.colours;
        *self.nearest.entry(rgb).or_insert_with(|| {
            let d = |c: &[u8; 3]| {
                let dr = c[0] as i32 - rgb[0] as i32;
                let dg = c[1] as i32 - rgb[1] as i32;
                let db = c[2] as i32 - rgb[2] as i32;
                2 * dr * dr + 4 * dg * dg + 3 * db * db
            };
            (0..colours.len())
                .min_by_key(|&i| d(&colours[i]))
                .unwrap_or(0) as u8
        })
    }

    fn bytes(&self) -> Vec<u8> {
        let mut b: Vec<u8> = self.colours.iter().flatten().copied().collect();
        b.resize(256 * 3, 0);
        b
    }
}

/// GIF comment extension label (GIF89a).
const COMMENT_LABEL: u8 = 0xFE;
/// The comment medesert writes in every GIF.
const GIF_COMMENT: &[u8] = b"medesert animation";

/// Whether the file at `path` is a GIF medesert wrote (its comment block, near the start).
pub fn is_medesert_gif(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = vec![0; 4096];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    let head = &head[..n];
    head.starts_with(b"GIF89a") && head.windows(GIF_COMMENT.len()).any(|w| w == GIF_COMMENT)
}

/// An animated GIF being written, frame by frame, looping forever.
pub struct GifWriter<W: Write> {
    encoder: gif::Encoder<W>,
    palette: Palette,
    size: (u16, u16),
}

impl<W: Write> GifWriter<W> {
    /// Starts a GIF of `width` × `height` pixels.
    pub fn new(w: W, width: u32, height: u32) -> Result<GifWriter<W>> {
        let size = (
            u16::try_from(width).context("GIF width above 65,535")?,
            u16::try_from(height).context("GIF height above 65,535")?,
        );
        let palette = Palette::new();
        let mut encoder = gif::Encoder::new(w, size.0, size.1, &palette.bytes())?;
        encoder.set_repeat(gif::Repeat::Infinite)?;
        // A comment block says who wrote the file: a later `animate --out` may replace it.
        encoder.write_raw_extension(gif::AnyExtension(COMMENT_LABEL), &[GIF_COMMENT])?;
        Ok(GifWriter {
            encoder,
            palette,
            size,
        })
    }

    /// Adds an RGB frame (3 bytes per pixel, rows top down) shown for `delay_ms`.
    pub fn add_frame(&mut self, rgb: &[u8], delay_ms: u32) -> Result<()> {
        let pixels: Vec<u8> = rgb
            .chunks_exact(3)
            .map(|p| self.palette.index([p[0], p[1], p[2]]))
            .collect();
        let mut frame = gif::Frame::from_indexed_pixels(self.size.0, self.size.1, pixels, None);
        frame.delay = u16::try_from(delay_ms.div_ceil(10)).unwrap_or(u16::MAX);
        self.encoder.write_frame(&frame)?;
        Ok(())
    }

    /// Writes the trailer and flushes; returns the writer.
    pub fn finish(self) -> Result<W> {
        let mut w = self.encoder.into_inner()?;
        w.flush()?;
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_holds_exact_greys_and_the_chart_colours() {
        let mut p = Palette::new();
        assert_eq!(
            p.colours.len(),
            64 + 96 + 7 * (COLOURS.len() + EXTRA_COLOURS.len())
        );
        for rgb in [[0, 0, 0], [255, 255, 255], [0, 114, 178]] {
            let i = p.index(rgb);
            assert_eq!(p.colours[i as usize], rgb);
        }
    }
}
