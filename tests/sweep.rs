//! `medesert sweep` as a researcher runs it: identical results with 1 or 2 threads, sharded
//! and merged, or interrupted (even by kill -9) and resumed; failed runs recorded; malformed
//! sweep files refused before any run; the parameter registry and its docs in step.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, ok, read, sweep};

fn tmp(name: &str) -> PathBuf {
    common::tmp("sweep", name)
}

const LHS: &str = "tests/sweeps/lhs.toml";
const RESULTS: [&str; 3] = ["runs.csv", "runs_years.csv", "summary.csv"];

#[test]
fn a_sweep_gives_the_same_files_with_one_or_two_threads_and_sharded_then_merged() {
    let (one, two) = (tmp("t1"), tmp("t2"));
    ok(sweep(LHS, &one, &["--threads", "1"]));
    ok(sweep(LHS, &two, &["--threads", "2"]));
    let runs = read(&one, "runs.csv");
    assert_eq!(
        runs.lines().count(),
        1 + 10,
        "header + 5 points × 2 replicates"
    );
    assert!(runs.lines().skip(1).all(|l| l.contains(",ok,")), "{runs}");
    for f in RESULTS {
        assert_eq!(
            read(&one, f),
            read(&two, f),
            "{f} differs between 1 and 2 threads"
        );
    }
    let shards = tmp("shards");
    let (a, b) = (shards.join("a"), shards.join("b"));
    ok(sweep(LHS, &a, &["--shard", "1/2"]));
    ok(sweep(LHS, &b, &["--shard", "2/2"]));
    assert_eq!(read(&a, "runs.csv").lines().count(), 1 + 5);
    let merged = shards.join("merged");
    ok(bin()
        .args(["sweep-merge"])
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap());
    for f in RESULTS {
        assert_eq!(
            read(&one, f),
            read(&merged, f),
            "{f}: merged shards differ from one machine"
        );
    }
}

#[test]
fn an_interrupted_sweep_resumes_without_losing_or_repeating_runs() {
    let reference = tmp("reference");
    ok(sweep(LHS, &reference, &[]));
    // Cut after three runs, in the middle of the fourth line, as a crash would.
    let cut = tmp("cut");
    ok(sweep(LHS, &cut, &[]));
    let full = read(&cut, "runs.csv");
    let lines: Vec<&str> = full.lines().collect();
    let partial = format!("{}\n{}", lines[..4].join("\n"), &lines[4][..10]);
    std::fs::write(cut.join("runs.csv"), partial).unwrap();
    std::fs::remove_file(cut.join("summary.csv")).unwrap();
    let out = ok(bin()
        .args(["sweep", LHS, "--out"])
        .arg(&cut)
        .output()
        .unwrap());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("7 done now") && said.contains("3 already done"),
        "{said}"
    );
    for f in RESULTS {
        assert_eq!(read(&reference, f), read(&cut, f), "{f} after resume");
    }

    // A real kill -9 while runs are being written, then a resume.
    let killed = tmp("killed");
    let mut child = bin()
        .args(["sweep", LHS, "-q", "--threads", "1", "--out"])
        .arg(&killed)
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while start.elapsed().as_secs() < 60 {
        let n = std::fs::read_to_string(killed.join("runs.csv")).map_or(0, |t| t.lines().count());
        if n >= 3 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().ok();
    child.wait().unwrap();
    ok(sweep(LHS, &killed, &[]));
    for f in RESULTS {
        assert_eq!(
            read(&reference, f),
            read(&killed, f),
            "{f} after kill -9 and resume"
        );
    }
}

#[test]
fn a_folder_of_another_sweep_is_not_mixed_with_this_one() {
    let dir = tmp("other");
    ok(sweep(LHS, &dir, &[]));
    let text = std::fs::read_to_string(LHS)
        .unwrap()
        .replace("seed = 3", "seed = 4");
    let copy = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sweeps/lhs-seed4.tmp.toml");
    std::fs::write(&copy, text).unwrap();
    let out = sweep(copy.to_str().unwrap(), &dir, &[]);
    std::fs::remove_file(&copy).ok();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds another sweep"), "{err}");
}

fn write_sweep(name: &str, body: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sweeps")
        .join(format!("{name}-{}.tmp.toml", std::process::id()));
    std::fs::write(&path, body).unwrap();
    path
}

const HEAD: &str = "name = \"bad\"\nbase = \"short.toml\"\noutputs = [\"gps\"]\nyears = [2020]\n";

fn refused(name: &str, body: &str, needles: &[&str]) {
    let path = write_sweep(name, &format!("{HEAD}{body}"));
    let out_dir = tmp(name);
    let out = sweep(path.to_str().unwrap(), &out_dir, &[]);
    std::fs::remove_file(&path).ok();
    assert!(!out.status.success(), "{name}: accepted");
    let err = String::from_utf8_lossy(&out.stderr);
    for n in needles {
        assert!(err.contains(n), "{name}: {n:?} not in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !out_dir.exists(),
        "{name}: something was written before refusing"
    );
}

#[test]
fn malformed_sweep_files_are_refused_before_any_run() {
    refused(
        "unknown-parameter",
        "design = \"lhs\"\npoints = 3\n[[parameter]]\nname = \"gps.speed\"\nmin = 1\nmax = 2\n",
        &["gps.speed", "unknown parameter"],
    );
    refused(
        "share-above-one",
        "design = \"lhs\"\npoints = 3\n[[parameter]]\nname = \"training.install_share\"\nmin = 0.5\nmax = 1.5\n",
        &["training.install_share", "max = 1.5", "valid domain"],
    );
    refused(
        "negative-count",
        "design = \"grid\"\n[[parameter]]\nname = \"structures.group_max_gps\"\nvalues = [-1, 4]\n",
        &["structures.group_max_gps"],
    );
    refused(
        "zero-points",
        "design = \"lhs\"\npoints = 0\n[[parameter]]\nname = \"workload.acceptance_threshold_share\"\n",
        &["points", "zero points"],
    );
    refused(
        "unknown-field",
        "design = \"lhs\"\npoints = 3\nsamples = 4\n[[parameter]]\nname = \"workload.acceptance_threshold_share\"\n",
        &["samples"],
    );
    refused(
        "unknown-design",
        "design = \"halton\"\npoints = 3\n[[parameter]]\nname = \"workload.acceptance_threshold_share\"\n",
        &["halton"],
    );
}

#[test]
fn unknown_outputs_and_years_outside_the_run_are_refused() {
    for (name, head, needle) in [
        (
            "bad-output",
            "outputs = [\"gp_count\"]\nyears = [2020]\n",
            "gp_count",
        ),
        ("bad-year", "outputs = [\"gps\"]\nyears = [2030]\n", "2030"),
    ] {
        let body = format!(
            "name = \"bad\"\nbase = \"short.toml\"\n{head}design = \"lhs\"\npoints = 3\n\
             [[parameter]]\nname = \"workload.acceptance_threshold_share\"\n"
        );
        let path = write_sweep(name, &body);
        let out = sweep(path.to_str().unwrap(), &tmp(name), &[]);
        std::fs::remove_file(&path).ok();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn an_invalid_combination_is_refused_before_any_run_naming_the_rule_and_the_point() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sweeps");
    let points = dir.join(format!("points-{}.tmp.csv", std::process::id()));
    // Each value alone is valid; (30, 25) makes the youngest migrant older than the oldest.
    std::fs::write(
        &points,
        "population.migrant_age_min_years,population.migrant_age_max_years\n20,45\n30,25\n",
    )
    .unwrap();
    let body = format!(
        "{HEAD}design = \"file\"\nfile = \"{}\"\n",
        points.file_name().unwrap().to_str().unwrap()
    );
    let path = write_sweep("file", &body);
    let out_dir = tmp("file");
    let out = sweep(path.to_str().unwrap(), &out_dir, &[]);
    std::fs::remove_file(&path).ok();
    std::fs::remove_file(&points).ok();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 of the 2 points break a rule")
            && err.contains("point 2")
            && err.contains("migrant_age_max_years"),
        "{err}"
    );
    assert!(!out_dir.join("runs.csv").exists(), "nothing ran");
}

#[test]
fn the_slurm_script_runs_one_shard_per_array_task_then_merges() {
    let dir = tmp("slurm");
    ok(sweep(LHS, &dir, &["--emit-slurm", "--shards", "3"]));
    let array = read(&dir.join("slurm"), "sweep.sbatch");
    assert!(array.contains("#SBATCH --array=1-3"), "{array}");
    assert!(
        array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/3\""),
        "{array}"
    );
    let merge = read(&dir.join("slurm"), "merge.sbatch");
    assert!(
        merge.contains("sweep-merge") && merge.contains("shard-3-of-3"),
        "{merge}"
    );
    assert!(
        !dir.join("runs.csv").exists(),
        "emitting a script runs nothing"
    );
}

#[test]
fn the_parameter_docs_are_generated_from_the_registry() {
    let out = ok(bin().args(["params", "--format", "md"]).output().unwrap());
    let table = String::from_utf8(out.stdout).unwrap();
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/parameters.md"))
            .unwrap();
    assert!(
        doc.contains(&table),
        "docs/parameters.md is out of date: regenerate its table with `medesert params --format md`"
    );
    let out = ok(bin()
        .args(["params", "--format", "salib"])
        .output()
        .unwrap());
    let problem: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = problem["num_vars"].as_u64().unwrap() as usize;
    assert_eq!(problem["names"].as_array().unwrap().len(), n);
    assert!(
        problem["bounds"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b[0].as_f64() < b[1].as_f64())
    );
    // --uncertain leaves out the agent scales, dates and integer ages a sampler must not vary.
    let out = ok(bin()
        .args(["params", "--format", "salib", "--uncertain"])
        .output()
        .unwrap());
    let uncertain: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = uncertain["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        uncertain["num_vars"].as_u64().unwrap() as usize,
        names.len()
    );
    assert!(names.len() < n && names.contains(&"workload.acceptance_threshold_share"));
    for fixed in [
        "persons_per_agent",
        "territory.france_persons_per_agent",
        "matching.chronic_priority_from_year",
        "gps.pension_age_years",
        "seed",
    ] {
        assert!(
            !names.contains(&fixed),
            "{fixed} is not an uncertainty to sample"
        );
    }
}

#[test]
fn every_shipped_sweep_file_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/sweeps");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let s = medesert::experiment::sweep::load(&path)
                .unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
            assert!(s.runs() > 0);
            n += 1;
        }
    }
    assert!(n >= 2, "at least the lhs and sobol examples");
}
