//! `communes.csv` as cells: one row per commune and year, streamed (≈800,000 rows for France).

use crate::model::records::CommuneRecord;
use crate::model::{Communes, Records};

use super::places::Places;
use crate::tables::cell::Cell;

/// Columns of `communes.csv`.
pub const COMMUNE_COLUMNS: [&str; 13] = [
    "year",
    "commune",
    "commune_name",
    "departement",
    "population",
    "population_17plus",
    "patients_without_mt_17plus",
    "share_without_mt_17plus",
    "gps",
    "apl",
    "apl_under_65",
    "apl_under_62",
    "zone",
];

/// The names of the zone tiers, by `CommuneRecord::zone`.
pub(crate) const ZONES: [&str; 3] = ["none", "intermediate", "priority"];

/// The header of `communes.csv`.
pub fn commune_header() -> Vec<Cell> {
    COMMUNE_COLUMNS.iter().map(|c| Cell::text(*c)).collect()
}

/// One row of `communes.csv`: commune `i` of `communes` in `year`.
fn commune_row(year: u16, i: usize, r: &CommuneRecord, at: (&Communes, &Places)) -> Vec<Cell> {
    let (communes, places) = at;
    let c = &communes.communes[i];
    let apl = |v: f32| Cell::real(Some(f64::from(v)), 4);
    vec![
        Cell::Int(year.into()),
        Cell::text(c.code.as_str()),
        Cell::text(places.name(i)),
        Cell::text(communes.departements[c.departement as usize].code.as_str()),
        Cell::Int(r.population as i64),
        Cell::Int(r.population_17plus as i64),
        Cell::Int(r.without_mt_17plus as i64),
        // Empty where nobody 17+ is simulated: a 0 would read as the best class on a map.
        Cell::real(r.share_without_mt_17plus(), 6),
        Cell::Int(r.gps.into()),
        apl(r.apl),
        apl(r.apl_under_65),
        apl(r.apl_under_62),
        Cell::text(ZONES[usize::from(r.zone.min(2))]),
    ]
}

/// The rows of `communes.csv` after the header, year by year (empty when communes were not
/// recorded).
pub fn commune_rows<'a>(
    records: &'a Records,
    communes: &'a Communes,
    places: &'a Places,
) -> impl Iterator<Item = Vec<Cell>> + 'a {
    records.years.iter().flat_map(move |y| {
        y.communes
            .iter()
            .enumerate()
            .map(move |(i, r)| commune_row(y.year, i, r, (communes, places)))
    })
}
