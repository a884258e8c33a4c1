//! One year of a run's `communes.csv` read back, for commune maps.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::cell;
use super::commune_table::ZONES;

/// A commune's indicators in one year; `None` where the run simulated nobody there (so the
/// map draws it as "no data", never as the best class).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommuneValues {
    /// APL to all GPs, consultations a year per inhabitant.
    pub apl: Option<f64>,
    /// Share of the simulated people aged 17+ without a médecin traitant, 0–1.
    pub share_without_mt: Option<f64>,
    /// Tier of the under-dense zone: index in [`ZONES`] (0 none, 1 intermediate, 2 priority).
    pub zone: Option<usize>,
}

/// The columns read.
const NEEDED: [&str; 7] = [
    "year",
    "commune",
    "departement",
    "population",
    "share_without_mt_17plus",
    "apl",
    "zone",
];

/// The communes of `departements` in `year` from the run folder `dir` (INSEE code → values).
/// Refuses a run written without `--communes`, and a year with no commune row.
pub fn read_commune_values(
    dir: &Path,
    year: u16,
    departements: &[String],
) -> Result<HashMap<String, CommuneValues>> {
    let path = dir.join("communes.csv");
    if !path.exists() {
        bail!(
            "the run in {} has no communes.csv: commune maps need it; run the scenario again \
             with `medesert run --communes`",
            dir.display()
        );
    }
    let (dialect, mut r) = cell::reader(&path)?;
    let headers = r.headers()?.clone();
    let mut at = [0usize; NEEDED.len()];
    for (k, name) in NEEDED.iter().enumerate() {
        at[k] = headers.iter().position(|h| h == *name).with_context(|| {
            format!(
                "{}: no column {name} (a run of an older medesert?)",
                path.display()
            )
        })?;
    }
    let year_text = year.to_string();
    let mut out = HashMap::new();
    for (i, record) in r.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{} line {line}", path.display()))?;
        let cell = |k: usize| record.get(at[k]).unwrap_or_default();
        let number = |k: usize| {
            dialect
                .parse(cell(k))
                .with_context(|| format!("{} line {line}, column {}", path.display(), NEEDED[k]))
        };
        // Every row's numbers are checked, not only the year drawn: a table holding a NaN or
        // a word was not written by medesert.
        let (population, share, apl) = (number(3)?, number(4)?, number(5)?);
        if cell(0) != year_text || !departements.iter().any(|d| d == cell(2)) {
            continue;
        }
        let simulated = population.is_some_and(|n| n > 0.0);
        let zone = ZONES.iter().position(|z| *z == cell(6)).with_context(|| {
            format!(
                "{} line {line}, column zone: {:?}, expected one of {}",
                path.display(),
                cell(6),
                ZONES.join(", ")
            )
        })?;
        let values = CommuneValues {
            apl: apl.filter(|_| simulated),
            share_without_mt: share.filter(|_| simulated),
            zone: simulated.then_some(zone),
        };
        out.insert(cell(1).to_string(), values);
    }
    if out.is_empty() {
        bail!(
            "{}: no commune of département(s) {} in {year}",
            path.display(),
            departements.join(", ")
        );
    }
    Ok(out)
}
