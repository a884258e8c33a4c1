//! A finished run folder read back (national.csv, regions.csv, departements.csv, gp_ages.csv,
//! manifest.json), for animations and figures drawn after the run, whole or zoomed on a part
//! of its territory.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::cell;
use super::heading::{FRANCE, headings, with_territory};
use super::text::Lang;
use crate::scenario::Title;
use crate::tables::cell::Dialect;

/// Numeric columns of a table, one value per year (in `RunData::years` order).
#[derive(Debug, Clone, Default)]
pub struct Series(HashMap<String, Vec<f64>>);

impl Series {
    /// Values of a column, if the table has it.
    pub fn get(&self, column: &str) -> Option<&[f64]> {
        self.0.get(column).map(Vec::as_slice)
    }

    /// Value of a column at a fractional year index `t` (linear between years); 0 when the
    /// column is absent.
    pub fn at(&self, column: &str, t: f64) -> f64 {
        self.get(column).map_or(0.0, |v| interpolate(v, t))
    }
}

/// The part of a run's territory a picture shows: the régions and départements asked for
/// (INSEE codes) and every département they cover.
#[derive(Debug, Clone, Default)]
pub struct Zoom {
    /// Régions asked for.
    pub regions: Vec<String>,
    /// Départements asked for.
    pub departements: Vec<String>,
    /// The départements framed: those asked for and those of the régions.
    pub codes: Vec<String>,
}

/// The series of several départements together, for the columns the pictures draw: counts
/// (the integer columns of the tables) are added, the shares of adults without an MT (and
/// their split by reason) are weighted by each département's adults, and GPs per 100,000 come
/// from the summed GPs and people. Columns with no such rule (means and shares over GPs) are
/// left out rather than guessed.
pub fn aggregate(parts: &[&Series], years: usize) -> Series {
    use crate::tables::{Format, INDICATORS};
    let column = |s: &Series, c: &str, k: usize| s.get(c).and_then(|v| v.get(k)).copied();
    let sum = |c: &str, k: usize| -> f64 {
        parts
            .iter()
            .filter_map(|s| column(s, c, k))
            .filter(|v| v.is_finite())
            .sum()
    };
    let mut out: HashMap<String, Vec<f64>> = HashMap::new();
    for (name, format) in INDICATORS {
        if parts.iter().any(|s| s.get(name).is_none()) {
            continue;
        }
        let values: Vec<f64> = (0..years)
            .map(|k| {
                if format == Format::Count {
                    sum(name, k)
                } else if name.starts_with("share_without_mt_17plus") {
                    let (mut adults, mut weighted) = (0.0, 0.0);
                    for s in parts {
                        let (n, v) = (column(s, "population_17plus", k), column(s, name, k));
                        if let (Some(n), Some(v)) = (n, v)
                            && v.is_finite()
                        {
                            adults += n;
                            weighted += n * v;
                        }
                    }
                    if adults > 0.0 {
                        weighted / adults
                    } else {
                        f64::NAN
                    }
                } else if name == "gps_per_100k" {
                    let people = sum("population", k);
                    if people > 0.0 {
                        1e5 * sum("gps", k) / people
                    } else {
                        f64::NAN
                    }
                } else {
                    f64::NAN
                }
            })
            .collect();
        if values.iter().any(|v| !v.is_nan()) {
            out.insert(name.to_string(), values);
        }
    }
    Series(out)
}

/// Linear interpolation of `v` at fractional index `t`, clamped to its ends.
pub fn interpolate(v: &[f64], t: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let t = t.clamp(0.0, (v.len() - 1) as f64);
    let (i, f) = (t.floor() as usize, t.fract());
    let next = v[(i + 1).min(v.len() - 1)];
    v[i] + (next - v[i]) * f
}

/// GPs by sex and age band in one year (`gp_ages.csv`).
#[derive(Debug, Clone, Default)]
pub struct GpAges {
    /// Lower bound of each band, years.
    pub age_from: Vec<u8>,
    /// GPs per band: men, women.
    pub gps: [Vec<f64>; 2],
}

/// What a run folder holds.
#[derive(Debug, Clone)]
pub struct RunData {
    /// The folder.
    pub dir: PathBuf,
    /// Scenario name (manifest.json), as the run folder's files are named after it.
    pub scenario: String,
    /// What the run is called where no title is given: the scenario name and the territory.
    pub name: String,
    /// Scenario title in French and English (manifest.json), when the scenario has one.
    pub title: Option<Title>,
    /// Years, in order.
    pub years: Vec<u16>,
    /// National series (national.csv).
    pub national: Series,
    /// Series per département code (departements.csv).
    pub departements: BTreeMap<String, Series>,
    /// Name of each département code.
    pub departement_names: BTreeMap<String, String>,
    /// Series per région code (regions.csv; empty for runs written before it existed).
    pub regions: BTreeMap<String, Series>,
    /// Name of each région code.
    pub region_names: BTreeMap<String, String>,
    /// GP age pyramid per year (gp_ages.csv; empty for runs written before it existed).
    pub gp_ages: BTreeMap<u16, GpAges>,
}

impl RunData {
    /// Reads a run folder written by `medesert run`.
    pub fn load(dir: &Path) -> Result<RunData> {
        if !dir.is_dir() {
            bail!(
                "run folder {} does not exist (expected the output folder of `medesert run`, \
                 with national.csv and departements.csv)",
                dir.display()
            );
        }
        let manifest = dir.join("manifest.json");
        let text = std::fs::read_to_string(&manifest).with_context(|| {
            format!(
                "{} is not a finished run folder: cannot read {}",
                dir.display(),
                manifest.display()
            )
        })?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: not valid JSON", manifest.display()))?;
        let name = json["scenario"].as_str().unwrap_or("run").to_string();
        // Runs written before titles existed have none.
        let title = match json.get("title") {
            None | Some(serde_json::Value::Null) => None,
            Some(t) => Some(
                serde_json::from_value(t.clone())
                    .with_context(|| format!("{}: `title`", manifest.display()))?,
            ),
        };
        let (years, national) = read_national(&dir.join("national.csv"))?;
        let (departements, departement_names) = read_units(&dir.join("departements.csv"), &years)?;
        let regions_csv = dir.join("regions.csv");
        let (regions, region_names) = if regions_csv.exists() {
            read_units(&regions_csv, &years)?
        } else {
            Default::default()
        };
        let gp_ages = read_gp_ages(&dir.join("gp_ages.csv"))?;
        Ok(RunData {
            dir: dir.to_path_buf(),
            scenario: name.clone(),
            name,
            title,
            years,
            national,
            departements,
            departement_names,
            regions,
            region_names,
            gp_ages,
        })
    }

    /// The run as seen on `zoom`: its headline series (`national`) become the zoomed
    /// territory's, read from regions.csv for one région and from departements.csv for one
    /// département; for several, summed over the départements (see [`aggregate`]). Its name
    /// gains the territory's. The GP pyramid, recorded for the whole run only, is left out. A
    /// département of the zoom that the run did not simulate is refused.
    pub fn zoomed(&self, zoom: &Zoom) -> Result<RunData> {
        if zoom.codes.is_empty() {
            return Ok(self.own_territory());
        }
        let missing: Vec<&str> = zoom
            .codes
            .iter()
            .filter(|c| !self.departements.contains_key(*c))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            bail!(
                "the run in {} did not simulate département(s) {}: zoom on its territory \
                 (départements {})",
                self.dir.display(),
                missing.join(", "),
                self.departements
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let one_region = match (zoom.regions.as_slice(), zoom.departements.is_empty()) {
            ([r], true) => self.regions.get(r).map(|s| (r, s)),
            _ => None,
        };
        let (national, label) = match (one_region, zoom.codes.as_slice()) {
            (Some((code, series)), _) => (
                series.clone(),
                both(&self.name_of(&self.region_names, code)),
            ),
            (None, [code]) => (
                self.departements[code].clone(),
                both(&self.name_of(&self.departement_names, code)),
            ),
            (None, codes) => {
                let parts: Vec<&Series> = codes.iter().map(|c| &self.departements[c]).collect();
                let names: Vec<String> = codes
                    .iter()
                    .map(|c| self.name_of(&self.departement_names, c))
                    .collect();
                let label = if names.len() <= 3 {
                    names.join(", ")
                } else {
                    format!("{} départements", names.len())
                };
                let label = both(&label);
                (aggregate(&parts, self.years.len()), label)
            }
        };
        Ok(RunData {
            national,
            gp_ages: BTreeMap::new(),
            ..self.labelled(&label)
        })
    }

    /// The run named after the territory it simulated: metropolitan France, or up to three
    /// départements by name, else its région if it reported one, else the number of
    /// départements.
    fn own_territory(&self) -> RunData {
        if self.departements.len() >= METROPOLITAN_DEPARTEMENTS || self.departements.is_empty() {
            return self.labelled(&Title {
                fr: FRANCE.0.to_string(),
                en: FRANCE.1.to_string(),
            });
        }
        let label = match (self.departements.len(), self.regions.keys().next()) {
            (1..=3, _) => self
                .departements
                .keys()
                .map(|c| self.name_of(&self.departement_names, c))
                .collect::<Vec<_>>()
                .join(", "),
            (_, Some(r)) if self.regions.len() == 1 => self.name_of(&self.region_names, r),
            (n, _) => format!("{n} départements"),
        };
        self.labelled(&both(&label))
    }

    /// The run with `label` (a territory, in each language) after its name and title, unless
    /// they already name it.
    fn labelled(&self, label: &Title) -> RunData {
        RunData {
            name: with_territory(&self.scenario, &label.en),
            title: Some(headings(self.title.as_ref(), &self.scenario, label)),
            ..self.clone()
        }
    }

    /// What frames and figures call the run: the scenario's title in `lang`, else its name.
    pub fn heading(&self, lang: Lang) -> &str {
        match (&self.title, lang) {
            (Some(t), Lang::Fr) => &t.fr,
            (Some(t), Lang::En) => &t.en,
            (None, _) => &self.name,
        }
    }

    /// The name of a unit, or its code when the table has none.
    fn name_of(&self, names: &BTreeMap<String, String>, code: &str) -> String {
        names
            .get(code)
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// Index of a year, if the run covers it.
    pub fn year_index(&self, year: u16) -> Option<usize> {
        self.years.iter().position(|&y| y == year)
    }
}

/// A territory's name, the same in both languages.
fn both(label: &str) -> Title {
    Title {
        fr: label.to_string(),
        en: label.to_string(),
    }
}

/// Départements of metropolitan France (a run with fewer simulated only part of it).
const METROPOLITAN_DEPARTEMENTS: usize = 96;

/// A number of the table; NaN for an empty cell (a ratio with nobody to divide among).
fn parse(path: &Path, at: (Dialect, usize), column: &str, cell: &str) -> Result<f64> {
    let (dialect, line) = at;
    let value = dialect
        .parse(cell)
        .with_context(|| format!("{} line {line}, column {column}", path.display()))?;
    Ok(value.unwrap_or(f64::NAN))
}

/// A number that must be there (a year, a band, a count).
fn required(path: &Path, at: (Dialect, usize), column: &str, cell: &str) -> Result<f64> {
    let v = parse(path, at, column, cell)?;
    if v.is_nan() {
        bail!("{} line {}, column {column}: empty", path.display(), at.1);
    }
    Ok(v)
}

/// Year column and numeric columns of national.csv.
fn read_national(path: &Path) -> Result<(Vec<u16>, Series)> {
    let (dialect, mut r) = cell::reader(path)?;
    let headers = r.headers()?.clone();
    let mut years = Vec::new();
    let mut columns: HashMap<String, Vec<f64>> = HashMap::new();
    for (i, record) in r.records().enumerate() {
        let record = record.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        for (h, cell) in headers.iter().zip(record.iter()) {
            let v = if h == "year" {
                required(path, (dialect, i + 2), h, cell)?
            } else {
                parse(path, (dialect, i + 2), h, cell)?
            };
            if h == "year" {
                years.push(v as u16);
            } else {
                columns.entry(h.to_string()).or_default().push(v);
            }
        }
    }
    if years.is_empty() {
        bail!("{} has no years", path.display());
    }
    Ok((years, Series(columns)))
}

/// departements.csv: numeric columns per département code, aligned on `years`, and names.
type Units = (BTreeMap<String, Series>, BTreeMap<String, String>);

fn read_units(path: &Path, years: &[u16]) -> Result<Units> {
    let (dialect, mut r) = cell::reader(path)?;
    let headers = r.headers()?.clone();
    let mut units: BTreeMap<String, Series> = BTreeMap::new();
    let mut names = BTreeMap::new();
    for (i, record) in r.records().enumerate() {
        let record = record.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        let code = record.get(1).unwrap_or_default().to_string();
        let year = required(
            path,
            (dialect, i + 2),
            "year",
            record.get(0).unwrap_or_default(),
        )? as u16;
        let Some(at) = years.iter().position(|&y| y == year) else {
            bail!(
                "{} line {}: year {year} is not in national.csv",
                path.display(),
                i + 2
            );
        };
        names.insert(code.clone(), record.get(2).unwrap_or_default().to_string());
        let unit = units.entry(code).or_default();
        for (h, cell) in headers.iter().zip(record.iter()).skip(3) {
            let v = parse(path, (dialect, i + 2), h, cell)?;
            let column = unit
                .0
                .entry(h.to_string())
                .or_insert_with(|| vec![f64::NAN; years.len()]);
            column[at] = v;
        }
    }
    Ok((units, names))
}

/// gp_ages.csv (absent in older runs: empty).
fn read_gp_ages(path: &Path) -> Result<BTreeMap<u16, GpAges>> {
    let mut out: BTreeMap<u16, GpAges> = BTreeMap::new();
    if !path.exists() {
        return Ok(out);
    }
    let (dialect, mut r) = cell::reader(path)?;
    let headers = r.headers()?.clone();
    // By name: a French table has the sex's label after its code.
    let names = ["year", "sex", "age_from", "gps"];
    let at: Vec<usize> = names
        .iter()
        .map(|n| Dialect::column(path, &headers, n))
        .collect::<Result<_>>()?;
    for (i, record) in r.records().enumerate() {
        let record = record.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        let cell = |k: usize| record.get(at[k]).unwrap_or_default();
        let year = required(path, (dialect, i + 2), "year", cell(0))? as u16;
        let from = required(path, (dialect, i + 2), "age_from", cell(2))? as u8;
        let gps = required(path, (dialect, i + 2), "gps", cell(3))?;
        let ages = out.entry(year).or_default();
        let sex = usize::from(cell(1) == crate::tables::SEXES[1]);
        if sex == 0 {
            ages.age_from.push(from);
        }
        ages.gps[sex].push(gps);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_is_linear_between_years_and_clamped_at_the_ends() {
        let v = [10.0, 20.0, 40.0];
        assert_eq!(interpolate(&v, 0.5), 15.0);
        assert_eq!(interpolate(&v, 1.25), 25.0);
        assert_eq!(interpolate(&v, -1.0), 10.0);
        assert_eq!(interpolate(&v, 7.0), 40.0);
    }
}
