//! Policy levers: the scenario's `[[policy]]` list. Each entry names a `lever`, the years it
//! is in force (`from_year`, optional `to_year`), where (`scope`) and its documented size;
//! `apply_policies` (step 1 of a year) turns the levers in force into this year's parameters
//! and local effects. Units, defaults and sources: docs/policies.md.

use serde::{Deserialize, Serialize};

/// Where a lever applies.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// Every simulated commune.
    #[default]
    France,
    /// Communes of the under-dense zone (both tiers) of the year.
    UnderDense,
    /// Communes of these régions (INSEE codes).
    Regions(Vec<String>),
    /// Communes of these départements (INSEE codes).
    Departements(Vec<String>),
}

/// The scope as written in a scenario: `"france"`, `"under_dense"`, `{ regions = ["24"] }`.
impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let codes = |v: &[String]| {
            let quoted: Vec<String> = v.iter().map(|c| format!("\"{c}\"")).collect();
            quoted.join(", ")
        };
        match self {
            Scope::France => write!(f, "\"france\""),
            Scope::UnderDense => write!(f, "\"under_dense\""),
            Scope::Regions(v) => write!(f, "{{ regions = [{}] }}", codes(v)),
            Scope::Departements(v) => write!(f, "{{ departements = [{}] }}", codes(v)),
        }
    }
}

/// A dated lever.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// First year in force.
    pub from_year: u16,
    /// Last year in force (inclusive); none: until the end of the run.
    #[serde(default)]
    pub to_year: Option<u16>,
    /// Where it applies (default: all of France).
    #[serde(default)]
    pub scope: Scope,
    /// The lever and its size.
    #[serde(flatten)]
    pub lever: Lever,
}

impl Policy {
    /// In force in `year`.
    pub fn active(&self, year: u16) -> bool {
        year >= self.from_year && self.to_year.is_none_or(|t| year <= t)
    }
}

// serde's `flatten` does not reject unknown fields: read the common fields from a table, then
// the lever (whose variants reject unknown fields) from what is left.
impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Policy, D::Error> {
        use serde::de::Error;
        let mut table = toml::Table::deserialize(d)?;
        let mut take = |k: &str| table.remove(k);
        let from_year = take("from_year")
            .ok_or_else(|| D::Error::missing_field("from_year"))?
            .try_into()
            .map_err(|e: toml::de::Error| D::Error::custom(format!("`from_year`: {e}")))?;
        let to_year = take("to_year")
            .map(|v| v.try_into())
            .transpose()
            .map_err(|e: toml::de::Error| D::Error::custom(format!("`to_year`: {e}")))?;
        let scope = take("scope")
            .map(|v| v.try_into())
            .transpose()
            .map_err(|e: toml::de::Error| D::Error::custom(format!("`scope`: {e}")))?
            .unwrap_or_default();
        let fields = table.clone();
        let lever = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| {
                let message = e.to_string().trim().to_string();
                match field_named_by(&message, &fields, "") {
                    Some(field) => D::Error::custom(format!("`{field}`: {message}")),
                    None => D::Error::custom(message),
                }
            })?;
        Ok(Policy {
            from_year,
            to_year,
            scope,
            lever,
        })
    }
}

/// The field whose value a lever's error quotes (serde's internally tagged enums lose the
/// field's name in their errors: "invalid value: integer `300`, expected u8").
fn field_named_by(message: &str, fields: &toml::Table, prefix: &str) -> Option<String> {
    fields.iter().find_map(|(k, v)| {
        // serde quotes a value as `300` in "invalid value" and as string "yes" in "invalid
        // type" messages.
        let quoted = match v {
            toml::Value::Table(inner) => {
                return field_named_by(message, inner, &format!("{prefix}{k}."));
            }
            toml::Value::String(text) => vec![format!("`{text}`"), format!("string {text:?}")],
            toml::Value::Integer(i) => vec![format!("`{i}`")],
            toml::Value::Float(x) => vec![format!("`{x}`")],
            toml::Value::Boolean(b) => vec![format!("`{b}`")],
            _ => return None,
        };
        (k != "lever" && quoted.iter().any(|q| message.contains(q))).then(|| format!("{prefix}{k}"))
    })
}

/// The levers and their parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lever", rename_all = "snake_case", deny_unknown_fields)]
pub enum Lever {
    /// Medical-school intake (numerus apertus) of each intake year in force, and the share of
    /// ranking-exam posts in general medicine; national.
    Numerus {
        /// Students admitted a year (2024 target: 16,000).
        intake_per_year: f64,
        /// Posts in general medicine per student admitted (0.46 in 2017–2023).
        general_medicine_share: Option<f64>,
    },
    /// Docteurs juniors (the 4th year of general medicine, from November 2026): how many
    /// consultations each takes from the practice of the GP supervising them (never MT
    /// registrations), and the share placed in the under-dense zone; national.
    JuniorDoctors {
        /// Consultations a year a docteur junior takes from the supervisor's practice.
        acts_per_junior: f64,
        /// Share of docteurs juniors placed with supervisors of the under-dense zone (the rest
        /// anywhere; the baseline places them in the zone first).
        under_dense_share: f64,
    },
    /// Chronic (ALD) patients of the scope first in the search for a GP (CNAM 2023 plan).
    ChronicPriority {},
    /// CPTS coverage and help to patients without a GP; national.
    CptsSupport {
        /// Share of people covered from `from_year` on (CNAM: 84 % in 2024).
        coverage_share: f64,
        /// Extra GPs contacted a year with the CPTS's help.
        extra_tries: u8,
        /// € a year per 100,000 people covered (ACI CPTS funding).
        cost_per_100k_people_eur: f64,
    },
    /// Incentives to keep retiring GPs working part time (cumul emploi-retraite); national.
    WorkingRetirees {
        /// Share of the GPs past pension age who would stop this year and instead go on as
        /// working retirees (a working retiree who would stop, stops).
        retained_share: f64,
        /// Their list capacity, as a share of a full-time GP's.
        capacity_share: f64,
        /// € a year per working retiree (the incentive).
        cost_per_retiree_eur: f64,
        /// Optional: local medical services staffed by retired GPs and interns (the Laval
        /// model), opened in the under-dense zone.
        local_services: Option<LocalServices>,
    },
    /// MSP funding: territorial MSP projects founded around the solo GPs of under-dense
    /// communes without a group practice, on top of the baseline's, each with a start-up grant
    /// and then the ACI (`structures.aci_*`) every year: the lever pays for its own MSPs only.
    MspFunding {
        /// Projects founded a year per million people living in the scope.
        projects_per_million: f64,
        /// One-off grant per project (project engineering, premises), €.
        start_up_grant_eur: f64,
    },
    /// "One in, one out": in the well-served communes of the scope (outside the under-dense
    /// zone), a liberal GP may install only in place of one who left that year in the same
    /// département; the others choose among the remaining communes.
    InstallationRegulation {
        /// Installations allowed per departure (1: one in, one out).
        installations_per_departure: f64,
    },
    /// € per installation in under-dense communes of the scope, and its pull on the choice.
    InstallationIncentive {
        /// € per GP installing in an under-dense commune (CAIM: 50,000).
        amount_eur: f64,
        /// Utility added per 10,000 € in the installation logit.
        utility_per_10k_eur: f64,
    },
    /// Medical assistants (and Asalée or advanced-practice nurses) for GPs in group practice
    /// or MSP in scope: a share of the eligible GPs takes up the contract and hires some
    /// FTE; each FTE frees a share of the GP's time (`workload.time_freed_per_assistant_fte`),
    /// which the GP gives to more consultations.
    Delegation {
        /// Assistant FTE per GP who takes up the contract (CNAM contract: 0.5 or 1).
        assistant_fte_per_gp: f64,
        /// Share of the eligible GPs (group practice or MSP) who take it up.
        uptake_share: f64,
        /// € a year per GP with an assistant (CNAM aid).
        cost_per_gp_eur: f64,
    },
    /// Teleconsultation: a share of the consultations of the scope's patients is served
    /// remotely, lowering the in-person workload of their MT; no MT link beyond reach.
    Teleconsultation {
        /// Share of the consultations served remotely (CNAM 2022: teleconsultations ≈5 % of
        /// GP acts; at most 0.3).
        remote_share: f64,
    },
    /// New salaried health centres (CDS) funded in the under-dense communes of the scope, run
    /// by an operator under budget rules; the programme covers their deficits while in force,
    /// then each operator covers them or not, and uncovered centres close.
    HealthCentreProgramme {
        /// Centres opened a year per million people living in the scope (its sites are the
        /// scope's under-dense communes).
        centres_per_million: f64,
        /// Salaried GPs (FTE) of a centre at opening.
        gps_per_centre: u8,
        /// Who runs the centres.
        operator: Operator,
        /// How the centres are paid.
        payment: Payment,
        /// The Teulade subsidy (the CNAM pays part of the employer's contributions on the
        /// practitioners' salaries) is paid to these centres.
        teulade: bool,
        /// Share of the programme centres' deficits the programme pays while in force.
        deficit_cover_share: f64,
        /// One-off grant per centre opened, €.
        start_up_grant_eur: f64,
    },
    /// MSPs accredited as university teaching practices host general-medicine interns, who
    /// later install in the practice's département more often (INSEE 2024).
    TeachingPractices {
        /// Share of the MSPs of the scope accredited.
        accredited_share: f64,
        /// Interns hosted a year by an accredited practice.
        interns_per_practice: f64,
        /// Extra probability that an intern so hosted installs in the practice's département
        /// (INSEE 2024: +1 point of interns placed in an area, +0.4 point of installations
        /// there 12 years later).
        retention_share: f64,
        /// € a year per accredited practice (supervision fees).
        cost_per_practice_eur: f64,
    },
}

/// Local medical services staffed by retired GPs working part time and interns they
/// supervise (the service médical de proximité of Laval, 2018), for patients without an MT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalServices {
    /// Services opened a year per million people of the territory, in under-dense communes.
    pub per_million: f64,
    /// Retired GPs in a service (working retirees: list capacity `capacity_share`).
    pub retirees: u8,
    /// Interns in a service.
    pub interns: u8,
    /// Consultations a year of one intern of the service.
    pub acts_per_intern: f64,
    /// € a year per service (premises, secretariat, supervision).
    pub cost_per_service_eur: f64,
}

/// Who runs a health centre (CDS); sets its overheads and the deficit cover it can give
/// (IGAS 2013, RM2013-119P: medical and polyvalent centres are run by associations, mutuals,
/// communes and others, about a third each for the first two; municipal centres survive on
/// balancing subsidies of often a third of their revenue). Salaries follow the same grid
/// whoever runs the centre: an operator has no other advantage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// A commune (centre municipal): broader missions (prevention, social work) on its
    /// overheads, deficits balanced by the commune.
    Municipality,
    /// An association: subsidies shrinking, limited reserves.
    Association,
    /// A mutual insurer: prudential rules limit its cover.
    Mutual,
    /// A cooperative (Scic), where local authorities may hold up to half of the capital.
    Cooperative,
    /// A private clinic group: no cover (it closes loss-making centres).
    ClinicGroup,
}

impl Operator {
    /// Every operator, in the order of [`Operator::BASELINE_MIX`].
    pub const ALL: [Operator; 5] = [
        Operator::Municipality,
        Operator::Association,
        Operator::Mutual,
        Operator::Cooperative,
        Operator::ClinicGroup,
    ];

    /// Shares of the medical and polyvalent centres each operator runs, for the baseline's
    /// centres (assumption after IGAS 2013: associations and mutuals about a third each,
    /// communes most of the rest; Scic and clinic groups recent and few).
    pub const BASELINE_MIX: [f64; 5] = [0.25, 0.35, 0.30, 0.05, 0.05];

    /// Multiplier of a centre's overheads (assumption: municipal centres carry prevention and
    /// social missions and public-sector support staff, IGAS 2013; 1 for the others, for want
    /// of a source that sets them apart).
    pub fn overhead_factor(self) -> f64 {
        match self {
            Operator::Municipality => 1.15,
            _ => 1.0,
        }
    }

    /// Probability that the operator covers a centre's deficit (assumptions after IGAS 2013's
    /// account of each kind of funder).
    pub fn own_cover_share(self) -> f64 {
        match self {
            Operator::Municipality => 0.85,
            Operator::Association => 0.5,
            Operator::Mutual => 0.6,
            Operator::Cooperative => 0.5,
            Operator::ClinicGroup => 0.0,
        }
    }

    /// Deepest deficit, share of costs, that a covering operator balances (assumptions: a
    /// commune's balancing subsidy reaches a third of revenue, IGAS 2013; associations and
    /// Scic have thin reserves; a mutual's prudential rules cap it).
    pub fn cover_ceiling_share(self) -> f64 {
        match self {
            Operator::Municipality => 0.40,
            Operator::Association | Operator::Cooperative => 0.15,
            Operator::Mutual => 0.20,
            Operator::ClinicGroup => 0.0,
        }
    }

    /// The operator a uniform draw `u` gives in the baseline's mix.
    pub fn from_mix(u: f64) -> Operator {
        let mut cum = 0.0;
        for (op, share) in Operator::ALL.iter().zip(Operator::BASELINE_MIX) {
            cum += share;
            if u < cum {
                return *op;
            }
        }
        Operator::Association
    }
}

/// How programme centres are paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payment {
    /// Fee for service, as liberal GPs.
    FeeForService,
    /// Capitation for the team, as in the PEPS experiment (article 51, from 2019).
    Capitation,
}

impl Lever {
    /// Name as written in a scenario.
    pub fn name(&self) -> &'static str {
        match self {
            Lever::Numerus { .. } => "numerus",
            Lever::JuniorDoctors { .. } => "junior_doctors",
            Lever::ChronicPriority {} => "chronic_priority",
            Lever::CptsSupport { .. } => "cpts_support",
            Lever::WorkingRetirees { .. } => "working_retirees",
            Lever::MspFunding { .. } => "msp_funding",
            Lever::InstallationRegulation { .. } => "installation_regulation",
            Lever::InstallationIncentive { .. } => "installation_incentive",
            Lever::Delegation { .. } => "delegation",
            Lever::Teleconsultation { .. } => "teleconsultation",
            Lever::HealthCentreProgramme { .. } => "health_centre_programme",
            Lever::TeachingPractices { .. } => "teaching_practices",
        }
    }

    /// Levers that act on all of France only (their scope must be `france`).
    pub fn national(&self) -> bool {
        !matches!(
            self,
            Lever::MspFunding { .. }
                | Lever::InstallationIncentive { .. }
                | Lever::Delegation { .. }
                | Lever::InstallationRegulation { .. }
                | Lever::HealthCentreProgramme { .. }
                | Lever::TeachingPractices { .. }
                | Lever::Teleconsultation { .. }
                | Lever::ChronicPriority {}
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Policy, String> {
        toml::from_str::<toml::Table>(text)
            .map_err(|e| e.to_string())?
            .try_into::<Policy>()
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_policy_reads_its_years_scope_and_lever() {
        let p = parse(
            "lever = \"msp_funding\"\nfrom_year = 2025\nscope = { departements = [\"18\"] }\n\
             projects_per_million = 3.0\nstart_up_grant_eur = 50000.0\n",
        )
        .unwrap();
        assert_eq!(p.from_year, 2025);
        assert_eq!(p.scope, Scope::Departements(vec!["18".into()]));
        assert!(p.active(2030) && !p.active(2024));
        assert_eq!(p.lever.name(), "msp_funding");
    }

    #[test]
    fn unknown_levers_and_fields_are_refused_with_their_names() {
        let e = parse("lever = \"free_lunch\"\nfrom_year = 2025\n").unwrap_err();
        assert!(e.contains("free_lunch"), "{e}");
        let e =
            parse("lever = \"chronic_priority\"\nfrom_year = 2025\nstrength = 2\n").unwrap_err();
        assert!(e.contains("strength"), "{e}");
        let e = parse("lever = \"chronic_priority\"\n").unwrap_err();
        assert!(e.contains("from_year"), "{e}");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_naming_its_field() {
        let e = parse(
            "lever = \"health_centre_programme\"\nfrom_year = 2025\ncentres_per_million = 1.0\n\
             gps_per_centre = 3\noperator = \"municipality\"\npayment = \"fee_for_service\"\n\
             teulade = \"yes\"\ndeficit_cover_share = 1.0\nstart_up_grant_eur = 0.0\n",
        )
        .unwrap_err();
        assert!(e.contains("`teulade`"), "{e}");
    }
}
