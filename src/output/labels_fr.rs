//! The French text of medesert's CSV tables (`--csv-dialect fr`): one row per column, so that a
//! planner opening a table in French Excel reads French titles and French category labels.
//!
//! The tables are built with English column names (the codes R and Python scripts read); the
//! French dialect translates the header row through [`HEADERS`], and writes each category
//! column of [`CATEGORIES`] twice: its code under `code …` (`men`, `priority`), then its French
//! label (`hommes`, `zone d’intervention prioritaire (ZIP)`). INSEE codes are codes already:
//! only their header is translated (`code département`). Readers translate the headers back
//! ([`english`]), so medesert reads its French tables as its English ones.

use super::text::Lang;
use crate::model::Reason;
use crate::tables::SEXES;

/// Every column that is not a category: English name, French title. Shares are fractions
/// (0–1), so a share is a "part", never a "%"; the unit is named where the value has one.
pub const HEADERS: [(&str, &str); 77] = [
    ("year", "année"),
    ("region", "code région"),
    ("region_name", "région"),
    ("departement", "code département"),
    ("departement_name", "département"),
    ("commune", "code commune"),
    ("commune_name", "commune"),
    // The indicators of national.csv, regions.csv and departements.csv (`tables::INDICATORS`).
    ("population", "population"),
    ("population_17plus", "population de 17 ans et plus"),
    ("gps", "médecins généralistes"),
    ("gps_liberal", "médecins généralistes libéraux"),
    (
        "gps_per_100k",
        "médecins généralistes pour 100 000 habitants",
    ),
    (
        "share_without_mt_17plus",
        "part sans médecin traitant (17 ans et plus)",
    ),
    (
        "share_without_mt_17plus_cnam",
        "part sans médecin traitant (17 ans et plus, CNAM)",
    ),
    // The split by reason ends with the reason's name of the plots (`Text::reasons`).
    (
        "share_without_mt_17plus_never_declared",
        "part sans médecin traitant : jamais déclaré",
    ),
    (
        "share_without_mt_17plus_no_gp_with_room_in_reach",
        "part sans médecin traitant : aucun médecin disponible",
    ),
    (
        "share_without_mt_17plus_gp_retired",
        "part sans médecin traitant : médecin parti à la retraite",
    ),
    (
        "share_without_mt_17plus_gp_left",
        "part sans médecin traitant : médecin parti",
    ),
    (
        "share_without_mt_17plus_moved",
        "part sans médecin traitant : déménagement",
    ),
    (
        "share_without_mt_17plus_gp_reduced_activity",
        "part sans médecin traitant : médecin ayant réduit sa patientèle",
    ),
    (
        "share_without_mt_17plus_lost",
        "part sans médecin traitant : médecin perdu (CNAM)",
    ),
    (
        "share_without_mt_17plus_never",
        "part sans médecin traitant : jamais déclaré (CNAM)",
    ),
    (
        "patients_without_mt_17plus",
        "personnes de 17 ans et plus sans médecin traitant",
    ),
    (
        "share_chronic_17plus_without_mt",
        "part sans médecin traitant en ALD (17 ans et plus)",
    ),
    (
        "share_chronic_17plus_without_mt_cnam",
        "part sans médecin traitant en ALD (17 ans et plus, CNAM)",
    ),
    ("mt_list_mean", "patientèle moyenne par médecin"),
    ("capacity_utilisation", "taux d’utilisation des capacités"),
    (
        "share_gps_closed_to_new_patients",
        "part des médecins refusant de nouveaux patients",
    ),
    ("msp_count", "nombre de maisons de santé (MSP)"),
    ("health_centre_count", "nombre de centres de santé"),
    (
        "group_practice_share",
        "part des libéraux exerçant en groupe",
    ),
    (
        "working_retiree_share",
        "part des médecins en cumul emploi-retraite",
    ),
    (
        "health_centre_gp_share",
        "part des médecins salariés de centres de santé",
    ),
    (
        "cpts_coverage_share",
        "part de la population couverte par une CPTS",
    ),
    (
        "under_dense_population_share",
        "part de la population en zone sous-dense",
    ),
    (
        "priority_zone_population_share",
        "part de la population en zone prioritaire (ZIP)",
    ),
    ("apl_mean", "APL moyenne (consultations/an/habitant)"),
    (
        "apl_under_65_mean",
        "APL moyenne, médecins de moins de 65 ans",
    ),
    (
        "share_population_apl_below_2_5",
        "part de la population avec une APL inférieure à 2,5",
    ),
    (
        "communes_with_gp",
        "nombre de communes avec un médecin généraliste",
    ),
    ("mean_gp_age", "âge moyen des médecins (ans)"),
    ("share_gps_women", "part de femmes parmi les médecins"),
    ("installations", "installations"),
    (
        "installations_under_dense",
        "installations en zone sous-dense",
    ),
    ("installations_refused", "installations refusées"),
    (
        "refused_waited",
        "installations refusées : restés remplaçants",
    ),
    (
        "refused_left",
        "installations refusées : sortis des soins primaires",
    ),
    (
        "installations_national_share",
        "part du total national des installations",
    ),
    (
        "installations_paris_region_share",
        "part des installations en Île-de-France",
    ),
    (
        "installations_big_city_share",
        "part des installations en grande ville",
    ),
    ("exits", "cessations d’activité"),
    ("retirements", "départs en retraite"),
    ("births", "naissances"),
    ("deaths", "décès"),
    ("net_migration", "solde migratoire"),
    (
        "patients_finding_mt",
        "patients ayant trouvé un médecin traitant",
    ),
    (
        "patients_losing_mt",
        "patients ayant perdu leur médecin traitant",
    ),
    ("policy_cost_eur", "coût des mesures (€)"),
    // gp_ages.csv.
    ("age_from", "début de la tranche d’âge (ans)"),
    // communes.csv.
    ("apl", "APL (consultations/an/habitant)"),
    ("apl_under_65", "APL, médecins de moins de 65 ans"),
    ("apl_under_62", "APL, médecins de moins de 62 ans"),
    // The summaries over runs (`summary::SUMMARY_COLUMNS`).
    ("mean", "moyenne"),
    ("p5", "5e centile"),
    ("p50", "médiane"),
    ("p95", "95e centile"),
    ("runs", "nombre de simulations"),
    (
        "variance_share_parameters",
        "part de variance due aux paramètres",
    ),
    // comparison.csv (`comparison::HEADER`); a policy is a "mesure", as in comparison.md.
    ("policy", "mesure"),
    ("baseline", "référence"),
    ("policy_value", "avec la mesure"),
    ("effect", "effet"),
    ("effect_low_90", "effet, borne basse de l’intervalle à 90 %"),
    (
        "effect_high_90",
        "effet, borne haute de l’intervalle à 90 %",
    ),
    ("replicates", "simulations par scénario"),
    // causal.csv.
    ("scenario", "scénario"),
    ("change_persons", "variation (personnes)"),
];

/// The quantities of comparison.csv that are no column of a run's tables, with their labels.
const METRICS: [(&str, &str); 4] = [
    ("incremental_cost_eur", "coût supplémentaire (€)"),
    (
        "patient_years_with_mt_gained",
        "années-personnes avec médecin traitant gagnées",
    ),
    ("policy_cost_eur_cumulated", "coût des mesures cumulé (€)"),
    (
        "cost_per_patient_year_gained_eur",
        "coût par année-personne gagnée (€)",
    ),
];

/// Where the French label of a category's code comes from.
#[derive(Debug)]
pub enum Labels {
    /// This list of (code, label).
    Listed(&'static [(&'static str, &'static str)]),
    /// A reason for having no médecin traitant: its name in the plots (`Text::reasons`).
    Reasons,
    /// A sex (`SEXES`): its name in the GP pyramid (`Text::sexes`).
    Sexes,
    /// A column of the tables or a metric of comparison.csv: its French title.
    Quantities,
}

/// A column whose values are codes from a short list: the French dialect writes the code, then
/// its label.
#[derive(Debug)]
pub struct Category {
    /// The English column name.
    pub column: &'static str,
    /// The French title of the column of codes.
    pub code: &'static str,
    /// The French title of the column of labels.
    pub label: &'static str,
    /// The labels of the codes.
    pub labels: Labels,
}

/// The zone tiers of communes.csv (`ZONES`), named as the ARS zonings name them.
const ZONE_LABELS: [(&str, &str); 3] = [
    ("none", "hors zone sous-dense"),
    ("intermediate", "zone d’action complémentaire (ZAC)"),
    ("priority", "zone d’intervention prioritaire (ZIP)"),
];

/// The density classes of départements (`inputs::DENSITY_CLASSES`), as the scope of
/// an effect in comparison.csv.
const DENSITY_LABELS: [(&str, &str); 3] = [
    ("urban", "départements urbains"),
    ("intermediate", "départements intermédiaires"),
    ("rural", "départements ruraux"),
];

/// Every category column of the tables.
pub static CATEGORIES: [Category; 6] = [
    Category {
        column: "sex",
        code: "code sexe",
        label: "sexe",
        labels: Labels::Sexes,
    },
    Category {
        column: "zone",
        code: "code zonage",
        label: "zonage",
        labels: Labels::Listed(&ZONE_LABELS),
    },
    Category {
        column: "indicator",
        code: "code indicateur",
        label: "indicateur",
        labels: Labels::Quantities,
    },
    Category {
        column: "metric",
        code: "code grandeur",
        label: "grandeur",
        labels: Labels::Quantities,
    },
    // The scope is also the whole territory (`France`, names) or a département code: those
    // are written as they are.
    Category {
        column: "scope",
        code: "code périmètre",
        label: "périmètre",
        labels: Labels::Listed(&DENSITY_LABELS),
    },
    Category {
        column: "reason",
        code: "code motif",
        label: "motif",
        labels: Labels::Reasons,
    },
];

impl Category {
    /// The French label of `code`, or `None` for a code outside the category's list.
    pub fn label_of(&self, code: &str) -> Option<&'static str> {
        let text = Lang::Fr.text();
        match self.labels {
            Labels::Listed(list) => find(list, code),
            Labels::Reasons => Reason::ALL
                .iter()
                .position(|r| r.code() == code)
                .map(|k| text.reasons[k]),
            Labels::Sexes => SEXES.iter().position(|s| *s == code).map(|k| text.sexes[k]),
            Labels::Quantities => header(code).or_else(|| find(&METRICS, code)),
        }
    }
}

fn find(list: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, fr)| *fr)
}

/// The French title of a column that is not a category.
pub fn header(column: &str) -> Option<&'static str> {
    find(&HEADERS, column)
}

/// The category column `column`, if it is one.
pub fn category(column: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.column == column)
}

/// The English name of the column titled `title` in a French table (the column of codes of a
/// category); `None` for a category's labels and for a title medesert does not write.
pub fn english(title: &str) -> Option<&'static str> {
    HEADERS
        .iter()
        .find(|(_, fr)| *fr == title)
        .map(|(en, _)| *en)
        .or_else(|| {
            CATEGORIES
                .iter()
                .find(|c| c.code == title)
                .map(|c| c.column)
        })
}

/// A table's columns as the French dialect writes them, read from its English header.
#[derive(Debug)]
pub struct FrenchTable {
    /// The category of each column (`None` for any other column).
    categories: Vec<Option<&'static Category>>,
}

impl FrenchTable {
    /// The table whose English header is `header`, and its French header: each title
    /// translated (a name medesert does not know is kept), a category's two titles.
    pub fn new(header: &[String]) -> (FrenchTable, Vec<String>) {
        let categories: Vec<_> = header.iter().map(|h| category(h)).collect();
        let mut titles = Vec::with_capacity(header.len());
        for (name, category) in header.iter().zip(&categories) {
            match category {
                Some(c) => titles.extend([c.code, c.label].map(String::from)),
                None => titles.push(self::header(name).map_or(name.clone(), String::from)),
            }
        }
        (FrenchTable { categories }, titles)
    }

    /// A row of the table with the label of each category's code after it (the code itself
    /// where it has no label: a territory's name, a département code).
    pub fn row(&self, cells: Vec<String>) -> Vec<String> {
        if self.categories.iter().all(Option::is_none) {
            return cells;
        }
        let mut out = Vec::with_capacity(cells.len() + self.categories.len());
        for (cell, category) in cells.into_iter().zip(&self.categories) {
            let label =
                category.map(|c| c.label_of(&cell).map_or_else(|| cell.clone(), String::from));
            out.push(cell);
            out.extend(label);
        }
        out
    }
}

#[cfg(test)]
#[path = "labels_fr_tests.rs"]
mod tests;
