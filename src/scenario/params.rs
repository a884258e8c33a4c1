//! The typed scenario. Units are in the names; sources and plausible ranges are in
//! `configs/baseline.toml` and `docs/model.md`.

use serde::{Deserialize, Serialize};

/// The largest seed: a scenario's `seed` is a TOML integer (a signed 64-bit number), so every
/// command (`--seed`, `--replicates`, sweeps) takes seeds 0 to 2⁶³ − 1.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// One complete, validated scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used for the default output folder `outputs/<name>/`.
    pub name: String,
    /// Title shown on animation frames and figures instead of `name`, in French and English
    /// (`title = { fr = "…", en = "…" }`); not inherited through `extends`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Title>,
    /// Seed of every random draw of the run, 0 to [`MAX_SEED`].
    pub seed: u64,
    /// First simulated year (state on 1 January).
    pub start_year: u16,
    /// Last simulated year, inclusive.
    pub end_year: u16,
    /// People represented by one patient agent (GPs are always one agent per doctor).
    pub persons_per_agent: u32,
    /// Which communes are simulated.
    pub territory: Territory,
    /// Population renewal: births, deaths, migration, moves, chronic conditions.
    pub population: Population,
    /// Who seeks a médecin traitant.
    pub demand: Demand,
    /// The GP workforce: initial pool, activity, exits, working retirees.
    pub gps: Gps,
    /// From medical school intake to installing GPs.
    pub training: Training,
    /// Where new GPs install (multinomial logit).
    pub installation: Installation,
    /// Group practices, MSPs, health centres, CPTS.
    pub structures: Structures,
    /// Patients finding a GP.
    pub matching: Matching,
    /// The under-dense zone (zone d'intervention prioritaire).
    pub zoning: Zoning,
    /// Local potential accessibility (APL, DREES/IRDES).
    pub apl: Apl,
    /// What GPs offer and patients ask for, in consultations a year.
    pub workload: Workload,
    /// Dated policy levers (none in the baseline).
    #[serde(default, rename = "policy", skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<super::policy::Policy>,
}

/// A scenario's title in each language of the outputs: one line, not empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    /// Titre en français.
    pub fr: String,
    /// English title.
    pub en: String,
}

/// The simulated territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territory {
    /// INSEE codes of régions to simulate (e.g. "53"); empty with `departements` empty = all
    /// of metropolitan France.
    pub regions: Vec<String>,
    /// INSEE codes of départements to simulate (e.g. "29", "2A").
    pub departements: Vec<String>,
    /// What a run restricted to régions or départements simulates beyond them (ignored for
    /// metropolitan France, which has no border to simulate).
    #[serde(default)]
    pub border: Border,
    /// People per patient agent of the France run that gives a sub-national run's national
    /// flow its upper level (the run's own scale if coarser; docs/model.md, "Sub-national
    /// runs").
    #[serde(default = "france_persons_per_agent")]
    pub france_persons_per_agent: u32,
}

/// The default scale of the France run behind a sub-national run: 1:200 runs France to 2030
/// in ≈2.5 s and keeps every GP (GPs are always one agent per doctor).
pub(super) fn france_persons_per_agent() -> u32 {
    200
}

/// The border of a sub-national run (docs/model.md, "Sub-national runs").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Border {
    /// Also simulates the communes outside the territory within `matching.reach_minutes` of
    /// one of its communes (the ring), never reported: the territory's patients reach GPs
    /// across its border and the ring's patients compete for them.
    #[default]
    Reach,
    /// A closed territory: nobody crosses its border.
    None,
}

/// Population renewal parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// National net migration, persons per year, spread by population.
    pub net_migration_per_year: f64,
    /// Youngest age of net migrants, years.
    pub migrant_age_min_years: u8,
    /// Oldest age of net migrants, years.
    pub migrant_age_max_years: u8,
    /// Share of boys among births.
    pub male_birth_share: f64,
    /// Yearly probability that a person moves to another commune, ages 18–29.
    pub move_rate_18_29_per_year: f64,
    /// Yearly probability that a person moves to another commune, other ages.
    pub move_rate_other_per_year: f64,
    /// Share of moves that stay within the département.
    pub move_within_departement_share: f64,
    /// Multiplier of the chronic (ALD) prevalence-by-age curve.
    pub chronic_prevalence_scale: f64,
}

/// Who seeks a médecin traitant (MT).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Share of people reaching 17 who have not declared an MT.
    pub never_declared_share_at_17: f64,
    /// Yearly probability that a never-declared person starts looking for an MT.
    pub declare_rate_per_year: f64,
    /// Yearly probability that a (non-chronic) person who lost their MT looks for another.
    pub seek_after_loss_share_per_year: f64,
}

/// The GP workforce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gps {
    /// Liberal GPs per BPE 2020 practice address (a GP with two surgeries has two): turns
    /// each département's BPE addresses into its liberal share of the RPPS all-mode GPs.
    pub gps_per_bpe_address: f64,
    /// Share of primary-care GPs salaried in health centres (CDS) in the start year.
    pub health_centre_share_start: f64,
    /// Smallest commune (population) that receives start-year health-centre GPs.
    pub health_centre_min_commune_population: u32,
    /// Years for a new GP's activity to reach its full value.
    pub capacity_ramp_years: f64,
    /// Yearly exit hazard under 60 (career change, departure): reason `gp_left`.
    pub exit_hazard_under_60: f64,
    /// Yearly exit hazard at 60–64 (retirement).
    pub exit_hazard_60_64: f64,
    /// Yearly exit hazard at 65–69.
    pub exit_hazard_65_69: f64,
    /// Yearly exit hazard at 70–74.
    pub exit_hazard_70_74: f64,
    /// Yearly exit hazard at 75 and over.
    pub exit_hazard_75_plus: f64,
    /// Multiplier of exit hazards at 60+ for GPs in rural communes (they stop later).
    pub rural_exit_factor: f64,
    /// Age from which a GP may claim a pension and keep working (cumul emploi-retraite).
    pub pension_age_years: u8,
    /// Yearly probability that a GP past pension age switches to working retiree.
    pub working_retiree_rate_per_year: f64,
    /// Activity of a working retiree relative to full activity.
    pub working_retiree_capacity_share: f64,
    /// Multiplier of the exit hazard of working retirees.
    pub working_retiree_exit_factor: f64,
    /// Multiplier of the 60+ exit hazard of MSP members (retention of older GPs).
    pub msp_exit_factor: f64,
    /// Share of GPs in cumul emploi-retraite in the start year (DREES 2018: 0.083).
    pub start_working_retiree_share: f64,
    /// Share of GPs under 50 drawn to group practice in the start year (calibrated with the
    /// join rates to DREES 2019 by age; one alone in their commune stays solo).
    pub start_group_share_under_50: f64,
    /// Share of GPs aged 50–59 drawn to group practice in the start year (same calibration).
    pub start_group_share_50_59: f64,
    /// Share of GPs aged 60+ drawn to group practice in the start year (same calibration).
    pub start_group_share_60_plus: f64,
    /// Share of women among GPs aged 30 in the start year.
    pub women_share_at_30: f64,
    /// Share of women among GPs aged 70 in the start year.
    pub women_share_at_70: f64,
}

/// The training pipeline (numerus clausus → general medicine → locums → installation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Years from medical-school intake to the national ranking exam (ECN/EDN).
    pub years_to_ranking_exam: u8,
    /// Posts in general medicine per student admitted, when the data has no figure.
    pub general_medicine_share: f64,
    /// Share of general-medicine posts filled, when the data has no figure.
    pub fill_rate: f64,
    /// Last ranking-exam year whose interns train 3 years (later ones train 4).
    pub last_three_year_cohort: u16,
    /// Intake (numerus apertus) per year after the last year of the data file.
    pub numerus_after_data: f64,
    /// Age at the end of training, years.
    pub graduation_age_years: u8,
    /// Share of women among new graduates.
    pub women_share_graduates: f64,
    /// Mean years as a locum (remplaçant) before installing.
    pub locum_years_mean: f64,
    /// Share of locums who install in primary care (the rest go to hospital or other practice).
    pub install_share: f64,
    /// Share of graduates who trained in the subdivision of their origin commune; the others
    /// train in one drawn in proportion to its population (assumption).
    pub faculty_in_birth_subdivision_share: f64,
}

/// Where new GPs install: utility terms of the multinomial logit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Installation {
    /// Smallest commune population that is a candidate for installation.
    pub min_commune_population: u32,
    /// Utility per 100 km between the commune and the GP's origin.
    pub beta_distance_per_100km: f64,
    /// Utility per log of commune population.
    pub beta_log_population: f64,
    /// Utility of a commune in an urban cluster.
    pub beta_urban_cluster: f64,
    /// Utility of a group practice or MSP in the commune.
    pub beta_group_practice: f64,
    /// Utility per point (0–1) of local share of 17+ without an MT.
    pub beta_unmet_demand: f64,
    /// Utility of the under-dense zone (installation aid).
    pub beta_under_dense: f64,
    /// Utility per 100 km between the commune and the GP's faculty town (≤ 0).
    pub beta_faculty_distance_per_100km: f64,
    /// Utility of a commune in the subdivision where the GP trained (≥ 0).
    pub beta_training_subdivision: f64,
    /// Utility of a commune in the région of the GP's origin commune (≥ 0).
    pub beta_birth_region: f64,
    /// Utility per GP per 1,000 people within reach of the commune.
    pub beta_gp_density_per_1000: f64,
    /// Utility of a commune where at least one GP already practises.
    pub beta_colleagues: f64,
    /// Utility of a commune with an MSP (with or without room).
    pub beta_msp_present: f64,
    /// Weight of each département's own attractiveness (its constant in
    /// `data/place-attractiveness.csv`): 1 as estimated, 0 without it.
    pub beta_place_attractiveness: f64,
    /// Share of installing GPs under 50 who choose group practice (DREES 2019: 0.81).
    pub group_share_under_50: f64,
    /// Share of installing GPs aged 50 and over who choose group practice.
    pub group_share_50_plus: f64,
    /// Utility of a commune with an MSP with room, in the under-dense zone only (MSPs attract
    /// young GPs where access is low).
    pub beta_msp_under_dense: f64,
    /// Share of the GPs refused a regulated commune ("one in, one out") who stay locums one
    /// more year and try again (the pool they wait in is the one health centres hire
    /// salaried GPs from).
    pub refused_wait_share: f64,
    /// Share of the GPs refused a regulated commune who leave primary care.
    pub refused_leave_share: f64,
}

/// Care structures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Structures {
    /// Most GPs in one group practice or MSP.
    pub group_max_gps: u8,
    /// GPs per group practice when the start year's groups are formed.
    pub start_group_size: u8,
    /// MSPs in metropolitan France in the start year (scaled to the territory).
    pub msp_count_start: f64,
    /// Yearly probability that an eligible group practice becomes an MSP.
    pub msp_formation_rate_per_year: f64,
    /// Multiplier of the MSP formation rate in the under-dense zone.
    pub msp_under_dense_factor: f64,
    /// Share of group practices with a partner health professional (MSP eligibility).
    pub msp_partner_share: f64,
    /// Yearly probability that a solo GP under 50 joins or forms a group practice.
    pub join_group_rate_under_50: f64,
    /// Yearly probability that a solo GP aged 50–59 joins or forms a group practice.
    pub join_group_rate_50_59: f64,
    /// Yearly probability that a solo GP aged 60+ joins or forms a group practice.
    pub join_group_rate_60_plus: f64,
    /// Territorial MSP projects (municipality, ARS) a year per million people, founded around
    /// the solo GPs of an under-dense commune without a group practice.
    pub msp_projects_per_million: f64,
    /// ACI: the fixed part of an MSP's yearly payment, €.
    pub aci_fixed_eur: f64,
    /// ACI: the part of an MSP's yearly payment per GP member, €.
    pub aci_per_gp_eur: f64,
    /// Health centres opened per year per million inhabitants, in the under-dense zone.
    pub health_centre_openings_per_million: f64,
    /// Salaried GPs hired at a health centre's opening.
    pub health_centre_gps_at_opening: u8,
    /// Gross salary of a full-time salaried health-centre GP.
    pub health_centre_gp_gross_salary_eur: f64,
    /// Employer contributions on a salaried GP's gross salary.
    pub health_centre_employer_charge_share: f64,
    /// Overheads of a health centre per salaried GP FTE (support staff, supplies, IT); calibrated to IGAS 2025's deficits.
    pub health_centre_overhead_eur_per_fte: f64,
    /// Overheads of a health centre whatever its size (premises, management, coordination); calibrated to IGAS 2025's deficits.
    pub health_centre_fixed_overhead_eur: f64,
    /// Flat payments to a health centre per GP FTE (national agreement of the centres, forfait médecin traitant, ROSP).
    pub health_centre_flat_payments_eur_per_fte: f64,
    /// Spread between centres of acts per GP FTE around the IGAS mean (log-normal); calibrated to IGAS 2025's deficits.
    pub health_centre_productivity_log_sd: f64,
    /// Mean share of a health centre's patients in precarity (C2S, AME); each centre draws its own, uniform between 0 and twice it.
    pub health_centre_precarity_share: f64,
    /// Billable acts lost per unit of precarity share (no-shows, tiers-payant rejections, longer consultations).
    pub health_centre_precarity_act_loss_share: f64,
    /// Capitation paid per enrolled patient to a centre paid as in PEPS, replacing its fees.
    pub health_centre_capitation_eur_per_patient: f64,
    /// Deficit share above which an uncovered health centre is in deficit that year.
    pub health_centre_deficit_threshold_share: f64,
    /// Consecutive uncovered deficit years before a health centre closes.
    pub health_centre_closure_years: u8,
    /// Share of people covered by a CPTS from the start year until `cpts_first_year`.
    pub cpts_coverage_start: f64,
    /// First year with CPTS coverage (ACI 2019); coverage rises linearly from it.
    pub cpts_first_year: u16,
    /// Share of people covered by a CPTS in the target year.
    pub cpts_coverage_target: f64,
    /// Year the target coverage is reached.
    pub cpts_target_year: u16,
    /// Radius of the communes one CPTS covers, km.
    pub cpts_radius_km: f64,
}

/// Patients finding a GP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matching {
    /// Reach of a patient's search, minutes by road.
    pub reach_minutes: f64,
    /// Road distance over straight-line distance.
    pub detour_factor: f64,
    /// Mean road speed from a commune in an urban cluster, km/h.
    pub speed_urban_kmh: f64,
    /// Mean road speed from other communes, km/h.
    pub speed_rural_kmh: f64,
    /// GPs a seeking patient contacts per year.
    pub tries_per_year: u8,
    /// Probability that a patient contacts the next GP in distance order (noise).
    pub contact_share: f64,
    /// Extra contacts per year for patients in a commune covered by a CPTS.
    pub cpts_extra_tries: u8,
    /// First year chronic (ALD) patients are served first (2023 plan); 0 = never.
    pub chronic_priority_from_year: u16,
    /// Matching rounds run on the initial state before the first year.
    pub warmup_rounds: u8,
}

/// The under-dense zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zoning {
    /// Years between two zonings.
    pub period_years: u16,
    /// Communes with an APL below this are in the priority tier (ZIP), consultations per
    /// year per inhabitant.
    pub priority_apl_below: f64,
    /// Communes with an APL from `priority_apl_below` up to this are in the intermediate tier
    /// (ZAC); both tiers form the under-dense zone.
    pub intermediate_apl_below: f64,
}

/// Local potential accessibility (accessibilité potentielle localisée, APL): a two-step
/// floating catchment over communes, travel times from the `matching` road model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apl {
    /// Consultations and visits a year of a liberal GP.
    pub acts_per_liberal_gp: f64,
    /// Consultations a year per full-time salaried health-centre GP.
    pub acts_per_health_centre_fte: f64,
    /// Upper bounds of the travel-time bands, minutes, increasing.
    pub band_minutes: Vec<f64>,
    /// Weight of a GP in each band (1 = fully accessible), decreasing.
    pub band_weights: Vec<f64>,
    /// First age of each demand band, years, increasing from 0.
    pub age_band_starts: Vec<u8>,
    /// GP consultations per person per year in each age band (rescaled so that the 2018
    /// national mean weight is 1).
    pub age_band_consultations: Vec<f64>,
}

/// GP workload (MODEL.md §3.7): what a GP offers and what a patient asks for, in
/// consultations a year, and when a GP takes or releases médecin-traitant patients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Mean weekly patient hours of liberal GPs, the hours `apl.acts_per_liberal_gp` is for.
    pub reference_weekly_hours: f64,
    /// Weekly patient hours of men GPs of the cohorts born before `younger_cohorts_from`.
    pub weekly_hours_men_older_cohorts: f64,
    /// Weekly patient hours of men GPs of the cohorts born from `younger_cohorts_from`.
    pub weekly_hours_men_younger_cohorts: f64,
    /// First birth year of the younger cohorts (under 50 in the DREES 2019 panel).
    pub younger_cohorts_from: u16,
    /// Weekly patient hours of women GPs relative to men of the same cohort.
    pub women_hours_factor: f64,
    /// Share a GP's activity may stretch above its usual level in the under-dense zone.
    pub stretch_under_dense_share: f64,
    /// GP consultations a year per person, all ages (the age profile is `apl.age_band_consultations`).
    pub consultations_per_person: f64,
    /// GP consultations of women relative to men of the same age.
    pub women_consultation_factor: f64,
    /// GP consultations of chronic (ALD) patients relative to others of the same age.
    pub chronic_consultation_factor: f64,
    /// Share of a GP's consultations that go to the adults on their MT list (the rest: children,
    /// patients of other GPs, people without an MT).
    pub list_share_of_acts: f64,
    /// A GP takes a new MT patient while the list's expected consultations are under this
    /// share of what the GP offers the list.
    pub acceptance_threshold_share: f64,
    /// A GP whose list's consultations exceed the threshold by more than this share releases
    /// patients down to the threshold.
    pub release_tolerance_share: f64,
    /// Share beyond the acceptance threshold up to which a GP still takes chronic (ALD)
    /// patients while the chronic priority is in force (2023 plan).
    pub chronic_extra_share: f64,
    /// Share of an in-person consultation's GP time that a remote one saves the patient's MT
    /// (teleconsultation lever): the rest is still the MT's, or another GP's counted in the model.
    pub remote_consultation_saving: f64,
    /// Share of a GP's time one assistant FTE frees for consultations (delegation lever).
    pub time_freed_per_assistant_fte: f64,
    /// Share of an MSP GP's acts delegated to the MSP's nurses (Asalée, IPA): the GP's offer
    /// is raised by 1 / (1 − share).
    pub msp_delegated_share: f64,
    /// Consultations a year a docteur junior takes from the supervisor's practice.
    pub junior_doctor_acts: f64,
}
