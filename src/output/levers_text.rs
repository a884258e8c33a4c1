//! A policy lever in words, for comparison.md: what it does and how much, from when, where,
//! who pays and what its cost counts (docs/policies.md, "cost a year"). Formatting only: the
//! sizes are the scenario's.

use crate::scenario::policy::{Lever, Policy, Scope};

use super::text::Lang;

/// A lever described in one language.
#[derive(Debug, Clone)]
pub struct LeverText {
    /// What it does, with its sizes (one sentence, no period).
    pub what: String,
    /// When and where (one phrase).
    pub when_where: String,
    /// Who pays (the usual payer in France; an assumption where the model counts no cost).
    pub payer: &'static str,
    /// What `policy_cost_eur` counts for it.
    pub counted: &'static str,
}

/// The words of `p` in `lang`; `end_year` closes a lever without `to_year`.
pub fn describe(p: &Policy, lang: Lang, end_year: u16) -> LeverText {
    let eur = |v: f64| match lang {
        Lang::Fr => format!("{}\u{a0}€", lang.number(v, 0)),
        Lang::En => format!("€{}", lang.number(v, 0)),
    };
    let pct = |v: f64| lang.percent(100.0 * v, 0);
    let n = |v: f64, d: usize| lang.number(v, d);
    let fr = lang == Lang::Fr;
    let (what, payer, counted) = match &p.lever {
        Lever::Numerus {
            intake_per_year,
            general_medicine_share,
        } => {
            let share = general_medicine_share.map_or(String::new(), |s| match fr {
                true => format!(", dont {} de postes de médecine générale", pct(s)),
                false => format!(", {} of them in general medicine", pct(s)),
            });
            (
                match fr {
                    true => format!(
                        "{} étudiants admis en médecine par an{share}",
                        n(*intake_per_year, 0)
                    ),
                    false => format!(
                        "{} medical students admitted a year{share}",
                        n(*intake_per_year, 0)
                    ),
                },
                if fr {
                    "l’État (universités)"
                } else {
                    "the State (universities)"
                },
                if fr {
                    "aucun coût modélisé (la formation n’est pas dans le modèle)"
                } else {
                    "no cost modelled (training is not in the model)"
                },
            )
        }
        Lever::JuniorDoctors {
            acts_per_junior,
            under_dense_share,
        } => (
            match fr {
                true => format!(
                    "chaque docteur junior assure {} consultations par an ; {} placés en zone sous-dense",
                    n(*acts_per_junior, 0),
                    pct(*under_dense_share)
                ),
                false => format!(
                    "each docteur junior gives {} consultations a year; {} placed in the under-served zone",
                    n(*acts_per_junior, 0),
                    pct(*under_dense_share)
                ),
            },
            if fr {
                "l’État et l’Assurance maladie"
            } else {
                "the State and the Assurance maladie"
            },
            if fr {
                "aucun coût modélisé"
            } else {
                "no cost modelled"
            },
        ),
        Lever::ChronicPriority {} => (
            if fr {
                "priorité aux patients en ALD dans la recherche d’un médecin traitant".into()
            } else {
                "chronic (ALD) patients first in the search for a regular GP".into()
            },
            if fr {
                "personne (règle d’organisation)"
            } else {
                "nobody (a rule)"
            },
            if fr { "aucun coût" } else { "no cost" },
        ),
        Lever::CptsSupport {
            coverage_share,
            extra_tries,
            cost_per_100k_people_eur,
        } => (
            match fr {
                true => format!(
                    "CPTS couvrant {} de la population, {} médecins de plus sollicités par an pour chaque patient sans médecin traitant, {} par an pour 100 000 habitants couverts",
                    pct(*coverage_share),
                    extra_tries,
                    eur(*cost_per_100k_people_eur)
                ),
                false => format!(
                    "CPTS covering {} of people, {} more GPs contacted a year for each patient without a regular GP, {} a year per 100,000 people covered",
                    pct(*coverage_share),
                    extra_tries,
                    eur(*cost_per_100k_people_eur)
                ),
            },
            if fr {
                "l’Assurance maladie (ACI CPTS)"
            } else {
                "the Assurance maladie (ACI CPTS)"
            },
            if fr {
                "le financement par habitant couvert, chaque année en vigueur"
            } else {
                "the funding per person covered, each year in force"
            },
        ),
        Lever::WorkingRetirees {
            retained_share,
            capacity_share,
            cost_per_retiree_eur,
            local_services,
        } => {
            let services = local_services.as_ref().map_or(String::new(), |l| match fr {
                true => format!(" ; {} service(s) médical(aux) de proximité ouverts par an et par million d’habitants ({} médecins retraités, {} internes, {} par an chacun)", n(l.per_million, 1), l.retirees, l.interns, eur(l.cost_per_service_eur)),
                false => format!("; {} local medical service(s) opened a year per million people ({} retired GPs, {} interns, {} a year each)", n(l.per_million, 1), l.retirees, l.interns, eur(l.cost_per_service_eur)),
            });
            (
                match fr {
                    true => format!(
                        "{} des médecins qui partiraient à la retraite continuent en cumul emploi-retraite, à {} d’activité, pour {} par an chacun{services}",
                        pct(*retained_share),
                        pct(*capacity_share),
                        eur(*cost_per_retiree_eur)
                    ),
                    false => format!(
                        "{} of the GPs who would retire go on as working retirees, at {} of full activity, for {} a year each{services}",
                        pct(*retained_share),
                        pct(*capacity_share),
                        eur(*cost_per_retiree_eur)
                    ),
                },
                if fr {
                    "l’Assurance maladie (incitation), l’ARS et les collectivités (services de proximité)"
                } else {
                    "the Assurance maladie (incentive), the ARS and local authorities (local services)"
                },
                if fr {
                    "l’incitation par médecin retenu et le budget annuel des services"
                } else {
                    "the incentive per GP retained and the services' yearly budget"
                },
            )
        }
        Lever::MspFunding {
            projects_per_million,
            start_up_grant_eur,
        } => (
            match fr {
                true => format!(
                    "{} projets de maison de santé par an et par million d’habitants, {} d’aide au démarrage chacun",
                    n(*projects_per_million, 1),
                    eur(*start_up_grant_eur)
                ),
                false => format!(
                    "{} MSP projects a year per million people, {} start-up grant each",
                    n(*projects_per_million, 1),
                    eur(*start_up_grant_eur)
                ),
            },
            if fr {
                "l’ARS (aide au démarrage) et l’Assurance maladie (ACI des nouvelles maisons)"
            } else {
                "the ARS (start-up grant) and the Assurance maladie (ACI of the new MSPs)"
            },
            if fr {
                "l’aide au démarrage et l’ACI des seules maisons créées par le levier"
            } else {
                "the start-up grants and the ACI of the lever's own MSPs only"
            },
        ),
        Lever::InstallationRegulation {
            installations_per_departure,
        } => (
            match fr {
                true => format!(
                    "hors zone sous-dense, {} installation(s) autorisée(s) par départ",
                    n(*installations_per_departure, 1)
                ),
                false => format!(
                    "outside the under-served zone, {} installation(s) allowed per departure",
                    n(*installations_per_departure, 1)
                ),
            },
            if fr {
                "personne (règle d’installation)"
            } else {
                "nobody (a rule)"
            },
            if fr {
                "aucun coût modélisé"
            } else {
                "no cost modelled"
            },
        ),
        Lever::InstallationIncentive {
            amount_eur,
            utility_per_10k_eur,
        } => (
            match fr {
                true => format!(
                    "{} par médecin qui s’installe en commune sous-dense (attrait : {} par tranche de 10 000 €)",
                    eur(*amount_eur),
                    n(*utility_per_10k_eur, 2)
                ),
                false => format!(
                    "{} per GP installing in an under-served commune (pull: {} per 10,000 €)",
                    eur(*amount_eur),
                    n(*utility_per_10k_eur, 2)
                ),
            },
            if fr {
                "l’Assurance maladie (contrat d’aide à l’installation)"
            } else {
                "the Assurance maladie (installation aid contract)"
            },
            if fr {
                "le montant versé à chaque installation en zone sous-dense"
            } else {
                "the amount paid per installation in the under-served zone"
            },
        ),
        Lever::Delegation {
            assistant_fte_per_gp,
            uptake_share,
            cost_per_gp_eur,
        } => (
            match fr {
                true => format!(
                    "{} des médecins en groupe ou en maison de santé emploient {} ETP d’assistant médical, aidés de {} par an chacun",
                    pct(*uptake_share),
                    n(*assistant_fte_per_gp, 1),
                    eur(*cost_per_gp_eur)
                ),
                false => format!(
                    "{} of GPs in group practice or MSP employ {} FTE of medical assistant, with {} a year each",
                    pct(*uptake_share),
                    n(*assistant_fte_per_gp, 1),
                    eur(*cost_per_gp_eur)
                ),
            },
            if fr {
                "l’Assurance maladie (aide à l’emploi d’assistants médicaux)"
            } else {
                "the Assurance maladie (medical assistant aid)"
            },
            if fr {
                "l’aide annuelle par médecin équipé"
            } else {
                "the yearly aid per GP with an assistant"
            },
        ),
        Lever::Teleconsultation { remote_share } => (
            match fr {
                true => format!("{} des consultations faites à distance", pct(*remote_share)),
                false => format!("{} of consultations given remotely", pct(*remote_share)),
            },
            if fr {
                "l’Assurance maladie (actes remboursés comme les autres)"
            } else {
                "the Assurance maladie (acts reimbursed as others)"
            },
            if fr {
                "aucun coût modélisé"
            } else {
                "no cost modelled"
            },
        ),
        Lever::HealthCentreProgramme {
            centres_per_million,
            gps_per_centre,
            deficit_cover_share,
            start_up_grant_eur,
            ..
        } => (
            match fr {
                true => format!(
                    "{} centres de santé par an et par million d’habitants, de {} médecins salariés, {} de leur déficit couvert, {} d’aide au démarrage",
                    n(*centres_per_million, 2),
                    gps_per_centre,
                    pct(*deficit_cover_share),
                    eur(*start_up_grant_eur)
                ),
                false => format!(
                    "{} health centres a year per million people, {} salaried GPs each, {} of their deficit covered, {} start-up grant",
                    n(*centres_per_million, 2),
                    gps_per_centre,
                    pct(*deficit_cover_share),
                    eur(*start_up_grant_eur)
                ),
            },
            if fr {
                "le financeur du programme (État, ARS ou collectivités) ; les salaires sont payés par les recettes des centres (Assurance maladie)"
            } else {
                "the programme's funder (State, ARS or local authorities); salaries are paid from the centres' revenue (Assurance maladie)"
            },
            if fr {
                "les aides au démarrage et la part couverte des déficits des centres, non les salaires ni les consultations remboursées"
            } else {
                "start-up grants and the covered share of the centres' deficits, not salaries nor reimbursed consultations"
            },
        ),
        Lever::TeachingPractices {
            accredited_share,
            interns_per_practice,
            retention_share,
            cost_per_practice_eur,
        } => (
            match fr {
                true => format!(
                    "{} des maisons de santé agréées terrain de stage, {} internes par an chacune, {} d’entre eux retenus dans le département, {} par an et par maison",
                    pct(*accredited_share),
                    n(*interns_per_practice, 1),
                    pct(*retention_share),
                    eur(*cost_per_practice_eur)
                ),
                false => format!(
                    "{} of MSPs accredited as teaching practices, {} interns a year each, {} of them kept in the département, {} a year per practice",
                    pct(*accredited_share),
                    n(*interns_per_practice, 1),
                    pct(*retention_share),
                    eur(*cost_per_practice_eur)
                ),
            },
            if fr {
                "l’État (honoraires pédagogiques des maîtres de stage)"
            } else {
                "the State (supervision fees)"
            },
            if fr {
                "les honoraires pédagogiques par maison agréée"
            } else {
                "the supervision fees per accredited practice"
            },
        ),
    };
    LeverText {
        what,
        when_where: when_where(p, lang, end_year),
        payer,
        counted,
    }
}

/// "de 2026 à 2035, dans la zone sous-dense" / "from 2026 to 2035, in the under-served zone".
fn when_where(p: &Policy, lang: Lang, end_year: u16) -> String {
    let to = p.to_year.unwrap_or(end_year);
    let fr = lang == Lang::Fr;
    let when = match fr {
        true => format!("de {} à {to}", p.from_year),
        false => format!("from {} to {to}", p.from_year),
    };
    let codes = |v: &[String]| v.join(", ");
    let r#where = match (&p.scope, fr) {
        (Scope::France, true) => "sur tout le territoire simulé".to_string(),
        (Scope::France, false) => "over the whole simulated territory".to_string(),
        (Scope::UnderDense, true) => {
            "dans les communes de la zone sous-dense de l’année".to_string()
        }
        (Scope::UnderDense, false) => "in the communes of the year's under-served zone".to_string(),
        (Scope::Regions(v), true) => format!("dans les régions {}", codes(v)),
        (Scope::Regions(v), false) => format!("in régions {}", codes(v)),
        (Scope::Departements(v), true) => format!("dans les départements {}", codes(v)),
        (Scope::Departements(v), false) => format!("in départements {}", codes(v)),
    };
    format!("{when}, {}", r#where)
}
