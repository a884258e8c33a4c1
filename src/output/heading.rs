//! What every picture, manifest and note calls a run: the scenario's own title (or its name)
//! and the territory it simulated, so that a région run's charts never read "France".

use crate::model::Communes;
use crate::scenario::{Territory, Title};

use super::text::Lang;

/// The name of metropolitan France in each language.
pub const FRANCE: (&str, &str) = ("France métropolitaine", "Metropolitan France");

/// The territory a scenario simulates, named in each language: "France métropolitaine" /
/// "Metropolitan France" for the whole, else its régions then its départements by name (a
/// code the data do not name stays a code), joined with " + ".
pub fn territory_title(t: &Territory, communes: &Communes) -> Title {
    if t.regions.is_empty() && t.departements.is_empty() {
        return Title {
            fr: FRANCE.0.to_string(),
            en: FRANCE.1.to_string(),
        };
    }
    let name = |units: &[crate::model::resources::Unit], code: &String| {
        units
            .iter()
            .find(|u| &u.code == code)
            .map_or_else(|| code.clone(), |u| u.name.clone())
    };
    let names: Vec<String> = t
        .regions
        .iter()
        .map(|c| name(&communes.regions, c))
        .chain(
            t.departements
                .iter()
                .map(|c| name(&communes.departements, c)),
        )
        .collect();
    let joined = names.join(" + ");
    Title {
        fr: joined.clone(),
        en: joined,
    }
}

/// A title in `lang`.
pub fn in_lang(t: &Title, lang: Lang) -> &str {
    match lang {
        Lang::Fr => &t.fr,
        Lang::En => &t.en,
    }
}

/// `base` (a scenario's title or name) followed by the territory, unless it already names it
/// ("Centre-Val de Loire, politiques de 2024 prolongées" stays as it is).
pub fn with_territory(base: &str, territory: &str) -> String {
    if territory.is_empty() || base.to_lowercase().contains(&territory.to_lowercase()) {
        base.to_string()
    } else {
        format!("{base} — {territory}")
    }
}

/// What a run is called in `lang`: its title there (else its name) and its territory.
pub fn heading(title: Option<&Title>, name: &str, territory: &Title, lang: Lang) -> String {
    let base = title.map_or(name, |t| in_lang(t, lang));
    with_territory(base, in_lang(territory, lang))
}

/// Both languages' [`heading`].
pub fn headings(title: Option<&Title>, name: &str, territory: &Title) -> Title {
    Title {
        fr: heading(title, name, territory, Lang::Fr),
        en: heading(title, name, territory, Lang::En),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(fr: &str, en: &str) -> Title {
        Title {
            fr: fr.into(),
            en: en.into(),
        }
    }

    #[test]
    fn a_heading_names_the_territory_once() {
        let cvl = t("Centre-Val de Loire", "Centre-Val de Loire");
        let own = t(
            "Centre-Val de Loire, politiques",
            "Centre-Val de Loire, policies",
        );
        assert_eq!(
            heading(Some(&own), "x", &cvl, Lang::En),
            "Centre-Val de Loire, policies"
        );
        let neutral = t("Politiques de 2024 prolongées", "2024 policies continued");
        assert_eq!(
            heading(Some(&neutral), "x", &cvl, Lang::Fr),
            "Politiques de 2024 prolongées — Centre-Val de Loire"
        );
        let france = t(FRANCE.0, FRANCE.1);
        assert_eq!(
            heading(None, "delegation", &france, Lang::En),
            "delegation — Metropolitan France"
        );
    }
}
