//! Rank statistics for the geography targets.

/// Ranks (1-based) of `values`, ties sharing their mean rank; NaN values are not allowed
/// (callers filter them).
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        // Positions i..=j tie: each gets the mean of ranks i+1 ..= j+1.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Pearson correlation of two equally long series (NaN if either is constant or n < 2).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let (mx, my) = (
        x[..n].iter().sum::<f64>() / n as f64,
        y[..n].iter().sum::<f64>() / n as f64,
    );
    let (mut cov, mut vx, mut vy) = (0.0, 0.0, 0.0);
    for (a, b) in x[..n].iter().zip(&y[..n]) {
        cov += (a - mx) * (b - my);
        vx += (a - mx).powi(2);
        vy += (b - my).powi(2);
    }
    cov / (vx * vy).sqrt()
}

/// Spearman's rank correlation: Pearson's on the ranks (ties at their mean rank).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tied_values_share_their_mean_rank() {
        assert_eq!(ranks(&[10.0, 30.0, 20.0, 20.0]), vec![1.0, 4.0, 2.5, 2.5]);
    }

    #[test]
    fn spearman_matches_a_hand_computed_example() {
        // Ranks x: 1 2 3 4 5; ranks y: 2 1 4 3 5; Σd² = 4, ρ = 1 − 6·4 / (5·24) = 0.8.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [20.0, 10.0, 400.0, 30.0, 500.0];
        assert!((spearman(&x, &y) - 0.8).abs() < 1e-12);
        // Monotone but not linear: ρ = 1 where Pearson's r is not.
        let cubes: Vec<f64> = x.iter().map(|v| v * v * v).collect();
        assert!((spearman(&x, &cubes) - 1.0).abs() < 1e-12);
        assert!(pearson(&x, &cubes) < 0.99);
        // Reversed order: ρ = −1.
        let rev: Vec<f64> = x.iter().rev().copied().collect();
        assert!((spearman(&x, &rev) + 1.0).abs() < 1e-12);
        assert!(spearman(&[1.0], &[2.0]).is_nan());
    }
}
