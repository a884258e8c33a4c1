//! A user's files are never lost: every command with an output option leaves a folder holding
//! other files untouched, reruns keep the animations and figures drawn from a run, and a
//! `kill -9` leaves either the previous complete output or the new one, never half of one.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use common::{bin, fails_with, ok, repo};

const TINY: &str = "configs/tiny.toml";
const TELE: &str = "tests/policies/tiny-teleconsultation.toml";

fn tmp(name: &str) -> PathBuf {
    let dir = common::tmp("safety", name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A folder holding a user's note and thesis.
fn plant(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("notes.txt"), "my notes").unwrap();
    std::fs::write(dir.join("sub/thesis.docx"), "my thesis").unwrap();
}

/// The planted files are there, unchanged, and nothing else was added.
fn untouched(dir: &Path) {
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("sub/thesis.docx")).unwrap(),
        "my thesis"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["notes.txt", "sub"], "{}", dir.display());
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// A finished run of the tiny scenario in `dir`.
fn tiny_run(dir: &Path) {
    ok(run(&["run", TINY, "-q", "--out", dir.to_str().unwrap()]));
}

#[test]
fn every_output_option_leaves_a_folder_holding_user_files_untouched() {
    let base = tmp("planted");
    let run_dir = base.join("source-run");
    tiny_run(&run_dir);
    let run_s = run_dir.to_str().unwrap();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("run", vec!["run", TINY, "-q", "--out"]),
        ("run-force", vec!["run", TINY, "-q", "--force", "--out"]),
        (
            "validate",
            vec![
                "validate",
                TINY,
                "-q",
                "--replicates",
                "1",
                "--set",
                "end_year=2019",
                "--out",
            ],
        ),
        (
            "compare",
            vec!["compare", TINY, TELE, "-q", "--replicates", "2", "--out"],
        ),
        ("figures", vec!["figures", run_s, "--out"]),
        ("frames", vec!["animate", run_s, "-q", "--frames"]),
        (
            "run-dir",
            vec!["animate", TINY, "-q", "--force", "--run-dir"],
        ),
    ];
    for (name, args) in cases {
        let target = base.join(name);
        plant(&target);
        let out = bin().args(&args).arg(&target).output().unwrap();
        fails_with(&out, &["did not write", "notes.txt"]);
        untouched(&target);
    }
}

#[test]
fn the_data_folder_the_project_and_the_current_folder_are_refused_before_running() {
    for target in ["data", ".", repo().to_str().unwrap()] {
        let started = Instant::now();
        let out = run(&["run", "-q", "--out", target]);
        assert!(!out.status.success(), "{target}: accepted");
        // Refused before the France run (several seconds), not after it.
        assert!(started.elapsed() < Duration::from_secs(5), "{target}");
    }
    assert!(repo().join("data/communes.csv").is_file());
    let leftovers = std::fs::read_dir(repo())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with(".medesert-tmp-")
        })
        .count();
    assert_eq!(leftovers, 0, "no temporary folder is left in the project");
}

#[test]
fn an_existing_file_is_never_replaced_by_a_folder_or_an_animation_it_did_not_write() {
    let base = tmp("files");
    let report = base.join("report.txt");
    std::fs::write(&report, "mine").unwrap();
    fails_with(
        &run(&["run", TINY, "-q", "--out", report.to_str().unwrap()]),
        &["is a file"],
    );
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "mine");

    let run_dir = base.join("run");
    tiny_run(&run_dir);
    let gif = base.join("holiday.gif");
    std::fs::write(&gif, "GIF89a my holiday").unwrap();
    let animate = |extra: &[&str]| {
        let mut c = bin();
        c.args(["animate", run_dir.to_str().unwrap(), "-q", "--out"]);
        c.arg(&gif).args(extra).output().unwrap()
    };
    fails_with(&animate(&[]), &["not written by medesert", "--force"]);
    assert_eq!(std::fs::read_to_string(&gif).unwrap(), "GIF89a my holiday");
    // Asked for: replaced.
    ok(animate(&["--force"]));
    // Now medesert's own: replaced without asking.
    ok(animate(&[]));
    let wrong = base.join("anim.txt");
    fails_with(
        &bin()
            .args(["animate", run_dir.to_str().unwrap(), "-q", "--out"])
            .arg(&wrong)
            .output()
            .unwrap(),
        &[".gif"],
    );
    assert!(!wrong.exists());
}

#[test]
fn rerunning_the_teacher_commands_keeps_both_animations_and_the_figures() {
    let cwd = tmp("teacher");
    let data = repo().join("data");
    let scenario = repo().join("configs/classroom.toml");
    let animate = |lang: &str| {
        ok(common::bin_in(&cwd)
            .args(["animate", scenario.to_str().unwrap(), "-q", "--lang", lang])
            .arg("--data")
            .arg(&data)
            .output()
            .unwrap())
    };
    animate("fr");
    animate("en");
    let run_dir = cwd.join("outputs/classroom");
    ok(common::bin_in(&cwd)
        .args(["figures", "outputs/classroom", "--year", "2030", "--data"])
        .arg(&data)
        .output()
        .unwrap());
    // Rerun both commands, and the run itself.
    animate("fr");
    animate("en");
    ok(common::bin_in(&cwd)
        .args(["run", scenario.to_str().unwrap(), "-q", "--data"])
        .arg(&data)
        .output()
        .unwrap());
    for kept in [
        "animation-fr.gif",
        "animation-en.gif",
        "figures/map-2030.png",
    ] {
        assert!(run_dir.join(kept).is_file(), "{kept} was lost");
    }
}

#[test]
fn a_run_with_set_writes_beside_the_scenario_run_not_over_it() {
    let cwd = tmp("set");
    let data = repo().join("data");
    let scenario = repo().join(TINY);
    let go = |extra: &[&str]| {
        ok(common::bin_in(&cwd)
            .args(["run", scenario.to_str().unwrap(), "-q", "--data"])
            .arg(&data)
            .args(extra)
            .output()
            .unwrap())
    };
    go(&[]);
    go(&["--set", "workload.acceptance_threshold_share=1.1"]);
    let folders: Vec<String> = std::fs::read_dir(cwd.join("outputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(folders.len(), 2, "{folders:?}");
    assert!(
        folders.iter().any(|f| f.starts_with("tiny-set-")),
        "{folders:?}"
    );
    // An explicit --out over another scenario's run needs --force.
    let plain = cwd.join("outputs/tiny");
    let explicit = [
        "--set",
        "workload.acceptance_threshold_share=1.1",
        "--out",
        plain.to_str().unwrap(),
    ];
    let refused = common::bin_in(&cwd)
        .args(["run", scenario.to_str().unwrap(), "-q", "--data"])
        .arg(&data)
        .args(explicit)
        .output()
        .unwrap();
    fails_with(&refused, &["--force"]);
}

#[test]
fn thread_counts_that_cannot_run_are_refused() {
    for n in ["0", "100000", "many"] {
        fails_with(&run(&["run", TINY, "-q", "--threads", n]), &["threads"]);
    }
}

#[test]
fn runs_that_cannot_fit_in_memory_are_refused_with_the_estimate() {
    if !Path::new("/proc/meminfo").exists() {
        return;
    }
    let dir = tmp("memory");
    let out = bin()
        .args([
            "compare",
            "configs/baseline.toml",
            "configs/policies/numerus.toml",
        ])
        .args(["-q", "--replicates", "1000", "--threads", "1000", "--out"])
        .arg(dir.join("c"))
        .output()
        .unwrap();
    fails_with(&out, &["GB", "available"]);
    assert!(!dir.join("c").exists());
}

/// The folder holds a complete output: its marker, and every file the marker lists.
fn complete(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join(".medesert-output.json")) else {
        return false;
    };
    let marker: serde_json::Value = serde_json::from_str(&text).unwrap();
    let files = marker["files"].as_array().unwrap();
    !files.is_empty()
        && files
            .iter()
            .all(|f| dir.join(f["path"].as_str().unwrap()).is_file())
}

/// Starts `args`, kills it with SIGKILL after `after`, and waits for it.
fn kill_after(args: &[&str], after: Duration) {
    let mut child = bin()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    child.kill().ok();
    child.wait().unwrap();
}

/// Kills `args` at moments spread over its whole duration; after each kill, `out` is either
/// absent or complete, and a later run completes and leaves no temporary folder.
fn killed_at_any_moment_leaves_a_complete_output(args: &[&str], out: &Path) {
    let started = Instant::now();
    ok(bin().args(args).output().unwrap());
    let duration = started.elapsed();
    // Denser toward the end, where the folder is hashed, marked and swapped.
    for fraction in [0.0, 0.3, 0.6, 0.8, 0.88, 0.94, 0.97, 1.0, 1.05] {
        let after = duration.mul_f64(fraction);
        kill_after(args, after);
        assert!(
            complete(out),
            "kill after {after:?} left an incomplete output"
        );
    }
    ok(bin().args(args).output().unwrap());
    assert!(complete(out));
    let parent = out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".medesert-tmp-"))
        .collect();
    // What each leftover holds and its stamp, to tell which moment the kill hit.
    let described: Vec<String> = leftovers
        .iter()
        .map(|name| {
            let dir = parent.join(name);
            let mut inside: Vec<String> = std::fs::read_dir(&dir)
                .map(|r| {
                    r.flatten()
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .collect()
                })
                .unwrap_or_default();
            inside.sort();
            let stamp = std::fs::read_to_string(dir.join(".medesert-tmp-stamp"));
            format!("{name:?} holds {inside:?}, stamp {stamp:?}")
        })
        .collect();
    assert!(leftovers.is_empty(), "{described:#?}");
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_or_the_new_complete_run() {
    let out = tmp("kill-run").join("run");
    let args = ["run", TINY, "-q", "--out", out.to_str().unwrap()];
    killed_at_any_moment_leaves_a_complete_output(&args, &out);
}

#[test]
fn a_comparison_killed_at_any_moment_leaves_the_previous_or_the_new_complete_one() {
    let out = tmp("kill-compare").join("c");
    let args = [
        "compare",
        TINY,
        TELE,
        "-q",
        "--replicates",
        "2",
        "--out",
        out.to_str().unwrap(),
    ];
    killed_at_any_moment_leaves_a_complete_output(&args, &out);
}
