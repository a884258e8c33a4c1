//! Time of one simulated year at three sizes. `cargo bench --bench year`.
//! Numbers and the machine are recorded in BENCHMARKS.md.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use medesert::inputs::Inputs;
use medesert::model::Simulation;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn one_year(c: &mut Criterion) {
    medesert::app::init_threads(None);
    let inputs = Inputs::load(&root().join("data")).expect("data loads");
    let mut group = c.benchmark_group("one_year");
    group.sample_size(10);
    // (label, overrides): two départements coarse, two départements 1:1, France at 1:20.
    let sizes: [(&str, &[&str]); 3] = [
        ("tiny_1in50", &[]),
        ("tiny_1in1", &["persons_per_agent=1"]),
        (
            "france_1in20",
            &["territory.departements=[]", "persons_per_agent=20"],
        ),
    ];
    for (label, overrides) in sizes {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        let s = medesert::scenario::load(&root().join("configs/tiny.toml"), &overrides)
            .expect("scenario");
        let mut sim = Simulation::new(&s, &inputs).expect("simulation builds");
        group.bench_function(label, |b| b.iter(|| sim.step()));
    }
    group.finish();
}

criterion_group!(benches, one_year);
criterion_main!(benches);
