//! A run's indicators as tidy tables: one row per year and unit, as typed cells (what
//! `output` writes), as text (what a sweep reads its outputs from) or as numbers (what the
//! experiments summarise); columns documented in docs/outputs.md. Each indicator and its
//! number format is defined once, in [`INDICATORS`]. No I/O: below both the experiments and
//! the writers.

pub mod cell;

use crate::model::{Communes, Counts, GP_AGE_BANDS, PracticeMode, Reason, Records};

use cell::{Cell, Dialect};

/// How an indicator column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A count (persons, GPs, structures, euros): an integer.
    Count,
    /// A share, ratio or mean with this many decimals.
    Decimals(u8),
}

impl Format {
    /// The cell of a value in this format (empty when the value is undefined).
    pub fn cell(self, value: Option<f64>) -> Cell {
        match self {
            Format::Count => Cell::count(value),
            Format::Decimals(d) => Cell::real(value, d),
        }
    }
}

const SHARE: Format = Format::Decimals(6);

/// Indicator columns shared by the three tables, after the key columns, with their format.
pub const INDICATORS: [(&str, Format); 51] = [
    ("population", Format::Count),
    ("population_17plus", Format::Count),
    ("gps", Format::Count),
    ("gps_liberal", Format::Count),
    ("gps_per_100k", Format::Decimals(2)),
    ("share_without_mt_17plus", SHARE),
    ("share_without_mt_17plus_cnam", SHARE),
    ("share_without_mt_17plus_never_declared", SHARE),
    ("share_without_mt_17plus_no_gp_with_room_in_reach", SHARE),
    ("share_without_mt_17plus_gp_retired", SHARE),
    ("share_without_mt_17plus_gp_left", SHARE),
    ("share_without_mt_17plus_moved", SHARE),
    ("share_without_mt_17plus_gp_reduced_activity", SHARE),
    ("share_without_mt_17plus_lost", SHARE),
    ("share_without_mt_17plus_never", SHARE),
    ("patients_without_mt_17plus", Format::Count),
    ("share_chronic_17plus_without_mt", SHARE),
    ("share_chronic_17plus_without_mt_cnam", SHARE),
    ("mt_list_mean", Format::Decimals(1)),
    ("capacity_utilisation", Format::Decimals(4)),
    ("share_gps_closed_to_new_patients", SHARE),
    ("msp_count", Format::Count),
    ("health_centre_count", Format::Count),
    ("group_practice_share", SHARE),
    ("working_retiree_share", SHARE),
    ("health_centre_gp_share", SHARE),
    ("cpts_coverage_share", SHARE),
    ("under_dense_population_share", SHARE),
    ("priority_zone_population_share", SHARE),
    ("apl_mean", Format::Decimals(4)),
    ("apl_under_65_mean", Format::Decimals(4)),
    ("share_population_apl_below_2_5", SHARE),
    ("communes_with_gp", Format::Count),
    ("mean_gp_age", Format::Decimals(2)),
    ("share_gps_women", SHARE),
    ("installations", Format::Count),
    ("installations_under_dense", Format::Count),
    ("installations_refused", Format::Count),
    ("refused_waited", Format::Count),
    ("refused_left", Format::Count),
    ("installations_national_share", SHARE),
    ("installations_paris_region_share", SHARE),
    ("installations_big_city_share", SHARE),
    ("exits", Format::Count),
    ("retirements", Format::Count),
    ("births", Format::Count),
    ("deaths", Format::Count),
    ("net_migration", Format::Count),
    ("patients_finding_mt", Format::Count),
    ("patients_losing_mt", Format::Count),
    ("policy_cost_eur", Format::Count),
];

/// Names of [`INDICATORS`], in order.
pub const COLUMNS: [&str; INDICATORS.len()] = {
    let mut names = [""; INDICATORS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = INDICATORS[i].0;
        i += 1;
    }
    names
};

/// The format of an indicator column (`None` for a column that is not one).
pub fn format_of(column: &str) -> Option<Format> {
    INDICATORS
        .iter()
        .find(|(name, _)| *name == column)
        .map(|(_, f)| *f)
}

/// Whether `column` is a share (0–1) of [`INDICATORS`]: shown as a percentage in a workbook.
pub fn is_share(column: &str) -> bool {
    format_of(column) == Some(SHARE)
}

/// `a / b`; undefined (`None`) when `b` is zero: nobody to divide among.
fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn per(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

fn n(v: u64) -> Option<f64> {
    Some(v as f64)
}

/// The indicator values of one unit-year, in [`INDICATORS`] order, `national` being the
/// same year's national counts; `None` where a ratio's denominator is zero.
fn values(c: &Counts, national: &Counts) -> Vec<Option<f64>> {
    let share = |x: u64| c.share_of_adults(x);
    let mode = |m: PracticeMode| {
        c.gps_by_mode[PracticeMode::ALL.iter().position(|x| *x == m).unwrap_or(0)]
    };
    let sum_where = |keep: fn(Reason) -> bool| -> u64 {
        Reason::ALL
            .iter()
            .filter(|r| keep(**r))
            .map(|r| c.without(*r))
            .sum()
    };
    let mut v = vec![
        n(c.population),
        n(c.population_17plus),
        n(c.gps),
        n(c.gps_liberal()),
        ratio(c.gps, c.population).map(|x| 1e5 * x),
        c.share_without_mt_17plus(),
        c.share_without_mt_17plus_cnam(),
    ];
    v.extend(Reason::ALL.iter().map(|r| share(c.without(*r))));
    v.extend([
        share(sum_where(Reason::is_lost)),
        share(sum_where(Reason::is_never_declared)),
        n(c.without_mt_17plus_total()),
        ratio(c.chronic_without_mt_17plus, c.chronic_17plus),
        ratio(c.chronic_without_mt_17plus_cnam(), c.chronic_17plus),
        ratio(c.with_mt, c.gps),
        per(c.list_consultations, c.list_offer),
        ratio(c.gps_closed, c.gps),
        n(c.msp_count),
        n(c.health_centre_count),
        ratio(c.gps_in_group, c.gps_liberal()),
        ratio(mode(PracticeMode::WorkingRetiree), c.gps),
        ratio(mode(PracticeMode::HealthCentre), c.gps),
        ratio(c.cpts_population, c.population),
        ratio(c.under_dense_population, c.population),
        ratio(c.priority_zone_population, c.population),
        per(c.apl_sum, c.population as f64),
        per(c.apl_under_65_sum, c.population as f64),
        ratio(c.population_apl_below_2_5, c.population),
        n(c.communes_with_gp),
        ratio(c.gp_age_sum, c.gps),
        ratio(c.gps_women, c.gps),
        n(c.installations),
        n(c.installations_under_dense),
        n(c.installations_refused),
        n(c.refused_waited),
        n(c.refused_left),
        ratio(c.installations, national.installations),
        ratio(c.installations_paris_region, c.installations),
        ratio(c.installations_big_city, c.installations),
        n(c.exits),
        n(c.retirements),
        n(c.births),
        n(c.deaths),
        n(c.migrants),
        n(c.matches),
        n(c.losses),
        Some(c.policy_cost_eur),
    ]);
    debug_assert_eq!(v.len(), INDICATORS.len());
    v
}

/// The year and indicator cells of one unit-year, with `keys` in between (`national`: the
/// year's national counts).
fn row(year: u16, keys: &[&str], c: &Counts, national: &Counts) -> Vec<Cell> {
    let mut row = vec![Cell::Int(year.into())];
    row.extend(keys.iter().map(|k| Cell::text(*k)));
    row.extend(
        INDICATORS
            .iter()
            .zip(values(c, national))
            .map(|((_, format), v)| format.cell(v)),
    );
    row
}

fn header(keys: &[&str]) -> Vec<Cell> {
    std::iter::once("year")
        .chain(keys.iter().copied())
        .chain(COLUMNS)
        .map(Cell::text)
        .collect()
}

/// `national.csv` as cells, header first.
pub fn national_table(records: &Records) -> Vec<Vec<Cell>> {
    let mut rows = vec![header(&[])];
    rows.extend(
        records
            .years
            .iter()
            .map(|y| row(y.year, &[], &y.national, &y.national)),
    );
    rows
}

/// One row of a run's table as numbers: the year, the unit's key cells (code and name; none
/// for the national table), and the indicators in [`INDICATORS`] order, unrounded (NaN where a
/// ratio has nobody to divide among).
pub type ValueRow = (u16, Vec<String>, Vec<f64>);

fn numbers(c: &Counts, national: &Counts) -> Vec<f64> {
    values(c, national)
        .into_iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect()
}

/// national.csv's rows as numbers (what the experiments summarise: no number goes through
/// text on its way).
pub fn national_values(records: &Records) -> Vec<ValueRow> {
    records
        .years
        .iter()
        .map(|y| (y.year, Vec::new(), numbers(&y.national, &y.national)))
        .collect()
}

/// departements.csv's (`departements = true`) or regions.csv's rows as numbers.
pub fn unit_values(records: &Records, communes: &Communes, departements: bool) -> Vec<ValueRow> {
    unit_counts(records, communes, departements)
        .map(|(year, unit, c, national)| {
            (
                year,
                vec![unit.code.clone(), unit.name.clone()],
                numbers(c, national),
            )
        })
        .collect()
}

/// Each unit-year of departements.csv (`departements = true`) or regions.csv: the year, the
/// unit, its counts and the year's national counts, in the tables' order.
fn unit_counts<'a>(
    records: &'a Records,
    communes: &'a Communes,
    departements: bool,
) -> impl Iterator<
    Item = (
        u16,
        &'a crate::model::resources::Unit,
        &'a Counts,
        &'a Counts,
    ),
> {
    let units = if departements {
        &communes.departements
    } else {
        &communes.regions
    };
    records.years.iter().flat_map(move |y| {
        let counts = if departements {
            &y.departements
        } else {
            &y.regions
        };
        units
            .iter()
            .zip(counts)
            .map(move |(unit, c)| (y.year, unit, c, &y.national))
    })
}

/// The key columns of regions.csv or departements.csv after `year`.
pub fn unit_keys(departements: bool) -> [&'static str; 2] {
    if departements {
        ["departement", "departement_name"]
    } else {
        ["region", "region_name"]
    }
}

/// Rows of cells as text in the English dialect (what a user reads in an English CSV).
fn as_text(table: Vec<Vec<Cell>>) -> Vec<Vec<String>> {
    table
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| Dialect::En.format(c).into_owned())
                .collect()
        })
        .collect()
}

/// Rows of `national.csv` as text (the English dialect), header first: what the experiments
/// read a run's indicators from.
pub fn national_rows(records: &Records) -> Vec<Vec<String>> {
    as_text(national_table(records))
}

/// `departements.csv` (`departements = true`) or `regions.csv` as cells, header first.
pub fn unit_table(records: &Records, communes: &Communes, departements: bool) -> Vec<Vec<Cell>> {
    let keys = unit_keys(departements);
    let mut rows = vec![header(&keys)];
    rows.extend(
        unit_counts(records, communes, departements)
            .map(|(year, unit, c, national)| row(year, &[&unit.code, &unit.name], c, national)),
    );
    rows
}

/// Rows of `departements.csv` (`departements = true`) or `regions.csv` as text (the English
/// dialect), header first: what the experiments read a unit's indicators from.
pub fn unit_rows(records: &Records, communes: &Communes, departements: bool) -> Vec<Vec<String>> {
    as_text(unit_table(records, communes, departements))
}

/// The codes of `gp_ages.csv`'s `sex` column, in the order of `Counts::gps_by_sex_age`.
pub const SEXES: [&str; 2] = ["men", "women"];

/// `gp_ages.csv` as cells (national GPs by year, sex and age band), header first.
pub fn gp_age_table(records: &Records) -> Vec<Vec<Cell>> {
    let mut rows = vec![["year", "sex", "age_from", "gps"].map(Cell::text).to_vec()];
    for y in &records.years {
        for (sex, bands) in SEXES.iter().zip(&y.national.gps_by_sex_age) {
            for (from, count) in GP_AGE_BANDS.iter().zip(bands) {
                rows.push(vec![
                    Cell::Int(y.year.into()),
                    Cell::text(*sex),
                    Cell::Int(i64::from(*from)),
                    Cell::Int(*count as i64),
                ]);
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_with_nobody_has_empty_shares_not_zero() {
        let cells = row(2030, &["29"], &Counts::default(), &Counts::default());
        let at = |name: &str| &cells[2 + COLUMNS.iter().position(|c| *c == name).unwrap()];
        assert_eq!(at("share_without_mt_17plus"), &Cell::Empty);
        assert_eq!(at("gps_per_100k"), &Cell::Empty);
        assert_eq!(at("apl_mean"), &Cell::Empty);
        assert_eq!(at("mean_gp_age"), &Cell::Empty);
        assert_eq!(at("population"), &Cell::Int(0));
    }

    #[test]
    fn counts_are_integers_and_shares_have_six_decimals() {
        let c = Counts {
            population: 401_950,
            population_17plus: 300_000,
            gps: 300,
            ..Counts::default()
        };
        let cells = row(2030, &[], &c, &c);
        let at = |name: &str| &cells[1 + COLUMNS.iter().position(|x| *x == name).unwrap()];
        assert_eq!(at("population"), &Cell::Int(401_950));
        assert_eq!(Dialect::En.format(at("population")), "401950");
        assert_eq!(
            Dialect::En.format(at("share_without_mt_17plus")),
            "0.000000"
        );
        for (name, format) in INDICATORS {
            if format == Format::Count {
                assert!(matches!(at(name), Cell::Int(_)), "{name} is not an integer");
            }
        }
    }

    #[test]
    fn the_regions_shares_of_installations_sum_to_one() {
        let region = |installations: u64| Counts {
            installations,
            ..Counts::default()
        };
        let regions = [region(3), region(0), region(5), region(12)];
        let mut national = Counts::default();
        for r in &regions {
            national.add(r);
        }
        let at = COLUMNS
            .iter()
            .position(|c| *c == "installations_national_share")
            .unwrap();
        let total: f64 = regions
            .iter()
            .map(|r| values(r, &national)[at].expect("the nation has installations"))
            .sum();
        assert!((total - 1.0).abs() < 1e-12, "{total}");
    }
}
