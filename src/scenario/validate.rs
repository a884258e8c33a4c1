//! Checks of a scenario, before anything runs. Every scalar is checked against its registry
//! row (`parameters.csv`): outside its hard range it is refused, outside its plausible range
//! it is warned about; no number anywhere (policies and lists included) may be NaN or
//! infinite (TOML allows `nan` and `inf`). What involves two fields is checked by hand here
//! and, for policies, in `levers.rs`. Each error names the file, the field, the value as the
//! user wrote it and what was expected.

use std::fmt::Display;
use std::path::Path;

use super::registry::{self, Kind};
use super::{Scenario, ScenarioError};

/// Checks every registry row's value against its hard range, and every number of the tree
/// for NaN and infinity. A missing field or a value of the wrong type is left to serde,
/// whose message names it.
pub(super) fn check_tree(tree: &toml::Table, path: &Path) -> Result<(), ScenarioError> {
    for p in registry::all() {
        let Some(v) = lookup(tree, &p.name) else {
            continue;
        };
        let Some(x) = number(v) else { continue };
        let (lo, hi) = p.hard;
        let what = match p.kind {
            Kind::Integer => "a whole number",
            Kind::Real => "a finite number",
        };
        let (lo_text, hi_text) = (p.bound_text(lo), p.bound_text(hi));
        let whole = p.kind == Kind::Real || v.is_integer();
        if !(whole && x.is_finite() && (lo..=hi).contains(&x)) {
            return Err(invalid(
                path,
                &p.name,
                v,
                format!(
                    "{what} between {lo_text} and {hi_text} (hard range: what the model can run)"
                ),
            ));
        }
    }
    match tree.iter().find_map(|(k, v)| non_finite(k.clone(), v)) {
        Some((field, v)) => Err(invalid(
            path,
            &field,
            v,
            "a finite number (nan and inf are refused)".into(),
        )),
        None => Ok(()),
    }
}

/// One warning for each value outside its plausible range, naming where it was set (the
/// file or the `--set`), the parameter, the value, the range and the range's source.
pub(super) fn warnings(tree: &toml::Table, path: &Path, overrides: &[String]) -> Vec<String> {
    registry::all()
        .iter()
        .filter_map(|p| {
            let v = lookup(tree, &p.name)?;
            let (lo, hi) = p.plausible;
            if number(v).is_none_or(|x| (lo..=hi).contains(&x)) {
                return None;
            }
            let origin = match assignment_for(&p.name, overrides) {
                Some(a) => format!("--set {a}"),
                None => format!("scenario file {}", path.display()),
            };
            let range = if lo == hi {
                format!("differs from its documented value {}", p.bound_text(lo))
            } else {
                let (lo, hi) = (p.bound_text(lo), p.bound_text(hi));
                format!("is outside its plausible range {lo} to {hi}")
            };
            Some(format!(
                "{origin}: `{}` = {v} {range} (source: {}); the run goes on",
                p.name, p.range_source
            ))
        })
        .collect()
}

/// The last `--set` assignment that set `field` or a part of it (a list entry, a field of a
/// table), if any: an error on that field is the assignment's, not the file's.
pub(super) fn assignment_for<'a>(field: &str, overrides: &'a [String]) -> Option<&'a str> {
    overrides.iter().rev().map(String::as_str).find(|a| {
        let key = a.split_once('=').map_or(*a, |(k, _)| k).trim();
        field == key
            || field
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(['[', '.']))
    })
}

fn lookup<'a>(tree: &'a toml::Table, name: &str) -> Option<&'a toml::Value> {
    let mut keys = name.split('.');
    let mut v = tree.get(keys.next()?)?;
    for key in keys {
        v = v.get(key)?;
    }
    Some(v)
}

fn number(v: &toml::Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// The first NaN or infinite number under `v`, with its dotted name (a policy is named
/// `policy[i] (lever)`, as in the other policy errors).
fn non_finite(name: String, v: &toml::Value) -> Option<(String, &toml::Value)> {
    match v {
        toml::Value::Float(x) if !x.is_finite() => Some((name, v)),
        toml::Value::Table(t) => t
            .iter()
            .find_map(|(k, v)| non_finite(format!("{name}.{k}"), v)),
        toml::Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            let item = match v.get("lever").and_then(|l| l.as_str()) {
                Some(lever) => format!("{name}[{i}] ({lever})"),
                None => format!("{name}[{i}]"),
            };
            non_finite(item, v)
        }),
        _ => None,
    }
}

fn invalid(path: &Path, field: &str, v: &toml::Value, expected: String) -> ScenarioError {
    ScenarioError::Invalid {
        path: path.to_path_buf(),
        field: field.to_string(),
        value: v.to_string(),
        expected,
    }
}

/// The checks that involve more than one field (each field's own range is in the registry).
pub(super) fn cross_checks(s: &Scenario, path: &Path) -> Result<(), ScenarioError> {
    let c = Checker { path };
    c.check(
        super::is_plain_name(&s.name),
        "name",
        toml_text(&s.name),
        "a plain file name: letters, digits, '-', '_' or '.', not starting with '.' \
         (it names the output folder outputs/<name>/)",
    )?;
    for (lang, t) in s.title.iter().flat_map(|t| [("fr", &t.fr), ("en", &t.en)]) {
        c.check(
            !t.trim().is_empty() && !t.contains(['\n', '\r']),
            &format!("title.{lang}"),
            toml_text(t),
            "one line of text, not empty (the title drawn on frames and figures)",
        )?;
    }
    c.check(
        s.end_year >= s.start_year,
        "end_year",
        s.end_year,
        &format!("a year from start_year ({}) on", s.start_year),
    )?;
    let p = &s.population;
    c.check(
        p.migrant_age_min_years <= p.migrant_age_max_years,
        "population.migrant_age_max_years",
        p.migrant_age_max_years,
        "an age from population.migrant_age_min_years on",
    )?;
    let st = &s.structures;
    c.check(
        st.start_group_size <= st.group_max_gps,
        "structures.start_group_size",
        st.start_group_size,
        "at most structures.group_max_gps",
    )?;
    c.check(
        st.cpts_target_year > s.start_year,
        "structures.cpts_target_year",
        st.cpts_target_year,
        "a year after start_year",
    )?;
    c.check(
        st.cpts_first_year <= st.cpts_target_year,
        "structures.cpts_first_year",
        st.cpts_first_year,
        "a year up to structures.cpts_target_year",
    )?;
    c.check(
        s.matching.contact_share > 0.0,
        "matching.contact_share",
        s.matching.contact_share,
        "a share above 0",
    )?;
    let i = &s.installation;
    c.check(
        i.refused_wait_share + i.refused_leave_share <= 1.0,
        "installation.refused_leave_share",
        i.refused_leave_share,
        "at most 1 − installation.refused_wait_share (the two are shares of the same refused GPs)",
    )?;
    let z = &s.zoning;
    c.check(
        z.intermediate_apl_below >= z.priority_apl_below,
        "zoning.intermediate_apl_below",
        z.intermediate_apl_below,
        "at least zoning.priority_apl_below",
    )?;
    apl_lists(&c, &s.apl)?;
    super::levers::check(&c, s)
}

fn apl_lists(c: &Checker, a: &super::Apl) -> Result<(), ScenarioError> {
    c.check(
        !a.band_minutes.is_empty() && a.band_minutes.len() == a.band_weights.len(),
        "apl.band_weights",
        toml_text(&a.band_weights),
        "one weight per entry of apl.band_minutes (at least one)",
    )?;
    c.check(
        a.band_minutes.windows(2).all(|w| w[0] < w[1])
            && a.band_minutes
                .iter()
                .all(|m| (0.0..=120.0).contains(m) && *m > 0.0),
        "apl.band_minutes",
        toml_text(&a.band_minutes),
        "increasing minutes in (0, 120]",
    )?;
    c.check(
        a.band_weights.windows(2).all(|w| w[0] >= w[1])
            && a.band_weights.iter().all(|w| (0.0..=1.0).contains(w)),
        "apl.band_weights",
        toml_text(&a.band_weights),
        "decreasing weights in 0..=1",
    )?;
    c.check(
        a.age_band_starts.first() == Some(&0)
            && a.age_band_starts.windows(2).all(|w| w[0] < w[1])
            && a.age_band_starts.len() == a.age_band_consultations.len(),
        "apl.age_band_starts",
        toml_text(&a.age_band_starts),
        "increasing ages starting at 0, one per entry of apl.age_band_consultations",
    )?;
    c.check(
        a.age_band_consultations
            .iter()
            .all(|v| (0.0..=100.0).contains(v))
            && a.age_band_consultations.iter().any(|v| *v > 0.0),
        "apl.age_band_consultations",
        toml_text(&a.age_band_consultations),
        "consultations per person per year in 0..=100, not all zero",
    )
}

/// A value as TOML text, as the user writes it (`[1.0, 0.5]`, `"under_dense"`).
pub(super) fn toml_text<T: serde::Serialize + ?Sized>(v: &T) -> String {
    toml::Value::try_from(v).map_or_else(|e| e.to_string(), |v| v.to_string())
}

/// Builds the errors of hand-written checks for one scenario file.
pub(super) struct Checker<'a> {
    pub(super) path: &'a Path,
}

impl Checker<'_> {
    /// `Ok` when `ok`, else an error naming the field, its value and what was expected.
    pub(super) fn check(
        &self,
        ok: bool,
        field: &str,
        value: impl Display,
        expected: &str,
    ) -> Result<(), ScenarioError> {
        if ok {
            return Ok(());
        }
        Err(ScenarioError::Invalid {
            path: self.path.to_path_buf(),
            field: field.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        })
    }

    /// A number in `lo..=hi`.
    pub(super) fn within(
        &self,
        field: &str,
        value: f64,
        lo: f64,
        hi: f64,
    ) -> Result<(), ScenarioError> {
        let expected = format!("a number in {lo}..={hi}");
        self.check(
            value.is_finite() && (lo..=hi).contains(&value),
            field,
            value,
            &expected,
        )
    }

    /// A share in 0..=1.
    pub(super) fn share(&self, field: &str, value: f64) -> Result<(), ScenarioError> {
        self.check(
            value.is_finite() && (0.0..=1.0).contains(&value),
            field,
            value,
            "a share between 0 and 1",
        )
    }
}
