//! The territory as a user names it on the command line: the `--regions` and `--departements`
//! shortcuts are the `--set territory.…` assignments they stand for, so they take the same path
//! as any override (parsed, checked and blamed once), and the territory as a scenario writes it.

use super::Territory;

/// Dotted name of the régions of `[territory]`, as a `--set` names it.
const REGIONS: &str = "territory.regions";
/// Dotted name of the départements of `[territory]`, as a `--set` names it.
const DEPARTEMENTS: &str = "territory.departements";

/// A territory shortcut that cannot be read one way only.
#[derive(Debug, thiserror::Error)]
pub enum ShortcutError {
    /// `--regions` and `--departements` together.
    #[error(
        "--regions and --departements cannot be given together: give the territory as régions \
         or as départements"
    )]
    Both,
    /// A shortcut together with a `--set` of the territory.
    #[error(
        "--{shortcut} cannot be given with --set {assignment}: both set the territory; keep one"
    )]
    WithSet {
        /// `regions` or `departements`.
        shortcut: &'static str,
        /// The `--set` assignment as given.
        assignment: String,
    },
}

/// The `--set` assignments that `--regions CODES` or `--departements CODES` stand for, after
/// the command line's own `set`: the territory becomes exactly these régions (or
/// départements), the other list emptied, so `--regions 24` on a scenario of départements runs
/// région 24 alone. Refused: both shortcuts, or a shortcut with a `--set territory.…`.
pub fn shortcut_overrides(
    regions: &[String],
    departements: &[String],
    set: &[String],
) -> Result<Vec<String>, ShortcutError> {
    let (shortcut, chosen, emptied, codes) = match (regions.is_empty(), departements.is_empty()) {
        (true, true) => return Ok(set.to_vec()),
        (false, false) => return Err(ShortcutError::Both),
        (false, true) => ("regions", REGIONS, DEPARTEMENTS, regions),
        (true, false) => ("departements", DEPARTEMENTS, REGIONS, departements),
    };
    let key = |a: &str| a.split_once('=').map_or(a, |(k, _)| k).trim().to_string();
    // Only what chooses the territory conflicts: its border and the France run's scale do not.
    if let Some(a) = set
        .iter()
        .find(|a| matches!(key(a).as_str(), "territory" | REGIONS | DEPARTEMENTS))
    {
        return Err(ShortcutError::WithSet {
            shortcut,
            assignment: a.clone(),
        });
    }
    let list = |codes: &[String]| {
        toml::Value::Array(codes.iter().cloned().map(toml::Value::String).collect()).to_string()
    };
    let mut all = set.to_vec();
    all.push(format!("{chosen}={}", list(codes)));
    all.push(format!("{emptied}={}", list(&[])));
    Ok(all)
}

/// The territory as a scenario could write it: `{ regions = ["24"], departements = [] }`.
impl std::fmt::Display for Territory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |codes: &[String]| {
            toml::Value::Array(codes.iter().cloned().map(toml::Value::String).collect())
        };
        write!(
            f,
            "{{ regions = {}, departements = {}",
            list(&self.regions),
            list(&self.departements)
        )?;
        // Defaults are left unsaid, as a scenario leaves them.
        if self.border == super::Border::None {
            write!(f, ", border = \"none\"")?;
        }
        if self.france_persons_per_agent != super::params::france_persons_per_agent() {
            write!(
                f,
                ", france_persons_per_agent = {}",
                self.france_persons_per_agent
            )?;
        }
        write!(f, " }}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_shortcut_is_the_set_of_its_list_with_the_other_list_emptied() {
        let set = codes(&["end_year=2030"]);
        let all = shortcut_overrides(&codes(&["24", "84"]), &[], &set).unwrap();
        assert_eq!(
            all,
            codes(&[
                "end_year=2030",
                r#"territory.regions=["24", "84"]"#,
                "territory.departements=[]"
            ])
        );
        let all = shortcut_overrides(&[], &codes(&["2A"]), &[]).unwrap();
        assert_eq!(
            all,
            codes(&[r#"territory.departements=["2A"]"#, "territory.regions=[]"])
        );
        assert_eq!(shortcut_overrides(&[], &[], &set).unwrap(), set);
    }

    #[test]
    fn a_shortcut_with_the_other_or_with_a_set_of_the_territory_is_refused() {
        let both = shortcut_overrides(&codes(&["24"]), &codes(&["29"]), &[]).unwrap_err();
        assert!(matches!(both, ShortcutError::Both), "{both}");
        for a in [
            r#"territory.regions=["53"]"#,
            r#" territory.departements = ["29"]"#,
        ] {
            let err = shortcut_overrides(&codes(&["24"]), &[], &codes(&[a])).unwrap_err();
            assert!(
                err.to_string()
                    .contains("--regions cannot be given with --set")
            );
            assert!(err.to_string().contains(a), "{err}");
        }
        // The border and the France run's scale do not choose the territory.
        let scale = codes(&[
            "territory.france_persons_per_agent=1000",
            r#"territory.border="none""#,
        ]);
        assert!(shortcut_overrides(&codes(&["24"]), &[], &scale).is_ok());
    }

    #[test]
    fn a_territory_reads_as_a_scenario_writes_it() {
        let mut t = Territory {
            regions: codes(&["24"]),
            departements: Vec::new(),
            border: crate::scenario::Border::Reach,
            france_persons_per_agent: 200,
        };
        assert_eq!(t.to_string(), r#"{ regions = ["24"], departements = [] }"#);
        t.border = crate::scenario::Border::None;
        assert_eq!(
            t.to_string(),
            r#"{ regions = ["24"], departements = [], border = "none" }"#
        );
    }
}
