//! Writes a validation report: `validation.md`, `validation.csv` and three plots. Everything
//! in it derives from the seeds and the targets, so the same inputs give the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use plotters::prelude::*;

use super::plots::{COLOURS, legend, register_font, share_axes};
use crate::files::write_table;
use crate::model::Records;
use crate::validation::centres::{Deficits, IGAS_2025};
use crate::validation::{Densities, Measure, Row, geography, indicators, summary};

/// Everything a report shows.
pub struct Report<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Seeds of the replicates, in order.
    pub seeds: &'a [u64],
    /// People per patient agent.
    pub persons_per_agent: u32,
    /// Territory, in words.
    pub territory: String,
    /// Targets file, as given.
    pub targets: &'a Path,
    /// One row per target.
    pub rows: &'a [Row],
    /// GP densities by département in 2018.
    pub densities: Option<Densities>,
    /// Population index path: (year, simulated, INSEE, kind).
    pub population: Vec<(u16, f64, f64, &'static str)>,
    /// Health centres' results at the start year, every replicate's centres together.
    pub centres: Option<Deficits>,
    /// The start year's centre statistics against IGAS 2025, by replicate (shown and
    /// written beside the targets, outside the verdict: IGAS's figures are not a targets
    /// file's).
    pub centre_rows: &'a [Row],
    /// The replicates' records.
    pub runs: &'a [Records],
    /// Each département's RPPS change beside the model's.
    pub gp_changes: Vec<geography::GpChange>,
    /// Where the model's GPs go: installations by area, the seeds' mean change.
    pub places: geography::WhereGpsGo,
    /// Département outlines, for the map of the changes (none: no map).
    pub shapes: Option<&'a crate::inputs::Shapes>,
}

impl Report<'_> {
    /// (passed, compared, not compared).
    pub fn verdict(&self) -> (usize, usize, usize) {
        let compared = self.rows.iter().filter(|r| r.pass.is_some()).count();
        let passed = self.rows.iter().filter(|r| r.pass == Some(true)).count();
        (passed, compared, self.rows.len() - compared)
    }
}

fn num(v: f64) -> String {
    if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

/// `validation.csv` rows, header first.
pub fn csv_rows(rows: &[Row]) -> Vec<Vec<String>> {
    let mut out = vec![
        [
            "indicator",
            "year",
            "observed",
            "simulated_mean",
            "simulated_p05",
            "simulated_p95",
            "tolerance",
            "pass",
            "note",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in rows {
        let sim = |i: usize| {
            r.simulated
                .map_or(String::new(), |s| format!("{:.6}", s[i]))
        };
        out.push(vec![
            r.indicator.clone(),
            r.year.clone(),
            r.observed.map_or(String::new(), |v| v.to_string()),
            sim(0),
            sim(1),
            sim(2),
            r.tolerance.map_or(String::new(), |t| t.to_string()),
            r.pass.map_or(String::new(), |p| p.to_string()),
            r.note.clone(),
        ]);
    }
    out
}

/// Is this row a trend or geography target (`KIND:NAME`)?
fn is_trend(r: &Row) -> bool {
    r.indicator.contains(':')
}

/// The compared level targets as a Markdown table (also pasted in the README).
pub fn markdown_table(rows: &[Row]) -> String {
    table(rows.iter().filter(|r| !is_trend(r)))
}

/// The compared trend and geography targets as a Markdown table, with what each compares.
pub fn trend_table(rows: &[Row]) -> String {
    let mut md = table(rows.iter().filter(|r| is_trend(r)));
    md.push('\n');
    for r in rows.iter().filter(|r| is_trend(r) && r.pass.is_some()) {
        let _ = writeln!(md, "- `{}` {}: {}", r.indicator, r.year, r.note);
    }
    md
}

fn table<'a>(rows: impl Iterator<Item = &'a Row>) -> String {
    let mut md = String::from(
        "| indicator | year | observed | simulated mean [5–95 %] | tolerance | verdict |\n\
         |---|---|---|---|---|---|\n",
    );
    for r in rows.filter(|r| r.pass.is_some()) {
        let (o, s, t) = (
            r.observed.unwrap_or(f64::NAN),
            r.simulated.unwrap_or([f64::NAN; 3]),
            r.tolerance.map_or("see below".into(), |t| t.to_string()),
        );
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} [{}, {}] | {} | {} |",
            r.indicator,
            r.year,
            num(o),
            num(s[0]),
            num(s[1]),
            num(s[2]),
            t,
            if r.pass == Some(true) {
                "pass"
            } else {
                "**miss**"
            }
        );
    }
    md
}

/// `validation.md`.
pub fn markdown(r: &Report) -> String {
    let (passed, compared, skipped) = r.verdict();
    let mut md = format!(
        "# Validation: {}\n\n\
         - replicates: {} (seeds {})\n\
         - scale: {} persons per patient agent; territory: {}\n\
         - targets: `{}`\n\
         - verdict: **{passed} of {compared} compared targets pass**; {skipped} rows not compared \
         (listed below with the reason)\n\n\
         Simulated values are the mean over the seeds, with the 5th and 95th percentiles; a \
         target passes when the mean is within the tolerance of the observed value \
         (docs/validation.md gives each tolerance and why). A year's record is the state at \
         the end of that year.\n\n## Compared\n\n",
        r.scenario,
        r.seeds.len(),
        r.seeds
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        r.persons_per_agent,
        r.territory,
        r.targets.display(),
    );
    md.push_str(&markdown_table(r.rows));
    md.push_str(
        "\n## Trend and geography targets\n\n\
         Signed changes (`change:`: the right sign and within the tolerance), a trough \
         (`trough:`: the minimum's year and depth) and rank correlations with observed \
         geographies (`spearman:`: observed 1 is the observed ranking itself, so a tolerance \
         t asks for ρ ≥ 1 − t). docs/validation.md defines each.\n\n",
    );
    md.push_str(&trend_table(r.rows));
    md.push_str(&super::validation_geography::places_section(&r.places));
    md.push_str("\n## Not compared\n\n| indicator | year | observed | why |\n|---|---|---|---|\n");
    for row in r.rows.iter().filter(|x| x.pass.is_none()) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            row.indicator,
            row.year,
            row.observed.map_or("?".into(), num),
            row.note
        );
    }
    if let Some(d) = &r.densities {
        let _ = write!(
            md,
            "\n## GP density by département, {}\n\n\
             Simulated primary-care GPs per 100,000 against all GPs per 100,000 \
             (`data/gp-density-{}.csv`; the model's GPs are the primary-care share of them). \
             Correlation over {} départements: **r = {:.3}**; national ratio simulated / \
             observed: {:.3}. The five départements furthest from that ratio:\n\n\
             | département | simulated | observed | ratio / national ratio |\n|---|---|---|---|\n",
            d.year,
            d.year,
            d.rows.len(),
            d.correlation,
            d.national_ratio
        );
        for (code, name, sim, obs) in d.worst(5) {
            let _ = writeln!(
                md,
                "| {code} {name} | {sim:.1} | {obs:.1} | {:.2} |",
                sim / obs / d.national_ratio
            );
        }
    }
    if !r.population.is_empty() {
        md.push_str(
            "\n## Population path (first year = 1)\n\n\
             | year | simulated | INSEE | INSEE series |\n|---|---|---|---|\n",
        );
        for (year, sim, obs, kind) in &r.population {
            let _ = writeln!(md, "| {year} | {sim:.4} | {obs:.4} | {kind} |");
        }
    }
    if let Some(d) = &r.centres {
        let _ = write!(
            md,
            "\n## Health centres' accounts, start year\n\n\
             Result over costs of the {} start-year centres of all replicates (negative: \
             deficit; docs/model.md §3.6 gives the account), beside IGAS 2025; then each \
             statistic's mean (P5, P95) over the replicates (also in `validation.csv`; not \
             counted in the verdict).\n\n\
             | | lower quartile | median | upper quartile | share in surplus |\n\
             |---|---|---|---|---|\n\
             | simulated | {:.1} % | {:.1} % | {:.1} % | {:.1} % |\n\
             | IGAS 2025 | {:.0} % | {:.0} % | not given | {:.0} % |\n",
            d.centres,
            100.0 * d.lower_quartile,
            100.0 * d.median,
            100.0 * d.upper_quartile,
            100.0 * d.surplus_share,
            100.0 * IGAS_2025.lower_quartile,
            100.0 * IGAS_2025.median,
            100.0 * IGAS_2025.surplus_share,
        );
        md.push('\n');
        md.push_str(&markdown_table(r.centre_rows));
    }
    md.push_str(
        "\nFigures: `validation_share.png` (share without an MT, band over seeds, observed \
         points), `validation_densities.png`, `validation_population.png`; each département's RPPS \
         change beside the model's: `validation_departements.csv`.\n",
    );
    md
}

/// Share of 17+ without an MT: mean and 5–95 % band over seeds, observed targets as points.
/// The simulated share is the indicator's own definition (CNAM's count, without `moved`).
pub fn plot_share(path: &Path, r: &Report) -> Result<()> {
    let share = match indicators::find("share_without_mt_17plus").map(|i| i.produced) {
        Some(Ok(Measure::Intensive(f))) => f,
        _ => {
            return Err(anyhow!(
                "share_without_mt_17plus is not an intensive indicator"
            ));
        }
    };
    register_font();
    let root = BitMapBackend::new(path, (1000, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let years: Vec<u16> = r
        .runs
        .first()
        .map(|x| x.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    let band: Vec<(i32, [f64; 3])> = years
        .iter()
        .map(|&year| {
            let v: Vec<f64> = r
                .runs
                .iter()
                .filter_map(|run| run.years.iter().find(|y| y.year == year))
                .map(|y| 100.0 * share(&y.national))
                .collect();
            (year as i32, summary(&v))
        })
        .collect();
    let observed: Vec<(i32, f64)> = r
        .rows
        .iter()
        .filter(|x| x.indicator == "share_without_mt_17plus")
        .filter_map(|x| Some((x.year.trim().parse().ok()?, 100.0 * x.observed?)))
        .collect();
    let first = observed
        .iter()
        .map(|o| o.0)
        .chain(band.first().map(|b| b.0))
        .min()
        .unwrap_or(2018);
    let last = band.last().map_or(first + 1, |b| b.0).max(first + 1);
    let top = band
        .iter()
        .map(|b| b.1[2])
        .chain(observed.iter().map(|o| o.1))
        .fold(5.0, f64::max)
        * 1.3;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Sans médecin traitant / without a GP, 17+ — {} ({} seeds)",
                r.scenario,
                r.seeds.len()
            ),
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(first..last, 0.0..top)
        .map_err(|e| anyhow!("{e}"))?;
    share_axes(&mut chart, super::text::Lang::En)?;
    let mut polygon: Vec<(i32, f64)> = band.iter().map(|b| (b.0, b.1[2])).collect();
    polygon.extend(band.iter().rev().map(|b| (b.0, b.1[1])));
    chart
        .draw_series(std::iter::once(Polygon::new(
            polygon,
            COLOURS[1].mix(0.35).filled(),
        )))
        .map_err(|e| anyhow!("{e}"))?
        .label("simulated 5–95 %")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], COLOURS[1].filled()));
    chart
        .draw_series(LineSeries::new(
            band.iter().map(|b| (b.0, b.1[0])),
            COLOURS[0].stroke_width(3),
        ))
        .map_err(|e| anyhow!("{e}"))?
        .label("simulated mean")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], COLOURS[0].stroke_width(3)));
    chart
        .draw_series(
            observed
                .iter()
                .map(|&(x, y)| Circle::new((x, y), 7, COLOURS[2].filled())),
        )
        .map_err(|e| anyhow!("{e}"))?
        .label("observed (CNAM)")
        .legend(|(x, y)| Circle::new((x + 7, y), 6, COLOURS[2].filled()));
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// Simulated against observed GP density by département, with the national-ratio line.
pub fn plot_densities(path: &Path, d: &Densities) -> Result<()> {
    register_font();
    let root = BitMapBackend::new(path, (800, 700)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let max_x = d.rows.iter().map(|r| r.3).fold(1.0, f64::max) * 1.05;
    let max_y = d.rows.iter().map(|r| r.2).fold(1.0, f64::max) * 1.05;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("GPs per 100,000, {} (r = {:.2})", d.year, d.correlation),
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..max_x, 0.0..max_y)
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .configure_mesh()
        .x_desc("observed, all GPs (DREES/INSEE)")
        .y_desc("simulated, primary-care GPs")
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (max_x, max_x * d.national_ratio)],
            BLACK.stroke_width(1),
        ))
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .draw_series(
            d.rows
                .iter()
                .map(|r| Circle::new((r.3, r.2), 4, COLOURS[0].filled())),
        )
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .draw_series(d.worst(5).into_iter().map(|r| {
            Text::new(
                r.0.clone(),
                (r.3 + max_x * 0.01, r.2),
                ("sans-serif", 15).into_font(),
            )
        }))
        .map_err(|e| anyhow!("{e}"))?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// Population index, simulated and INSEE (observed, then projected).
pub fn plot_population(path: &Path, path_rows: &[(u16, f64, f64, &'static str)]) -> Result<()> {
    register_font();
    let root = BitMapBackend::new(path, (1000, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let first = path_rows.first().map_or(2018, |r| r.0 as i32);
    let last = path_rows.last().map_or(2019, |r| r.0 as i32).max(first + 1);
    let values = path_rows.iter().flat_map(|r| [r.1, r.2]);
    let (lo, hi) = values.fold((1.0f64, 1.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let pad = ((hi - lo) * 0.2).max(0.005);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Population (first year = 1): simulated vs INSEE",
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(first..last, (lo - pad)..(hi + pad))
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .configure_mesh()
        .label_style(("sans-serif", 15))
        .x_label_formatter(&|y| y.to_string())
        .y_label_formatter(&|v| format!("{v:.3}"))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .draw_series(LineSeries::new(
            path_rows.iter().map(|r| (r.0 as i32, r.1)),
            COLOURS[0].stroke_width(3),
        ))
        .map_err(|e| anyhow!("{e}"))?
        .label("simulated")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], COLOURS[0].stroke_width(3)));
    chart
        .draw_series(path_rows.iter().map(|r| {
            let colour = if r.3 == "observed" {
                COLOURS[2]
            } else {
                COLOURS[3]
            };
            Circle::new((r.0 as i32, r.2), 6, colour.filled())
        }))
        .map_err(|e| anyhow!("{e}"))?
        .label("INSEE (orange: observed; yellow: 2021 projection)")
        .legend(|(x, y)| Circle::new((x + 7, y), 6, COLOURS[2].filled()));
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// Writes the whole report into `dir`.
pub fn write(dir: &Path, r: &Report) -> Result<()> {
    let md = dir.join("validation.md");
    std::fs::write(&md, markdown(r)).with_context(|| format!("cannot write {}", md.display()))?;
    let rows: Vec<Row> = r.rows.iter().chain(r.centre_rows).cloned().collect();
    write_table(&dir.join("validation.csv"), &csv_rows(&rows))?;
    if !r.gp_changes.is_empty() {
        write_table(
            &dir.join("validation_departements.csv"),
            &gp_change_rows(&r.gp_changes),
        )?;
        if let Some(shapes) = r.shapes {
            super::validation_geography::plot_gp_change_maps(
                &dir.join("validation_gp_change.png"),
                &r.gp_changes,
                shapes,
            )?;
        }
    }
    plot_share(&dir.join("validation_share.png"), r)?;
    if let Some(d) = &r.densities {
        plot_densities(&dir.join("validation_densities.png"), d)?;
    }
    if !r.population.is_empty() {
        plot_population(&dir.join("validation_population.png"), &r.population)?;
    }
    Ok(())
}

/// `validation_departements.csv`: each département's GPs in the two years of the RPPS
/// comparison, observed (all modes) and simulated (primary care, mean of the replicates).
fn gp_change_rows(changes: &[geography::GpChange]) -> Vec<Vec<String>> {
    let (a, b) = geography::RPPS_YEARS;
    let mut rows = vec![vec![
        "departement".to_string(),
        "nom".to_string(),
        format!("rpps_gps_{a}"),
        format!("rpps_gps_{b}"),
        "rpps_change".to_string(),
        format!("simulated_gps_{a}"),
        format!("simulated_gps_{b}"),
        "simulated_change".to_string(),
        "simulated_installations_chosen".to_string(),
        "simulated_salaried_entries".to_string(),
        "simulated_retirements".to_string(),
        "simulated_other_exits".to_string(),
    ]];
    for c in changes {
        rows.push(vec![
            c.code.clone(),
            c.name.clone(),
            c.observed.0.to_string(),
            c.observed.1.to_string(),
            format!("{:.4}", c.observed_change()),
            format!("{:.1}", c.simulated.0),
            format!("{:.1}", c.simulated.1),
            format!("{:.4}", c.simulated_change()),
            format!("{:.1}", c.flows.chosen),
            format!("{:.1}", c.flows.salaried),
            format!("{:.1}", c.flows.retirements),
            format!("{:.1}", c.flows.other_exits),
        ]);
    }
    rows
}
