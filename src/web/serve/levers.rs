//! The explorer's sliders: one per main policy lever, each turned into a `[[policy]]` entry
//! of the scenario at the size of its file in `configs/policies/` but for the one quantity the
//! slider moves. A slider at its `off` value adds no lever. Every entry then goes through the
//! scenario's own checks (`--set policy=[…]`), so a bad value is refused with the message a
//! scenario file would get; the sliders' ranges are only what the page offers.

use serde::Serialize;

/// One slider.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Slider {
    /// Name in requests (`?numerus=19200`): the lever's name in a scenario.
    pub key: &'static str,
    /// Label in French.
    pub fr: &'static str,
    /// Label in English.
    pub en: &'static str,
    /// Smallest value offered.
    pub min: f64,
    /// Largest value offered.
    pub max: f64,
    /// Step of the slider.
    pub step: f64,
    /// The value that adds no lever (the baseline).
    pub off: f64,
    /// Decimals the page shows.
    pub decimals: u8,
    /// Multiplier for display (100 shows a share as a percentage).
    pub display_factor: f64,
    /// Unit after the value.
    pub unit: &'static str,
}

/// The sliders, in the page's order. Sizes other than the slider's come from the policy files
/// (configs/policies/*.toml, whose comments give their sources); `{v}` is the slider's value.
pub const SLIDERS: [(Slider, &str); 8] = [
    (
        slider(
            "numerus",
            "Étudiants admis en médecine par an (numerus)",
            "Medical students admitted a year (numerus)",
            [16000.0, 26000.0, 500.0, 16000.0],
            (0, 1.0, ""),
        ),
        "lever = \"numerus\", from_year = 2025, intake_per_year = {v}",
    ),
    (
        slider(
            "installation_incentive",
            "Aide à l'installation en zone sous-dense",
            "Installation incentive in the under-dense zone",
            [0.0, 100000.0, 5000.0, 0.0],
            (0, 1.0, "€"),
        ),
        "lever = \"installation_incentive\", from_year = 2025, scope = \"under_dense\", \
         amount_eur = {v}, utility_per_10k_eur = 0.04",
    ),
    (
        slider(
            "installation_regulation",
            "Régulation « une arrivée pour un départ » (0 = non, 1 = oui)",
            "Regulation, \"one in, one out\" (0 = no, 1 = yes)",
            [0.0, 1.0, 1.0, 0.0],
            (0, 1.0, ""),
        ),
        "lever = \"installation_regulation\", from_year = 2026, scope = \"france\", \
         installations_per_departure = 1.0",
    ),
    (
        slider(
            "delegation",
            "Médecins en groupe avec un assistant médical",
            "GPs in group practice with a medical assistant",
            [0.0, 1.0, 0.05, 0.0],
            (0, 100.0, "%"),
        ),
        "lever = \"delegation\", from_year = 2025, scope = \"france\", assistant_fte_per_gp = 1.0, \
         uptake_share = {v}, cost_per_gp_eur = 21000.0",
    ),
    (
        slider(
            "teleconsultation",
            "Consultations à distance",
            "Consultations served remotely",
            [0.0, 0.3, 0.02, 0.0],
            (0, 100.0, "%"),
        ),
        "lever = \"teleconsultation\", from_year = 2025, remote_share = {v}",
    ),
    (
        slider(
            "msp_funding",
            "Projets de MSP financés par an et par million d'habitants",
            "MSP projects funded a year per million people",
            [0.0, 10.0, 0.5, 0.0],
            (1, 1.0, ""),
        ),
        "lever = \"msp_funding\", from_year = 2025, scope = \"france\", projects_per_million = {v}, \
         start_up_grant_eur = 50000.0",
    ),
    (
        slider(
            "health_centre_programme",
            "Centres de santé ouverts par an et par million d'habitants (2026–2035)",
            "Health centres opened a year per million people (2026–2035)",
            [0.0, 5.0, 0.25, 0.0],
            (2, 1.0, ""),
        ),
        "lever = \"health_centre_programme\", from_year = 2026, to_year = {to_year}, \
         scope = \"under_dense\", centres_per_million = {v}, gps_per_centre = 4, \
         operator = \"municipality\", payment = \"capitation\", teulade = true, \
         deficit_cover_share = 1.0, start_up_grant_eur = 50000.0",
    ),
    (
        slider(
            "junior_doctors",
            "Consultations par docteur junior et par an",
            "Consultations a year per docteur junior",
            [2000.0, 3500.0, 100.0, 2000.0],
            (0, 1.0, ""),
        ),
        "lever = \"junior_doctors\", from_year = 2026, acts_per_junior = {v}, under_dense_share = 1.0",
    ),
];

/// A slider from its key, labels, `[min, max, step, off]` and `(decimals, display factor,
/// unit)`.
const fn slider(
    key: &'static str,
    fr: &'static str,
    en: &'static str,
    range: [f64; 4],
    shown: (u8, f64, &'static str),
) -> Slider {
    Slider {
        key,
        fr,
        en,
        min: range[0],
        max: range[1],
        step: range[2],
        off: range[3],
        decimals: shown.0,
        display_factor: shown.1,
        unit: shown.2,
    }
}

/// The slider named `key`.
pub fn find(key: &str) -> Option<&'static (Slider, &'static str)> {
    SLIDERS.iter().find(|(s, _)| s.key == key)
}

/// The `--set policy=[…]` override of the levers moved off their `off` value (none if no
/// lever is on); `end_year` closes the health-centre programme at 2035 or the run's end.
pub fn policy_override(values: &[(&'static str, f64)], end_year: u16) -> Option<String> {
    let entries: Vec<String> = SLIDERS
        .iter()
        .filter_map(|(s, template)| {
            let v = values.iter().find(|(k, _)| *k == s.key)?.1;
            (v != s.off).then(|| {
                let body = template
                    .replace("{v}", &toml_number(v))
                    .replace("{to_year}", &end_year.clamp(2026, 2035).to_string());
                format!("{{ {body} }}")
            })
        })
        .collect();
    (!entries.is_empty()).then(|| format!("policy=[{}]", entries.join(", ")))
}

/// A number as TOML reads a float (`19200.0`, `0.1`), so a float field never gets an integer.
fn toml_number(v: f64) -> String {
    let text = format!("{v}");
    if text.contains(['.', 'e', 'E']) || !v.is_finite() {
        text
    } else {
        format!("{text}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliders_at_their_off_value_add_no_lever() {
        let off: Vec<(&str, f64)> = SLIDERS.iter().map(|(s, _)| (s.key, s.off)).collect();
        assert_eq!(policy_override(&off, 2035), None);
        assert_eq!(policy_override(&[], 2035), None);
    }

    #[test]
    fn a_moved_slider_becomes_one_policy_entry_with_float_values() {
        let o = policy_override(&[("teleconsultation", 0.1), ("numerus", 19000.0)], 2040).unwrap();
        assert!(o.starts_with("policy=[{ lever = \"numerus\""), "{o}");
        assert!(o.contains("intake_per_year = 19000.0"), "{o}");
        assert!(o.contains("remote_share = 0.1 }"), "{o}");
        let hc = policy_override(&[("health_centre_programme", 1.0)], 2040).unwrap();
        assert!(hc.contains("to_year = 2035"), "{hc}");
    }

    #[test]
    fn every_value_a_slider_offers_passes_the_scenarios_checks() {
        let path = std::path::Path::new("configs/classroom.toml");
        for (s, _) in SLIDERS {
            let steps = ((s.max - s.min) / s.step).round() as usize;
            for v in [
                s.min,
                s.min + s.step,
                s.max,
                s.min + (steps / 2) as f64 * s.step,
            ] {
                let Some(o) = policy_override(&[(s.key, v)], 2035) else {
                    continue;
                };
                if let Err(e) = crate::scenario::load(path, &[o]) {
                    panic!("{} = {v}: {e}", s.key);
                }
            }
        }
        let all: Vec<(&str, f64)> = SLIDERS.iter().map(|(s, _)| (s.key, s.max)).collect();
        let o = policy_override(&all, 2035).unwrap();
        assert_eq!(crate::scenario::load(path, &[o]).unwrap().policies.len(), 8);
    }

    #[test]
    fn every_slider_range_holds_its_off_value() {
        for (s, _) in SLIDERS {
            assert!(
                s.min <= s.off && s.off <= s.max && s.step > 0.0,
                "{}",
                s.key
            );
        }
    }
}
