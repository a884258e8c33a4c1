//! Range checks: every value in its documented domain, or an error naming file, field and value.

use std::fmt::Display;
use std::path::Path;

use super::{Scenario, ScenarioError};

/// Checks every range of a parsed scenario.
pub fn validate(s: &Scenario, path: &Path) -> Result<(), ScenarioError> {
    let c = Checker { path };
    c.check(
        !s.name.trim().is_empty(),
        "name",
        &s.name,
        "a non-empty name",
    )?;
    c.check(
        s.name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch)),
        "name",
        &s.name,
        "letters, digits, '-', '_' or '.' (it names the output folder)",
    )?;
    c.within("start_year", s.start_year as f64, 2018.0, 2018.0)?;
    c.within("end_year", s.end_year as f64, s.start_year as f64, 2070.0)?;
    c.within(
        "persons_per_agent",
        s.persons_per_agent as f64,
        1.0,
        10_000.0,
    )?;

    let p = &s.population;
    // Net emigration is not modelled: migrants only arrive.
    c.within(
        "population.net_migration_per_year",
        p.net_migration_per_year,
        0.0,
        500e3,
    )?;
    c.check(
        p.migrant_age_min_years <= p.migrant_age_max_years && p.migrant_age_max_years <= 99,
        "population.migrant_age_max_years",
        p.migrant_age_max_years,
        "an age in migrant_age_min_years..=99",
    )?;
    c.share("population.male_birth_share", p.male_birth_share)?;
    c.share(
        "population.move_rate_18_29_per_year",
        p.move_rate_18_29_per_year,
    )?;
    c.share(
        "population.move_rate_other_per_year",
        p.move_rate_other_per_year,
    )?;
    c.share(
        "population.move_within_departement_share",
        p.move_within_departement_share,
    )?;
    c.within(
        "population.chronic_prevalence_scale",
        p.chronic_prevalence_scale,
        0.0,
        2.0,
    )?;

    let d = &s.demand;
    c.share(
        "demand.never_declared_share_at_17",
        d.never_declared_share_at_17,
    )?;
    c.share("demand.declare_rate_per_year", d.declare_rate_per_year)?;
    c.share(
        "demand.seek_after_loss_share_per_year",
        d.seek_after_loss_share_per_year,
    )?;

    let g = &s.gps;
    c.share("gps.primary_care_share", g.primary_care_share)?;
    c.share("gps.health_centre_share_start", g.health_centre_share_start)?;
    c.within(
        "gps.placement_population_exponent",
        g.placement_population_exponent,
        0.0,
        3.0,
    )?;
    c.within("gps.capacity_scale", g.capacity_scale, 0.1, 5.0)?;
    c.within("gps.capacity_ramp_years", g.capacity_ramp_years, 1.0, 20.0)?;
    c.share(
        "gps.health_centre_capacity_share",
        g.health_centre_capacity_share,
    )?;
    for (field, v) in [
        ("gps.exit_hazard_under_60", g.exit_hazard_under_60),
        ("gps.exit_hazard_60_64", g.exit_hazard_60_64),
        ("gps.exit_hazard_65_69", g.exit_hazard_65_69),
        ("gps.exit_hazard_70_74", g.exit_hazard_70_74),
        ("gps.exit_hazard_75_plus", g.exit_hazard_75_plus),
        (
            "gps.working_retiree_rate_per_year",
            g.working_retiree_rate_per_year,
        ),
        (
            "gps.working_retiree_capacity_share",
            g.working_retiree_capacity_share,
        ),
        ("gps.women_share_at_30", g.women_share_at_30),
        (
            "gps.start_working_retiree_share",
            g.start_working_retiree_share,
        ),
        (
            "gps.start_group_share_under_50",
            g.start_group_share_under_50,
        ),
        ("gps.start_group_share_50_59", g.start_group_share_50_59),
        ("gps.start_group_share_60_plus", g.start_group_share_60_plus),
        ("gps.women_share_at_70", g.women_share_at_70),
    ] {
        c.share(field, v)?;
    }
    c.within("gps.rural_exit_factor", g.rural_exit_factor, 0.0, 3.0)?;
    c.within(
        "gps.working_retiree_exit_factor",
        g.working_retiree_exit_factor,
        0.0,
        10.0,
    )?;
    c.within(
        "gps.pension_age_years",
        g.pension_age_years as f64,
        55.0,
        75.0,
    )?;

    let t = &s.training;
    c.within(
        "training.years_to_ranking_exam",
        t.years_to_ranking_exam as f64,
        4.0,
        8.0,
    )?;
    c.share("training.general_medicine_share", t.general_medicine_share)?;
    c.share("training.fill_rate", t.fill_rate)?;
    c.within(
        "training.numerus_after_data",
        t.numerus_after_data,
        0.0,
        50_000.0,
    )?;
    c.within(
        "training.graduation_age_years",
        t.graduation_age_years as f64,
        24.0,
        40.0,
    )?;
    c.share("training.women_share_graduates", t.women_share_graduates)?;
    c.within("training.locum_years_mean", t.locum_years_mean, 1.0, 15.0)?;
    c.share("training.install_share", t.install_share)?;
    c.within(
        "training.junior_doctor_capacity",
        t.junior_doctor_capacity,
        0.0,
        3_000.0,
    )?;

    let i = &s.installation;
    c.share("installation.group_share_under_50", i.group_share_under_50)?;
    c.share("installation.group_share_50_plus", i.group_share_50_plus)?;
    c.within(
        "installation.beta_distance_per_100km",
        i.beta_distance_per_100km,
        -20.0,
        0.0,
    )?;

    let st = &s.structures;
    c.within(
        "structures.group_max_gps",
        st.group_max_gps as f64,
        2.0,
        50.0,
    )?;
    c.within(
        "structures.start_group_size",
        st.start_group_size as f64,
        2.0,
        st.group_max_gps as f64,
    )?;
    c.within(
        "structures.msp_count_start",
        st.msp_count_start,
        0.0,
        20_000.0,
    )?;
    c.share(
        "structures.msp_formation_rate_per_year",
        st.msp_formation_rate_per_year,
    )?;
    c.within(
        "structures.msp_under_dense_factor",
        st.msp_under_dense_factor,
        0.0,
        10.0,
    )?;
    c.share("structures.msp_partner_share", st.msp_partner_share)?;
    c.within(
        "structures.health_centre_openings_per_million",
        st.health_centre_openings_per_million,
        0.0,
        100.0,
    )?;
    c.within(
        "structures.health_centre_gps_at_opening",
        st.health_centre_gps_at_opening as f64,
        1.0,
        20.0,
    )?;
    c.share(
        "structures.health_centre_median_deficit_share",
        st.health_centre_median_deficit_share,
    )?;
    c.share(
        "structures.health_centre_deficit_cover_share",
        st.health_centre_deficit_cover_share,
    )?;
    c.share(
        "structures.health_centre_deficit_threshold_share",
        st.health_centre_deficit_threshold_share,
    )?;
    c.share("structures.cpts_coverage_start", st.cpts_coverage_start)?;
    c.share("structures.cpts_coverage_target", st.cpts_coverage_target)?;
    c.check(
        st.cpts_target_year > s.start_year,
        "structures.cpts_target_year",
        st.cpts_target_year,
        "a year after start_year",
    )?;
    c.within("structures.cpts_radius_km", st.cpts_radius_km, 1.0, 100.0)?;

    let m = &s.matching;
    c.within("matching.reach_minutes", m.reach_minutes, 1.0, 120.0)?;
    c.within("matching.detour_factor", m.detour_factor, 1.0, 3.0)?;
    c.within("matching.speed_urban_kmh", m.speed_urban_kmh, 5.0, 130.0)?;
    c.within("matching.speed_rural_kmh", m.speed_rural_kmh, 5.0, 130.0)?;
    c.within(
        "matching.tries_per_year",
        m.tries_per_year as f64,
        1.0,
        100.0,
    )?;
    c.share("matching.contact_share", m.contact_share)?;
    c.check(
        m.contact_share > 0.0,
        "matching.contact_share",
        m.contact_share,
        "a share above 0",
    )?;

    c.within(
        "zoning.period_years",
        s.zoning.period_years as f64,
        1.0,
        50.0,
    )?;
    let z = &s.zoning;
    c.within("zoning.priority_apl_below", z.priority_apl_below, 0.0, 10.0)?;
    c.within(
        "zoning.intermediate_apl_below",
        z.intermediate_apl_below,
        z.priority_apl_below,
        10.0,
    )?;

    let a = &s.apl;
    c.within(
        "apl.acts_per_liberal_gp",
        a.acts_per_liberal_gp,
        500.0,
        15_000.0,
    )?;
    c.within(
        "apl.acts_per_health_centre_fte",
        a.acts_per_health_centre_fte,
        500.0,
        15_000.0,
    )?;
    c.check(
        !a.band_minutes.is_empty() && a.band_minutes.len() == a.band_weights.len(),
        "apl.band_weights",
        format!("{:?}", a.band_weights),
        "one weight per entry of apl.band_minutes (at least one)",
    )?;
    c.check(
        a.band_minutes.windows(2).all(|w| w[0] < w[1])
            && a.band_minutes
                .iter()
                .all(|m| (0.0..=120.0).contains(m) && *m > 0.0),
        "apl.band_minutes",
        format!("{:?}", a.band_minutes),
        "increasing minutes in (0, 120]",
    )?;
    c.check(
        a.band_weights.windows(2).all(|w| w[0] >= w[1])
            && a.band_weights.iter().all(|w| (0.0..=1.0).contains(w)),
        "apl.band_weights",
        format!("{:?}", a.band_weights),
        "decreasing weights in 0..=1",
    )?;
    c.check(
        a.age_band_starts.first() == Some(&0)
            && a.age_band_starts.windows(2).all(|w| w[0] < w[1])
            && a.age_band_starts.len() == a.age_band_consultations.len(),
        "apl.age_band_starts",
        format!("{:?}", a.age_band_starts),
        "increasing ages starting at 0, one per entry of apl.age_band_consultations",
    )?;
    c.check(
        a.age_band_consultations
            .iter()
            .all(|v| v.is_finite() && (0.0..=100.0).contains(v))
            && a.age_band_consultations.iter().any(|v| *v > 0.0),
        "apl.age_band_consultations",
        format!("{:?}", a.age_band_consultations),
        "consultations per person per year in 0..=100, not all zero",
    )?;
    for (i, p) in s.policies.iter().enumerate() {
        policy(&c, s, i, p)?;
    }
    Ok(())
}

/// A policy's years, scope and sizes (its département and région codes are checked against
/// the data when the simulation is built).
fn policy(
    c: &Checker,
    s: &Scenario,
    i: usize,
    p: &super::policy::Policy,
) -> Result<(), ScenarioError> {
    use super::policy::{Lever, Scope};
    let f = |name: &str| format!("policy[{i}] ({}).{name}", p.lever.name());
    let run = format!("a year of the run, {}..={}", s.start_year, s.end_year);
    c.check(
        (s.start_year..=s.end_year).contains(&p.from_year),
        &f("from_year"),
        p.from_year,
        &run,
    )?;
    if let Some(t) = p.to_year {
        c.check(
            (p.from_year..=s.end_year).contains(&t),
            &f("to_year"),
            t,
            &format!("a year in from_year..={}", s.end_year),
        )?;
    }
    c.check(
        !p.lever.national() || p.scope == Scope::France,
        &f("scope"),
        format!("{:?}", p.scope),
        "\"france\": this lever acts on all of France",
    )?;
    if let Scope::Regions(v) | Scope::Departements(v) = &p.scope {
        c.check(!v.is_empty(), &f("scope"), "[]", "at least one code")?;
    }
    let euros = |name: &str, v: f64| {
        c.check(
            v.is_finite() && (0.0..=1e9).contains(&v),
            &f(name),
            v,
            "an amount of euros, not negative (at most 1e9)",
        )
    };
    match &p.lever {
        Lever::Numerus {
            intake_per_year,
            general_medicine_share,
        } => {
            c.within(&f("intake_per_year"), *intake_per_year, 0.0, 40_000.0)?;
            if let Some(g) = general_medicine_share {
                c.share(&f("general_medicine_share"), *g)?;
            }
        }
        Lever::JuniorDoctors {
            capacity_persons,
            under_dense_share,
        } => {
            c.within(&f("capacity_persons"), *capacity_persons, 0.0, 2000.0)?;
            c.share(&f("under_dense_share"), *under_dense_share)?;
        }
        Lever::ChronicPriority {} => {}
        Lever::CptsSupport {
            coverage_share,
            extra_tries,
            cost_per_100k_people_eur,
        } => {
            c.share(&f("coverage_share"), *coverage_share)?;
            c.within(&f("extra_tries"), f64::from(*extra_tries), 0.0, 10.0)?;
            euros("cost_per_100k_people_eur", *cost_per_100k_people_eur)?;
        }
        Lever::WorkingRetirees {
            retained_share,
            capacity_share,
            cost_per_retiree_eur,
            local_services,
        } => {
            c.share(&f("retained_share"), *retained_share)?;
            c.share(&f("capacity_share"), *capacity_share)?;
            euros("cost_per_retiree_eur", *cost_per_retiree_eur)?;
            if let Some(l) = local_services {
                let g = |name: &str| f(&format!("local_services.{name}"));
                c.within(&g("per_million"), l.per_million, 0.0, 100.0)?;
                c.within(&g("retirees"), f64::from(l.retirees), 1.0, 30.0)?;
                c.within(&g("interns"), f64::from(l.interns), 0.0, 30.0)?;
                c.within(
                    &g("intern_capacity_persons"),
                    l.intern_capacity_persons,
                    0.0,
                    2000.0,
                )?;
                euros(
                    "local_services.cost_per_service_eur",
                    l.cost_per_service_eur,
                )?;
            }
        }
        Lever::MspFunding {
            formation_factor,
            attractiveness_utility,
            cost_per_msp_eur,
        } => {
            c.within(&f("formation_factor"), *formation_factor, 0.0, 10.0)?;
            c.within(
                &f("attractiveness_utility"),
                *attractiveness_utility,
                0.0,
                2.0,
            )?;
            euros("cost_per_msp_eur", *cost_per_msp_eur)?;
        }
        Lever::InstallationRegulation {
            installations_per_departure,
        } => c.within(
            &f("installations_per_departure"),
            *installations_per_departure,
            0.0,
            10.0,
        )?,
        Lever::InstallationIncentive {
            amount_eur,
            utility_per_10k_eur,
        } => {
            euros("amount_eur", *amount_eur)?;
            c.within(&f("utility_per_10k_eur"), *utility_per_10k_eur, 0.0, 2.0)?;
        }
        Lever::Delegation {
            capacity_factor,
            cost_per_gp_eur,
        } => {
            c.within(&f("capacity_factor"), *capacity_factor, 1.0, 2.0)?;
            euros("cost_per_gp_eur", *cost_per_gp_eur)?;
        }
        Lever::Teleconsultation { served_share } => c.share(&f("served_share"), *served_share)?,
        Lever::HealthCentreProgramme {
            centres_per_million,
            gps_per_centre,
            deficit_cover_share,
            start_up_grant_eur,
            fee_per_act_eur,
            ..
        } => {
            c.within(&f("centres_per_million"), *centres_per_million, 0.0, 100.0)?;
            c.within(&f("gps_per_centre"), f64::from(*gps_per_centre), 1.0, 30.0)?;
            c.share(&f("deficit_cover_share"), *deficit_cover_share)?;
            euros("start_up_grant_eur", *start_up_grant_eur)?;
            c.within(&f("fee_per_act_eur"), *fee_per_act_eur, 0.0, 200.0)?;
        }
        Lever::TeachingPractices {
            accredited_share,
            interns_per_practice,
            retention_share,
            cost_per_practice_eur,
        } => {
            c.share(&f("accredited_share"), *accredited_share)?;
            c.within(&f("interns_per_practice"), *interns_per_practice, 0.0, 12.0)?;
            c.share(&f("retention_share"), *retention_share)?;
            euros("cost_per_practice_eur", *cost_per_practice_eur)?;
        }
    }
    Ok(())
}

struct Checker<'a> {
    path: &'a Path,
}

impl Checker<'_> {
    fn check(
        &self,
        ok: bool,
        field: &str,
        value: impl Display,
        expected: &str,
    ) -> Result<(), ScenarioError> {
        if ok {
            return Ok(());
        }
        Err(ScenarioError::Invalid {
            path: self.path.to_path_buf(),
            field: field.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        })
    }

    fn within(&self, field: &str, value: f64, lo: f64, hi: f64) -> Result<(), ScenarioError> {
        let expected = format!("a number in {lo}..={hi}");
        self.check(
            value.is_finite() && (lo..=hi).contains(&value),
            field,
            value,
            &expected,
        )
    }

    fn share(&self, field: &str, value: f64) -> Result<(), ScenarioError> {
        self.check(
            value.is_finite() && (0.0..=1.0).contains(&value),
            field,
            value,
            "a share between 0 and 1",
        )
    }
}
