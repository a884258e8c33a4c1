//! Step 4 of a year: the intake of year t becomes general-medicine graduates years later
//! (`data/training-pipeline.csv`), who work as locums before a share installs; from the
//! cohorts of the 4th year, docteurs juniors spend a year supervised, first in the
//! under-dense zone (MODEL.md §3.4).

use bevy_ecs::prelude::*;

use super::components::{Gp, Structure};
use super::national_flow::NationalFlow;
use super::place_juniors::place_juniors;
use super::resources::{
    Clock, CommuneState, Communes, Destination, FranceRecord, Locum, LocumPool, Params, Placement,
    PolicyEffects, Roster, Tables,
};
use super::rng::{Stream, key, mix, stochastic_round, unit};
use super::teaching_practices::host_interns;
use crate::inputs::PipelineRow;
use crate::scenario::Training;

/// Medical-school intake of `year`: the data, interpolated linearly between known years
/// (the file has gaps, e.g. 1979–1989); before the first year, the first value; after the
/// last, `numerus_after_data`.
pub fn numerus(pipeline: &[PipelineRow], t: &Training, year: u16) -> f64 {
    let known: Vec<(u16, f64)> = pipeline
        .iter()
        .filter_map(|r| r.numerus.map(|n| (r.year, n)))
        .collect();
    let Some(&(first_year, first)) = known.first() else {
        return t.numerus_after_data;
    };
    let &(last_year, _) = known.last().expect("non-empty");
    if year <= first_year {
        return first;
    }
    if year > last_year {
        return t.numerus_after_data;
    }
    let i = known.partition_point(|&(y, _)| y < year);
    let ((y0, n0), (y1, n1)) = (known[i - 1], known[i]);
    if y1 == year {
        return n1;
    }
    n0 + (n1 - n0) * (year - y0) as f64 / (y1 - y0) as f64
}

/// General-medicine interns entering in ranking-exam year `e`: posts filled where known,
/// else posts offered × fill rate, else intake × share in general medicine × fill rate.
pub fn interns(pipeline: &[PipelineRow], t: &Training, e: u16) -> f64 {
    let row = pipeline.iter().find(|r| r.year == e);
    if let Some(filled) = row.and_then(|r| r.gm_posts_filled) {
        return filled;
    }
    if let Some(offered) = row.and_then(|r| r.gm_posts_offered) {
        return offered * t.fill_rate;
    }
    let intake_year = e - t.years_to_ranking_exam as u16;
    numerus(pipeline, t, intake_year) * t.general_medicine_share * t.fill_rate
}

/// A yearly series: (year, value).
pub type Series = Vec<(u16, f64)>;

/// National graduates by graduation year and docteurs juniors by year, for `from..=to`.
/// Interns of ranking-exam years after `last_three_year_cohort` train 4 years, the 4th as
/// docteurs juniors: no graduates in the gap year (2026 with the 2022 reform).
pub fn pipeline_series(
    pipeline: &[PipelineRow],
    t: &Training,
    from: u16,
    to: u16,
) -> (Series, Series) {
    let mut graduates: Vec<(u16, f64)> = (from..=to).map(|y| (y, 0.0)).collect();
    let mut juniors = graduates.clone();
    for e in from.saturating_sub(5)..=to {
        let four_years = e > t.last_three_year_cohort;
        let g = e + if four_years { 4 } else { 3 };
        let n = interns(pipeline, t, e);
        if let Some(slot) = graduates.iter_mut().find(|(y, _)| *y == g) {
            slot.1 += n;
        }
        if four_years && let Some(slot) = juniors.iter_mut().find(|(y, _)| *y == g - 1) {
            slot.1 += n;
        }
    }
    (graduates, juniors)
}

/// Turns a year's national graduates into the territory's locums (decision year drawn with
/// mean `locum_years_mean`, geometric): the territory's share of them, or, when the national
/// flow is open (a sub-national run with its ring), those of all who choose it.
pub fn add_graduates(pool: &mut LocumPool, ctx: &GraduateContext<'_>, graduation_year: u16) {
    if ctx.national.is_open() {
        return ctx.national.add_graduates(pool, ctx, graduation_year);
    }
    let national = Tables::series(ctx.graduates, graduation_year);
    let n = stochastic_round(
        national * ctx.share,
        key(ctx.seed, graduation_year, Stream::Sequence, 10),
    );
    for _ in 0..n {
        let id = pool.next_id;
        pool.next_id += 1;
        let k = key(
            ctx.seed,
            graduation_year,
            Stream::Sequence,
            1 << 32 | id as u64,
        );
        let origin = Placement::draw(&ctx.placement.all, unit(k.rotate_left(34)));
        let faculty = draw_faculty(ctx, origin, k);
        let birth_region = ctx.communes.communes[origin as usize].region;
        let locum = new_locum(
            ctx.training,
            graduation_year,
            k,
            id,
            (origin, birth_region, faculty),
        );
        pool.locums.push(locum);
    }
}

/// A new locum of `graduation_year` with draw key `k`, from `origin` (a commune, its région,
/// their subdivision of training): their decision year drawn with mean `locum_years_mean`.
pub fn new_locum(
    t: &Training,
    graduation_year: u16,
    k: u64,
    id: u32,
    (origin, birth_region, faculty): (u16, u16, u8),
) -> Locum {
    let p_decide = 1.0 / t.locum_years_mean;
    // Geometric number of locum years, at least one, mean `locum_years_mean`.
    let years = 1
        + ((1.0 - unit(k)).ln() / (1.0 - p_decide).ln())
            .floor()
            .max(0.0) as u16;
    Locum {
        id,
        age: t.graduation_age_years + years.min(15) as u8,
        female: unit(k.rotate_left(17)) < t.women_share_graduates,
        origin_commune: origin,
        birth_region,
        faculty,
        decision_year: graduation_year + years.min(15),
        internship_commune: None,
        destination: Destination::Anywhere,
    }
}

/// The subdivision where a graduate from `origin` trained: their origin's with probability
/// `faculty_in_birth_subdivision_share`, else one drawn in proportion to its population in
/// the territory (the proxy of general-medicine intern posts, which follow the population).
pub fn draw_faculty(ctx: &GraduateContext<'_>, origin: u16, k: u64) -> u8 {
    let home = ctx.communes.communes[origin as usize].subdivision;
    if unit(k.rotate_left(51)) < ctx.training.faculty_in_birth_subdivision_share {
        return home;
    }
    let faculties = &ctx.communes.faculties;
    let total: u64 = faculties.iter().map(|f| f.population).sum();
    let mut target = unit(mix(k ^ 0xFAC)) * total as f64;
    for (i, f) in faculties.iter().enumerate() {
        target -= f.population as f64;
        if target < 0.0 {
            return i as u8;
        }
    }
    home
}

/// What `add_graduates` needs (borrowed: built every year).
pub struct GraduateContext<'a> {
    /// Seed.
    pub seed: u64,
    /// Training parameters.
    pub training: &'a Training,
    /// National graduates by year.
    pub graduates: &'a [(u16, f64)],
    /// Territory share of the nation.
    pub share: f64,
    /// Installation parameters (the national flow's choice).
    pub installation: &'a crate::scenario::Installation,
    /// The national flow (empty: graduates are the territory's share).
    pub national: &'a NationalFlow,
    /// Population-weighted commune draws.
    pub placement: &'a Placement,
    /// The territory (subdivisions of the communes, faculties).
    pub communes: &'a Communes,
}

/// New graduates join the locums; locums at their decision year install or leave; docteurs
/// juniors are placed with supervising GPs, under-dense zone first.
pub fn train_and_graduate(
    (params, clock, tables): (Res<Params>, Res<Clock>, Res<Tables>),
    (communes, state, placement): (Res<Communes>, Res<CommuneState>, Res<Placement>),
    (effects, roster, national): (Res<PolicyEffects>, Res<Roster>, Res<NationalFlow>),
    (mut pool, mut kept): (ResMut<LocumPool>, Option<ResMut<FranceRecord>>),
    mut gps: Query<&mut Gp>,
    structures: Query<&Structure>,
) {
    let (s, year) = (&params.0, clock.year);
    let first_graduate = pool.next_id;
    let ctx = GraduateContext {
        seed: s.seed,
        training: &s.training,
        graduates: &tables.graduates,
        share: communes.national_share,
        installation: &s.installation,
        national: &national,
        placement: &placement,
        communes: &communes,
    };
    add_graduates(&mut pool, &ctx, year);
    if effects.interns_per_practice > 0.0 {
        host_interns(
            &mut pool,
            &effects,
            &structures,
            (&roster, s.seed, year),
            first_graduate,
        );
    }
    let (deciding, waiting): (Vec<Locum>, Vec<Locum>) = std::mem::take(&mut pool.locums)
        .into_iter()
        .partition(|l| l.decision_year <= year);
    pool.locums = waiting;
    pool.installers = deciding
        .into_iter()
        .filter_map(|l| {
            // An intern a teaching practice keeps installs in its département, whatever the
            // rest of France offers.
            if l.internship_commune.is_some() {
                return Some(Locum {
                    destination: Destination::Anywhere,
                    ..l
                });
            }
            let destination = national.decide(&ctx, &l, year)?;
            Some(Locum { destination, ..l })
        })
        .filter(|l| {
            unit(key(s.seed, year, Stream::Install, l.id as u64)) < s.training.install_share
        })
        .collect();

    place_juniors(
        s,
        year,
        (&tables, &communes, &state),
        (&effects, &roster),
        &mut pool,
        &mut gps,
        (&national, kept.as_deref_mut()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::Inputs;
    use crate::model::testing::{baseline, data_dir};

    fn pipeline() -> Vec<PipelineRow> {
        Inputs::load(&data_dir()).unwrap().workforce.pipeline
    }

    #[test]
    fn intake_is_interpolated_between_known_years() {
        let t = baseline().training;
        let p = pipeline();
        assert_eq!(numerus(&p, &t, 1990), 4000.0);
        let n1985 = numerus(&p, &t, 1985);
        assert!(n1985 < 8500.0 && n1985 > 4000.0, "{n1985}");
        assert_eq!(numerus(&p, &t, 2035), t.numerus_after_data);
    }

    #[test]
    fn the_fourth_year_leaves_a_year_without_graduates_and_brings_juniors() {
        let t = baseline().training;
        let (grads, juniors) = pipeline_series(&pipeline(), &t, 2018, 2035);
        assert_eq!(Tables::series(&grads, 2026), 0.0);
        assert!(Tables::series(&grads, 2025) > 3000.0);
        assert!(Tables::series(&grads, 2027) > 3000.0);
        let j2026 = Tables::series(&juniors, 2026);
        assert!(
            (3000.0..4500.0).contains(&j2026),
            "≈3,700 docteurs juniors in 2026: {j2026}"
        );
        assert_eq!(Tables::series(&juniors, 2024), 0.0);
    }

    #[test]
    fn a_larger_intake_gives_more_graduates_a_decade_later() {
        let mut t = baseline().training;
        let (before, _) = pipeline_series(&pipeline(), &t, 2030, 2040);
        t.numerus_after_data *= 1.5;
        let (after, _) = pipeline_series(&pipeline(), &t, 2030, 2040);
        assert!(Tables::series(&after, 2040) > Tables::series(&before, 2040));
    }
}
