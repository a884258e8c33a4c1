//! Animated GIFs and PNG frames of a run (or of a baseline and a policy side by side): one
//! frame per year (or several, interpolated), each with a map by département on a fixed
//! colour scale, the national curve drawn up to that year, and large readable figures.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::charts::{draw_reason_legend, draw_share_chart};
use super::glyphs::{draw_label, draw_text, fit};
use super::map::{ColourScale, Indicator, Map, MapView, Values, draw_colour_bar, draw_map};
use super::palette::GifWriter;
pub use super::palette::is_medesert_gif;
use super::run_data::{RunData, interpolate};
use super::text::Lang;
use crate::inputs::Shapes;

/// How an animation looks and moves.
#[derive(Debug, Clone)]
pub struct AnimationOptions {
    /// Language of every visible text.
    pub lang: Lang,
    /// Width and height, pixels.
    pub size: (u32, u32),
    /// What the maps show.
    pub indicator: Indicator,
    /// Frames per simulated year (above 1, the values in between are interpolated).
    pub frames_per_year: u32,
    /// Time each frame is shown, ms.
    pub delay_ms: u32,
    /// Time the last frame is shown, ms.
    pub hold_ms: u32,
}

/// Everything needed to draw any frame: the runs (one, or a baseline and a policy), the map
/// window and the colour scale shared by all frames.
pub struct Scene<'a> {
    runs: Vec<&'a RunData>,
    shapes: &'a Shapes,
    view: MapView,
    scale: ColourScale,
    options: AnimationOptions,
}

impl<'a> Scene<'a> {
    /// Prepares a scene. `zoom` names the départements to frame (empty: every simulated
    /// one). Fails when the runs cover different years, a run lacks the indicator, or no
    /// framed département has an outline.
    pub fn new(
        runs: Vec<&'a RunData>,
        shapes: &'a Shapes,
        zoom: &[String],
        options: AnimationOptions,
    ) -> Result<Scene<'a>> {
        let first = runs.first().ok_or_else(|| anyhow!("no run to animate"))?;
        if let Some(other) = runs.iter().find(|r| r.years != first.years) {
            bail!(
                "{} covers {}–{} and {} covers {}–{}: a side-by-side animation needs the same years",
                first.dir.display(),
                first.years[0],
                first.years[first.years.len() - 1],
                other.dir.display(),
                other.years[0],
                other.years[other.years.len() - 1]
            );
        }
        let scale = ColourScale::covering(options.indicator, &runs)?;
        let codes: Vec<String> = if zoom.is_empty() {
            first.departements.keys().cloned().collect()
        } else {
            zoom.to_vec()
        };
        let view = MapView::of(shapes, &codes).ok_or_else(|| {
            anyhow!(
                "none of the départements to map ({}) has an outline in departements-shapes.json",
                codes.join(", ")
            )
        })?;
        Ok(Scene {
            runs,
            shapes,
            view,
            scale,
            options,
        })
    }

    /// Number of frames: years × frames per year.
    pub fn frame_count(&self) -> usize {
        self.runs[0].years.len() * self.options.frames_per_year.max(1) as usize
    }

    /// Year shown by a frame and the fractional year index its values are taken at: the
    /// frames of a year move from the previous year's values to that year's.
    pub fn time_of(&self, frame: usize) -> (u16, f64) {
        let k = self.options.frames_per_year.max(1) as usize;
        let (i, j) = (frame / k, frame % k);
        let t = if i == 0 {
            0.0
        } else {
            (i - 1) as f64 + (j + 1) as f64 / k as f64
        };
        (self.runs[0].years[i], t)
    }

    /// The headline figure of a frame: the percentage of adults without an MT in the first run
    /// (its zoomed territory's, for a zoomed run).
    pub fn headline(&self, frame: usize) -> f64 {
        let (_, t) = self.time_of(frame);
        100.0 * self.runs[0].national.at("share_without_mt_17plus", t)
    }

    fn map(&self) -> Map<'_> {
        Map {
            shapes: self.shapes,
            view: &self.view,
            scale: &self.scale,
            names: &self.runs[0].departement_names,
            not_simulated: self.options.lang.text().not_simulated,
        }
    }

    fn values(&self, run: &RunData, t: f64) -> Values {
        let indicator = self.options.indicator;
        run.departements
            .iter()
            .filter_map(|(code, s)| {
                let v = interpolate(s.get(indicator.column())?, t);
                v.is_finite().then(|| (code.clone(), indicator.display(v)))
            })
            .collect()
    }

    /// Draws one frame on `root`.
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        frame: usize,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
        if self.runs.len() == 1 {
            self.draw_single(root, frame)
        } else {
            self.draw_side_by_side(root, frame)
        }
    }

    fn draw_single<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        frame: usize,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        let (year, t) = self.time_of(frame);
        let (w, h, u) = geometry(root);
        let px = |v: f64| (v * u).round() as i32;
        let lang = self.options.lang;
        let text = lang.text();
        let run = self.runs[0];
        let header = px(64.0);
        draw_header(root, lang, run.heading(lang), year, u)?;

        let split = (w as f64 * 0.6) as i32;
        let map = root
            .clone()
            .shrink((0, header), (split, h - header - px(80.0)));
        draw_map(&map, &self.map(), &self.values(run, t), 13.0 * u)?;
        let bar = root.clone().shrink((0, h - px(78.0)), (split, px(58.0)));
        draw_colour_bar(&bar, &self.scale, lang, 13.0 * u)?;
        draw_source(root, lang, u)?;

        let x = split + px(10.0);
        let column = (w - x - px(8.0)) as f64;
        let share = self.headline(frame);
        let figures = [
            (lang.percent(share, 1), 44.0, text.headline_caption),
            (
                lang.number(run.national.at("gps_per_100k", t), 0),
                26.0,
                text.gps_per_100k,
            ),
            (
                lang.number(run.national.at("msp_count", t), 0),
                26.0,
                text.msps,
            ),
        ];
        let mut y = header + px(4.0);
        for (value, size, caption) in figures {
            draw_text(root, &value, (x, y), size * u, HPos::Left)?;
            y += px(size * 0.73 + 8.0);
            draw_text(
                root,
                caption,
                (x, y),
                fit(caption, 15.0 * u, column),
                HPos::Left,
            )?;
            y += px(26.0);
        }
        // The legend: the total and the six reasons, at a size read from the back of a room.
        let legend_px = 14.0 * u;
        let legend_h = px(7.0 * 14.0 * 1.45 + 4.0);
        let chart = root.clone().shrink(
            (split, y),
            (w - split - px(8.0), h - y - legend_h - px(8.0)),
        );
        draw_share_chart(&chart, &self.runs, t, lang, u)?;
        let legend = root
            .clone()
            .shrink((x, h - legend_h), (w - x - px(4.0), legend_h));
        draw_reason_legend(&legend, lang, legend_px)
    }

    fn draw_side_by_side<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        frame: usize,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        let (year, t) = self.time_of(frame);
        let (w, h, u) = geometry(root);
        let px = |v: f64| (v * u).round() as i32;
        let lang = self.options.lang;
        let names: Vec<&str> = self.runs.iter().map(|r| r.heading(lang)).collect();
        draw_header(root, lang, &names.join(" / "), year, u)?;
        let maps_bottom = (h as f64 * 0.63) as i32;
        let half = w / 2;
        for (k, run) in self.runs.iter().take(2).enumerate() {
            let x = k as i32 * half;
            let share = 100.0 * run.national.at("share_without_mt_17plus", t);
            let label = lang.colon(run.heading(lang), &lang.percent(share, 1));
            let size = fit(&label, 16.0 * u, (half - px(24.0)) as f64);
            draw_text(root, &label, (x + px(12.0), px(66.0)), size, HPos::Left)?;
            let area = root
                .clone()
                .shrink((x, px(82.0)), (half, maps_bottom - px(82.0)));
            draw_map(&area, &self.map(), &self.values(run, t), 11.0 * u)?;
        }
        let bar = root.clone().shrink(
            ((w as f64 * 0.2) as i32, maps_bottom + px(2.0)),
            ((w as f64 * 0.6) as i32, px(52.0)),
        );
        draw_colour_bar(&bar, &self.scale, lang, 12.0 * u)?;
        let top = maps_bottom + px(58.0);
        let chart = root.clone().shrink((0, top), (w, h - top - px(18.0)));
        draw_share_chart(&chart, &self.runs, t, lang, u)?;
        let share = |r: &RunData| 100.0 * r.national.at("share_without_mt_17plus", t);
        let gap = share(self.runs[1]) - share(self.runs[0]);
        let label = lang.colon(
            lang.text().difference,
            &format!(
                "{}{} {}",
                if gap > 0.0 { "+" } else { "" },
                lang.number(gap, 1),
                lang.points(gap)
            ),
        );
        draw_text(
            root,
            &label,
            (w - px(16.0), top + px(8.0)),
            15.0 * u,
            HPos::Right,
        )?;
        draw_source(root, lang, u)
    }
}

/// Width and height in pixels, and the scale `u` of fonts and margins (1 at 800 × 600).
fn geometry<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> (i32, i32, f64) {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    (w, h, (w as f64 / 800.0).min(h as f64 / 600.0))
}

/// Title, scenario name and the year, large, at the top right.
fn draw_header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lang: Lang,
    subtitle: &str,
    year: u16,
    u: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let w = root.dim_in_pixel().0 as i32;
    let px = |v: f64| (v * u).round() as i32;
    let room = (w - px(150.0)) as f64;
    let title = lang.text().title;
    draw_text(
        root,
        title,
        (px(14.0), px(12.0)),
        fit(title, 26.0 * u, room),
        HPos::Left,
    )?;
    draw_text(
        root,
        subtitle,
        (px(14.0), px(44.0)),
        fit(subtitle, 15.0 * u, room),
        HPos::Left,
    )?;
    draw_text(
        root,
        &year.to_string(),
        (w - px(14.0), px(10.0)),
        44.0 * u,
        HPos::Right,
    )?;
    // Every frame says what it is: a model's output, not data.
    draw_label(
        root,
        lang.text().simulation,
        (w - px(14.0), px(50.0)),
        13.0 * u,
        HPos::Right,
        &RGBColor(90, 90, 90),
    )
}

/// The map source, small, at the bottom left.
pub(crate) fn draw_source<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lang: Lang,
    u: f64,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let h = root.dim_in_pixel().1 as f64;
    let at = ((6.0 * u) as i32, (h - 14.0 * u) as i32);
    draw_label(
        root,
        lang.text().source,
        at,
        11.0 * u,
        HPos::Left,
        &RGBColor(90, 90, 90),
    )
}

/// Renders frame `frame` into an RGB buffer.
fn render(scene: &Scene, frame: usize) -> Result<Vec<u8>> {
    let (w, h) = scene.options.size;
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        scene.draw(&root, frame)?;
        root.present().map_err(|e| anyhow!("{e}"))?;
    }
    Ok(rgb)
}

/// Writes the animation as a looping GIF, atomically (a temporary file renamed at the end).
pub fn write_gif(path: &Path, scene: &Scene) -> Result<()> {
    super::plots::register_font();
    crate::files::write_file_atomically(path, |file| {
        let (w, h) = scene.options.size;
        let mut gif = GifWriter::new(std::io::BufWriter::new(file), w, h)?;
        let n = scene.frame_count();
        for frame in 0..n {
            let delay = if frame + 1 == n {
                scene.options.hold_ms
            } else {
                scene.options.delay_ms
            };
            gif.add_frame(&render(scene, frame)?, delay)?;
        }
        gif.finish()?;
        Ok(())
    })
}

/// Writes every frame as `frame-NNN.png` in `dir`, atomically (the folder appears whole).
pub fn write_frames(dir: &crate::files::folder::Target, scene: &Scene) -> Result<()> {
    super::plots::register_font();
    let (w, h) = scene.options.size;
    dir.publish(|tmp| {
        for frame in 0..scene.frame_count() {
            let path = tmp.join(format!("frame-{:03}.png", frame + 1));
            let rgb = render(scene, frame)?;
            image::save_buffer(&path, &rgb, w, h, image::ColorType::Rgb8)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    })
}
