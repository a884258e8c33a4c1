//! comparison.md as a briefing note a director can read: a title from the scenarios' titles
//! and the territory, a paragraph per lever, the headline's definition, the table of effects
//! ([`super::comparison::markdown`]), caveats drawn from the run, costs with who pays and
//! what is counted, and the method (scale, seeds, ensemble, sources, date).

use super::comparison::Comparison;
use super::heading::in_lang;
use super::levers_text::describe;
use super::text::Lang;
use crate::experiment::effects::key_years;
use crate::scenario::{Scenario, Title};

/// What the note says beyond the statistics: the scenarios as run and where.
#[derive(Debug, Clone)]
pub struct About<'a> {
    /// The scenarios, baseline first (as run: after `--set`, `--regions`).
    pub scenarios: &'a [Scenario],
    /// The simulated territory, named in each language.
    pub territory: Title,
    /// Day the comparison was made, `YYYY-MM-DD`.
    pub date: String,
}

/// A scenario's title in `lang`, else its name.
pub fn title(s: &Scenario, lang: Lang) -> &str {
    s.title.as_ref().map_or(&s.name, |t| in_lang(t, lang))
}

/// The note's title: "# Title A, Title B — against Baseline — Territory".
pub fn title_line(about: &About, lang: Lang) -> String {
    let s = about.scenarios;
    let policies: Vec<&str> = s[1..].iter().map(|p| title(p, lang)).collect();
    let territory = in_lang(&about.territory, lang);
    match lang {
        Lang::Fr => format!(
            "# {} : effets par rapport à « {} », {territory}",
            policies.join(" ; "),
            title(&s[0], lang)
        ),
        Lang::En => format!(
            "# {}: effects against \"{}\", {territory}",
            policies.join("; "),
            title(&s[0], lang)
        ),
    }
}

/// One paragraph per policy scenario: each of its levers, what, how much, when and where.
pub fn levers(about: &About, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let mut t = String::from(if fr {
        "## Les mesures comparées\n\n"
    } else {
        "## The policies compared\n\n"
    });
    for s in &about.scenarios[1..] {
        t.push_str(&format!("**{}** (`{}`). ", title(s, lang), s.name));
        if s.policies.is_empty() {
            t.push_str(if fr {
                "Aucun levier (`[[policy]]`) : ce scénario change des paramètres de la référence \
                 (voir son fichier).\n\n"
            } else {
                "No lever (`[[policy]]`): this scenario changes parameters of the baseline (see \
                 its file).\n\n"
            });
            continue;
        }
        let parts: Vec<String> = s
            .policies
            .iter()
            .map(|p| {
                let d = describe(p, lang, s.end_year);
                format!("{} (`{}`), {}", d.what, p.lever.name(), d.when_where)
            })
            .collect();
        t.push_str(&parts.join(if fr { " ; " } else { "; " }));
        t.push_str(".\n\n");
    }
    t
}

/// What the headline measures.
pub fn definition(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => {
            "## Ce qui est mesuré\n\nLa part des personnes de 17 ans et plus sans médecin \
             traitant (`share_without_mt_17plus`) : le total du modèle, y compris les personnes \
             qui ont déménagé hors de portée de leur médecin. La CNAM, elle, garde la \
             déclaration d’une personne qui a déménagé : sa part publiée (9,8 % en 2017, 11,0 % \
             en 2021 pour la France) se compare à `share_without_mt_17plus_cnam` des tables \
             d’une simulation, plus basse. Un effet est l’écart mesure − référence en points de \
             pourcentage : négatif, la mesure réduit la part sans médecin traitant.\n\n"
        }
        Lang::En => {
            "## What is measured\n\nThe share of people aged 17 and over without a regular GP \
             (médecin traitant, `share_without_mt_17plus`): the model's total, people who moved \
             out of reach of their GP included. CNAM keeps a mover's declaration: its published \
             share (9.8 % in 2017, 11.0 % in 2021 for France) compares with a run's \
             `share_without_mt_17plus_cnam`, which is lower. An effect is policy − baseline in \
             percentage points: negative, the policy lowers the share without a regular GP.\n\n"
        }
    }
}

/// Caveats read from the run: intervals that hold zero, the parameters' uncertainty, the
/// steps of the levers' first years and of 2026, the number of seeds and the scale.
pub fn caveats(c: &Comparison, about: &About) -> String {
    let lang = c.lang;
    let fr = lang == Lang::Fr;
    let n = c.runs.seeds.len();
    let sets = c.runs.sets.iter().max().map_or(1, |m| m + 1);
    let years: Vec<u16> = c.runs.runs[0][0].years.iter().map(|y| y.year).collect();
    let mut items: Vec<String> = Vec::new();
    for (s, e) in about.scenarios[1..].iter().zip(&c.effects.policies) {
        for year in key_years(&years) {
            let Some(y) = e.years.iter().find(|y| y.year == year) else {
                continue;
            };
            let i = y.share.effect;
            if i.low <= 0.0 && i.high >= 0.0 {
                let p = |v: f64| lang.signed(100.0 * v, 2);
                let interval = lang.interval(&p(i.low), &p(i.high));
                items.push(match fr {
                    true => format!(
                        "« {} » en {year} : l’intervalle à 90 % {interval} contient zéro. Avec \
                         {n} simulations, on ne peut pas dire si la mesure réduit, laisse \
                         inchangée ou augmente la part sans médecin traitant cette année-là.",
                        title(s, lang)
                    ),
                    false => format!(
                        "\"{}\" in {year}: the 90 % interval {interval} holds zero. With {n} \
                         runs, one cannot tell whether the policy lowers, leaves unchanged or \
                         raises the share without a regular GP that year.",
                        title(s, lang)
                    ),
                });
            }
        }
    }
    items.push(match (sets > 1, fr) {
        (true, true) => format!(
            "Les intervalles portent l’incertitude des paramètres ({sets} jeux d’un ensemble de \
             calibration) et le hasard."
        ),
        (true, false) => format!(
            "The intervals carry the parameters' uncertainty ({sets} sets of a calibration \
             ensemble) and chance."
        ),
        (false, true) => "Les intervalles ne portent que le hasard d’une simulation à l’autre, \
             pour un seul jeu de paramètres : l’incertitude des paramètres n’y est pas \
             (`--ensemble posterior.csv` l’ajoute). Ni l’un ni l’autre ne couvre ce que le \
             modèle laisse de côté."
            .to_string(),
        (false, false) => "The intervals carry only the chance from one run to another, for \
             one parameter set: the parameters' uncertainty is not in them (`--ensemble \
             posterior.csv` adds it). Neither covers what the model leaves out."
            .to_string(),
    });
    let mut starts: Vec<(u16, String)> = Vec::new();
    for s in &about.scenarios[1..] {
        for p in &s.policies {
            starts.push((p.from_year, title(s, lang).to_string()));
            if let Some(to) = p.to_year.filter(|&t| t < s.end_year) {
                starts.push((to + 1, title(s, lang).to_string()));
            }
        }
    }
    starts.sort();
    starts.dedup();
    if !starts.is_empty() {
        // One entry per year, naming the policies that step then.
        let mut list: Vec<String> = Vec::new();
        let mut k = 0;
        while k < starts.len() {
            let year = starts[k].0;
            let named: Vec<&str> = starts[k..]
                .iter()
                .take_while(|(y, _)| *y == year)
                .map(|(_, t)| t.as_str())
                .collect();
            k += named.len();
            list.push(format!("{year} ({})", named.join(", ")));
        }
        items.push(match fr {
            true => format!(
                "Les leviers commencent ou s’arrêtent d’un coup, sans montée en charge : les \
                 courbes font une marche en {}.",
                list.join(", ")
            ),
            false => format!(
                "Levers start or stop at once, without a ramp: the curves step in {}.",
                list.join(", ")
            ),
        });
    }
    if years.contains(&2026) && years.contains(&2027) {
        items.push(
            if fr {
                "Toutes les courbes, la référence comprise, marquent une marche vers 2026-2027 : \
                 la 4e année de médecine générale (docteurs juniors dès novembre 2026) retarde \
                 d’un an une promotion de nouveaux généralistes."
            } else {
                "Every curve, the baseline's included, steps around 2026–2027: the 4th year of \
                 general medicine (docteurs juniors from November 2026) delays one year of new \
                 GPs by a year."
            }
            .to_string(),
        );
    }
    if n < 10 {
        items.push(match fr {
            true => format!(
                "{n} simulations par scénario seulement : les intervalles sont larges et leurs \
                 bornes instables ; 10 à 20 les resserrent."
            ),
            false => format!(
                "Only {n} runs per scenario: the intervals are wide and their bounds unsteady; \
                 10 to 20 narrow them."
            ),
        });
    }
    let heading = if fr { "## Précautions" } else { "## Caveats" };
    let list: Vec<String> = items.iter().map(|i| format!("- {i}")).collect();
    format!("{heading}\n\n{}\n\n", list.join("\n"))
}

/// Who pays for each lever and what its cost counts.
pub fn costs(about: &About, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let mut t = String::from(if fr {
        "## Coûts : qui paie, ce qui est compté\n\nLe coût d’une mesure est ce qu’elle ajoute \
         aux dépenses de la référence, mêmes graines, même territoire, sur toute la période \
         (`incremental_cost_eur`). Il ne compte ni la formation, ni les consultations \
         remboursées, ni les salaires payés par les recettes des structures.\n\n"
    } else {
        "## Costs: who pays, what is counted\n\nA policy's cost is what it adds to the \
         baseline's spending, same seeds, same territory, over the whole period \
         (`incremental_cost_eur`). It counts neither training, nor reimbursed consultations, \
         nor salaries paid from the structures' revenue.\n\n"
    });
    for s in &about.scenarios[1..] {
        for p in &s.policies {
            let d = describe(p, lang, s.end_year);
            t.push_str(&match fr {
                true => format!(
                    "- **{}** (`{}`) : payé par {} ; compté : {}.\n",
                    title(s, lang),
                    p.lever.name(),
                    d.payer,
                    d.counted
                ),
                false => format!(
                    "- **{}** (`{}`): paid by {}; counted: {}.\n",
                    title(s, lang),
                    p.lever.name(),
                    d.payer,
                    d.counted
                ),
            });
        }
    }
    t.push('\n');
    t
}

/// Scale, seeds, ensemble or not, years, version, sources and date.
pub fn method(c: &Comparison, about: &About) -> String {
    let fr = c.lang == Lang::Fr;
    let base = &about.scenarios[0];
    let n = c.runs.seeds.len();
    let sets = c.runs.sets.iter().max().map_or(1, |m| m + 1);
    let ensemble = match (sets > 1, fr) {
        (true, true) => format!("oui, {sets} jeux de paramètres"),
        (true, false) => format!("yes, {sets} parameter sets"),
        (false, true) => "non (un jeu de paramètres)".to_string(),
        (false, false) => "no (one parameter set)".to_string(),
    };
    let rows: [(&str, &str, String); 7] = [
        (
            "Territoire simulé",
            "Simulated territory",
            in_lang(&about.territory, c.lang).to_string(),
        ),
        (
            "Années",
            "Years",
            format!("{}–{}", base.start_year, base.end_year),
        ),
        (
            "Échelle",
            "Scale",
            match fr {
                true => format!(
                    "1 agent = {} personnes (les médecins un à un)",
                    base.persons_per_agent
                ),
                false => format!(
                    "1 agent = {} people (GPs one by one)",
                    base.persons_per_agent
                ),
            },
        ),
        (
            "Simulations par scénario",
            "Runs per scenario",
            format!(
                "{n} ({}{})",
                if fr { "graines " } else { "seeds " },
                c.runs
                    .seeds
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        ("Ensemble de paramètres", "Parameter ensemble", ensemble),
        (
            "Modèle",
            "Model",
            format!("medesert {}", env!("CARGO_PKG_VERSION")),
        ),
        ("Date", "Date", about.date.clone()),
    ];
    let mut t = String::from(if fr {
        "## Méthode et sources\n\n"
    } else {
        "## Method and sources\n\n"
    });
    for (f, e, v) in rows {
        t.push_str(&format!("- {}\n", c.lang.colon(if fr { f } else { e }, &v)));
    }
    t.push_str(&format!("- {}\n", super::ATTRIBUTION));
    t
}
