//! Counter-based randomness: every draw is keyed on (seed, year, stream, id), never on
//! iteration order or thread, so results do not depend on the thread count.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// What a draw decides: keeps streams of different decisions independent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Death of a patient.
    Death = 1,
    /// Fertility of a woman.
    Birth,
    /// Residential move: whether.
    Move,
    /// Residential move: where.
    MoveWhere,
    /// Fixed per-patient chronic-condition threshold.
    Chronic,
    /// Seeking an MT this year.
    Seek,
    /// Order of seekers in matching.
    SeekOrder,
    /// Contact noise in matching.
    Contact,
    /// GP exit.
    GpExit,
    /// GP switch to working retiree.
    GpRetiree,
    /// Installation choice (logit proposals and acceptances).
    Install,
    /// Sequential generators (placement, births, structures).
    Sequence,
    /// Initial state.
    Init,
    /// Practice over a career: a solo GP joins or forms a group.
    Career,
}

/// SplitMix64 finaliser: a fast, well-mixed 64-bit hash.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of one draw.
#[inline]
pub fn key(seed: u64, year: u16, stream: Stream, id: u64) -> u64 {
    Keys::new(seed, year, stream).of(id)
}

/// The keys of one stream in one year, with the part shared by every id hashed once: what
/// a pass over millions of agents uses instead of [`key`] (same values).
#[derive(Debug, Clone, Copy)]
pub struct Keys(u64);

impl Keys {
    /// The keys of `stream` in `year` under `seed`.
    #[inline]
    pub fn new(seed: u64, year: u16, stream: Stream) -> Keys {
        Keys(mix(seed ^ ((year as u64) << 48) ^ ((stream as u64) << 40)))
    }

    /// The key of the draw for `id`: equal to `key(seed, year, stream, id)`.
    #[inline]
    pub fn of(self, id: u64) -> u64 {
        mix(self.0 ^ id.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
}

/// A uniform number in [0, 1) from a key.
#[inline]
pub fn unit(k: u64) -> f64 {
    (k >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A u64 threshold such that `key < threshold` has probability `p`.
#[inline]
pub fn threshold(p: f64) -> u64 {
    if p <= 0.0 {
        0
    } else if p >= 1.0 {
        u64::MAX
    } else {
        (p * 18_446_744_073_709_551_616.0) as u64
    }
}

/// A named generator for sequential draws, seeded from a key.
pub fn generator(seed: u64, year: u16, stream: Stream, id: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(key(seed, year, stream, id))
}

/// Rounds `x` up or down at random so that the expectation is `x`.
pub fn stochastic_round(x: f64, k: u64) -> u64 {
    let floor = x.max(0.0).floor();
    floor as u64 + u64::from(unit(k) < x - floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_stream_year_and_id() {
        let base = key(1, 2020, Stream::Death, 7);
        assert_ne!(base, key(1, 2020, Stream::Birth, 7));
        assert_ne!(base, key(1, 2021, Stream::Death, 7));
        assert_ne!(base, key(1, 2020, Stream::Death, 8));
        assert_ne!(base, key(2, 2020, Stream::Death, 7));
    }

    #[test]
    fn threshold_draws_have_the_asked_frequency() {
        let t = threshold(0.3);
        let hits = (0..100_000)
            .filter(|&i| key(9, 2020, Stream::Seek, i) < t)
            .count();
        assert!((hits as f64 / 100_000.0 - 0.3).abs() < 0.01, "{hits}");
    }

    #[test]
    fn stochastic_rounding_keeps_the_mean() {
        let total: u64 = (0..10_000)
            .map(|i| stochastic_round(2.25, key(3, 0, Stream::Init, i)))
            .sum();
        assert!((total as f64 / 10_000.0 - 2.25).abs() < 0.02);
    }
}
