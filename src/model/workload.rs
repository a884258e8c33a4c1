//! GP workload (MODEL.md §3.7): what a GP offers and what a patient asks for, both in
//! consultations a year. A GP's offer follows their weekly hours (sex and birth cohort, DREES
//! 2019), their practice mode, a ramp after installation, their own activity level and, in the
//! under-dense zone, a bounded stretch; a docteur junior adds consultations to the
//! supervisor's practice. A patient's demand follows age, sex and chronic (ALD) status. A GP
//! takes a new médecin-traitant (MT) patient while the list's expected consultations stay
//! under a share of what the GP offers it, so idle capacity is explicit.

use super::components::{Gp, PracticeMode};
use crate::scenario::Scenario;

/// Quantiles of MT list sizes of liberal GPs (CNAM 2021: P10 198, median 1,020, P90 1,844,
/// mean 1,060), divided by their mean (1,058 for the piecewise-linear quantile function with
/// ends 0 and 2,800): the dispersion of activity between GPs, taken from the one national
/// distribution of how much GPs do (part-time work, other activities, special practice).
const ACTIVITY_QUANTILES: [(f64, f64); 5] = [
    (0.0, 0.0),
    (0.1, 198.0 / 1058.0),
    (0.5, 1020.0 / 1058.0),
    (0.9, 1844.0 / 1058.0),
    (1.0, 2800.0 / 1058.0),
];

/// A GP's own activity level relative to the mean GP of their sex and cohort (mean 1), from a
/// uniform draw `u`.
pub fn draw_activity(u: f64) -> f32 {
    let q = &ACTIVITY_QUANTILES;
    let i = q
        .iter()
        .position(|&(x, _)| x > u)
        .unwrap_or(q.len() - 1)
        .max(1);
    let ((u0, v0), (u1, v1)) = (q[i - 1], q[i]);
    (v0 + (v1 - v0) * ((u - u0) / (u1 - u0)).clamp(0.0, 1.0)) as f32
}

/// Weekly hours with patients of a GP born in `birth_year`: their cohort's, lower for women.
pub fn weekly_hours(female: bool, birth_year: i32, s: &Scenario) -> f64 {
    let w = &s.workload;
    let men = if birth_year >= i32::from(w.younger_cohorts_from) {
        w.weekly_hours_men_younger_cohorts
    } else {
        w.weekly_hours_men_older_cohorts
    };
    if female {
        men * w.women_hours_factor
    } else {
        men
    }
}

/// Consultations a year of a GP of the reference hours in `mode` (IGAS 2025: 4,614 a liberal
/// GP, 3,396 a salaried centre FTE), working retirees at their share of full activity, MSP
/// GPs raised by the acts they delegate to the MSP's nurses. The APL counts GPs by it too.
pub fn mode_acts(mode: PracticeMode, s: &Scenario) -> f64 {
    match mode {
        PracticeMode::HealthCentre => s.apl.acts_per_health_centre_fte,
        PracticeMode::WorkingRetiree => {
            s.apl.acts_per_liberal_gp * s.gps.working_retiree_capacity_share
        }
        // The MSP's nurses (Asalée, IPA) take a share of the acts: the GP's time goes further.
        PracticeMode::Msp => s.apl.acts_per_liberal_gp / (1.0 - s.workload.msp_delegated_share),
        _ => s.apl.acts_per_liberal_gp,
    }
}

/// Where a GP practises this year, as far as their offer is concerned.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Setting {
    /// The commune is in the under-dense zone: activity may stretch.
    pub under_dense: bool,
    /// Assistant FTE working with the GP (delegation).
    pub assistant_fte: f64,
}

/// Consultations a year the GP offers in `year`: the acts of their mode (IGAS 2025: 4,614 a
/// liberal GP, 3,396 a salaried centre FTE) scaled by their hours over the reference hours
/// and their own activity; lower during the ramp after installation and for working
/// retirees; stretched in the under-dense zone; raised by the time an assistant frees; plus
/// the consultations of supervised juniors or a local service's interns.
pub fn offered(gp: &Gp, year: u16, s: &Scenario, here: Setting) -> f64 {
    let g = &s.gps;
    let hours = weekly_hours(gp.female, i32::from(year) - i32::from(gp.age), s)
        / s.workload.reference_weekly_hours;
    let years = year.saturating_sub(gp.year_installed) as f64 + 1.0;
    let ramp = (years / g.capacity_ramp_years).min(1.0);
    let stretch = if here.under_dense && gp.mode.is_liberal() {
        1.0 + s.workload.stretch_under_dense_share
    } else {
        1.0
    };
    let freed = 1.0 + here.assistant_fte * s.workload.time_freed_per_assistant_fte;
    mode_acts(gp.mode, s) * hours * f64::from(gp.activity) * ramp * stretch * freed
        + f64::from(gp.junior_acts)
        + f64::from(gp.intern_acts)
}

/// Expected GP consultations a year of one patient agent (`persons_per_agent` people), by
/// age 0..=120, indexed `[female as usize * 2 + chronic as usize]`: the age profile (mean 1
/// over the reference population) × consultations per person, shared within each age between
/// women and men, chronic and not, so that the age's mean stays that of the profile.
pub fn demand_table(
    s: &Scenario,
    age_weights: &[f64],
    chronic_share: impl Fn(u8) -> f64,
) -> Vec<[f32; 4]> {
    let w = &s.workload;
    (0..=120u8)
        .map(|age| {
            let base = age_weights.get(age as usize).copied().unwrap_or(1.0)
                * w.consultations_per_person
                * s.persons_per_agent as f64;
            let c = chronic_share(age).clamp(0.0, 1.0);
            // Mean relative factor over sexes (half each) and chronic status at this age.
            let sex_mean = (1.0 + w.women_consultation_factor) / 2.0;
            let chronic_mean = 1.0 - c + c * w.chronic_consultation_factor;
            let unit = base / (sex_mean * chronic_mean);
            let mut row = [0f32; 4];
            for (i, slot) in row.iter_mut().enumerate() {
                let sex = if i >= 2 {
                    w.women_consultation_factor
                } else {
                    1.0
                };
                let chronic = if i % 2 == 1 {
                    w.chronic_consultation_factor
                } else {
                    1.0
                };
                *slot = (unit * sex * chronic) as f32;
            }
            row
        })
        .collect()
}

/// Index of a patient in a row of [`demand_table`].
#[inline]
pub fn demand_index(female: bool, chronic: bool) -> usize {
    usize::from(female) * 2 + usize::from(chronic)
}

/// Workloads summed over patients are kept in fixed point, in units of 2⁻²⁰ consultation a
/// year: an integer sum does not depend on the order of its terms, so a parallel pass gives the
/// same lists, to the last bit, whatever the number of threads (a floating-point sum would
/// not). The unit is far below a consultation and a list's sum stays far below `u64::MAX`.
pub const FIXED_UNITS_PER_CONSULTATION: f64 = (1u64 << 20) as f64;

/// A workload in fixed point: rounded to the nearest unit, halves away from zero, as
/// `f64::round` would (negative and NaN give 0). Written out because `f64::round` is a
/// library call on baseline x86-64, and this runs for every patient on a list every year.
#[inline]
pub fn to_fixed(consultations: f64) -> u64 {
    let x = consultations * FIXED_UNITS_PER_CONSULTATION;
    // Truncation, saturating (negative and NaN to 0); below 2^52 the difference is exact.
    let t = x as u64;
    if x - t as f64 >= 0.5 {
        t.saturating_add(1)
    } else {
        t
    }
}

/// A fixed-point workload in consultations a year.
#[inline]
pub fn from_fixed(units: u64) -> f64 {
    units as f64 / FIXED_UNITS_PER_CONSULTATION
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::baseline;

    const HOME: Setting = Setting {
        under_dense: false,
        assistant_fte: 0.0,
    };

    fn gp(age: u8, female: bool) -> Gp {
        Gp {
            slot: 0,
            age,
            female,
            mode: PracticeMode::Group,
            commune: 0,
            structure: super::super::components::NO_STRUCTURE,
            activity: 1.0,
            junior_acts: 0.0,
            intern_acts: 0.0,
            list_threshold: 0.0,
            year_installed: 2000,
            origin_commune: 0,
        }
    }

    #[test]
    fn fixed_point_rounds_as_f64_round_does() {
        let round = |c: f64| (c * FIXED_UNITS_PER_CONSULTATION).round() as u64;
        let unit = 1.0 / FIXED_UNITS_PER_CONSULTATION;
        let mut cases = vec![0.0, -1.0, -0.0, f64::NAN, f64::INFINITY, 1e300, 0.5 * unit];
        cases.extend([1.5 * unit, 2.5 * unit, 0.49999999999999994 * unit, 1e-300]);
        let mut k = 1u64;
        for _ in 0..100_000 {
            k = crate::model::rng::mix(k);
            cases.push((k >> 11) as f64 / (1u64 << 53) as f64 * 40.0);
        }
        for c in cases {
            assert_eq!(to_fixed(c), round(c), "{c}");
        }
    }

    #[test]
    fn activity_follows_the_dispersion_of_cnam_lists_with_mean_one() {
        let n = 10_000;
        let draws: Vec<f64> = (0..n)
            .map(|i| draw_activity((i as f64 + 0.5) / n as f64) as f64)
            .collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.015, "mean {mean}");
        assert!((draws[n / 2] * 1058.0 - 1020.0).abs() < 2.0);
    }

    #[test]
    fn a_mean_gp_of_the_reference_hours_offers_the_igas_acts() {
        let mut s = baseline();
        s.workload.weekly_hours_men_older_cohorts = s.workload.reference_weekly_hours;
        let offered = offered(&gp(55, false), 2020, &s, HOME);
        assert!(
            (offered - s.apl.acts_per_liberal_gp).abs() < 1e-6,
            "{offered}"
        );
    }

    #[test]
    fn younger_cohorts_and_women_offer_fewer_consultations() {
        let s = baseline();
        let old_man = offered(&gp(55, false), 2020, &s, HOME);
        let young_man = offered(&gp(40, false), 2020, &s, HOME);
        let young_woman = offered(&gp(40, true), 2020, &s, HOME);
        assert!(young_man < old_man && young_woman < young_man);
        // The same young man keeps his cohort's hours at 55.
        assert_eq!(offered(&gp(55, false), 2035, &s, HOME), young_man);
    }

    #[test]
    fn a_junior_an_assistant_and_the_zone_raise_the_offer() {
        let s = baseline();
        let mut g = gp(50, false);
        let alone = offered(&g, 2020, &s, HOME);
        let zone = Setting {
            under_dense: true,
            ..HOME
        };
        assert!(offered(&g, 2020, &s, zone) > alone);
        let assisted = Setting {
            assistant_fte: 1.0,
            ..HOME
        };
        assert!(offered(&g, 2020, &s, assisted) > alone);
        g.junior_acts = 2000.0;
        assert!((offered(&g, 2020, &s, HOME) - alone - 2000.0).abs() < 1e-6);
    }

    #[test]
    fn delegation_to_the_nurses_of_an_msp_raises_the_gps_capacity() {
        let mut s = baseline();
        s.workload.msp_delegated_share = 0.05;
        let mut g = gp(50, false);
        let group = offered(&g, 2020, &s, HOME);
        g.mode = PracticeMode::Msp;
        let msp = offered(&g, 2020, &s, HOME);
        assert!((msp / group - 1.0 / 0.95).abs() < 1e-9, "{group} → {msp}");
        s.workload.msp_delegated_share = 0.0;
        assert_eq!(offered(&g, 2020, &s, HOME), group, "no nurse, no gain");
    }

    #[test]
    fn demand_keeps_the_age_mean_and_rises_with_ald_and_for_women() {
        let s = baseline();
        let weights = vec![1.0; 121];
        let t = demand_table(&s, &weights, |_| 0.2);
        let ppa = s.persons_per_agent as f64;
        let row = t[50];
        let mean = (0.8 * (row[0] + row[2]) as f64 + 0.2 * (row[1] + row[3]) as f64) / 2.0;
        assert!(
            (mean / ppa - s.workload.consultations_per_person).abs() < 1e-4,
            "{mean}"
        );
        assert!(row[demand_index(false, true)] > row[demand_index(false, false)]);
        assert!(row[demand_index(true, false)] > row[demand_index(false, false)]);
    }
}
