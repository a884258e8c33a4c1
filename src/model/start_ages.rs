//! The ages of the start year's primary-care GPs and their years since installation (MODEL.md
//! §4, "Initial GPs"), from one career model: the all-mode age pyramid (the echo of the
//! numerus clausus thinned by the exit hazards), times the probability of having installed by
//! that age. A GP defends the thesis at `graduation_age_years`, works as a locum for a
//! geometric number of years (at least one, mean `locum_years_mean`, as
//! `train_and_graduate::add_graduates` draws it), then installs. So young GPs are mostly
//! locums or salaried, not primary-care GPs who can be an MT, and the capacity ramp applies
//! only to the few who installed in the last years.

use super::age_and_retire_gps::exit_hazard;
use super::components::PracticeMode;
use super::train_and_graduate::numerus;
use crate::inputs::PipelineRow;
use crate::scenario::Scenario;

/// Oldest age of a start-year GP.
const MAX_AGE: u8 = 85;

/// Years from medical-school intake to the thesis age: intake at ≈20 (PASS/PACES after the
/// baccalauréat at 18–19), so the intake of year y graduates GPs aged `graduation_age_years`
/// in y + graduation age − 20.
const INTAKE_AGE: i32 = 20;

/// The start-year age model: primary-care GPs by age, and the locum spell given the age.
#[derive(Debug, Clone)]
pub struct StartAges {
    /// (age, relative number of primary-care GPs), ages from the thesis to `MAX_AGE`.
    weights: Vec<(u8, f64)>,
    /// Sum of the weights.
    total: f64,
    /// Age at the thesis.
    graduation_age: u8,
    /// Yearly probability that a locum installs (1 / mean locum years).
    p_install: f64,
}

impl StartAges {
    /// The model of scenario `s`'s start year, with the intakes of `pipeline`.
    pub fn new(s: &Scenario, pipeline: &[PipelineRow]) -> StartAges {
        let g = &s.gps;
        let graduation_age = s.training.graduation_age_years;
        let p_install = (1.0 / s.training.locum_years_mean).min(1.0);
        let mut alive = 1.0;
        let weights: Vec<(u8, f64)> = (graduation_age..=MAX_AGE)
            .map(|a| {
                alive *= 1.0 - exit_hazard(g, a, false, PracticeMode::Group);
                let intake_year = s.start_year as i32 - a as i32 + INTAKE_AGE;
                let all_modes =
                    numerus(pipeline, &s.training, intake_year.max(1900) as u16) * alive;
                let installed = 1.0 - (1.0 - p_install).powi(i32::from(a - graduation_age));
                (a, all_modes * installed)
            })
            .collect();
        let total = weights.iter().map(|x| x.1).sum();
        StartAges {
            weights,
            total,
            graduation_age,
            p_install,
        }
    }

    /// Draws an age with a uniform `u` in [0, 1).
    pub fn draw_age(&self, u: f64) -> u8 {
        let mut t = u * self.total;
        self.weights
            .iter()
            .find(|x| {
                t -= x.1;
                t < 0.0
            })
            .or(self.weights.last())
            .map_or(self.graduation_age, |x| x.0)
    }

    /// Share of the primary-care GPs aged `age` or more.
    pub fn share_from(&self, age: u8) -> f64 {
        let above: f64 = self
            .weights
            .iter()
            .filter(|x| x.0 >= age)
            .map(|x| x.1)
            .sum();
        above / self.total.max(f64::MIN_POSITIVE)
    }

    /// Mean age of the primary-care GPs.
    pub fn mean_age(&self) -> f64 {
        let sum: f64 = self.weights.iter().map(|x| x.0 as f64 * x.1).sum();
        sum / self.total.max(f64::MIN_POSITIVE)
    }

    /// Years since installation of a GP aged `age` on 1 January, with a uniform `u` in
    /// [0, 1): the locum spell K (1 ≤ K ≤ age − thesis age) drawn from the geometric law
    /// truncated to what the age allows, installation at thesis age + K. (The pool caps a
    /// locum spell at 15 years; the truncation ignores that cap, ≈1 % of spells.)
    pub fn draw_years_installed(&self, age: u8, u: f64) -> u16 {
        let most = age.saturating_sub(self.graduation_age).max(1) as i32;
        let q = 1.0 - self.p_install;
        let locum_years = if q <= 0.0 {
            1
        } else {
            // Inverse CDF of the geometric law on 1..=most.
            let reach = 1.0 - q.powi(most);
            1 + ((1.0 - u * reach).ln() / q.ln()).floor().max(0.0) as i32
        };
        (most - locum_years.clamp(1, most)) as u16
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{baseline, data_dir};

    fn model() -> StartAges {
        let inputs = crate::inputs::Inputs::load(&data_dir()).unwrap();
        StartAges::new(&baseline(), &inputs.workforce.pipeline)
    }

    #[test]
    fn nobody_installs_before_a_first_locum_year() {
        let m = model();
        // Nobody is a primary-care GP at the thesis age itself (weight 0).
        assert_eq!(m.weights[0], (m.graduation_age, 0.0));
        for age in m.graduation_age + 1..=MAX_AGE {
            for i in 0..50 {
                let y = m.draw_years_installed(age, i as f64 / 50.0);
                assert!(age as i32 - y as i32 > m.graduation_age as i32, "{age} {y}");
            }
        }
    }

    #[test]
    fn the_youngest_gps_are_few_because_most_are_still_locums() {
        let m = model();
        // All-mode GPs at 30 outnumber those at 45 (the numerus has risen); installed ones not.
        let w = |a: u8| m.weights.iter().find(|x| x.0 == a).unwrap().1;
        assert!(w(30) < 0.5 * w(45), "{} vs {}", w(30), w(45));
        assert!(m.share_from(35) > 0.9);
    }

    #[test]
    fn mean_installation_age_is_about_thesis_plus_locum_spell() {
        // A GP aged 60 is past any spell: installation age = thesis + ≈ locum_years_mean.
        let m = model();
        let n = 10_000;
        let mean: f64 = (0..n)
            .map(|i| 60.0 - m.draw_years_installed(60, (i as f64 + 0.5) / n as f64) as f64)
            .sum::<f64>()
            / n as f64;
        let expected = m.graduation_age as f64 + 1.0 / m.p_install;
        assert!((mean - expected).abs() < 0.2, "{mean} vs {expected}");
    }
}
