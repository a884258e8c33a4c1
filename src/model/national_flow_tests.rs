use super::*;
use crate::model::resources::LocumPool;
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
    };
    let communes = select(&inputs, &s.territory, &s.matching).unwrap();
    let flow = NationalFlow::new(&s, &inputs, &communes);
    (s, inputs, communes, flow)
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
    let graduates = [(2020u16, 3000.0)];
    let placement = crate::model::resources::Placement::new(&communes);
    let ctx = GraduateContext {
        seed: 1,
        training: &s.training,
        graduates: &graduates,
        share: communes.national_share,
        installation: &s.installation,
        national: &flow,
        placement: &placement,
        communes: &communes,
    };
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
    let home = flow.simulated_share(&ctx, &tours, faculty("Tours"));
    let afar = flow.simulated_share(&ctx, &marseille, faculty("Marseille"));
    assert!(home > 0.5, "{home}");
    assert!(afar < 0.01, "{afar}");
    // The national flow's draws over a year: some graduates choose the région, most do not.
    let mut pool = LocumPool::default();
    flow.add_graduates(&mut pool, &ctx, 2020);
    let chosen = pool.locums.len() as f64;
    assert!((0.02 * 3000.0..0.1 * 3000.0).contains(&chosen), "{chosen}");
    assert!(
        pool.locums
            .iter()
            .all(|l| communes.communes[l.origin_commune as usize].population > 0)
    );
}
