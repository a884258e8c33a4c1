//! Scenario files: TOML → typed, validated [`Scenario`], parsed once.
//!
//! Every parameter is explicit in `configs/baseline.toml` with its unit and source. Unknown
//! fields are rejected (`deny_unknown_fields`), `--set section.name=value` overrides are applied
//! on the TOML tree before typing, and [`validate`] checks ranges, so the model trusts the types.

mod overrides;
mod params;
pub mod policy;
pub mod registry;
mod validate;

pub use overrides::{apply_override, merge};
pub use params::*;
pub use validate::validate;

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
    /// A `--set` override is malformed or names an unknown field.
    #[error("--set {assignment:?}: {message}")]
    Override {
        /// The assignment as given.
        assignment: String,
        /// What is wrong.
        message: String,
    },
    /// A value is out of its documented range.
    #[error("scenario file {path}: field `{field}` = {value}: expected {expected}")]
    Invalid {
        /// The scenario path.
        path: PathBuf,
        /// Dotted field name, e.g. `gps.primary_care_share`.
        field: String,
        /// The offending value.
        value: String,
        /// The accepted domain.
        expected: String,
    },
}

/// Reads, overrides, parses and validates a scenario file.
///
/// A file may start with `extends = "other.toml"` (relative to its own folder): it is then
/// merged over that base, so a variant states only what it changes.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let tree = read_tree(path, 0)?;
    from_tree(tree, path, overrides)
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
pub fn from_tree(
    mut tree: toml::Table,
    path: &Path,
    overrides: &[String],
) -> Result<Scenario, ScenarioError> {
    for assignment in overrides {
        apply_override(&mut tree, assignment)?;
    }
    let scenario = Scenario::deserialize_table(tree).map_err(|m| parse_error(path, m))?;
    validate(&scenario, path)?;
    Ok(scenario)
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
    let mut merged = read_tree(&base_path, depth + 1)?;
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
