//! Scenario files: TOML → typed, validated [`Scenario`], parsed once.
//!
//! Every parameter is explicit in `configs/baseline.toml` with its unit and source. Unknown
//! fields are rejected (`deny_unknown_fields`), `--set section.name=value` overrides are applied
//! on the TOML tree before typing, and every value is checked against the parameter registry
//! (hard ranges refused, plausible ranges warned about) and the cross-field rules, so the
//! model trusts the types.

mod levers;
mod overrides;
mod params;
pub mod policy;
pub mod registry;
mod territory;
mod validate;

pub use overrides::{apply_override, merge};
pub use params::*;
pub use territory::{ShortcutError, shortcut_overrides};

use std::path::{Path, PathBuf};

/// What went wrong with a scenario: always names the file, and the field and value when known.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {path}")]
    Read {
        /// The scenario path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// TOML syntax error, unknown field or wrong type.
    #[error("scenario file {path}: {message}")]
    Parse {
        /// The scenario path.
        path: PathBuf,
        /// serde/toml's message, which names the field and what was expected.
        message: String,
    },
    /// A `--set` override is malformed, names an unknown field or gives a value out of range.
    #[error("--set {assignment}: {message}")]
    Override {
        /// The assignment as given.
        assignment: String,
        /// What is wrong.
        message: String,
    },
    /// The base scenario named by `extends` cannot be read.
    #[error("scenario file {path}, line {line}: `extends = \"{base}\"`: cannot read {tried}")]
    Extends {
        /// The scenario path (the one that extends).
        path: PathBuf,
        /// Line of its `extends`.
        line: usize,
        /// The base as written.
        base: String,
        /// The path tried (relative to the scenario's folder).
        tried: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A value is out of its range, or breaks a rule between fields.
    #[error("scenario file {path}: field `{field}` = {value}: expected {expected}")]
    Invalid {
        /// The scenario path.
        path: PathBuf,
        /// Dotted field name, e.g. `workload.acceptance_threshold_share`.
        field: String,
        /// The offending value.
        value: String,
        /// The accepted domain.
        expected: String,
    },
}

/// A checked scenario and the warnings its checks raised (values outside their plausible
/// ranges), for the caller to show.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// One line per value outside its plausible range, naming where it was set.
    pub warnings: Vec<String>,
}

/// Whether `name` may name an output folder: letters, digits, '-', '_' or '.', not empty and
/// not starting with '.' (so never `.`, `..` or a hidden folder).
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
}

/// Reads, overrides, parses and validates a scenario file.
///
/// A file may start with `extends = "other.toml"` (relative to its own folder): it is then
/// merged over that base, so a variant states only what it changes.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    load_with_warnings(path, overrides).map(|l| l.scenario)
}

/// As [`load`], with the warnings of the checks.
pub fn load_with_warnings(path: &Path, overrides: &[String]) -> Result<Loaded, ScenarioError> {
    let tree = read_tree(path, 0)?;
    checked(tree, path, overrides)
}

/// Reads a scenario file's TOML tree (with its `extends` chain merged), not yet typed: a sweep
/// reads its base once and applies each point's overrides with [`from_tree`].
pub fn load_tree(path: &Path) -> Result<toml::Table, ScenarioError> {
    read_tree(path, 0)
}

/// Parses scenario text (no `extends`) with overrides; `path` is used in messages only.
pub fn parse(text: &str, path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let tree: toml::Table = toml::from_str(text).map_err(|e| parse_error(path, e.to_string()))?;
    from_tree(tree, path, overrides)
}

/// Applies overrides to a tree, types and validates it; `path` is used in messages only.
/// Warnings are dropped: a sweep's points lie in ranges its user chose.
pub fn from_tree(
    tree: toml::Table,
    path: &Path,
    overrides: &[String],
) -> Result<Scenario, ScenarioError> {
    checked(tree, path, overrides).map(|l| l.scenario)
}

fn checked(
    mut tree: toml::Table,
    path: &Path,
    overrides: &[String],
) -> Result<Loaded, ScenarioError> {
    for assignment in overrides {
        apply_override(&mut tree, assignment)?;
    }
    let blame = |e| blame_override(e, overrides);
    validate::check_tree(&tree, path).map_err(blame)?;
    let warnings = validate::warnings(&tree, path, overrides);
    let scenario = Scenario::deserialize_table(tree).map_err(|m| parse_error(path, m))?;
    validate::cross_checks(&scenario, path).map_err(blame)?;
    Ok(Loaded { scenario, warnings })
}

/// An invalid value that a `--set` gave is the assignment's error, not the file's; so is a
/// rule between fields broken by a value it gave (the rule names that field).
fn blame_override(e: ScenarioError, overrides: &[String]) -> ScenarioError {
    let ScenarioError::Invalid {
        field,
        value,
        expected,
        ..
    } = &e
    else {
        return e;
    };
    let key = |a: &str| a.split_once('=').map_or(a, |(k, _)| k).trim().to_string();
    let (assignment, message) = match validate::assignment_for(field, overrides) {
        Some(a) if key(a) == *field => (a, format!("expected {expected}")),
        Some(a) => (a, format!("`{field}`: expected {expected}")),
        None => match overrides.iter().rev().find(|a| expected.contains(&key(a))) {
            Some(a) => (
                a.as_str(),
                format!("`{field}` = {value}: expected {expected}"),
            ),
            None => return e,
        },
    };
    ScenarioError::Override {
        assignment: assignment.to_string(),
        message,
    }
}

fn parse_error(path: &Path, message: String) -> ScenarioError {
    ScenarioError::Parse {
        path: path.to_path_buf(),
        message,
    }
}

fn read_tree(path: &Path, depth: usize) -> Result<toml::Table, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut tree: toml::Table =
        toml::from_str(&text).map_err(|e| parse_error(path, e.to_string()))?;
    let Some(base) = tree.remove("extends") else {
        return Ok(tree);
    };
    let base = base.as_str().ok_or_else(|| {
        parse_error(
            path,
            "`extends` must be a string: the path of a base scenario".into(),
        )
    })?;
    if depth >= 8 {
        return Err(parse_error(
            path,
            "`extends` chain deeper than 8 files".into(),
        ));
    }
    let base_path: PathBuf = path.parent().unwrap_or(Path::new(".")).join(base);
    let mut merged = read_tree(&base_path, depth + 1).map_err(|e| match e {
        ScenarioError::Read {
            path: tried,
            source,
        } if tried == base_path => {
            ScenarioError::Extends {
                path: path.to_path_buf(),
                // `extends` is a top-level key, so it sits before the first `[section]`.
                line: text
                    .lines()
                    .position(|l| l.trim_start().starts_with("extends"))
                    .map_or(1, |i| i + 1),
                base: base.to_string(),
                tried,
                source,
            }
        }
        e => e,
    })?;
    // A title describes one file, as its name does: a policy that extends the baseline does
    // not carry the baseline's title.
    merged.remove("title");
    merge(&mut merged, tree);
    Ok(merged)
}

impl Scenario {
    fn deserialize_table(tree: toml::Table) -> Result<Scenario, String> {
        toml::Value::Table(tree)
            .try_into()
            .map_err(|e: toml::de::Error| e.to_string())
    }

    /// The scenario as TOML: rerunning it reproduces the run exactly.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a Scenario always serialises")
    }
}
