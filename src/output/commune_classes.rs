//! The classes of the commune maps, as Cartosanté draws them: fixed breaks for the APL and
//! the share without an MT, the zone's tiers, and the no-data grey of a commune where the run
//! simulated nobody.

use plotters::prelude::*;

use super::commune_values::CommuneValues;
use super::text::{Lang, fill};

/// What a commune map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommuneIndicator {
    /// APL to all GPs, consultations a year per inhabitant.
    Apl,
    /// Share of people aged 17+ without a médecin traitant.
    Share,
    /// Tier of the under-dense zone (ZIP, ZAC, none).
    Zone,
}

/// Breaks of the APL classes: 2.5 and 4 are the tiers of the 2017 zoning method (DGOS/DREES:
/// below 2.5 priority, up to 4 intermediate), as on Cartosanté's APL maps; 1.5 and 5 split
/// the ends (assumption: contrast within the under-served and the well-served communes).
const APL_BREAKS: [f64; 4] = [1.5, 2.5, 4.0, 5.0];
/// Breaks of the classes of the share without an MT, %: steps of 5 points (assumption: the
/// national share is near 10 %, départements range from about 3 to 20 %).
const SHARE_BREAKS: [f64; 4] = [5.0, 10.0, 15.0, 20.0];
/// Zone tiers (none, intermediate, priority): pale blue, salmon, dark red (ColorBrewer RdBu).
const ZONE_COLOURS: [RGBColor; 3] = [
    RGBColor(209, 229, 240),
    RGBColor(244, 165, 130),
    RGBColor(178, 24, 43),
];
/// Fill of a commune where the run simulated nobody: a grey no class uses.
pub const NO_DATA: RGBColor = RGBColor(190, 190, 190);

impl CommuneIndicator {
    /// Every commune map, in the order they are written.
    pub const ALL: [CommuneIndicator; 3] = [Self::Apl, Self::Share, Self::Zone];

    /// Part of the file name: communes-STEM-YEAR.png.
    pub fn stem(self) -> &'static str {
        ["apl", "share", "zone"][self as usize]
    }

    /// Class of a commune's values; `None` where the run simulated nobody.
    pub fn class(self, v: &CommuneValues) -> Option<usize> {
        let above = |breaks: &[f64], x: f64| breaks.iter().filter(|b| x >= **b).count();
        match self {
            Self::Apl => v.apl.map(|x| above(&APL_BREAKS, x)),
            Self::Share => v.share_without_mt.map(|x| above(&SHARE_BREAKS, 100.0 * x)),
            Self::Zone => v.zone,
        }
    }

    /// Label and colour of each class, in order: for the APL and the share, viridis, dark
    /// where the situation is worse, as the département maps.
    pub fn classes(self, lang: Lang) -> Vec<(String, RGBColor)> {
        let t = lang.communes();
        let (breaks, low_is_bad, unit): (&[f64], bool, &str) = match self {
            Self::Apl => (&APL_BREAKS, true, ""),
            Self::Share => (&SHARE_BREAKS, false, "%"),
            Self::Zone => {
                return t
                    .zones
                    .iter()
                    .map(|z| z.to_string())
                    .zip(ZONE_COLOURS)
                    .collect();
            }
        };
        let n = breaks.len();
        let number = |v: f64| {
            let s = lang.number(v, usize::from(v.fract() != 0.0));
            match (unit, lang) {
                ("", _) => s,
                (_, Lang::Fr) => format!("{s}\u{a0}%"),
                (_, Lang::En) => format!("{s}%"),
            }
        };
        (0..=n)
            .map(|k| {
                let label = match k {
                    0 => fill(t.classes[0], &[&number(breaks[0])]),
                    k if k == n => fill(t.classes[2], &[&number(breaks[n - 1])]),
                    k => fill(t.classes[1], &[&number(breaks[k - 1]), &number(breaks[k])]),
                };
                let h = k as f64 / n as f64;
                let colour = ViridisRGB::get_color(if low_is_bad { h } else { 1.0 - h });
                (label, colour)
            })
            .collect()
    }

    /// The fill of a commune (no data where the run simulated nobody, or has no row).
    pub fn fill(self, values: Option<&CommuneValues>) -> RGBColor {
        let class = values.and_then(|v| self.class(v));
        let colours = self.classes(Lang::En);
        class.map_or(NO_DATA, |k| colours[k].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(apl: Option<f64>, share: Option<f64>) -> CommuneValues {
        CommuneValues {
            apl,
            share_without_mt: share,
            zone: apl.map(|_| 0),
        }
    }

    #[test]
    fn a_commune_with_nobody_is_no_data_never_the_best_class() {
        for indicator in CommuneIndicator::ALL {
            let fill = indicator.fill(Some(&values(None, None)));
            assert_eq!(fill, NO_DATA, "{indicator:?}");
            assert!(indicator.classes(Lang::Fr).iter().all(|c| c.1 != NO_DATA));
            assert_eq!(indicator.fill(None), NO_DATA);
        }
    }

    #[test]
    fn apl_classes_break_at_the_zoning_tiers() {
        let class = |x| CommuneIndicator::Apl.class(&values(Some(x), None));
        assert_eq!(class(2.49), Some(1));
        assert_eq!(class(2.5), Some(2));
        assert_eq!(class(3.99), Some(2));
        assert_eq!(class(4.0), Some(3));
        let labels: Vec<String> = CommuneIndicator::Apl
            .classes(Lang::Fr)
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(labels[0], "moins de 1,5");
        assert_eq!(labels[2], "2,5 à 4");
        assert_eq!(labels[4], "5 et plus");
    }
}
