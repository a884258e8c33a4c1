//! `medesert report`: one self-contained HTML file from a run folder or a comparison folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::compare_data::CompareReport;
use super::page::{self, REPORT_MARK};
use super::report_data::RunReport;
use crate::cli::ReportArgs;
use crate::output::text::Lang;

/// What the page receives: its language and one of the two kinds of report.
#[derive(Debug, Serialize)]
struct PageData {
    lang: &'static str,
    kind: &'static str,
    run: Option<RunReport>,
    compare: Option<CompareReport>,
}

/// Writes the report of a run or comparison folder; prints where unless quiet.
pub fn report(args: ReportArgs) -> Result<()> {
    let dir = &args.folder;
    if !dir.is_dir() {
        bail!(
            "{} is not a folder: expected a run folder (`medesert run`) or a comparison \
             folder (`medesert compare`)",
            dir.display()
        );
    }
    let (data, title) = if dir.join("national.csv").exists() {
        let run = RunReport::load(dir, &args.data, args.region.as_deref())?;
        let title = match (&run.facts.title, args.lang) {
            (Some(t), Lang::Fr) => t.fr.clone(),
            (Some(t), Lang::En) => t.en.clone(),
            (None, _) => run.facts.scenario.clone(),
        };
        (page_data(args.lang, Some(run), None), title)
    } else {
        let compare = CompareReport::load(dir, &args.data)?;
        let title = format!("medesert — {}", compare.territory);
        (page_data(args.lang, None, Some(compare)), title)
    };
    let html = page::report(&data, args.lang, &title);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_path(dir, args.lang));
    check_replaceable(&out, args.force)?;
    crate::files::write_file_atomically(&out, |f| Ok(f.write_all(html.as_bytes())?))?;
    // Inside a run or comparison folder, the report is kept when the folder is rewritten.
    crate::files::folder::register_derived(&out)?;
    if !args.quiet {
        println!("wrote {} ({} kB)", out.display(), html.len().div_ceil(1000));
    }
    Ok(())
}

fn page_data(lang: Lang, run: Option<RunReport>, compare: Option<CompareReport>) -> PageData {
    PageData {
        lang: lang.code(),
        kind: if run.is_some() { "run" } else { "compare" },
        run,
        compare,
    }
}

/// A report may replace a report; any other file only with `--force` (never a folder).
fn check_replaceable(out: &Path, force: bool) -> Result<()> {
    if out.is_dir() {
        bail!(
            "--out {}: is a folder: expected an HTML file",
            out.display()
        );
    }
    if !out.exists() || force {
        return Ok(());
    }
    let mut head = vec![0u8; 200];
    let n = std::io::Read::read(
        &mut std::fs::File::open(out).with_context(|| format!("cannot read {}", out.display()))?,
        &mut head,
    )?;
    if String::from_utf8_lossy(&head[..n]).contains(REPORT_MARK) {
        return Ok(());
    }
    bail!(
        "{} exists and is not a report medesert wrote: give another --out, or --force to replace it",
        out.display()
    )
}

/// The default file of a report: `report-<lang>.html` in the folder.
pub fn default_path(dir: &Path, lang: Lang) -> PathBuf {
    dir.join(format!("report-{}.html", lang.code()))
}
