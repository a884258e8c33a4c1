//! Where the start year's primary-care GPs practise, and how many each département has
//! (MODEL.md §4, "Initial GPs"). Liberal GPs: the département's RPPS all-mode count of the
//! start year × its own liberal share, placed in the communes of the BPE 2020 liberal GP
//! addresses: one in each such commune (an address is a GP practising there), the others ∝
//! the commune's further addresses. Health-centre (salaried) GPs: an assumption, placed in the
//! larger communes that have a BPE GP, ∝ population.

use crate::inputs::{Inputs, LIBERAL_SHARE_RPPS_YEAR};
use crate::scenario::Scenario;

use super::resources::Communes;

/// One département's start-year primary-care GPs and the commune draws that place them.
#[derive(Debug, Clone, Default)]
pub struct DepartementGps {
    /// Expected liberal GPs: RPPS all-mode GPs of the start year × liberal share.
    pub liberal: f64,
    /// Expected health-centre GPs (`health_centre_share_start` of the primary-care GPs).
    pub health_centre: f64,
    /// (cumulative BPE addresses, commune index) of the communes with liberal GPs.
    liberal_places: Vec<(f64, u16)>,
    /// (cumulative BPE addresses beyond the first, commune index) of the communes with
    /// more than one address.
    further_places: Vec<(f64, u16)>,
    /// (cumulative population, commune index) of the communes that receive health centres.
    centre_places: Vec<(f64, u16)>,
}

impl DepartementGps {
    /// A département's liberal share: its BPE 2020 `addresses` × GPs per address over its
    /// RPPS all-mode GPs of 2018 (0 without an RPPS count; at most 1).
    pub fn liberal_share(s: &Scenario, addresses: f64, rpps_2018: u32) -> f64 {
        if rpps_2018 == 0 {
            return 0.0;
        }
        (addresses * s.gps.gps_per_bpe_address / rpps_2018 as f64).min(1.0)
    }

    /// The GPs of département index `d` of `communes` in scenario `s`'s start year.
    pub fn new(s: &Scenario, inputs: &Inputs, communes: &Communes, d: usize) -> DepartementGps {
        let code = &communes.departements[d].code;
        let places = &inputs.gp_places;
        let (mut liberal_places, mut further_places) = (Vec::new(), Vec::new());
        let (mut addresses, mut further) = (0.0, 0.0);
        let mut in_departement: Vec<(u16, u32, u32)> = Vec::new();
        for (i, c) in communes.communes.iter().enumerate() {
            if c.departement as usize != d {
                continue;
            }
            let n = places.liberal_addresses.get(&c.code).copied().unwrap_or(0);
            if n > 0 {
                addresses += n as f64;
                liberal_places.push((addresses, i as u16));
            }
            if n > 1 {
                further += (n - 1) as f64;
                further_places.push((further, i as u16));
            }
            in_departement.push((i as u16, n, c.population));
        }
        let rpps_2018 = places.all_modes(code, LIBERAL_SHARE_RPPS_YEAR).unwrap_or(0);
        let rpps_start = places.all_modes(code, s.start_year).unwrap_or(0);
        let liberal = rpps_start as f64 * Self::liberal_share(s, addresses, rpps_2018);
        let h = s.gps.health_centre_share_start.min(0.99);
        DepartementGps {
            liberal,
            // Liberal GPs are 1 − h of the primary-care GPs (the BPE counts liberal ones only).
            health_centre: liberal * h / (1.0 - h),
            liberal_places,
            further_places,
            centre_places: centre_places(s, &in_departement),
        }
    }

    /// The commune of liberal GP `i` of `n` placed with the uniform `start` in [0, 1) (`None`
    /// without a BPE commune). Each commune with a BPE address has a GP practising there, so
    /// the first GPs go one to each such commune; the others are placed by systematic
    /// sampling (one random start, then evenly spaced points on the cumulative table of the
    /// addresses beyond each commune's first), so each commune gets its expected number
    /// rounded down or up. A département with fewer GPs than BPE communes (none in 2014–2018)
    /// places them all by systematic sampling ∝ the addresses.
    pub fn liberal_commune(&self, i: usize, n: usize, start: f64) -> Option<u16> {
        let communes = self.liberal_places.len();
        if n < communes {
            return draw(&self.liberal_places, (i as f64 + start) / n as f64);
        }
        if i < communes {
            return Some(self.liberal_places[i].1);
        }
        let (i, n) = (i - communes, n - communes);
        draw(&self.further_places, (i as f64 + start) / n as f64)
            .or_else(|| draw(&self.liberal_places, (i as f64 + start) / n as f64))
    }

    /// A commune for a health-centre GP, with a uniform `u` in [0, 1).
    pub fn centre_commune(&self, u: f64) -> Option<u16> {
        draw(&self.centre_places, u)
    }
}

/// Assumption: health centres sit in the communes with a BPE GP and at least
/// `health_centre_min_commune_population` people, ∝ population (FNCS: centres are mostly
/// urban); a département without such a commune puts them in its most populous commune with a
/// BPE GP, or else its most populous commune.
fn centre_places(s: &Scenario, communes: &[(u16, u32, u32)]) -> Vec<(f64, u16)> {
    let min = s.gps.health_centre_min_commune_population;
    let mut cum = 0.0;
    let mut out: Vec<(f64, u16)> = communes
        .iter()
        .filter(|c| c.1 > 0 && c.2 >= min && c.2 > 0)
        .map(|c| {
            cum += c.2 as f64;
            (cum, c.0)
        })
        .collect();
    if out.is_empty() {
        let with_gp = communes.iter().filter(|c| c.1 > 0).max_by_key(|c| c.2);
        if let Some(c) = with_gp.or_else(|| communes.iter().max_by_key(|c| c.2)) {
            out.push((1.0, c.0));
        }
    }
    out
}

/// Draws from a cumulative table with a uniform `u` in [0, 1).
fn draw(table: &[(f64, u16)], u: f64) -> Option<u16> {
    let total = table.last()?.0;
    let i = table.partition_point(|w| w.0 <= u * total);
    Some(table[i.min(table.len() - 1)].1)
}
