//! The series a run's plots draw: one run's records, or, over replicates, the means of the
//! runs with the band holding 90 % of them (5th to 95th percentile, from the summary that
//! `experiment::replicates` computed; nothing is computed here but units and labels).

use anyhow::{Result, anyhow};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;

use super::text::{Lang, fill};
use crate::experiment::replicates::Summary;
use crate::model::{Reason, Records};

/// What a run's plots are drawn from: its (first) run's records, and the summary over its
/// replicates when it has several.
pub type PlotSource<'a> = (&'a Records, Option<&'a Summary>);

/// Colour of a band: grey, so that it reads over the reasons' colours.
const BAND: RGBColor = RGBColor(70, 70, 70);

/// The band of 90 % of the runs around a mean line: (year, p5, p95) in the plot's unit.
#[derive(Debug, Clone)]
pub struct Band {
    /// (year, p5, p95).
    pub points: Vec<(i32, f64, f64)>,
    /// Its legend, e.g. "90 % of 10 runs (seeds)".
    pub label: String,
}

/// The mean line of `indicator` (times `scale`) over a summary's runs, with its band.
pub fn mean_and_band(
    summary: &Summary,
    indicator: &str,
    scale: f64,
    lang: Lang,
) -> (Vec<(i32, f64)>, Band) {
    let stats = summary.national(indicator);
    let mean = stats
        .iter()
        .map(|(y, s)| (i32::from(*y), scale * s.mean))
        .collect();
    let points = stats
        .iter()
        .map(|(y, s)| (i32::from(*y), scale * s.p5, scale * s.p95))
        .collect();
    (
        mean,
        Band {
            points,
            label: band_label(summary, lang),
        },
    )
}

/// "90 % of N runs (seeds)", or "(K parameter sets × M seeds)" over an ensemble.
fn band_label(summary: &Summary, lang: Lang) -> String {
    let words = &lang.text().run;
    let what = if summary.sets > 1 {
        let (sets, seeds) = (summary.sets.to_string(), summary.seeds.to_string());
        fill(words.varied[1], &[&sets, &seeds])
    } else {
        words.varied[0].to_string()
    };
    fill(words.band, &[&summary.runs.to_string(), &what])
}

/// The headline chart's series, in percent of people 17+, year by year.
#[derive(Debug, Clone)]
pub struct Headline {
    /// Years.
    pub years: Vec<i32>,
    /// Share by reason, in `Reason::ALL` order, each year.
    pub reasons: Vec<[f64; Reason::COUNT]>,
    /// Total share each year.
    pub total: Vec<f64>,
    /// The share as CNAM counts it (without `moved`) each year.
    pub cnam: Vec<f64>,
    /// Legend of the total line.
    pub total_label: String,
    /// Over replicates: the band of the total.
    pub band: Option<Band>,
}

impl Headline {
    /// One run's shares, or the runs' mean shares and the band when a summary is given.
    pub fn of((records, summary): PlotSource, lang: Lang) -> Headline {
        match summary {
            Some(s) if s.runs > 1 => Self::of_summary(s, lang),
            _ => Self::of_records(records, lang),
        }
    }

    fn of_records(records: &Records, lang: Lang) -> Headline {
        let share = |c: &crate::model::Counts, r: Reason| {
            100.0 * c.share_of_adults(c.without(r)).unwrap_or(f64::NAN)
        };
        let reasons: Vec<[f64; Reason::COUNT]> = records
            .years
            .iter()
            .map(|y| Reason::ALL.map(|r| share(&y.national, r)))
            .collect();
        let moved = Reason::ALL.iter().position(|r| *r == Reason::Moved);
        Headline {
            years: records.years.iter().map(|y| i32::from(y.year)).collect(),
            total: reasons.iter().map(|r| r.iter().sum()).collect(),
            cnam: reasons
                .iter()
                .map(|r| r.iter().sum::<f64>() - moved.map_or(0.0, |m| r[m]))
                .collect(),
            reasons,
            total_label: lang.text().total.to_string(),
            band: None,
        }
    }

    fn of_summary(s: &Summary, lang: Lang) -> Headline {
        const TOTAL: &str = "share_without_mt_17plus";
        let (total, band) = mean_and_band(s, TOTAL, 100.0, lang);
        let means = |indicator: &str| -> Vec<f64> {
            s.national(indicator)
                .iter()
                .map(|(_, x)| 100.0 * x.mean)
                .collect()
        };
        let by_reason: Vec<Vec<f64>> = Reason::ALL
            .iter()
            .map(|r| means(&format!("{TOTAL}_{}", r.code())))
            .collect();
        let reasons = (0..total.len())
            .map(|k| std::array::from_fn(|i| by_reason[i].get(k).copied().unwrap_or(0.0)))
            .collect();
        Headline {
            years: total.iter().map(|p| p.0).collect(),
            total: total.iter().map(|p| p.1).collect(),
            cnam: means(&format!("{TOTAL}_cnam")),
            reasons,
            total_label: fill(lang.text().run.total_mean, &[&s.runs.to_string()]),
            band: Some(band),
        }
    }
}

/// Draws a band (filled, with thin edges) on a chart over years, labelled for its legend.
pub fn draw_band<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordi32, RangedCoordf64>>,
    band: &Band,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let outline: Vec<(i32, f64)> = band
        .points
        .iter()
        .map(|p| (p.0, p.2))
        .chain(band.points.iter().rev().map(|p| (p.0, p.1)))
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(
            outline,
            BAND.mix(0.35).filled(),
        )))
        .map_err(|e| anyhow!("{e}"))?
        .label(band.label.clone())
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], BAND.mix(0.35).filled()));
    for edge in [
        band.points.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
        band.points.iter().map(|p| (p.0, p.2)).collect(),
    ] {
        chart
            .draw_series(LineSeries::new(edge, BAND.stroke_width(1)))
            .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(())
}
