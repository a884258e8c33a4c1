//! A health centre's (CDS) yearly profit-and-loss account (MODEL.md §3.6): revenue from its
//! GPs' billable acts at the G tariff (or, under PEPS capitation, a payment per enrolled
//! patient), flat payments (the centres' national agreement, forfaits) and the Teulade
//! subsidy on the practitioners' salaries; costs of salaries, employer contributions and
//! overheads. Pure arithmetic: the process that keeps the centres is `health_centres`.

use super::components::{CentreBudget, Gp};
use super::workload::weekly_hours;
use crate::scenario::Scenario;
use crate::scenario::policy::Payment;

/// The Teulade subsidy: the CNAM pays 11.5 % of the gross salaries of a centre's doctors
/// towards its employer contributions (loi Teulade 1991, art. L162-32 CSS; rate of the
/// Accord national des centres de santé, arrêté du 30 septembre 2015; the base is the
/// salaried practitioners' gross salary: the Minister's answer in the PLFSS 2012 debate,
/// Assemblée nationale).
pub const TEULADE_SHARE_OF_GROSS_SALARIES: f64 = 0.115;

/// The G consultation fee in `year`, €: 25 € from May 2017, 26.50 € from 1 November 2023
/// (règlement arbitral of 2023), 30 € from 22 December 2024 (convention médicale 2024). A
/// year takes the fee in force for most of it.
pub fn g_fee_eur(year: u16) -> f64 {
    match year {
        ..=2023 => 25.0,
        2024 => 26.5,
        _ => 30.0,
    }
}

/// What a centre's GPs bring to its account in a year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Staffing {
    /// Salaried full-time equivalents (each GP at most one).
    pub fte: f64,
    /// Acts a year the GPs can bill at the IGAS mean productivity, before the centre's own
    /// productivity and patient mix (ramp after hiring included).
    pub acts: f64,
    /// People who declared one of its GPs as médecin traitant.
    pub enrolled_patients: f64,
    /// GPs on its payroll.
    pub gps: u32,
}

impl Staffing {
    /// Adds a GP in `year`: FTE from their weekly hours over the reference hours and their
    /// own activity (workload model), capped at full time; acts at the salaried FTE's mean
    /// (IGAS 2025: 3,396), lower during the ramp after hiring.
    pub fn add(&mut self, gp: &Gp, year: u16, list_persons: f64, s: &Scenario) {
        let hours = weekly_hours(gp.female, i32::from(year) - i32::from(gp.age), s)
            / s.workload.reference_weekly_hours;
        let fte = (hours * f64::from(gp.activity)).clamp(0.0, 1.0);
        let years = year.saturating_sub(gp.year_installed) as f64 + 1.0;
        let ramp = (years / s.gps.capacity_ramp_years).min(1.0);
        self.fte += fte;
        self.acts += s.apl.acts_per_health_centre_fte * fte * ramp;
        self.enrolled_patients += list_persons;
        self.gps += 1;
    }
}

/// A centre's account for one year, €.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Account {
    /// Fees or capitation.
    pub care_eur: f64,
    /// Flat payments (national agreement, forfaits).
    pub flat_eur: f64,
    /// Teulade subsidy.
    pub teulade_eur: f64,
    /// Salaries and employer contributions.
    pub payroll_eur: f64,
    /// Support staff, premises, management.
    pub overheads_eur: f64,
}

impl Account {
    /// Revenue, €.
    pub fn revenue_eur(&self) -> f64 {
        self.care_eur + self.flat_eur + self.teulade_eur
    }

    /// Costs, €.
    pub fn cost_eur(&self) -> f64 {
        self.payroll_eur + self.overheads_eur
    }

    /// Result over costs: negative in deficit (IGAS 2025's measure: the median centre's is
    /// about −10 %).
    pub fn result_share(&self) -> f64 {
        let cost = self.cost_eur();
        if cost > 0.0 {
            (self.revenue_eur() - cost) / cost
        } else {
            0.0
        }
    }
}

/// The year's account of centre `b` with `staff`.
pub fn account(b: &CentreBudget, staff: &Staffing, year: u16, s: &Scenario) -> Account {
    let st = &s.structures;
    let care_eur = match b.payment {
        // Precarious patients (C2S, AME) miss more appointments, have more tiers-payant
        // rejections and need longer consultations: fewer billable acts per FTE.
        Payment::FeeForService => {
            let productivity = (st.health_centre_productivity_log_sd * b.productivity_z).exp();
            let mix = 1.0 - st.health_centre_precarity_act_loss_share * b.precarity_share;
            staff.acts * productivity * mix.max(0.0) * g_fee_eur(year)
        }
        // PEPS pays the team per enrolled patient, whatever the consultations.
        Payment::Capitation => {
            staff.enrolled_patients * st.health_centre_capitation_eur_per_patient
        }
    };
    let gross = staff.fte * st.health_centre_gp_gross_salary_eur;
    Account {
        care_eur,
        flat_eur: staff.fte * st.health_centre_flat_payments_eur_per_fte,
        teulade_eur: if b.teulade {
            TEULADE_SHARE_OF_GROSS_SALARIES * gross
        } else {
            0.0
        },
        payroll_eur: gross * (1.0 + st.health_centre_employer_charge_share),
        overheads_eur: b.operator.overhead_factor()
            * (st.health_centre_fixed_overhead_eur
                + staff.fte * st.health_centre_overhead_eur_per_fte),
    }
}

/// Share of the centre's costs left uncovered this year: a programme in force pays its share
/// of the deficit first, then a covering operator balances the rest up to its ceiling.
pub fn uncovered_share(b: &CentreBudget, result_share: f64, programme_cover: f64) -> f64 {
    let deficit = (-result_share).max(0.0) * (1.0 - programme_cover.clamp(0.0, 1.0));
    let operator = if b.covered {
        b.operator.cover_ceiling_share()
    } else {
        0.0
    };
    (deficit - operator).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::baseline;
    use crate::scenario::policy::Operator;

    fn centre(payment: Payment, precarity_share: f64) -> CentreBudget {
        CentreBudget {
            operator: Operator::Association,
            payment,
            teulade: true,
            productivity_z: 0.0,
            precarity_share,
            covered: false,
            deficit_years: 0,
            programme: None,
            deficit_share: 0.0,
            cost_per_gp_eur: 0.0,
        }
    }

    fn three_gps(s: &Scenario) -> Staffing {
        Staffing {
            fte: 3.0,
            acts: 3.0 * s.apl.acts_per_health_centre_fte,
            enrolled_patients: 3000.0,
            gps: 3,
        }
    }

    #[test]
    fn a_more_productive_centre_has_a_better_account() {
        let s = baseline();
        let (mut low, mut high) = (
            centre(Payment::FeeForService, 0.18),
            centre(Payment::FeeForService, 0.18),
        );
        low.productivity_z = -1.0;
        high.productivity_z = 1.0;
        let r = |b: &CentreBudget| account(b, &three_gps(&s), 2019, &s).result_share();
        assert!(r(&high) > r(&low) + 0.1, "{} vs {}", r(&high), r(&low));
    }

    #[test]
    fn a_poorer_patient_mix_worsens_a_fee_paid_centre_account() {
        let s = baseline();
        let r = |p: f64| account(&centre(Payment::FeeForService, p), &three_gps(&s), 2019, &s);
        assert!(r(0.36).result_share() < r(0.0).result_share());
        assert!(r(0.36).care_eur < r(0.0).care_eur);
    }

    #[test]
    fn capitation_pays_per_enrolled_patient_not_per_act() {
        let s = baseline();
        let b = centre(Payment::Capitation, 0.18);
        let mut staff = three_gps(&s);
        let before = account(&b, &staff, 2019, &s).care_eur;
        staff.enrolled_patients *= 2.0;
        let after = account(&b, &staff, 2019, &s).care_eur;
        let per_patient = s.structures.health_centre_capitation_eur_per_patient;
        assert!((after - before - 3000.0 * per_patient).abs() < 1e-6);
        // Acts (and the patient mix) no longer move the revenue.
        staff.acts *= 0.5;
        assert_eq!(account(&b, &staff, 2019, &s).care_eur, after);
    }

    #[test]
    fn the_g_fee_rose_to_30_euros_from_december_2024() {
        assert_eq!(g_fee_eur(2019), 25.0);
        assert_eq!(g_fee_eur(2024), 26.5);
        assert_eq!(g_fee_eur(2025), 30.0);
    }

    #[test]
    fn the_teulade_subsidy_is_a_share_of_gross_salaries() {
        let s = baseline();
        let mut b = centre(Payment::FeeForService, 0.18);
        let with = account(&b, &three_gps(&s), 2019, &s);
        b.teulade = false;
        let without = account(&b, &three_gps(&s), 2019, &s);
        let gross = 3.0 * s.structures.health_centre_gp_gross_salary_eur;
        assert!((with.teulade_eur - 0.115 * gross).abs() < 1e-6);
        assert_eq!(without.teulade_eur, 0.0);
    }
}
