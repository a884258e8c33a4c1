//! Static figures of a run for reports, each in PNG and SVG: the headline chart, the map of a
//! year, the GP age pyramid at the first and last years, and the flows of a year.

use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::animate::draw_source;
use super::glyphs::draw_text as text;

use super::charts::{draw_reason_legend, draw_share_chart};
use super::commune_map::{CommuneMaps, write_commune_maps};
use super::map::{ColourScale, Indicator, Map, MapView, Values, draw_colour_bar, draw_map};
use super::plots::{COLOURS, register_font};
use super::run_data::RunData;
use super::text::Lang;
use crate::inputs::Shapes;

/// What the figures show.
#[derive(Debug, Clone)]
pub struct FigureOptions {
    /// Year of the map and the flows.
    pub year: u16,
    /// Language of every visible text.
    pub lang: Lang,
    /// What the map shows.
    pub indicator: Indicator,
    /// Départements the map is framed on (empty: every simulated one).
    pub zoom: Vec<String>,
    /// Commune maps to draw too (APL, share without an MT, zone), if asked for.
    pub communes: Option<CommuneMaps>,
}

/// The figures.
#[derive(Debug, Clone, Copy)]
enum Figure {
    Headline,
    Map,
    Pyramid,
    Flows,
}

struct Context<'a> {
    run: &'a RunData,
    shapes: &'a Shapes,
    options: &'a FigureOptions,
}

/// Writes every figure as PNG and SVG into `out` (atomically); returns how many files.
/// The pyramid is left out for a run written before gp_ages.csv existed.
pub fn write_figures(
    out: &crate::files::folder::Target,
    run: &RunData,
    shapes: &Shapes,
    options: &FigureOptions,
) -> Result<usize> {
    register_font();
    // Checked before anything is drawn: the run recorded the indicator.
    ColourScale::covering(options.indicator, &[run])?;
    let ctx = Context {
        run,
        shapes,
        options,
    };
    let figures = figures(run, options.year);
    let mut written = 0;
    out.publish(|dir| {
        for (figure, stem, size) in &figures {
            for ext in ["png", "svg"] {
                save(&dir.join(format!("{stem}.{ext}")), *size, *figure, &ctx)?;
                written += 1;
            }
        }
        if let Some(maps) = &options.communes {
            let heading = run.heading(options.lang);
            written +=
                write_commune_maps(dir, maps, shapes, heading, (options.lang, options.year))?;
        }
        Ok(())
    })?;
    Ok(written)
}

/// The labels of every figure that would fall outside its canvas (a check for the tests and
/// reviews, on the same drawing code): (file stem, clipped labels) for each figure.
pub fn clipped_labels(
    run: &RunData,
    shapes: &Shapes,
    options: &FigureOptions,
) -> Result<Vec<(String, Vec<String>)>> {
    register_font();
    ColourScale::covering(options.indicator, &[run])?;
    let ctx = Context {
        run,
        shapes,
        options,
    };
    figures(run, options.year)
        .into_iter()
        .map(|(figure, stem, size)| {
            let clipped = super::extents::clipped_labels(size, |root| draw(root, figure, &ctx))?;
            Ok((stem, clipped))
        })
        .collect()
}

/// The figures of `run` for `year`: each with its file stem and size (px). The pyramid is
/// left out for a run written before gp_ages.csv existed.
fn figures(run: &RunData, year: u16) -> Vec<(Figure, String, (u32, u32))> {
    let mut figures = vec![
        (Figure::Headline, "headline".to_string(), (1000, 600)),
        (Figure::Map, format!("map-{year}"), (800, 800)),
        (Figure::Flows, format!("flows-{year}"), (1000, 500)),
    ];
    if !run.gp_ages.is_empty() {
        figures.push((Figure::Pyramid, "gp-pyramid".to_string(), (900, 600)));
    }
    figures
}

fn save(path: &Path, size: (u32, u32), figure: Figure, ctx: &Context) -> Result<()> {
    if path.extension().is_some_and(|e| e == "svg") {
        let root = SVGBackend::new(path, size).into_drawing_area();
        draw(&root, figure, ctx)?;
        root.present()
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
    } else {
        let root = BitMapBackend::new(path, size).into_drawing_area();
        draw(&root, figure, ctx)?;
        root.present()
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: Figure,
    ctx: &Context,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    match figure {
        Figure::Headline => headline(root, ctx),
        Figure::Map => map(root, ctx),
        Figure::Pyramid => pyramid(root, ctx),
        Figure::Flows => flows(root, ctx),
    }
}

fn headline<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Context) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let lang = ctx.options.lang;
    let run = ctx.run;
    let title = format!("{} — {}", lang.text().title, run.heading(lang));
    text(root, &title, (20, 12), 26.0, HPos::Left)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let chart = root.clone().shrink((0, 50), (w - 260, h - 50));
    draw_share_chart(&chart, &[run], (run.years.len() - 1) as f64, lang, 1.3)?;
    let legend = root.clone().shrink((w - 250, 80), (245, 200));
    draw_reason_legend(&legend, lang, 15.0)
}

fn map<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Context) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let (lang, year, indicator) = (ctx.options.lang, ctx.options.year, ctx.options.indicator);
    let run = ctx.run;
    let t = run.year_index(year).unwrap_or(0) as f64;
    let scale = ColourScale::covering(indicator, &[run])?;
    let codes: Vec<String> = if ctx.options.zoom.is_empty() {
        run.departements.keys().cloned().collect()
    } else {
        ctx.options.zoom.clone()
    };
    let view = MapView::of(ctx.shapes, &codes)
        .ok_or_else(|| anyhow!("no simulated département has an outline"))?;
    let values: Values = run
        .departements
        .iter()
        .filter_map(|(code, s)| {
            let v = s.get(indicator.column())?[t as usize];
            v.is_finite().then(|| (code.clone(), indicator.display(v)))
        })
        .collect();
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    text(root, indicator.name(lang), (20, 12), 22.0, HPos::Left)?;
    text(
        root,
        &format!("{} — {year}", run.heading(lang)),
        (20, 42),
        16.0,
        HPos::Left,
    )?;
    let area = root.clone().shrink((10, 70), (w - 20, h - 160));
    let m = Map {
        shapes: ctx.shapes,
        view: &view,
        scale: &scale,
        names: &run.departement_names,
        not_simulated: lang.text().not_simulated,
    };
    draw_map(&area, &m, &values, 15.0)?;
    let bar = root.clone().shrink((w / 8, h - 86), (w * 3 / 4, 60));
    draw_colour_bar(&bar, &scale, lang, 14.0)?;
    draw_source(root, lang, 1.2)
}

fn pyramid<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Context) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    let lang = ctx.options.lang;
    let t = lang.text();
    let ages = &ctx.run.gp_ages;
    let (Some((&y0, first)), Some((&y1, last))) = (ages.first_key_value(), ages.last_key_value())
    else {
        return Ok(());
    };
    let n = first.age_from.len();
    let max = [first, last]
        .iter()
        .flat_map(|a| a.gps.iter().flatten())
        .fold(1.0f64, |m, v| m.max(*v))
        * 1.1;
    let title = format!(
        "{} — {} ({y0}, {y1})",
        t.pyramid,
        ctx.run.heading(ctx.options.lang)
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(-max..max, 0.0..n as f64)
        .map_err(e)?;
    let bands = first.age_from.clone();
    chart
        .configure_mesh()
        .label_style(("sans-serif", 15))
        .x_desc(format!("{} ({} | {})", t.gps, t.sexes[0], t.sexes[1]))
        .y_desc(t.age)
        .y_labels(n + 1)
        .x_label_formatter(&|v| lang.number(v.abs(), 0))
        .y_label_formatter(&|v| {
            let k = v.round() as usize;
            match bands.get(k) {
                Some(a) if k > 0 => a.to_string(),
                _ => String::new(),
            }
        })
        .draw()
        .map_err(e)?;
    for (sex, colour) in [(0usize, COLOURS[0]), (1, COLOURS[2])] {
        let sign = if sex == 0 { -1.0 } else { 1.0 };
        let bar = |k: usize, v: f64| [(0.0, k as f64 + 0.08), (sign * v, k as f64 + 0.92)];
        chart
            .draw_series(
                last.gps[sex]
                    .iter()
                    .enumerate()
                    .map(|(k, v)| Rectangle::new(bar(k, *v), colour.mix(0.8).filled())),
            )
            .map_err(e)?
            .label(format!("{} {y1}", t.sexes[sex]))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
        chart
            .draw_series(
                first.gps[sex]
                    .iter()
                    .enumerate()
                    .map(|(k, v)| Rectangle::new(bar(k, *v), BLACK.stroke_width(2))),
            )
            .map_err(e)?
            .label(format!("{} {y0}", t.sexes[sex]))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], BLACK.stroke_width(2)));
    }
    super::plots::legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// One bar of the flows figure: name, value, colour.
type Bar<'a> = (&'a str, f64, RGBColor);

fn flows<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Context) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
    let (lang, year) = (ctx.options.lang, ctx.options.year);
    let t = lang.text();
    let k = ctx.run.year_index(year).unwrap_or(0) as f64;
    let at = |c: &str| ctx.run.national.at(c, k);
    let gp = [
        at("installations"),
        at("retirements"),
        at("exits") - at("retirements"),
    ];
    let patients = [at("patients_losing_mt"), at("patients_finding_mt")];
    let title = format!("{} {year} — {}", t.flows, ctx.run.heading(ctx.options.lang));
    text(root, &title, (20, 12), 22.0, HPos::Left)?;
    let body = root
        .clone()
        .shrink((0, 40), (root.dim_in_pixel().0, root.dim_in_pixel().1 - 40));
    let (left, right) = body.split_horizontally(root.dim_in_pixel().0 / 2);
    let panels: [(&DrawingArea<DB, Shift>, String, Vec<Bar>); 2] = [
        (
            &left,
            t.gps.to_string(),
            t.gp_flows
                .iter()
                .zip(gp)
                .zip([COLOURS[4], COLOURS[2], COLOURS[3]])
                .map(|((n, v), c)| (*n, v, c))
                .collect(),
        ),
        (
            &right,
            t.persons.to_string(),
            t.patient_flows
                .iter()
                .zip(patients)
                .zip([COLOURS[2], COLOURS[4]])
                .map(|((n, v), c)| (*n, v, c))
                .collect(),
        ),
    ];
    for (area, caption, bars) in panels {
        let max = bars.iter().fold(1.0f64, |m, b| m.max(b.1)) * 1.3;
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", 18))
            .margin(15)
            .x_label_area_size(35)
            .y_label_area_size(10)
            .build_cartesian_2d(0.0..max, 0.0..bars.len() as f64)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_y_axis()
            .disable_y_mesh()
            .label_style(("sans-serif", 14))
            .x_labels(5)
            .x_label_formatter(&|v| lang.number(*v, 0))
            .draw()
            .map_err(e)?;
        let n = bars.len() as f64;
        for (i, (name, v, colour)) in bars.iter().enumerate() {
            let y = n - 1.0 - i as f64;
            chart
                .draw_series([Rectangle::new(
                    [(0.0, y + 0.1), (*v, y + 0.55)],
                    colour.filled(),
                )])
                .map_err(e)?;
            let label = lang.colon(name, &lang.number(*v, 0));
            let at = chart.backend_coord(&(0.0, y + 0.85));
            text(root, &label, (at.0 + 4, at.1), 16.0, HPos::Left)?;
        }
    }
    Ok(())
}
