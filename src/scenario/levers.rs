//! The checks of a scenario's `[[policy]]` list: each lever's years, scope and sizes, and no
//! two levers of one kind in force together on overlapping scopes (their effects would
//! multiply). Sizes and their ranges: docs/policies.md.

use super::policy::{Policy, Scope};
use super::validate::Checker;
use super::{Scenario, ScenarioError};

/// Checks every policy of `s`, then that no two of one kind overlap.
pub(super) fn check(c: &Checker, s: &Scenario) -> Result<(), ScenarioError> {
    for (i, p) in s.policies.iter().enumerate() {
        policy(c, s, i, p)?;
    }
    for (j, b) in s.policies.iter().enumerate() {
        for (i, a) in s.policies.iter().enumerate().take(j) {
            if a.lever.name() != b.lever.name() {
                continue;
            }
            let years = |p: &Policy| (p.from_year, p.to_year.unwrap_or(s.end_year));
            let ((a0, a1), (b0, b1)) = (years(a), years(b));
            let Some(note) = scopes_overlap(&a.scope, &b.scope) else {
                continue;
            };
            c.check(
                a1 < b0 || b1 < a0,
                &format!("policy[{j}] ({})", b.lever.name()),
                format!("years {b0}..={b1}, scope {}", b.scope),
                &format!(
                    "no overlap with policy[{i}] ({}), years {a0}..={a1}, scope {}: two levers \
                     of one kind in force together multiply{note}; write a yearly path as \
                     consecutive entries whose years do not overlap (docs/policies.md)",
                    a.lever.name(),
                    a.scope
                ),
            )?;
        }
    }
    Ok(())
}

/// Whether two scopes may share communes: `None` if they cannot, else a note for the message.
/// The scenario does not know which départements a région holds, nor which communes the
/// under-dense zone will hold, so those pairs are taken to overlap.
fn scopes_overlap(a: &Scope, b: &Scope) -> Option<&'static str> {
    match (a, b) {
        (Scope::Regions(x), Scope::Regions(y))
        | (Scope::Departements(x), Scope::Departements(y)) => {
            x.iter().any(|code| y.contains(code)).then_some("")
        }
        (Scope::Regions(_), Scope::Departements(_))
        | (Scope::Departements(_), Scope::Regions(_)) => {
            Some(" (a région and a département may overlap: give both scopes as départements)")
        }
        _ => Some(""),
    }
}

/// A policy's years, scope and sizes (its département and région codes are checked against
/// the data when the simulation is built).
fn policy(c: &Checker, s: &Scenario, i: usize, p: &Policy) -> Result<(), ScenarioError> {
    use super::policy::Lever;
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
        &p.scope,
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
            acts_per_junior,
            under_dense_share,
        } => {
            c.within(&f("acts_per_junior"), *acts_per_junior, 0.0, 6000.0)?;
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
                c.within(&g("acts_per_intern"), l.acts_per_intern, 0.0, 6000.0)?;
                euros(
                    "local_services.cost_per_service_eur",
                    l.cost_per_service_eur,
                )?;
            }
        }
        Lever::MspFunding {
            projects_per_million,
            start_up_grant_eur,
        } => {
            c.within(
                &f("projects_per_million"),
                *projects_per_million,
                0.0,
                100.0,
            )?;
            euros("start_up_grant_eur", *start_up_grant_eur)?;
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
            assistant_fte_per_gp,
            uptake_share,
            cost_per_gp_eur,
        } => {
            c.within(&f("assistant_fte_per_gp"), *assistant_fte_per_gp, 0.0, 2.0)?;
            c.share(&f("uptake_share"), *uptake_share)?;
            euros("cost_per_gp_eur", *cost_per_gp_eur)?;
        }
        Lever::Teleconsultation { remote_share } => {
            c.within(&f("remote_share"), *remote_share, 0.0, 0.3)?
        }
        Lever::HealthCentreProgramme {
            centres_per_million,
            gps_per_centre,
            deficit_cover_share,
            start_up_grant_eur,
            ..
        } => {
            c.within(&f("centres_per_million"), *centres_per_million, 0.0, 100.0)?;
            c.within(&f("gps_per_centre"), f64::from(*gps_per_centre), 1.0, 30.0)?;
            c.share(&f("deficit_cover_share"), *deficit_cover_share)?;
            euros("start_up_grant_eur", *start_up_grant_eur)?;
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
