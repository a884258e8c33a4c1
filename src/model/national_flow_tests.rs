use super::*;
use crate::model::resources::{Destination, LocumPool};
use crate::model::territory::select;
use crate::model::testing::{baseline, data_dir};
use crate::model::train_and_graduate::GraduateContext;
use crate::scenario::Territory;

/// The flow of a baseline run over `territory` (régions), with the tables of its graduates.
fn flow(regions: &[&str], border: Border) -> (Scenario, Inputs, Communes, NationalFlow) {
    let inputs = Inputs::load(&data_dir()).unwrap();
    let mut s = baseline();
    s.territory = Territory {
        regions: regions.iter().map(|r| r.to_string()).collect(),
        departements: Vec::new(),
        border,
        france_persons_per_agent: 2000,
    };
    let communes = select(&inputs, &s.territory, &s.matching).unwrap();
    let france = FranceRun::behind(&s, &inputs).unwrap();
    let (mut flow, france) = NationalFlow::new(&s, &inputs, &communes, france);
    // France through the end, as the run would have stepped it.
    if let Some(mut france) = france {
        flow.extend(france.through(s.end_year), &communes, &s.installation);
    }
    (s, inputs, communes, flow)
}

/// 3,000 graduates in 2020, over `communes` with `flow`.
const GRADUATES: [(u16, f64); 1] = [(2020, 3000.0)];

/// What the flow's draws and choices read, for `s` over `communes`.
fn context<'a>(
    s: &'a Scenario,
    communes: &'a Communes,
    flow: &'a NationalFlow,
    placement: &'a crate::model::resources::Placement,
) -> GraduateContext<'a> {
    GraduateContext {
        seed: 1,
        training: &s.training,
        graduates: &GRADUATES,
        share: communes.national_share,
        installation: &s.installation,
        national: flow,
        placement,
        communes,
    }
}

#[test]
fn a_france_run_and_a_closed_territory_keep_their_own_graduates() {
    assert!(!flow(&[], Border::Reach).3.is_open());
    assert!(!flow(&["24"], Border::None).3.is_open());
    assert!(flow(&["24"], Border::Reach).3.is_open());
}

#[test]
fn a_graduate_born_and_trained_in_the_region_chooses_it_far_more_than_one_from_afar() {
    let (s, inputs, communes, flow) = flow(&["24"], Border::Reach);
    let placement = crate::model::resources::Placement::new(&communes);
    let ctx = context(&s, &communes, &flow, &placement);
    let origin = |code: &str| {
        let at = inputs
            .communes
            .iter()
            .position(|c| c.code_insee == code)
            .unwrap();
        flow.origins[at].clone()
    };
    let faculty = |name: &str| {
        inputs
            .faculties
            .iter()
            .position(|f| f.subdivision == name)
            .unwrap() as u8
    };
    // Tours (37261), trained in Tours; Marseille (13055), trained in Marseille.
    let (tours, marseille) = (origin("37261"), origin("13055"));
    let home = flow.simulated_share(&ctx, &tours, faculty("Tours"), 2020);
    let afar = flow.simulated_share(&ctx, &marseille, faculty("Marseille"), 2020);
    assert!(home > 0.5, "{home}");
    assert!(afar < 0.01, "{afar}");
    // The national flow's draws over a year: every graduate is a locum until their decision
    // year; then some choose the région or its ring, most do not.
    let mut pool = LocumPool::default();
    flow.add_graduates(&mut pool, &ctx, 2020);
    assert!(
        pool.locums
            .iter()
            .all(|l| communes.communes[l.origin_commune as usize].population > 0)
    );
    let mut chosen = 0.0;
    for l in &pool.locums {
        assert!(matches!(l.destination, Destination::Undecided { .. }));
        match flow.decide(&ctx, l, 2020) {
            Some(Destination::Departement(d)) => {
                assert!((d as usize) < communes.departements.len());
                chosen += 1.0;
            }
            None => {}
            Some(other) => panic!("a graduate of the national flow decided {other:?}"),
        }
    }
    assert!((0.02 * 3000.0..0.1 * 3000.0).contains(&chosen), "{chosen}");
    // Born in Centre-Val de Loire or its ring (≈5 % of France): the centres' recruits.
    let born_here = pool.locums.iter().filter(|l| l.recruitable()).count() as f64;
    assert!(
        (0.01 * 3000.0..0.08 * 3000.0).contains(&born_here),
        "{born_here}"
    );
}

#[test]
fn the_france_run_behind_the_flow_records_every_year_and_the_centre_sites() {
    let (s, inputs, _, flow) = flow(&["24"], Border::Reach);
    // Candidates are the metropolitan communes with at least the minimum population.
    let min = s.installation.min_commune_population;
    let candidates = inputs
        .communes
        .iter()
        .filter(|c| !c.departement.starts_with("97") && c.population >= min)
        .count();
    let years: Vec<u16> = flow.years.iter().map(|(y, _)| *y).collect();
    assert_eq!(years, (s.start_year..=s.end_year).collect::<Vec<_>>());
    for (_, y) in &flow.years {
        assert_eq!(y.weights.len(), flow.candidates.len());
        assert_eq!(y.parts.len(), flow.parts.len());
        let weighted = y.weights.iter().filter(|w| **w > 0.0).count();
        assert_eq!(weighted, candidates);
    }
    // France over its under-dense sites: between 1 (all under-dense) and 20 (5 %).
    let people = flow
        .people_for_centre_sites(s.start_year, 1_000_000)
        .unwrap();
    assert!((1e6..2e7).contains(&people), "{people}");
    assert!(
        NationalFlow::default()
            .people_for_centre_sites(2020, 1)
            .is_none()
    );
}

#[test]
fn a_graduate_chooses_a_simulated_part_in_proportion_to_its_weight() {
    let part = |simulated| Part {
        region: 0,
        subdivision: 0,
        simulated,
    };
    let parts = [part(None), part(Some(3)), part(None), part(Some(5))];
    let sums = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(choice::choose_part(&parts, &sums, 0.05), None);
    assert_eq!(choice::choose_part(&parts, &sums, 0.15), Some(3));
    assert_eq!(choice::choose_part(&parts, &sums, 0.45), None);
    assert_eq!(choice::choose_part(&parts, &sums, 0.95), Some(5));
    assert_eq!(choice::choose_part(&parts, &[0.0; 4], 0.5), None);
}

#[test]
fn the_france_run_is_stepped_a_year_at_a_time_with_the_run() {
    let inputs = Inputs::load(&data_dir()).unwrap();
    let mut s = baseline();
    s.territory = Territory {
        regions: vec!["94".to_string()],
        departements: Vec::new(),
        border: Border::Reach,
        france_persons_per_agent: 4000,
    };
    let communes = select(&inputs, &s.territory, &s.matching).unwrap();
    let france = FranceRun::behind(&s, &inputs).unwrap();
    let (mut flow, france) = NationalFlow::new(&s, &inputs, &communes, france);
    let mut france = france.unwrap();
    // Built through the start year only: the first year needs no more of France.
    assert_eq!(flow.years.len(), 1);
    assert_eq!(flow.years[0].0, s.start_year);
    let first = flow.upper_level(s.start_year).weights.clone();
    assert_eq!(flow.upper_level(s.start_year - 5).weights, first);
    // A later year, before France reaches it, reads the latest France recorded.
    assert_eq!(flow.upper_level(s.start_year + 3).weights, first);
    // Asking again for a year already simulated steps nothing.
    assert!(france.through(s.start_year).utilities.is_empty());
    let next = france.through(s.start_year + 1);
    assert_eq!(next.utilities.len(), 1);
    assert_eq!(next.utilities[0].0, s.start_year + 1);
    flow.extend(next, &communes, &s.installation);
    assert_eq!(flow.years.len(), 2);
    assert_ne!(flow.upper_level(s.start_year + 3).weights, first);
}

#[test]
fn a_graduate_decides_on_the_france_of_their_decision_year_not_of_their_graduation() {
    let (s, _, communes, mut flow) = flow(&["24"], Border::Reach);
    let placement = crate::model::resources::Placement::new(&communes);
    let before = flow.clone();
    let ctx = context(&s, &communes, &before, &placement);
    let mut pool = LocumPool::default();
    flow.add_graduates(&mut pool, &ctx, 2020);
    // A year after the run in which no simulated commune draws anyone (as if a lever had
    // emptied the région's pull): whoever decides then goes elsewhere, whenever they graduated.
    let mut empty = flow.upper_level(2020).clone();
    for (w, c) in empty.weights.iter_mut().zip(&flow.candidates) {
        if flow.parts[c.part as usize].simulated.is_some() {
            *w = 0.0;
        }
    }
    let parts = empty.weights.clone();
    empty = flow.year(parts, &communes, &s.installation);
    let after = s.end_year + 1;
    flow.years.push((after, empty));
    let bound = |year: u16| {
        pool.locums
            .iter()
            .filter(|l| flow.decide(&ctx, l, year).is_some())
            .count()
    };
    assert!(bound(2020) > 50, "{}", bound(2020));
    assert_eq!(bound(after), 0);
}
