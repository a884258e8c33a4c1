//! `--set section.name=value` overrides and `extends = "base.toml"`, applied on the TOML tree.

use super::ScenarioError;

/// Applies one `section.name=value` assignment to a scenario's TOML tree.
///
/// The value is read as a TOML value (`0.5`, `true`, `["29", "56"]`); anything that is not valid
/// TOML is taken as a string. The field must already exist: an unknown name is an error.
pub fn apply_override(tree: &mut toml::Table, assignment: &str) -> Result<(), ScenarioError> {
    let error = |message: String| ScenarioError::Override {
        assignment: assignment.to_string(),
        message,
    };
    let (path, raw) = assignment
        .split_once('=')
        .ok_or_else(|| error("expected section.name=value".into()))?;
    let value = parse_value(raw.trim());
    let keys: Vec<&str> = path.trim().split('.').collect();
    let (last, parents) = keys.split_last().expect("split always yields one item");
    let mut table = &mut *tree;
    for key in parents {
        table = match table.get_mut(*key) {
            Some(toml::Value::Table(inner)) => inner,
            _ => return Err(error(format!("no section `{key}` in the scenario"))),
        };
    }
    match table.get_mut(*last) {
        Some(slot) if !slot.is_table() => {
            *slot = value;
            Ok(())
        }
        Some(_) => Err(error(format!("`{path}` is a section, not a parameter"))),
        None => Err(error(format!("no parameter `{path}` in the scenario"))),
    }
}

fn parse_value(raw: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_string()))
}

/// Merges `over` into `base`: tables merge key by key, any other value replaces.
pub fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> toml::Table {
        toml::from_str("seed = 1\n[gps]\ncapacity_scale = 1.0\n").unwrap()
    }

    #[test]
    fn an_override_replaces_an_existing_parameter() {
        let mut t = tree();
        apply_override(&mut t, "gps.capacity_scale=1.2").unwrap();
        assert_eq!(t["gps"]["capacity_scale"].as_float(), Some(1.2));
        apply_override(&mut t, "seed = 7").unwrap();
        assert_eq!(t["seed"].as_integer(), Some(7));
    }

    #[test]
    fn an_unknown_parameter_is_refused_with_its_name() {
        let mut t = tree();
        let err = apply_override(&mut t, "gps.capacity=1.2").unwrap_err();
        assert!(err.to_string().contains("gps.capacity"), "{err}");
        assert!(apply_override(&mut t, "nosection.x=1").is_err());
        assert!(apply_override(&mut t, "gps").is_err());
    }

    #[test]
    fn merge_keeps_base_keys_and_replaces_given_ones() {
        let mut base = tree();
        merge(
            &mut base,
            toml::from_str("[gps]\ncapacity_scale = 0.9\n").unwrap(),
        );
        assert_eq!(base["seed"].as_integer(), Some(1));
        assert_eq!(base["gps"]["capacity_scale"].as_float(), Some(0.9));
    }
}
