//! A GP's médecin-traitant list capacity (MODEL.md §3.7).

use super::components::{Gp, PracticeMode};
use crate::scenario::Gps as GpParams;

/// Quantiles of MT list sizes of liberal GPs (CNAM 2021: P10 198, median 1,020, P90 1,844,
/// mean 1,060); the ends (0 and 2,800) are set so that the mean of the piecewise-linear
/// quantile function is 1,058.
const LIST_QUANTILES: [(f64, f64); 5] = [
    (0.0, 0.0),
    (0.1, 198.0),
    (0.5, 1020.0),
    (0.9, 1844.0),
    (1.0, 2800.0),
];

/// A full-activity list capacity, persons, from a uniform draw `u`: the CNAM list-size
/// distribution times `capacity_scale`.
pub fn draw_capacity(u: f64, p: &GpParams) -> f32 {
    let q = &LIST_QUANTILES;
    let i = q
        .iter()
        .position(|&(x, _)| x > u)
        .unwrap_or(q.len() - 1)
        .max(1);
    let ((u0, v0), (u1, v1)) = (q[i - 1], q[i]);
    let v = v0 + (v1 - v0) * ((u - u0) / (u1 - u0)).clamp(0.0, 1.0);
    (v * p.capacity_scale) as f32
}

/// This year's list capacity, persons: lower in the first years after installation, for
/// salaried centre GPs and working retirees; plus a supervised docteur junior's share.
pub fn effective_capacity(gp: &Gp, year: u16, p: &GpParams) -> f64 {
    let years = year.saturating_sub(gp.year_installed) as f64 + 1.0;
    let ramp = (years / p.capacity_ramp_years).min(1.0);
    let mode = match gp.mode {
        PracticeMode::HealthCentre => p.health_centre_capacity_share,
        PracticeMode::WorkingRetiree => p.working_retiree_capacity_share,
        _ => 1.0,
    };
    gp.capacity_persons as f64 * ramp * mode + gp.junior_capacity_persons as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::baseline;

    #[test]
    fn capacity_follows_the_cnam_list_distribution() {
        let mut p = baseline().gps;
        p.capacity_scale = 1.0;
        let n = 10_000;
        let draws: Vec<f64> = (0..n)
            .map(|i| draw_capacity((i as f64 + 0.5) / n as f64, &p) as f64)
            .collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        assert!((mean - 1060.0).abs() < 15.0, "mean {mean}");
        assert!((draws[n / 2] - 1020.0).abs() < 2.0);
        assert!((draws[n / 10] - 198.0).abs() < 2.0);
    }
}
