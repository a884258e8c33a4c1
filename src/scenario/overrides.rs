//! `--set section.name=value` overrides and `extends = "base.toml"`, applied on the TOML tree.

use super::ScenarioError;

/// Applies one `section.name=value` assignment to a scenario's TOML tree.
///
/// The value is read as a TOML value (`0.5`, `true`, `["29", "56"]`); anything that is not valid
/// TOML is taken as a string. The field must already exist (an unknown name is an error that
/// suggests the nearest names), and the value must be of the same type as the one it replaces.
pub fn apply_override(tree: &mut toml::Table, assignment: &str) -> Result<(), ScenarioError> {
    let error = |message: String| ScenarioError::Override {
        assignment: assignment.to_string(),
        message,
    };
    let (path, raw) = assignment
        .split_once('=')
        .ok_or_else(|| error("expected section.name=value".into()))?;
    let path = path.trim();
    let value = parse_value(raw.trim());
    let unknown = |tree: &toml::Table| error(unknown_name(tree, path));
    // The levers are a list the baseline leaves out (`[[policy]]`, none by default): `--set
    // policy=[{ lever = "numerus", … }]` gives the whole list, checked as a file's would be.
    if path == POLICIES && !tree.contains_key(POLICIES) {
        tree.insert(POLICIES.to_string(), toml::Value::Array(Vec::new()));
    }
    let keys: Vec<&str> = path.split('.').collect();
    let (last, parents) = keys.split_last().expect("split always yields one item");
    let mut table = &mut *tree;
    for key in parents {
        if !matches!(table.get(*key), Some(toml::Value::Table(_))) {
            return Err(unknown(tree));
        }
        table = match table.get_mut(*key) {
            Some(toml::Value::Table(inner)) => inner,
            _ => unreachable!("checked just above"),
        };
    }
    match table.get_mut(*last) {
        Some(slot) if slot.is_table() => Err(error(format!(
            "`{path}` is a section, not a parameter: set one of its fields, `{path}.name=value`"
        ))),
        Some(slot) => {
            let (was, is) = (type_name(slot), type_name(&value));
            if was != is {
                return Err(error(format!(
                    "expected {was} (the scenario has `{path}` = {slot}), got {is}"
                )));
            }
            *slot = value;
            Ok(())
        }
        None => Err(unknown(tree)),
    }
}

/// The scenario's list of policy levers, which `--set` may give whole even where the scenario
/// has none.
const POLICIES: &str = "policy";

/// What a value is, in the user's words; integers and reals are both numbers.
fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
        toml::Value::String(_) => "text",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a section",
        toml::Value::Datetime(_) => "a date",
    }
}

/// "no parameter `x`", with the names of the scenario nearest to it.
fn unknown_name(tree: &toml::Table, path: &str) -> String {
    let mut names = Vec::new();
    leaves("", tree, &mut names);
    let mut near: Vec<(usize, &String)> = names
        .iter()
        .map(|n| {
            // A name that starts with what was typed (`matching.reach`) is near too.
            let prefix = if n.starts_with(path) || last(n).starts_with(last(path)) {
                1
            } else {
                usize::MAX
            };
            let d = distance(path, n).min(distance(last(path), last(n)) + 1);
            (d.min(prefix), n)
        })
        .filter(|(d, n)| *d <= 2 + n.len().min(path.len()) / 4)
        .collect();
    near.sort();
    let near: Vec<String> = near.iter().take(3).map(|(_, n)| format!("`{n}`")).collect();
    match near.is_empty() {
        true => format!("no parameter `{path}` in the scenario (`medesert params` lists them)"),
        false => format!(
            "no parameter `{path}` in the scenario; did you mean {}?",
            near.join(" or ")
        ),
    }
}

fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Dotted names of every field a `--set` can reach (tables are walked, lists are not).
fn leaves(prefix: &str, t: &toml::Table, out: &mut Vec<String>) {
    for (k, v) in t {
        let name = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(inner) => leaves(&name, inner, out),
            _ => out.push(name),
        }
    }
}

/// Levenshtein distance over characters (small inputs: dotted names).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
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
    fn an_unknown_name_suggests_the_nearest_ones() {
        let mut t = tree();
        for typo in ["gps.capcity_scale", "gp.capacity_scale", "capacity_scale"] {
            let err = apply_override(&mut t, &format!("{typo}=1.2")).unwrap_err();
            assert!(
                err.to_string()
                    .contains("did you mean `gps.capacity_scale`"),
                "{typo}: {err}"
            );
        }
        let err = apply_override(&mut t, "zzz.www=1").unwrap_err().to_string();
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn a_value_of_another_type_is_refused_naming_the_expected_one() {
        let mut t = tree();
        let err = apply_override(&mut t, "gps.capacity_scale=abc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--set gps.capacity_scale=abc: expected a number (the scenario has \
             `gps.capacity_scale` = 1.0), got text"
        );
        apply_override(&mut t, "gps.capacity_scale=2").unwrap();
    }

    #[test]
    fn the_policy_list_may_be_given_where_the_scenario_has_none() {
        let mut t = tree();
        apply_override(
            &mut t,
            "policy=[{ lever = \"teleconsultation\", from_year = 2025, remote_share = 0.1 }]",
        )
        .unwrap();
        assert_eq!(t["policy"].as_array().map(Vec::len), Some(1));
        let err = apply_override(&mut t, "policy=3").unwrap_err().to_string();
        assert!(err.contains("expected a list"), "{err}");
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
