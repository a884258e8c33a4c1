//! Visible text of the commune maps in French or English (the other figures' text is in
//! `text.rs`).

use super::text::Lang;

/// Every string drawn on a commune map; `{}` as in [`super::text::fill`].
#[derive(Debug)]
pub struct CommuneText {
    /// Titles: APL, share without an MT, zone.
    pub titles: [&'static str; 3],
    /// Legend headings: APL, share without an MT, zone.
    pub units: [&'static str; 3],
    /// A lowest class, a middle class, a highest class: bounds as `{}`.
    pub classes: [&'static str; 3],
    /// The zone tiers, in `ZONES` order: none, intermediate (ZAC), priority (ZIP).
    pub zones: [&'static str; 3],
    /// Legend of a commune where the run simulated nobody.
    pub no_data: &'static str,
    /// How the communes are drawn, under the legend (one line each).
    pub method: [&'static str; 2],
}

const FR: CommuneText = CommuneText {
    titles: [
        "Accessibilité potentielle localisée (APL) aux médecins généralistes",
        "Part des 17 ans et plus sans médecin traitant",
        "Zonage simulé des médecins généralistes",
    ],
    units: [
        "consultations par an et par habitant",
        "des 17 ans et plus",
        "zonage (seuils d’APL)",
    ],
    classes: ["moins de {}", "{} à {}", "{} et plus"],
    zones: [
        "hors zonage",
        "zone d’action complémentaire (ZAC)",
        "zone d’intervention prioritaire (ZIP)",
    ],
    no_data: "aucune personne simulée",
    method: [
        "Communes : cellules de Voronoï des mairies,",
        "découpées par le contour du département",
    ],
};

const EN: CommuneText = CommuneText {
    titles: [
        "Localised potential accessibility (APL) to GPs",
        "Share of people aged 17+ without a regular doctor",
        "Simulated GP zoning",
    ],
    units: [
        "consultations a year per inhabitant",
        "of people aged 17+",
        "zoning (APL thresholds)",
    ],
    classes: ["below {}", "{} to {}", "{} or more"],
    zones: [
        "outside the zone",
        "intermediate tier (ZAC)",
        "priority tier (ZIP)",
    ],
    no_data: "nobody simulated",
    method: [
        "Communes: Voronoi cells of the town halls,",
        "clipped to the département's outline",
    ],
};

impl Lang {
    /// The strings of the commune maps in this language.
    pub fn communes(self) -> &'static CommuneText {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}
