//! Cost of the APL (two-step floating catchment) for all metropolitan communes.
//! `cargo bench --bench apl`; numbers in BENCHMARKS.md.

use std::path::PathBuf;

use bevy_ecs::system::RunSystemOnce;
use criterion::{Criterion, criterion_group, criterion_main};
use medesert::inputs::Inputs;
use medesert::model::{Simulation, apl, count_patients, territory};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench_apl(c: &mut Criterion) {
    medesert::app::init_threads(None);
    let inputs = Inputs::load(&root().join("data")).expect("data loads");
    let s = medesert::scenario::load(&root().join("configs/baseline.toml"), &[]).expect("baseline");
    let communes = territory::select(&inputs, &s.territory, &s.matching).expect("territory");
    let last_band = *s.apl.band_minutes.last().expect("bands");
    let mut group = c.benchmark_group("apl");
    group.sample_size(10);
    group.bench_function("catchment_build_france", |b| {
        b.iter(|| territory::build_reach(&communes, &s.matching, last_band))
    });
    let catchment = apl::Catchment::new(
        territory::build_reach(&communes, &s.matching, last_band),
        &s.apl,
    );
    let demand: Vec<f64> = communes
        .communes
        .iter()
        .map(|c| c.population as f64)
        .collect();
    let supply: Vec<f64> = demand.iter().map(|d| d * 4614.0 / 1200.0).collect();
    group.bench_function("two_step_france_3_variants", |b| {
        b.iter(|| {
            let served = apl::served_demand(&demand, &catchment);
            for _ in 0..3 {
                std::hint::black_box(apl::accessibility(&supply, &served, &catchment));
            }
        })
    });
    // The yearly systems on the default France 1:20: the patients' count (which the APL's
    // demand comes from), then the APL itself (the GP pass and the catchment).
    let mut sim = Simulation::new(&s, &inputs).expect("simulation builds");
    group.bench_function("count_patients_france_1in20", |b| {
        b.iter(|| {
            sim.world_mut()
                .run_system_once(count_patients::count_patients)
                .expect("runs")
        })
    });
    group.bench_function("update_apl_france_1in20", |b| {
        b.iter(|| {
            sim.world_mut()
                .run_system_once(apl::update_apl)
                .expect("runs")
        })
    });
    group.finish();
}

criterion_group!(benches, bench_apl);
criterion_main!(benches);
