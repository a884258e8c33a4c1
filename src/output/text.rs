//! Visible text of animations and figures in French or English, and numbers written the way
//! each language writes them (10,9 % and 52 500 in French; 10.9% and 52,500 in English).

use clap::ValueEnum;

/// Language of the visible text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Français.
    Fr,
    /// English.
    En,
}

/// Every string drawn on an animation or a figure.
#[derive(Debug)]
pub struct Text {
    /// Title of the animation and of the headline chart.
    pub title: &'static str,
    /// Caption under the headline share.
    pub headline_caption: &'static str,
    /// Caption under GPs per 100,000.
    pub gps_per_100k: &'static str,
    /// Caption under the number of MSPs.
    pub msps: &'static str,
    /// The reasons for having no MT, in `Reason::ALL` order.
    pub reasons: [&'static str; crate::model::Reason::COUNT],
    /// Label of the total curve.
    pub total: &'static str,
    /// Y axis of the share chart.
    pub share_axis: &'static str,
    /// Fill legend of a département that was not simulated.
    pub not_simulated: &'static str,
    /// Map source, drawn in a corner.
    pub source: &'static str,
    /// Indicator names: share without an MT, GPs per 100,000, APL, effect of a policy.
    pub indicators: [&'static str; 5],
    /// Title of the GP age pyramid.
    pub pyramid: &'static str,
    /// Men, women.
    pub sexes: [&'static str; 2],
    /// Age axis.
    pub age: &'static str,
    /// Count axis of the pyramid.
    pub gps: &'static str,
    /// Title of the flows figure.
    pub flows: &'static str,
    /// Flows of GPs: installations, retirements, other exits.
    pub gp_flows: [&'static str; 3],
    /// Flows of patients: lost their MT, found one.
    pub patient_flows: [&'static str; 2],
    /// Axis of patient flows.
    pub persons: &'static str,
    /// "difference" (policy − baseline), for the side-by-side chart.
    pub difference: &'static str,
    /// Unit of a difference of shares, percentage points (plural; French writes "point" below
    /// 2, see [`Lang::points`]).
    pub points: &'static str,
    /// Marks every frame as a model's output, not data.
    pub simulation: &'static str,
    /// Either side of the first projected year on a frame's chart: the years the model
    /// reconstructs (observed years), the projection.
    pub eras: [&'static str; 2],
    /// Texts of `compare`'s charts and comparison.md.
    pub compare: CompareText,
    /// Texts of `run`'s plots.
    pub run: RunText,
}

/// Every string of `run`'s plots (share_without_mt, gps); `{}` as in [`fill`].
#[derive(Debug)]
pub struct RunText {
    /// X axis: year.
    pub year: &'static str,
    /// Title of the GP count chart.
    pub gps_title: &'static str,
    /// The total as CNAM counts it (without `moved`).
    pub total_cnam: &'static str,
    /// CNAM's observed points.
    pub observed_cnam: &'static str,
    /// The total over replicates: runs.
    pub total_mean: &'static str,
    /// The band over replicates: runs, then what varied.
    pub band: &'static str,
    /// What varied: seeds only; parameter sets × seeds.
    pub varied: [&'static str; 2],
}

/// Every string of `compare`'s charts and comparison.md; `{}` marks where [`fill`] puts a
/// value, in order.
#[derive(Debug)]
pub struct CompareText {
    /// Title of the difference chart: `{}` the baseline.
    pub difference_title: &'static str,
    /// Y axis of the difference chart.
    pub difference_axis: &'static str,
    /// Title of the causal chart: `{}` the scenario.
    pub causal_title: &'static str,
    /// Y axis of the causal chart.
    pub causal_axis: &'static str,
    /// Label of the net change curve.
    pub net_change: &'static str,
    /// comparison.md's heading: policies, baseline.
    pub heading: &'static str,
    /// Method with an ensemble: runs, sets, seeds per set, seeds.
    pub method_ensemble: &'static str,
    /// Method with seeds only: replicates, seeds.
    pub method_seeds: &'static str,
    /// Column titles: policy, share in `{}` year, person-years, cost, cost per person-year.
    pub columns: [&'static str; 5],
    /// Cost per person-year when no cost is modelled, when nothing is gained.
    pub no_cost: [&'static str; 2],
    /// Closing paragraph: map year twice.
    pub closing: &'static str,
}

const FR: Text = Text {
    title: "Patients sans médecin traitant",
    headline_caption: "des 17 ans et plus sans médecin traitant",
    gps_per_100k: "médecins généralistes pour 100 000 hab.",
    msps: "maisons de santé pluriprofessionnelles",
    reasons: [
        "jamais déclaré",
        "aucun médecin disponible",
        "médecin parti à la retraite",
        "médecin parti",
        "déménagement",
        "médecin ayant réduit sa patientèle",
    ],
    total: "total",
    share_axis: "% des 17 ans et plus",
    not_simulated: "non simulé",
    source: "Fond de carte : IGN ADMIN EXPRESS, INSEE — Licence Ouverte 2.0",
    indicators: [
        "Part des 17 ans et plus sans médecin traitant",
        "Médecins généralistes pour 100 000 habitants",
        "Accessibilité potentielle localisée (APL)",
        "Effet sur la part des 17 ans et plus sans médecin traitant (points)",
        "Évolution du nombre de médecins généralistes, écart à la France (points)",
    ],
    pyramid: "Pyramide des âges des médecins généralistes",
    sexes: ["hommes", "femmes"],
    age: "âge",
    gps: "médecins",
    flows: "Flux de l’année",
    gp_flows: ["installations", "départs en retraite", "autres départs"],
    patient_flows: [
        "patients ayant perdu leur médecin",
        "patients en ayant trouvé un",
    ],
    persons: "personnes",
    difference: "écart",
    points: "points",
    simulation: "simulation",
    eras: ["années observées", "projection"],
    compare: CompareText {
        difference_title: "Effet sur la part des 17 ans et plus sans médecin traitant, par rapport à {}",
        difference_axis: "points de pourcentage (mesure − référence), intervalle à 90 %",
        causal_title: "Variation annuelle des 17 ans et plus sans médecin traitant, par motif — {}",
        causal_axis: "personnes par an",
        net_change: "variation nette",
        heading: "# {} par rapport à {}",
        method_ensemble: "{} simulations par scénario : {} jeux de paramètres d’un ensemble de \
            calibration × {} graines ({}), les mêmes pour chaque scénario ; un effet est la \
            différence appariée moyenne mesure − référence, avec un intervalle à 90 % qui porte \
            l’incertitude des paramètres autant que le hasard (comparison.csv : \
            `variance_share_parameters`).",
        method_seeds: "{} répétitions par scénario sur les mêmes graines ({}) ; un effet est la \
            différence appariée moyenne mesure − référence, avec son intervalle à 90 % (t de \
            Student) : le hasard seul, pour un jeu de paramètres (voir `--ensemble`).",
        columns: [
            "mesure",
            "sans médecin traitant en {} : référence → mesure (effet, points)",
            "années-personnes avec médecin traitant gagnées (cumul)",
            "coût supplémentaire, M€ (cumul)",
            "€ par année-personne gagnée",
        ],
        no_cost: ["— (aucun coût modélisé)", "— (aucun gain)"],
        closing: "Par département et classe de densité : comparison.csv. Cartes de l’effet en \
            {} par département : map-effect-{}-<mesure>.png. Pourquoi le nombre de patients \
            sans médecin traitant change chaque année, par motif : causal.csv et \
            causal-<scénario>.png.",
    },
    run: RunText {
        year: "année",
        gps_title: "Médecins généralistes",
        total_cnam: "total hors déménagements (comme la CNAM)",
        observed_cnam: "observé (CNAM)",
        total_mean: "total (moyenne de {} simulations)",
        band: "90 % de {} simulations ({})",
        varied: ["graines", "{} jeux de paramètres × {} graines"],
    },
};

const EN: Text = Text {
    title: "Patients without a regular GP",
    headline_caption: "of people aged 17+ without a regular GP",
    gps_per_100k: "GPs per 100,000 people",
    msps: "multi-professional health centres (MSP)",
    reasons: [
        "never declared one",
        "no GP with room in reach",
        "GP retired",
        "GP left",
        "moved away",
        "released by their GP",
    ],
    total: "total",
    share_axis: "% of people aged 17+",
    not_simulated: "not simulated",
    source: "Map: IGN ADMIN EXPRESS, INSEE — Licence Ouverte 2.0",
    indicators: [
        "Share of people aged 17+ without a regular GP",
        "GPs per 100,000 people",
        "Local potential accessibility (APL)",
        "Effect on the share of people 17+ without a regular GP (points)",
        "Change in the number of GPs, minus France's (points)",
    ],
    pyramid: "Age pyramid of GPs",
    sexes: ["men", "women"],
    age: "age",
    gps: "GPs",
    flows: "Flows of the year",
    gp_flows: ["installations", "retirements", "other exits"],
    patient_flows: ["patients who lost their GP", "patients who found one"],
    persons: "people",
    difference: "difference",
    points: "points",
    simulation: "simulation",
    eras: ["observed years", "projection"],
    compare: CompareText {
        difference_title: "Effect on the share of people aged 17+ without a regular GP, against {}",
        difference_axis: "percentage points (policy − baseline), 90 % band",
        causal_title: "Yearly change of people aged 17+ without a regular GP, by reason — {}",
        causal_axis: "people a year",
        net_change: "net change",
        heading: "# {} against {}",
        method_ensemble: "{} runs per scenario: {} parameter sets of a calibration's ensemble × \
            {} seeds ({}), the same for every scenario; effects are the mean paired difference \
            policy − baseline with a 90 % interval that carries the parameters' uncertainty as \
            well as chance (comparison.csv: `variance_share_parameters`).",
        method_seeds: "{} replicates per scenario on the same seeds ({}); effects are the mean \
            paired difference policy − baseline with its 90 % interval (Student t): chance \
            only, for one parameter set (see `--ensemble`).",
        columns: [
            "policy",
            "without a regular GP {}: baseline → policy (effect, points)",
            "person-years with a regular GP gained (cumulated)",
            "incremental cost, M€ (cumulated)",
            "€ per person-year gained",
        ],
        no_cost: ["— (no cost modelled)", "— (no gain)"],
        closing: "By département and density class: comparison.csv. Maps of the {} effect by \
            département: map-effect-{}-<policy>.png. Why the number of patients without a \
            regular GP changes each year, by reason: causal.csv and causal-<scenario>.png.",
    },
    run: RunText {
        year: "year",
        gps_title: "GPs",
        total_cnam: "total without moved (as CNAM counts)",
        observed_cnam: "observed (CNAM)",
        total_mean: "total (mean of {} runs)",
        band: "90 % of {} runs ({})",
        varied: ["seeds", "{} parameter sets × {} seeds"],
    },
};

#[cfg(test)]
impl Text {
    /// Every string, for checks.
    pub fn all(&self) -> Vec<&'static str> {
        let mut v = vec![
            self.title,
            self.headline_caption,
            self.gps_per_100k,
            self.msps,
            self.total,
            self.share_axis,
            self.not_simulated,
            self.source,
            self.pyramid,
            self.age,
            self.gps,
            self.flows,
            self.persons,
            self.difference,
            self.points,
        ];
        v.extend(self.reasons);
        v.extend(self.indicators);
        v.extend(self.sexes);
        v.extend(self.eras);
        v.push(self.simulation);
        v.extend(self.gp_flows);
        v.extend(self.patient_flows);
        let c = &self.compare;
        v.extend([
            c.difference_title,
            c.difference_axis,
            c.causal_title,
            c.causal_axis,
            c.net_change,
            c.heading,
            c.method_ensemble,
            c.method_seeds,
            c.closing,
        ]);
        v.extend(c.columns);
        v.extend(c.no_cost);
        let r = &self.run;
        v.extend([
            r.year,
            r.gps_title,
            r.total_cnam,
            r.observed_cnam,
            r.total_mean,
            r.band,
        ]);
        v.extend(r.varied);
        v
    }
}

impl Lang {
    /// The unit of `v` percentage points: "points", or in French "point" below 2 in absolute
    /// value ("−1,5 point", "−2,2 points").
    pub fn points(self, v: f64) -> &'static str {
        match self {
            Lang::Fr if v.abs() < 2.0 => "point",
            _ => self.text().points,
        }
    }

    /// ISO 639-1 code (`fr`, `en`), as in file names.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The strings of this language.
    pub fn text(self) -> &'static Text {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }

    /// `v` with `decimals` decimals and grouped thousands.
    pub fn number(self, v: f64, decimals: usize) -> String {
        let s = format!("{:.*}", decimals, v.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let (group, point) = match self {
            Lang::Fr => ('\u{a0}', ','),
            Lang::En => (',', '.'),
        };
        let mut out = String::new();
        if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('−');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        out
    }

    /// "label: value" with the language's spacing before the colon.
    pub fn colon(self, label: &str, value: &str) -> String {
        match self {
            Lang::Fr => format!("{label}\u{a0}: {value}"),
            Lang::En => format!("{label}: {value}"),
        }
    }

    /// `v` with its sign (+ or −) and `decimals` decimals, as an effect is written.
    pub fn signed(self, v: f64, decimals: usize) -> String {
        let s = self.number(v, decimals);
        if s.starts_with('−') || !s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            s
        } else {
            format!("+{s}")
        }
    }

    /// An interval `[low, high]`; French separates its bounds with a semicolon, as its
    /// numbers already hold a decimal comma.
    pub fn interval(self, low: &str, high: &str) -> String {
        match self {
            Lang::Fr => format!("[{low}\u{a0}; {high}]"),
            Lang::En => format!("[{low}, {high}]"),
        }
    }

    /// A percentage, `v` in percent points (French puts a space before %).
    pub fn percent(self, v: f64, decimals: usize) -> String {
        match self {
            Lang::Fr => format!("{}\u{a0}%", self.number(v, decimals)),
            Lang::En => format!("{}%", self.number(v, decimals)),
        }
    }
}

/// `template` with each `{}` replaced by the next of `values` (a `{}` left over stays).
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or(""));
    for (k, part) in parts.enumerate() {
        out.push_str(values.get(k).copied().unwrap_or("{}"));
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_each_language_s_conventions() {
        assert_eq!(Lang::Fr.number(52500.0, 0), "52\u{a0}500");
        assert_eq!(Lang::En.number(52500.0, 0), "52,500");
        assert_eq!(Lang::Fr.percent(10.94, 1), "10,9\u{a0}%");
        assert_eq!(Lang::En.percent(10.94, 1), "10.9%");
        assert_eq!(Lang::En.number(-1234.5, 1), "−1,234.5");
        assert_eq!(Lang::En.number(-0.01, 1), "0.0");
        assert_eq!(Lang::Fr.number(999.0, 0), "999");
        assert_eq!(Lang::Fr.signed(0.25, 2), "+0,25");
        assert_eq!(Lang::En.signed(-0.25, 2), "−0.25");
        assert_eq!(Lang::En.signed(-0.001, 2), "0.00");
    }

    #[test]
    fn templates_take_their_values_in_order() {
        assert_eq!(fill("# {} against {}", &["a", "b"]), "# a against b");
        assert_eq!(fill("{} x", &[]), "{} x");
    }
}
