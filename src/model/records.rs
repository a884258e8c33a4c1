//! What the model observes each year: additive counts per département, summed to régions and
//! the nation. Shares and rates are derived by the output layer.

use bevy_ecs::prelude::*;

use super::components::{PracticeMode, Reason};

/// Additive counts for one territorial unit and year. Patient counts are in persons
/// (agents × persons_per_agent); GP and structure counts are exact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Population, persons.
    pub population: u64,
    /// Population aged 17 and over.
    pub population_17plus: u64,
    /// 17+ without an MT, by [`Reason`] (order of `Reason::ALL`).
    pub without_mt_17plus: [u64; Reason::COUNT],
    /// Chronic (ALD) patients aged 17+.
    pub chronic_17plus: u64,
    /// Chronic patients aged 17+ without an MT.
    pub chronic_without_mt_17plus: u64,
    /// … of whom without an MT because they moved out of their GP's reach (CNAM still counts
    /// them declared).
    pub chronic_moved_17plus: u64,
    /// Patients (all ages) with an MT.
    pub with_mt: u64,
    /// Primary-care GPs able to be an MT (all modes).
    pub gps: u64,
    /// GPs by practice mode (order of `PracticeMode::ALL`).
    pub gps_by_mode: [u64; 5],
    /// Expected consultations a year of the adults on the GPs' MT lists.
    pub list_consultations: f64,
    /// Consultations a year the GPs offer their MT lists.
    pub list_offer: f64,
    /// GPs closed to new non-chronic MT patients (their list at the acceptance threshold).
    pub gps_closed: u64,
    /// Sum of GP ages (for the mean).
    pub gp_age_sum: u64,
    /// Women GPs.
    pub gps_women: u64,
    /// Liberal GPs practising with at least one other GP (group practice or MSP).
    pub gps_in_group: u64,
    /// MSPs.
    pub msp_count: u64,
    /// Health centres (CDS).
    pub health_centre_count: u64,
    /// People in communes covered by a CPTS.
    pub cpts_population: u64,
    /// People in the under-dense zone (both tiers).
    pub under_dense_population: u64,
    /// People in the priority tier of the zone (ZIP).
    pub priority_zone_population: u64,
    /// Σ persons × APL of their commune (for the population-weighted mean).
    pub apl_sum: f64,
    /// Σ persons × APL counting only GPs under 65.
    pub apl_under_65_sum: f64,
    /// People in communes with an APL below 2.5 (the DREES under-served threshold).
    pub population_apl_below_2_5: u64,
    /// Communes with at least one GP.
    pub communes_with_gp: u64,
    /// Population aged 17 to 29.
    pub population_17_29: u64,
    /// 17 to 29-year-olds without an MT.
    pub without_mt_17_29: u64,
    /// … of whom without an MT because they moved (CNAM still counts them declared).
    pub moved_17_29: u64,
    /// Population aged 65 and over.
    pub population_65plus: u64,
    /// Population aged 75 and over.
    pub population_75plus: u64,
    /// Liberal GPs by age band (under 50, 50–59, 60 and over).
    pub gps_liberal_by_age: [u64; 3],
    /// Weekly patient hours of liberal GPs summed by age band (under 50, 50–59, 60 and over).
    pub liberal_hours_by_age: [f64; 3],
    /// Liberal GPs in group practice by age band (under 50, 50–59, 60 and over).
    pub gps_in_group_by_age: [u64; 3],
    /// GPs installed in the région of their origin.
    pub installed_in_origin_region: u64,
    /// Births, persons.
    pub births: u64,
    /// Deaths, persons.
    pub deaths: u64,
    /// Net migrants, persons.
    pub migrants: u64,
    /// GP installations.
    pub installations: u64,
    /// Of them, salaried entries: GPs a health centre recruits at its opening and retirees
    /// staffing a local service (the rest chose their commune in `install_gps`).
    pub salaried_entries: u64,
    /// GP installations in the under-dense zone.
    pub installations_under_dense: u64,
    /// GPs refused the regulated commune they chose ("one in, one out").
    pub installations_refused: u64,
    /// Of them, those who stayed locums to try again the next year.
    pub refused_waited: u64,
    /// Of them, those who left primary care.
    pub refused_left: u64,
    /// GP installations in a big-city area (a faculty town or an urban-cluster commune
    /// within 20 km of one).
    pub installations_big_city: u64,
    /// GP installations in the Paris region (Île-de-France).
    pub installations_paris_region: u64,
    /// GP installations by straight-line distance from the town of the faculty where the GP
    /// trained, in bins of [`FACULTY_KM_BIN`] km (the last bin open): additive, so its median
    /// holds for any unit.
    pub installations_by_faculty_km: Vec<u64>,
    /// GP exits.
    pub exits: u64,
    /// GP retirements (part of exits).
    pub retirements: u64,
    /// Patients aged 17+ (persons) who found an MT this year.
    pub matches: u64,
    /// Patients aged 17+ (persons) who lost their MT this year (GP stopped, or moved out of
    /// reach).
    pub losses: u64,
    /// € spent on the policy levers in force this year (docs/policies.md: cost models).
    pub policy_cost_eur: f64,
    /// GPs by sex (men, women) and age band ([`GP_AGE_BANDS`]), for the age pyramid.
    pub gps_by_sex_age: [[u64; GP_AGE_BANDS.len()]; 2],
}

/// Lower bounds of the GP age bands of the pyramid (years); the last band is open.
pub const GP_AGE_BANDS: [u8; 10] = [0, 30, 35, 40, 45, 50, 55, 60, 65, 70];

/// Index in [`GP_AGE_BANDS`] of an age.
pub fn gp_age_band(age: u8) -> usize {
    GP_AGE_BANDS.iter().rposition(|&a| age >= a).unwrap_or(0)
}

impl Counts {
    /// Adds another unit's counts.
    pub fn add(&mut self, o: &Counts) {
        self.population += o.population;
        self.population_17plus += o.population_17plus;
        for i in 0..Reason::COUNT {
            self.without_mt_17plus[i] += o.without_mt_17plus[i];
        }
        for i in 0..PracticeMode::ALL.len() {
            self.gps_by_mode[i] += o.gps_by_mode[i];
        }
        self.chronic_17plus += o.chronic_17plus;
        self.chronic_without_mt_17plus += o.chronic_without_mt_17plus;
        self.chronic_moved_17plus += o.chronic_moved_17plus;
        self.with_mt += o.with_mt;
        self.gps += o.gps;
        self.list_consultations += o.list_consultations;
        self.list_offer += o.list_offer;
        self.gps_closed += o.gps_closed;
        self.gp_age_sum += o.gp_age_sum;
        self.gps_women += o.gps_women;
        self.gps_in_group += o.gps_in_group;
        self.msp_count += o.msp_count;
        self.health_centre_count += o.health_centre_count;
        self.cpts_population += o.cpts_population;
        self.under_dense_population += o.under_dense_population;
        self.priority_zone_population += o.priority_zone_population;
        self.apl_sum += o.apl_sum;
        self.apl_under_65_sum += o.apl_under_65_sum;
        self.population_apl_below_2_5 += o.population_apl_below_2_5;
        self.communes_with_gp += o.communes_with_gp;
        self.population_17_29 += o.population_17_29;
        self.without_mt_17_29 += o.without_mt_17_29;
        self.moved_17_29 += o.moved_17_29;
        self.population_65plus += o.population_65plus;
        self.population_75plus += o.population_75plus;
        for i in 0..3 {
            self.gps_liberal_by_age[i] += o.gps_liberal_by_age[i];
            self.gps_in_group_by_age[i] += o.gps_in_group_by_age[i];
            self.liberal_hours_by_age[i] += o.liberal_hours_by_age[i];
        }
        self.installed_in_origin_region += o.installed_in_origin_region;
        self.births += o.births;
        self.deaths += o.deaths;
        self.migrants += o.migrants;
        self.installations += o.installations;
        self.salaried_entries += o.salaried_entries;
        self.installations_under_dense += o.installations_under_dense;
        self.installations_refused += o.installations_refused;
        self.refused_waited += o.refused_waited;
        self.refused_left += o.refused_left;
        self.installations_big_city += o.installations_big_city;
        self.installations_paris_region += o.installations_paris_region;
        add_bins(
            &mut self.installations_by_faculty_km,
            &o.installations_by_faculty_km,
        );
        self.exits += o.exits;
        self.retirements += o.retirements;
        self.matches += o.matches;
        self.losses += o.losses;
        self.policy_cost_eur += o.policy_cost_eur;
        for (mine, theirs) in self.gps_by_sex_age.iter_mut().zip(&o.gps_by_sex_age) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    /// Median km between the installations and the GPs' faculty towns, interpolated within
    /// the median's bin (NaN without installations).
    pub fn median_faculty_km(&self) -> f64 {
        let total: u64 = self.installations_by_faculty_km.iter().sum();
        let half = total as f64 / 2.0;
        let mut below = 0.0;
        for (i, &n) in self.installations_by_faculty_km.iter().enumerate() {
            if n > 0 && below + n as f64 >= half {
                return FACULTY_KM_BIN * (i as f64 + (half - below) / n as f64);
            }
            below += n as f64;
        }
        f64::NAN
    }

    /// 17+ without an MT, all reasons.
    pub fn without_mt_17plus_total(&self) -> u64 {
        self.without_mt_17plus.iter().sum()
    }

    /// 17+ without an MT as CNAM counts them: all reasons but `moved` (CNAM keeps a mover's
    /// declaration until they declare another GP).
    pub fn without_mt_17plus_cnam(&self) -> u64 {
        self.without_mt_17plus_total() - self.without(Reason::Moved)
    }

    /// Chronic (ALD) patients 17+ without an MT as CNAM counts them (without `moved`).
    pub fn chronic_without_mt_17plus_cnam(&self) -> u64 {
        self.chronic_without_mt_17plus - self.chronic_moved_17plus
    }

    /// 17 to 29-year-olds without an MT as CNAM counts them (without `moved`).
    pub fn without_mt_17_29_cnam(&self) -> u64 {
        self.without_mt_17_29 - self.moved_17_29
    }

    /// `n` adults as a share of the adults (17+); `None` where there is no adult (nobody to
    /// divide among: tables leave the cell empty). Every share of adults is defined here.
    pub fn share_of_adults(&self, n: u64) -> Option<f64> {
        (self.population_17plus > 0).then(|| n as f64 / self.population_17plus as f64)
    }

    /// The headline: share of adults (17+) without an MT, every reason.
    pub fn share_without_mt_17plus(&self) -> Option<f64> {
        self.share_of_adults(self.without_mt_17plus_total())
    }

    /// Share of adults without an MT as CNAM counts them (without `moved`).
    pub fn share_without_mt_17plus_cnam(&self) -> Option<f64> {
        self.share_of_adults(self.without_mt_17plus_cnam())
    }

    /// Adults whose MT retired or left (CNAM's "lost": `moved` is not lost).
    pub fn without_mt_17plus_lost(&self) -> u64 {
        Reason::ALL
            .iter()
            .filter(|r| r.is_lost())
            .map(|r| self.without(*r))
            .sum()
    }

    /// 17+ without an MT for one reason.
    pub fn without(&self, reason: Reason) -> u64 {
        self.without_mt_17plus[reason as usize]
    }

    /// Liberal GPs (all modes but health centres).
    pub fn gps_liberal(&self) -> u64 {
        PracticeMode::ALL
            .iter()
            .zip(self.gps_by_mode)
            .filter(|(m, _)| m.is_liberal())
            .map(|(_, n)| n)
            .sum()
    }
}

/// Width of a bin of [`Counts::installations_by_faculty_km`], km.
pub const FACULTY_KM_BIN: f64 = 5.0;

/// Bins of [`Counts::installations_by_faculty_km`] (the last holds every longer distance).
pub const FACULTY_KM_BINS: usize = 200;

/// The bin of a distance, km.
pub fn faculty_km_bin(km: f64) -> usize {
    ((km / FACULTY_KM_BIN) as usize).min(FACULTY_KM_BINS - 1)
}

/// Adds histogram `other` into `mine`, bin by bin.
pub fn add_bins(mine: &mut Vec<u64>, other: &[u64]) {
    if mine.len() < other.len() {
        mine.resize(other.len(), 0);
    }
    for (a, b) in mine.iter_mut().zip(other) {
        *a += b;
    }
}

/// Counts of one year for every unit.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRecord {
    /// Year.
    pub year: u16,
    /// Metropolitan France (or the simulated territory).
    pub national: Counts,
    /// By région (order of `Communes::regions`).
    pub regions: Vec<Counts>,
    /// By département (order of `Communes::departements`).
    pub departements: Vec<Counts>,
    /// MT list sizes of liberal GPs, persons: mean, P10, median, P90 (national only).
    pub mt_lists: [f64; 4],
    /// Median straight-line km from origin commune of the GPs installed this year (NaN if
    /// none installed).
    pub install_km_median: f64,
    /// Every commune's row, when [`Records::record_communes`] is on.
    pub communes: Vec<CommuneRecord>,
}

/// One commune's state at the end of a year (`communes.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneRecord {
    /// Population, persons.
    pub population: u64,
    /// Population aged 17 and over.
    pub population_17plus: u64,
    /// 17+ without an MT.
    pub without_mt_17plus: u64,
    /// GPs practising in the commune.
    pub gps: u32,
    /// APL, consultations a year per inhabitant (all GPs).
    pub apl: f32,
    /// APL counting only GPs under 65.
    pub apl_under_65: f32,
    /// APL counting only GPs under 62.
    pub apl_under_62: f32,
    /// 0 outside the under-dense zone, 1 intermediate tier, 2 priority tier.
    pub zone: u8,
}

impl CommuneRecord {
    /// Share of the commune's adults (17+) without an MT; `None` where no adult is simulated
    /// (as [`Counts::share_of_adults`]).
    pub fn share_without_mt_17plus(&self) -> Option<f64> {
        (self.population_17plus > 0)
            .then(|| self.without_mt_17plus as f64 / self.population_17plus as f64)
    }
}

/// Every year's record, appended by `measure`.
#[derive(Resource, Debug, Clone, Default)]
pub struct Records {
    /// One record per simulated year.
    pub years: Vec<YearRecord>,
    /// Also record every commune every year (memory: ≈40 bytes × communes × years).
    pub record_communes: bool,
}
