//! `medesert animate` and `medesert figures` as a teacher runs them: frame counts read back
//! from the GIF, both languages, side by side, PNG frames, and clear failures that write
//! nothing.

mod common;

use std::path::{Path, PathBuf};

use common::{bin_in as bin, fails_with as assert_fails_clearly, ok, repo};

fn tmp(name: &str) -> PathBuf {
    let dir = common::tmp("anim", name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Frames and (width, height) of a GIF, decoded.
fn gif_frames(path: &Path) -> (usize, (u16, u16), Vec<u16>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(file).expect("a valid GIF");
    let size = (decoder.width(), decoder.height());
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().expect("a valid frame") {
        delays.push(frame.delay);
    }
    (delays.len(), size, delays)
}

/// Years in a run folder's national.csv.
fn years(run: &Path) -> usize {
    let text = std::fs::read_to_string(run.join("national.csv")).unwrap();
    text.lines().count() - 1
}

#[test]
fn the_classroom_scenario_animates_one_frame_per_year_in_both_languages() {
    // A scenario given to `animate` is run first into outputs/<name>/ under the working
    // folder: run it from a scratch folder with absolute paths.
    let cwd = tmp("classroom");
    let scenario = repo().join("configs/classroom.toml");
    let data = repo().join("data");
    ok(bin(&cwd)
        .args(["animate", scenario.to_str().unwrap(), "-q", "--data"])
        .arg(&data)
        .output()
        .unwrap());
    let run = cwd.join("outputs/classroom");
    let n = years(&run);
    assert_eq!(n, 2035 - 2014 + 1);
    let (frames, size, delays) = gif_frames(&run.join("animation-fr.gif"));
    assert_eq!(frames, n);
    assert_eq!(size, (800, 600));
    assert!(delays[n - 1] > delays[0], "the last frame is held longer");

    let english = cwd.join("en.gif");
    let pngs = cwd.join("frames");
    ok(bin(&cwd)
        .args(["animate", "outputs/classroom", "-q", "--lang", "en"])
        .args(["--frames-per-year", "2", "--size", "640x480", "--out"])
        .arg(&english)
        .arg("--frames")
        .arg(&pngs)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap());
    let (frames, size, _) = gif_frames(&english);
    assert_eq!(frames, 2 * n);
    assert_eq!(size, (640, 480));
    let written = std::fs::read_dir(&pngs)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(written, 2 * n, "one PNG per frame");
    assert!(pngs.join(format!("frame-{:03}.png", 2 * n)).exists());
}

#[test]
fn the_same_run_gives_the_same_gif_bytes_and_a_comparison_has_one_frame_per_year() {
    let dir = tmp("pair");
    let data = repo().join("data");
    for (name, scenario) in [
        ("base", "configs/tiny.toml"),
        ("policy", "configs/tiny.toml"),
    ] {
        let mut c = bin(&repo());
        c.args(["run", scenario, "-q", "--out"]).arg(dir.join(name));
        if name == "policy" {
            c.args(["--set", "training.install_share=0.7"]);
        }
        ok(c.output().unwrap());
    }
    let animate = |out: &str, runs: &[&str]| {
        let mut c = bin(&dir);
        c.arg("animate")
            .args(runs)
            .args(["-q", "--out", out, "--data"])
            .arg(&data);
        ok(c.output().unwrap());
        std::fs::read(dir.join(out)).unwrap()
    };
    assert_eq!(animate("a.gif", &["base"]), animate("b.gif", &["base"]));
    animate("pair.gif", &["base", "policy"]);
    let (frames, _, _) = gif_frames(&dir.join("pair.gif"));
    assert_eq!(frames, years(&dir.join("base")));
}

#[test]
fn a_missing_run_folder_fails_clearly_and_writes_nothing() {
    let dir = tmp("missing");
    let out = bin(&dir)
        .args(["animate", "no-such-run", "--data"])
        .arg(repo().join("data"))
        .output()
        .unwrap();
    assert_fails_clearly(&out, &["no-such-run", "does not exist"]);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn an_indicator_the_run_did_not_record_fails_clearly_and_writes_nothing() {
    let dir = tmp("indicator");
    let run = dir.join("run");
    ok(bin(&repo())
        .args(["run", "configs/tiny.toml", "-q", "--out"])
        .arg(&run)
        .output()
        .unwrap());
    // A run written before the APL existed: departements.csv without apl_mean.
    let path = run.join("departements.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let drop = header.iter().position(|h| *h == "apl_mean").unwrap();
    let stripped: Vec<String> = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(drop);
            cells.join(",")
        })
        .collect();
    std::fs::write(&path, stripped.join("\n") + "\n").unwrap();
    let before: Vec<_> = std::fs::read_dir(&run)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let out = bin(&dir)
        .args(["animate", "run", "--indicator", "apl", "--data"])
        .arg(repo().join("data"))
        .output()
        .unwrap();
    assert_fails_clearly(&out, &["apl_mean", "did not record"]);
    let after: Vec<_> = std::fs::read_dir(&run)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before.len(), after.len(), "nothing written");
    // The share, which the run did record, still animates.
    ok(bin(&dir)
        .args(["animate", "run", "-q", "--data"])
        .arg(repo().join("data"))
        .output()
        .unwrap());
}

#[test]
fn figures_are_written_in_png_and_svg_and_a_year_outside_the_run_is_refused() {
    let dir = tmp("figures");
    let run = dir.join("run");
    ok(bin(&repo())
        .args(["run", "configs/tiny.toml", "-q", "--out"])
        .arg(&run)
        .output()
        .unwrap());
    let data = repo().join("data");
    ok(bin(&dir)
        .args(["figures", "run", "--year", "2030", "--lang", "en", "--data"])
        .arg(&data)
        .output()
        .unwrap());
    for stem in ["headline", "map-2030", "flows-2030", "gp-pyramid"] {
        for ext in ["png", "svg"] {
            let f = run.join("figures").join(format!("{stem}.{ext}"));
            assert!(
                f.metadata().map(|m| m.len() > 1000).unwrap_or(false),
                "{}",
                f.display()
            );
        }
    }
    let out = bin(&dir)
        .args(["figures", "run", "--year", "2099", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_fails_clearly(&out, &["2099", "covers 2014"]);
}

#[test]
fn a_zoom_on_an_unknown_region_is_refused_before_anything_runs() {
    let dir = tmp("zoom");
    let out = bin(&dir)
        .arg("animate")
        .arg(repo().join("configs/classroom.toml"))
        .args(["--region", "99", "--data"])
        .arg(repo().join("data"))
        .output()
        .unwrap();
    assert_fails_clearly(&out, &["--region 99", "unknown région"]);
    assert!(!dir.join("outputs").exists(), "nothing ran");
}
