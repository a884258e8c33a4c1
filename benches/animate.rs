//! Cost of drawing and encoding an animation: the classroom scenario's 18 frames (six
//! départements) into a GIF, and the run of that scenario it is drawn from.
//! `cargo bench --bench animate`; numbers in BENCHMARKS.md.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use medesert::inputs::{Inputs, Shapes};
use medesert::model::Simulation;
use medesert::output::animate::{AnimationOptions, Scene, write_gif};
use medesert::output::map::Indicator;
use medesert::output::run_data::RunData;
use medesert::output::text::Lang;
use medesert::output::{self, Manifest};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench_animate(c: &mut Criterion) {
    medesert::app::init_threads(None);
    let data = root().join("data");
    let inputs = Inputs::load(&data).expect("data loads");
    let shapes = Shapes::load(&data).expect("outlines load");
    let s = medesert::scenario::load(&root().join("configs/classroom.toml"), &[]).expect("loads");
    let dir = tempfile::tempdir().expect("temporary folder");
    let run_dir = dir.path().join("classroom");
    let mut group = c.benchmark_group("animate");
    group.sample_size(10);
    group.bench_function("classroom_run", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(&s, &inputs).expect("builds");
            sim.run(|_| {});
            sim
        })
    });
    let mut sim = Simulation::new(&s, &inputs).expect("builds");
    sim.run(|_| {});
    let territory = output::heading::territory_title(&s.territory, sim.communes());
    let manifest = Manifest {
        scenario: s.name.clone(),
        title: s.title.clone(),
        heading: output::heading::headings(s.title.as_ref(), &s.name, &territory),
        territory,
        seed: s.seed,
        version: String::new(),
        wall_time_s: 0.0,
        persons_per_agent: s.persons_per_agent,
        threads: 1,
        years: [s.start_year, s.end_year],
        sources: String::new(),
        runs: 1,
    };
    let target = medesert::files::folder::Target::claim(
        &run_dir,
        medesert::files::folder::Kind::Run,
        &s.name,
        true,
    )
    .expect("a new folder");
    let places = output::places::Places::new(&inputs.communes, sim.communes(), shapes.clone())
        .expect("places");
    let view = output::RunView {
        scenario: &s,
        records: sim.records(),
        communes: sim.communes(),
        places: &places,
        dialect: medesert::tables::cell::Dialect::En,
        geo_year: s.end_year,
        lang: medesert::output::text::Lang::Fr,
    };
    output::write_run(&target, view, &manifest, None, &[]).expect("writes");
    let run = RunData::load(&run_dir).expect("reads back");
    let options = AnimationOptions {
        lang: Lang::Fr,
        size: (800, 600),
        indicator: Indicator::Share,
        frames_per_year: 1,
        delay_ms: 700,
        hold_ms: 4000,
    };
    let scene = Scene::new(vec![&run], &shapes, &[], options).expect("scene");
    let gif = dir.path().join("a.gif");
    group.bench_function("classroom_gif_18_frames_800x600", |b| {
        b.iter(|| write_gif(&gif, &scene).expect("writes"))
    });
    group.finish();
}

criterion_group!(benches, bench_animate);
criterion_main!(benches);
