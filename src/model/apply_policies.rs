//! Step 1 of a year: the scenario's levers in force this year set this year's parameters
//! (national levers) and local effects by commune (scoped levers), from the unchanged base
//! scenario, so a lever stops when its years end (MODEL.md §3.1). The numerus acts through
//! the training pipeline, built once from the dated intake (see [`policy_pipeline`]).

use bevy_ecs::prelude::*;

use super::centre_openings::centre_sites;
use super::resources::{
    BaseScenario, CentreProgramme, Clock, CommuneState, Communes, LocalServicePlan, MspProjects,
    Params, PolicyEffects,
};
use crate::inputs::PipelineRow;
use crate::scenario::policy::{Lever, Policy, Scope};

/// Whether commune `c` is in a policy's scope this year.
pub fn in_scope(scope: &Scope, c: usize, communes: &Communes, state: &CommuneState) -> bool {
    let d = communes.communes[c].departement as usize;
    match scope {
        Scope::France => true,
        Scope::UnderDense => state.under_dense[c],
        Scope::Departements(codes) => codes.contains(&communes.departements[d].code),
        Scope::Regions(codes) => {
            let r = communes.departement_region[d] as usize;
            codes.contains(&communes.regions[r].code)
        }
    }
}

/// Sets this year's parameters and local effects from the levers in force.
pub fn apply_policies(
    base: Res<BaseScenario>,
    clock: Res<Clock>,
    communes: Res<Communes>,
    state: Res<CommuneState>,
    mut params: ResMut<Params>,
    mut effects: ResMut<PolicyEffects>,
) {
    if base.0.policies.is_empty() {
        return;
    }
    let year = clock.year;
    let mut s = base.0.clone();
    let n = communes.communes.len();
    let mut e = PolicyEffects::neutral(n);
    e.centre_cover = vec![0.0; base.0.policies.len()];
    for (index, p) in base
        .0
        .policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.active(year))
    {
        let scoped = |f: &mut dyn FnMut(usize)| {
            for c in 0..n {
                if in_scope(&p.scope, c, &communes, &state) {
                    f(c);
                }
            }
        };
        match &p.lever {
            // Acts on the intake years in force, through the pipeline built at the start.
            Lever::Numerus { .. } => {}
            Lever::JuniorDoctors {
                acts_per_junior,
                under_dense_share,
            } => {
                s.workload.junior_doctor_acts = *acts_per_junior;
                e.junior_under_dense_share = *under_dense_share;
            }
            Lever::ChronicPriority {} => scoped(&mut |c| e.chronic_priority[c] = true),
            Lever::CptsSupport {
                coverage_share,
                extra_tries,
                cost_per_100k_people_eur,
            } => {
                s.structures.cpts_coverage_target =
                    s.structures.cpts_coverage_target.max(*coverage_share);
                s.structures.cpts_target_year = s.structures.cpts_target_year.min(p.from_year);
                s.matching.cpts_extra_tries = *extra_tries;
                e.cpts_cost_per_person_eur += cost_per_100k_people_eur / 1e5;
            }
            Lever::WorkingRetirees {
                retained_share,
                capacity_share,
                cost_per_retiree_eur,
                local_services,
            } => {
                e.retiree_retained_share = e.retiree_retained_share.max(*retained_share);
                s.gps.working_retiree_capacity_share = *capacity_share;
                e.retiree_cost_eur += cost_per_retiree_eur;
                if let Some(l) = local_services {
                    let min = s.installation.min_commune_population.max(1);
                    e.local_services = Some(LocalServicePlan {
                        per_year: l.per_million * territory_people(&communes) / 1e6,
                        retirees: l.retirees,
                        interns_acts: f64::from(l.interns) * l.acts_per_intern,
                        cost_per_service_eur: l.cost_per_service_eur,
                        sites: centre_sites(&communes, &state, min, |_| true),
                    });
                }
            }
            Lever::MspFunding {
                projects_per_million,
                start_up_grant_eur,
            } => {
                let scope: Vec<bool> = (0..n)
                    .map(|c| in_scope(&p.scope, c, &communes, &state))
                    .collect();
                let people: f64 = (0..n)
                    .filter(|&c| scope[c])
                    .map(|c| f64::from(communes.communes[c].population))
                    .sum();
                e.msp_projects.push(MspProjects {
                    policy: Some(index as u16),
                    per_year: projects_per_million * people / 1e6,
                    scope,
                    start_up_grant_eur: *start_up_grant_eur,
                });
            }
            Lever::InstallationRegulation {
                installations_per_departure,
            } => scoped(&mut |c| {
                if !state.under_dense[c] {
                    e.regulation[c] = *installations_per_departure as f32;
                }
            }),
            Lever::InstallationIncentive {
                amount_eur,
                utility_per_10k_eur,
            } => scoped(&mut |c| {
                e.install_bonus[c] += (amount_eur / 1e4 * utility_per_10k_eur) as f32;
                e.incentive_eur[c] += *amount_eur as f32;
            }),
            Lever::Delegation {
                assistant_fte_per_gp,
                uptake_share,
                cost_per_gp_eur,
            } => scoped(&mut |c| {
                let d = &mut e.delegation[c];
                d.assistant_fte += *assistant_fte_per_gp as f32;
                d.uptake_share = d.uptake_share.max(*uptake_share as f32);
                d.cost_per_gp_eur += *cost_per_gp_eur as f32;
            }),
            Lever::Teleconsultation { remote_share } => {
                e.remote_saving = s.workload.remote_consultation_saving;
                scoped(&mut |c| {
                    let t = &mut e.teleconsultation_share[c];
                    *t = t.max(*remote_share as f32);
                })
            }
            Lever::HealthCentreProgramme {
                centres_per_million,
                gps_per_centre,
                operator,
                payment,
                teulade,
                deficit_cover_share,
                start_up_grant_eur,
            } => {
                let min = s.installation.min_commune_population.max(1);
                let here = |c: usize| in_scope(&p.scope, c, &communes, &state);
                let people: u64 = (0..n)
                    .filter(|&c| here(c))
                    .map(|c| u64::from(communes.communes[c].population))
                    .sum();
                let sites = centre_sites(&communes, &state, min, here);
                e.centre_cover[index] = *deficit_cover_share;
                e.centre_programmes.push(CentreProgramme {
                    policy: index as u16,
                    centres_per_year: centres_per_million * people as f64 / 1e6,
                    gps_per_centre: *gps_per_centre,
                    operator: *operator,
                    payment: *payment,
                    teulade: *teulade,
                    start_up_grant_eur: *start_up_grant_eur,
                    sites,
                });
            }
            Lever::TeachingPractices {
                accredited_share,
                interns_per_practice,
                retention_share,
                cost_per_practice_eur,
            } => {
                scoped(&mut |c| {
                    e.teaching_share[c] = e.teaching_share[c].max(*accredited_share as f32);
                    e.teaching_cost_eur[c] += *cost_per_practice_eur as f32;
                });
                e.interns_per_practice = e.interns_per_practice.max(*interns_per_practice);
                e.teaching_retention_share = e.teaching_retention_share.max(*retention_share);
            }
        }
    }
    params.0 = s;
    *effects = e;
}

/// People living in the simulated territory (data populations).
fn territory_people(communes: &Communes) -> f64 {
    communes
        .communes
        .iter()
        .map(|c| f64::from(c.population))
        .sum()
}

/// The training pipeline with the numerus levers applied: the intake of each intake year in
/// force, and general-medicine posts of its ranking-exam year (intake year +
/// `years_to_ranking_exam`) = intake × share, where the data give no posts for that year.
pub fn policy_pipeline(
    pipeline: &[PipelineRow],
    policies: &[Policy],
    years_to_exam: u16,
    last_year: u16,
) -> Vec<PipelineRow> {
    let mut rows = pipeline.to_vec();
    for p in policies {
        let Lever::Numerus {
            intake_per_year,
            general_medicine_share,
        } = &p.lever
        else {
            continue;
        };
        for year in p.from_year..=p.to_year.unwrap_or(last_year) {
            let row = match rows.iter().position(|r| r.year == year) {
                Some(i) => &mut rows[i],
                None => {
                    rows.push(PipelineRow {
                        year,
                        numerus: None,
                        gm_posts_offered: None,
                        gm_posts_filled: None,
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
            row.numerus = Some(*intake_per_year);
            if let Some(share) = general_medicine_share {
                let exam = year + years_to_exam;
                let known = rows.iter().any(|r| {
                    r.year == exam && (r.gm_posts_filled.is_some() || r.gm_posts_offered.is_some())
                });
                if !known {
                    match rows.iter_mut().find(|r| r.year == exam) {
                        Some(r) => r.gm_posts_offered = Some(intake_per_year * share),
                        None => rows.push(PipelineRow {
                            year: exam,
                            numerus: None,
                            gm_posts_offered: Some(intake_per_year * share),
                            gm_posts_filled: None,
                        }),
                    }
                }
            }
        }
    }
    rows.sort_by_key(|r| r.year);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numerus(from_year: u16, to_year: Option<u16>, intake: f64) -> Policy {
        Policy {
            from_year,
            to_year,
            scope: Scope::France,
            lever: Lever::Numerus {
                intake_per_year: intake,
                general_medicine_share: None,
            },
        }
    }

    #[test]
    fn consecutive_entries_make_a_yearly_path() {
        let data = [PipelineRow {
            year: 2024,
            numerus: Some(16_000.0),
            gm_posts_offered: None,
            gm_posts_filled: None,
        }];
        let path = [
            numerus(2025, Some(2027), 17_000.0),
            numerus(2028, None, 19_000.0),
        ];
        let rows = policy_pipeline(&data, &path, 6, 2030);
        let intake = |y: u16| rows.iter().find(|r| r.year == y).and_then(|r| r.numerus);
        assert_eq!(intake(2024), Some(16_000.0), "data kept before the path");
        assert_eq!(intake(2025), Some(17_000.0));
        assert_eq!(intake(2027), Some(17_000.0));
        assert_eq!(intake(2028), Some(19_000.0));
        assert_eq!(intake(2030), Some(19_000.0));
        assert!(rows.windows(2).all(|w| w[0].year < w[1].year), "sorted");
    }
}
