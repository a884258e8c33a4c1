//! The observed indicators the model can produce, named as in `data/calibration-targets.csv`,
//! each with its tolerance (docs/validation.md says why), and those it cannot, with the reason.

use crate::model::{Counts, PracticeMode, Reason, YearRecord};

/// How far a simulated mean may be from the observed value and still pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// |simulated − observed| ≤ this.
    Absolute(f64),
    /// |simulated − observed| ≤ this × |observed|.
    Relative(f64),
}

impl Tolerance {
    /// Does `simulated` pass against `observed`?
    pub fn passes(self, simulated: f64, observed: f64) -> bool {
        (simulated - observed).abs() <= self.width(observed) + 1e-12
    }

    /// The allowed gap for `observed`.
    pub fn width(self, observed: f64) -> f64 {
        match self {
            Tolerance::Absolute(a) => a,
            Tolerance::Relative(r) => r * observed.abs(),
        }
    }

    /// Parses "0.02" (absolute) or "10%" (relative).
    pub fn parse(text: &str) -> Option<Tolerance> {
        let t = text.trim();
        let (number, relative) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (t, false),
        };
        let v: f64 = number.parse().ok()?;
        if !v.is_finite() || v < 0.0 {
            return None;
        }
        Some(if relative {
            Tolerance::Relative(v / 100.0)
        } else {
            Tolerance::Absolute(v)
        })
    }
}

impl std::fmt::Display for Tolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tolerance::Absolute(a) => write!(f, "±{a}"),
            Tolerance::Relative(r) => write!(f, "±{}%", r * 100.0),
        }
    }
}

/// What the model computes for an indicator in one year's record.
#[derive(Debug, Clone, Copy)]
pub enum Measure {
    /// A ratio or mean, valid for any territory.
    Intensive(fn(&Counts) -> f64),
    /// A national count: compared only when the whole of metropolitan France is simulated.
    National(fn(&Counts) -> f64),
    /// A national count of France with its five overseas départements: the metropolitan
    /// count scaled by France's population over metropolitan France's.
    France(fn(&Counts) -> f64),
    /// A national statistic kept outside the additive counts.
    Record(fn(&YearRecord) -> f64),
}

/// One indicator of the targets file.
#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    /// Name, as in the targets file.
    pub name: &'static str,
    /// How the model produces it, or why it cannot.
    pub produced: Result<Measure, &'static str>,
    /// Default tolerance.
    pub tolerance: Tolerance,
    /// What is compared (for the report).
    pub meaning: &'static str,
}

fn share(n: u64, d: u64) -> f64 {
    if d == 0 {
        f64::NAN
    } else {
        n as f64 / d as f64
    }
}

/// `n` adults as a share of the adults of `c` (NaN with no adult): [`Counts::share_of_adults`].
fn of_adults(c: &Counts, n: u64) -> f64 {
    c.share_of_adults(n).unwrap_or(f64::NAN)
}

/// CNAM's "lost" part: the declared MT retired or left (not `moved`, see [`Counts::without_mt_17plus_cnam`]).
fn lost(c: &Counts) -> u64 {
    c.without_mt_17plus_lost()
}

fn mode(c: &Counts, m: PracticeMode) -> u64 {
    c.gps_by_mode[PracticeMode::ALL.iter().position(|x| *x == m).unwrap_or(0)]
}

/// GPs aged 60 and over (the pyramid's bands from 60 up).
fn aged_60plus(c: &Counts) -> u64 {
    let from = crate::model::GP_AGE_BANDS
        .iter()
        .position(|&a| a == 60)
        .unwrap_or(0);
    c.gps_by_sex_age.iter().flat_map(|s| &s[from..]).sum()
}

/// Why the 2018 APL figures are not compared.
const FIRST_SERIES: &str = "first DREES APL series (2018), not comparable with the revised method the model follows (apl-communes-2021.csv); kept as history";

const WITH_CHILDREN: &str = "CNAM's lists count children, who hold no MT in the model; compared through mt_list_mean_17plus_cnam and the dispersion ratios (mt_list_*_to_mean)";

/// Mean MT list of the liberal GPs as CNAM would count its adults: the model's lists (people
/// 17+) plus the adults who moved and have not declared a new MT, whose declaration CNAM keeps
/// with the GP they left (spread over the GPs in proportion).
fn list_mean_17plus_cnam(y: &YearRecord) -> f64 {
    let c = &y.national;
    let moved = c.without_mt_17plus[Reason::Moved as usize] as f64;
    y.mt_lists[0] + moved / c.gps.max(1) as f64
}

/// A quantile of the liberal GPs' lists over their mean (0 when there is no list).
fn to_mean(y: &YearRecord, i: usize) -> f64 {
    if y.mt_lists[0] > 0.0 {
        y.mt_lists[i] / y.mt_lists[0]
    } else {
        0.0
    }
}

use Measure::{France, Intensive, National, Record};
use Tolerance::{Absolute, Relative};

/// Every indicator name the targets file uses, in its order.
pub const INDICATORS: &[Indicator] = &[
    Indicator {
        name: "share_without_mt_17plus",
        produced: Ok(Intensive(|c| of_adults(c, c.without_mt_17plus_cnam()))),
        tolerance: Absolute(0.015),
        meaning: "share of people 17+ without an MT, as CNAM counts (excl. `moved`: CNAM keeps a mover's declaration)",
    },
    Indicator {
        name: "share_without_mt_17plus_lost",
        produced: Ok(Intensive(|c| of_adults(c, lost(c)))),
        tolerance: Absolute(0.015),
        meaning: "17+ whose MT retired or left (CNAM's lost; excl. `moved`, which CNAM counts as declared)",
    },
    Indicator {
        name: "share_without_mt_17plus_never",
        produced: Ok(Intensive(|c| {
            of_adults(c, c.without_mt_17plus_cnam() - lost(c))
        })),
        tolerance: Absolute(0.015),
        meaning: "17+ who never declared an MT (incl. no GP with room in reach)",
    },
    Indicator {
        name: "patients_without_mt_17plus",
        produced: Ok(National(|c| c.without_mt_17plus_cnam() as f64)),
        tolerance: Relative(0.15),
        meaning: "people 17+ without an MT, as CNAM counts (excl. `moved`; metropolitan France)",
    },
    Indicator {
        name: "ald_patients_without_mt",
        produced: Ok(National(|c| c.chronic_without_mt_17plus_cnam() as f64)),
        tolerance: Relative(0.30),
        meaning: "chronic (ALD) patients 17+ without an MT, as CNAM counts (excl. `moved`)",
    },
    Indicator {
        name: "share_under30_without_mt",
        produced: Ok(Intensive(|c| {
            share(c.without_mt_17_29_cnam(), c.population_17_29)
        })),
        tolerance: Absolute(0.05),
        meaning: "share of people 17–29 without an MT, as CNAM counts (excl. `moved`)",
    },
    Indicator {
        name: "mt_list_mean",
        produced: Err(WITH_CHILDREN),
        tolerance: Relative(0.15),
        meaning: "",
    },
    Indicator {
        name: "mt_list_median",
        produced: Err(WITH_CHILDREN),
        tolerance: Relative(0.15),
        meaning: "",
    },
    Indicator {
        name: "mt_list_p10",
        produced: Err(WITH_CHILDREN),
        tolerance: Relative(0.50),
        meaning: "",
    },
    Indicator {
        name: "mt_list_p90",
        produced: Err(WITH_CHILDREN),
        tolerance: Relative(0.20),
        meaning: "",
    },
    Indicator {
        name: "mt_list_mean_17plus_cnam",
        produced: Ok(Record(list_mean_17plus_cnam)),
        tolerance: Relative(0.15),
        meaning: "mean MT list of liberal GPs, people 17+, with the moved who keep their declaration",
    },
    Indicator {
        name: "mt_list_median_to_mean",
        produced: Ok(Record(|y| to_mean(y, 2))),
        tolerance: Absolute(0.1),
        meaning: "median MT list of liberal GPs over the mean",
    },
    Indicator {
        name: "mt_list_p10_to_mean",
        produced: Ok(Record(|y| to_mean(y, 1))),
        tolerance: Absolute(0.1),
        meaning: "10th percentile of the lists over the mean",
    },
    Indicator {
        name: "mt_list_p90_to_mean",
        produced: Ok(Record(|y| to_mean(y, 3))),
        tolerance: Absolute(0.25),
        meaning: "90th percentile of the lists over the mean",
    },
    Indicator {
        name: "gp_liberal_count",
        produced: Ok(National(|c| c.gps_liberal() as f64)),
        tolerance: Relative(0.05),
        meaning: "liberal primary-care GPs (incl. working retirees)",
    },
    Indicator {
        name: "gp_liberal_conventionne_active",
        produced: Ok(National(|c| c.gps_liberal() as f64)),
        tolerance: Relative(0.05),
        meaning: "liberal primary-care GPs (all are conventionnés in the model)",
    },
    Indicator {
        name: "gp_all_modes_count",
        produced: Err(
            "the model simulates primary-care GPs only; hospital, salaried and special-practice GPs are not agents",
        ),
        tolerance: Relative(0.05),
        meaning: "",
    },
    Indicator {
        name: "gp_mean_age",
        produced: Ok(Intensive(|c| share(c.gp_age_sum, c.gps))),
        tolerance: Absolute(2.0),
        meaning: "mean age of primary-care GPs (target: all GPs)",
    },
    Indicator {
        name: "gp_share_women",
        produced: Ok(Intensive(|c| share(c.gps_women, c.gps))),
        tolerance: Absolute(0.03),
        meaning: "share of women among primary-care GPs (target: all GPs)",
    },
    Indicator {
        name: "gp_mean_age_end_of_activity",
        produced: Err("ages at exit are not recorded yet"),
        tolerance: Absolute(1.0),
        meaning: "",
    },
    Indicator {
        name: "gp_mean_age_end_of_activity_cumulants",
        produced: Err("ages at exit are not recorded yet"),
        tolerance: Absolute(1.0),
        meaning: "",
    },
    Indicator {
        name: "gp_share_cumul_emploi_retraite",
        produced: Ok(Intensive(|c| {
            share(mode(c, PracticeMode::WorkingRetiree), c.gps_liberal())
        })),
        tolerance: Absolute(0.03),
        meaning: "working retirees among liberal GPs",
    },
    Indicator {
        name: "doctors_active_share_age_65_69",
        produced: Err("doctors who stopped leave the model, so the denominator is not kept"),
        tolerance: Absolute(0.05),
        meaning: "",
    },
    Indicator {
        name: "doctors_active_share_age_70_79",
        produced: Err("doctors who stopped leave the model, so the denominator is not kept"),
        tolerance: Absolute(0.05),
        meaning: "",
    },
    Indicator {
        name: "gp_group_practice_share",
        produced: Ok(Intensive(|c| share(c.gps_in_group, c.gps_liberal()))),
        tolerance: Absolute(0.05),
        meaning: "liberal GPs practising with another GP",
    },
    Indicator {
        name: "gp_group_practice_share_under50",
        produced: Ok(Intensive(|c| {
            share(c.gps_in_group_by_age[0], c.gps_liberal_by_age[0])
        })),
        tolerance: Absolute(0.08),
        meaning: "same, liberal GPs under 50",
    },
    Indicator {
        name: "gp_group_practice_share_50_59",
        produced: Ok(Intensive(|c| {
            share(c.gps_in_group_by_age[1], c.gps_liberal_by_age[1])
        })),
        tolerance: Absolute(0.08),
        meaning: "same, liberal GPs aged 50–59",
    },
    Indicator {
        name: "gp_group_practice_share_60plus",
        produced: Ok(Intensive(|c| {
            share(c.gps_in_group_by_age[2], c.gps_liberal_by_age[2])
        })),
        tolerance: Absolute(0.08),
        meaning: "same, liberal GPs aged 60+",
    },
    Indicator {
        name: "msp_count",
        produced: Ok(National(|c| c.msp_count as f64)),
        tolerance: Relative(0.25),
        meaning: "MSPs",
    },
    Indicator {
        name: "gps_per_aci_msp",
        produced: Ok(Intensive(|c| {
            share(mode(c, PracticeMode::Msp), c.msp_count)
        })),
        tolerance: Relative(0.30),
        meaning: "GPs per MSP",
    },
    Indicator {
        name: "apl_mean",
        produced: Ok(Intensive(|c| c.apl_sum / c.population.max(1) as f64)),
        tolerance: Absolute(0.4),
        meaning: "population-weighted mean APL, all GPs (revised DREES series; model weights by persons, DREES by standardised persons)",
    },
    Indicator {
        name: "apl_under_65_mean",
        produced: Ok(Intensive(|c| {
            c.apl_under_65_sum / c.population.max(1) as f64
        })),
        tolerance: Absolute(0.4),
        meaning: "same, counting GPs under 65",
    },
    Indicator {
        name: "apl_mean_first_series",
        produced: Err(FIRST_SERIES),
        tolerance: Absolute(0.4),
        meaning: "",
    },
    Indicator {
        name: "apl_share_population_below_2_5_first_series",
        produced: Err(FIRST_SERIES),
        tolerance: Absolute(0.03),
        meaning: "",
    },
    Indicator {
        name: "apl_share_population_below_2_5",
        produced: Ok(Intensive(|c| {
            share(c.population_apl_below_2_5, c.population)
        })),
        tolerance: Absolute(0.03),
        meaning: "people in communes with APL < 2.5",
    },
    Indicator {
        name: "communes_with_gp",
        produced: Ok(National(|c| c.communes_with_gp as f64)),
        tolerance: Relative(0.10),
        meaning: "communes with at least one primary-care GP",
    },
    Indicator {
        name: "communes_with_liberal_gp",
        produced: Ok(National(|c| c.communes_with_gp as f64)),
        tolerance: Relative(0.10),
        meaning: "communes with a primary-care GP (model: each GP at one place, health-centre GPs included; BPE: liberal practice addresses, a GP with two surgeries in two communes)",
    },
    Indicator {
        name: "gp_liberal_practice_addresses",
        produced: Err(
            "the model places each GP at one address; BPE counts practice addresses (a GP with two surgeries counts twice)",
        ),
        tolerance: Relative(0.05),
        meaning: "",
    },
    Indicator {
        name: "gp_primary_care_count",
        produced: Ok(National(|c| c.gps as f64)),
        tolerance: Relative(0.05),
        meaning: "primary-care GPs (all modes the model simulates)",
    },
    Indicator {
        name: "gp_mean_age_liberal",
        produced: Err(
            "the mean age of liberal GPs alone is not recorded (gp_mean_age covers every primary-care GP)",
        ),
        tolerance: Absolute(2.0),
        meaning: "",
    },
    Indicator {
        name: "gp_mean_age_at_installation",
        produced: Err("ages at installation are not recorded yet"),
        tolerance: Absolute(1.0),
        meaning: "",
    },
    Indicator {
        name: "gp_share_aged_60plus",
        produced: Ok(Intensive(|c| share(aged_60plus(c), c.gps))),
        tolerance: Absolute(0.04),
        meaning: "primary-care GPs aged 60 and over (target: all omnipraticiens)",
    },
    Indicator {
        name: "new_gp_years_as_locum",
        produced: Err("an input of the model (training.locum_years), not an output"),
        tolerance: Relative(0.1),
        meaning: "",
    },
    Indicator {
        name: "new_gp_share_settling_in_birth_region",
        produced: Ok(Intensive(|c| {
            share(c.installed_in_origin_region, c.installations)
        })),
        tolerance: Absolute(0.10),
        meaning: "GPs installing in the région of their origin commune",
    },
    Indicator {
        name: "new_gp_median_km_from_birth_commune",
        produced: Ok(Record(|y| y.install_km_median)),
        tolerance: Relative(0.30),
        meaning: "median straight-line km from origin to installation commune",
    },
    Indicator {
        name: "new_gp_median_km_from_university",
        produced: Ok(Intensive(|c| c.median_faculty_km())),
        tolerance: Relative(0.3),
        meaning: "median straight-line km from the faculty town of training to installation",
    },
    Indicator {
        name: "gp_acts_per_year_liberal",
        produced: Err("an input of the model (apl.acts_per_liberal_gp), not an output"),
        tolerance: Relative(0.1),
        meaning: "",
    },
    Indicator {
        name: "gp_acts_per_year_cds_fte",
        produced: Err("an input of the model (apl.acts_per_health_centre_fte), not an output"),
        tolerance: Relative(0.1),
        meaning: "",
    },
    Indicator {
        name: "gp_weekly_patient_hours_under50",
        produced: Ok(Intensive(|c| {
            c.liberal_hours_by_age[0] / c.gps_liberal_by_age[0].max(1) as f64
        })),
        tolerance: Relative(0.1),
        meaning: "mean weekly patient hours of liberal GPs under 50 (workload: hours by sex and cohort)",
    },
    Indicator {
        name: "gp_weekly_patient_hours_over50",
        produced: Ok(Intensive(|c| {
            (c.liberal_hours_by_age[1] + c.liberal_hours_by_age[2])
                / (c.gps_liberal_by_age[1] + c.gps_liberal_by_age[2]).max(1) as f64
        })),
        tolerance: Relative(0.1),
        meaning: "mean weekly patient hours of liberal GPs aged 50 and over",
    },
    Indicator {
        name: "population",
        produced: Ok(France(|c| c.population as f64)),
        tolerance: Relative(0.01),
        meaning: "population, scaled from metropolitan France to France with its five DOM",
    },
    Indicator {
        name: "share_population_65plus",
        produced: Ok(Intensive(|c| share(c.population_65plus, c.population))),
        tolerance: Absolute(0.01),
        meaning: "share of people 65+",
    },
    Indicator {
        name: "share_population_75plus",
        produced: Ok(Intensive(|c| share(c.population_75plus, c.population))),
        tolerance: Absolute(0.01),
        meaning: "share of people 75+",
    },
];

/// The indicator named `name`, if the report knows it.
pub fn find(name: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerances_parse_and_apply() {
        assert_eq!(Tolerance::parse("0.02"), Some(Absolute(0.02)));
        assert_eq!(Tolerance::parse(" 10% "), Some(Relative(0.10)));
        assert_eq!(Tolerance::parse("-1"), None);
        assert_eq!(Tolerance::parse("ten"), None);
        assert!(Absolute(0.015).passes(0.11, 0.1));
        assert!(!Absolute(0.015).passes(0.12, 0.1));
        assert!(Relative(0.05).passes(52_000.0, 52_500.0));
        assert!(!Relative(0.05).passes(49_000.0, 52_500.0));
    }

    #[test]
    fn every_name_of_the_shipped_targets_file_is_known() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/calibration-targets.csv");
        let mut r = csv::Reader::from_path(path).unwrap();
        for row in r.records() {
            let name = row.unwrap()[0].to_string();
            assert!(
                super::super::kinds::known(&name),
                "{name} is not in INDICATORS (or its kind's list)"
            );
        }
    }
}
