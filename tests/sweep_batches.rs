//! Sweeps that cannot collide or run away: one process at a time per folder, a user's files
//! left alone, sizes that cannot run refused, a cut runs_years.csv repaired on resume, and
//! SLURM scripts that pass any folder name through the shell intact.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, fails_with, ok, read, sweep};

const LHS: &str = "tests/sweeps/lhs.toml";
const RESULTS: [&str; 3] = ["runs.csv", "runs_years.csv", "summary.csv"];

fn tmp(name: &str) -> PathBuf {
    common::tmp("batches", name)
}

/// A sweep file next to the test ones (its base is short.toml), removed by the caller.
fn sweep_file(name: &str, body: &str) -> PathBuf {
    let path = common::repo()
        .join("tests/sweeps")
        .join(format!("{name}-{}.tmp.toml", std::process::id()));
    std::fs::write(&path, body).unwrap();
    path
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn two_sweeps_on_one_folder_the_second_is_refused_and_the_first_completes_with_every_run() {
    // 120 runs on one thread: seconds, while the second sweep is refused in a fraction of one.
    let body = read(&common::repo(), LHS).replace("points = 5", "points = 60");
    let file = sweep_file("long", &body);
    let dir = tmp("collide");
    let mut first = bin()
        .args([
            "sweep",
            file.to_str().unwrap(),
            "-q",
            "--threads",
            "1",
            "--out",
        ])
        .arg(&dir)
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !dir.join("runs.csv").exists() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = sweep(file.to_str().unwrap(), &dir, &["--threads", "1"]);
    let still_running = first.try_wait().unwrap().is_none();
    let status = first.wait().unwrap();
    std::fs::remove_file(&file).ok();
    assert!(
        still_running,
        "the first sweep ended before the second started"
    );
    fails_with(
        &second,
        &["is being written by medesert process", "another --out"],
    );
    assert!(status.success(), "the first sweep failed");
    let runs = read(&dir, "runs.csv");
    let ids: Vec<u64> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        ids,
        (0..120).collect::<Vec<_>>(),
        "every run, once, in order"
    );
    assert!(!dir.join(".medesert.lock").exists(), "the lock is released");
}

#[test]
fn the_lock_of_a_killed_sweep_is_taken_over_and_the_sweep_resumes() {
    let dir = tmp("killed");
    let mut child = bin()
        .args(["sweep", LHS, "-q", "--threads", "1", "--out"])
        .arg(&dir)
        .spawn()
        .unwrap();
    let lock = dir.join(".medesert.lock");
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains("what = sweep")) {
        assert!(start.elapsed().as_secs() < 60, "no lock taken");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(lock.exists(), "kill -9 leaves the lock file");
    let out = ok(sweep(LHS, &dir, &[]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no longer runs: lock taken over"), "{err}");
    assert!(
        err.contains(&format!("medesert process {}", child.id())),
        "{err}"
    );
    assert_eq!(read(&dir, "runs.csv").lines().count(), 1 + 10);
    assert!(!lock.exists());
}

#[test]
fn a_folder_locked_by_another_process_is_refused_before_anything_is_written() {
    let dir = tmp("locked");
    std::fs::create_dir_all(&dir).unwrap();
    let lock = medesert::files::lock::FolderLock::acquire(&dir, "sweep").unwrap();
    let out = sweep(LHS, &dir, &[]);
    fails_with(&out, &["is being written by medesert process", "sweep"]);
    assert_eq!(names(&dir), [".medesert.lock"], "nothing written");
    drop(lock);
    ok(sweep(LHS, &dir, &[]));
}

#[test]
fn a_sweep_never_touches_a_users_files_in_its_folder() {
    let plant = |dir: &Path| {
        std::fs::create_dir_all(dir.join("mine")).unwrap();
        std::fs::write(dir.join("notes.txt"), "my notes").unwrap();
        std::fs::write(dir.join("mine/keep.csv"), "a,b\n1,2\n").unwrap();
    };
    let untouched = |dir: &Path| {
        assert_eq!(read(dir, "notes.txt"), "my notes");
        assert_eq!(read(dir, "mine/keep.csv"), "a,b\n1,2\n");
        assert_eq!(names(&dir.join("mine")), ["keep.csv"]);
    };
    // A folder of the user's, holding no sweep: refused, left as it was.
    let foreign = tmp("foreign");
    plant(&foreign);
    fails_with(
        &sweep(LHS, &foreign, &[]),
        &["notes.txt", "not a sweep's", "another --out"],
    );
    untouched(&foreign);
    assert_eq!(names(&foreign), ["mine", "notes.txt"], "nothing written");
    // The same with --emit-slurm.
    fails_with(&sweep(LHS, &foreign, &["--emit-slurm"]), &["not a sweep's"]);
    assert_eq!(names(&foreign), ["mine", "notes.txt"]);

    // A sweep folder where the user added files: a resume writes only the sweep's own files.
    let own = tmp("own");
    ok(sweep(LHS, &own, &[]));
    plant(&own);
    let runs = read(&own, "runs.csv");
    let cut = runs.len() - 20;
    std::fs::write(own.join("runs.csv"), &runs[..cut]).unwrap();
    ok(sweep(LHS, &own, &[]));
    untouched(&own);
    assert_eq!(read(&own, "runs.csv"), runs);
}

#[test]
fn a_sweep_that_fails_before_its_first_run_leaves_no_folder_behind() {
    let dir = tmp("no-data");
    let out = sweep(LHS, &dir, &["--data", "/nonexistent/medesert-data"]);
    fails_with(&out, &["data"]);
    assert!(!dir.exists(), "an empty folder (or its lock) was left");
}

#[test]
fn a_folder_holding_this_sweeps_shards_is_a_sweep_folder_not_a_foreign_one() {
    // The default layout: shards in outputs/sweeps/<name>/shard-I-of-N/, the whole sweep in
    // outputs/sweeps/<name>/.
    let dir = tmp("layout");
    ok(sweep(LHS, &dir.join("shard-1-of-2"), &["--shard", "1/2"]));
    ok(sweep(LHS, &dir, &[]));
    assert_eq!(read(&dir, "runs.csv").lines().count(), 1 + 10);
}

#[test]
fn sizes_that_cannot_run_are_refused_before_any_allocation() {
    let head = "name = \"huge\"\nbase = \"short.toml\"\noutputs = [\"gps\"]\nyears = [2020]\n";
    let parameter = "[[parameter]]\nname = \"workload.acceptance_threshold_share\"\n";
    for (name, body, extra, needles) in [
        (
            "billion",
            "design = \"lhs\"\npoints = 1000000000\n",
            &[][..],
            &["1,000,000,000 points", "even with --force"][..],
        ),
        (
            "replicates",
            "design = \"lhs\"\npoints = 5\nreplicates = 4294967295\n",
            &["--force"][..],
            &["4294967295 replicates", "even with --force"][..],
        ),
        (
            "above-cap",
            "design = \"lhs\"\npoints = 1000001\n",
            &[][..],
            &["1,000,001 runs", "more than 1,000,000", "--force"][..],
        ),
        (
            "many-replicates",
            "design = \"lhs\"\npoints = 2\nreplicates = 20000\n",
            &[][..],
            &["`replicates` = 20000", "--force"][..],
        ),
    ] {
        let file = sweep_file(name, &format!("{head}{body}{parameter}"));
        let out_dir = tmp(name);
        let start = std::time::Instant::now();
        let out = sweep(file.to_str().unwrap(), &out_dir, extra);
        std::fs::remove_file(&file).ok();
        fails_with(&out, needles);
        assert!(
            start.elapsed().as_secs() < 20,
            "{name}: refused only after a long while"
        );
        assert!(!out_dir.exists(), "{name}: something was written");
    }
}

#[test]
fn a_resume_reruns_the_runs_whose_years_were_cut_from_runs_years_csv() {
    let reference = tmp("years-reference");
    ok(sweep(LHS, &reference, &[]));
    let full = read(&reference, "runs_years.csv");
    let middle = full.len() / 2;
    let line_end = full[..middle].rfind('\n').unwrap() + 1;
    // Cut in the middle of a row, then exactly at the end of a row (no partial line left).
    for (name, cut) in [("mid-row", middle), ("at-line-end", line_end)] {
        assert!(name != "mid-row" || !full[..cut].ends_with('\n'));
        let dir = tmp(name);
        ok(sweep(LHS, &dir, &[]));
        std::fs::write(dir.join("runs_years.csv"), &full[..cut]).unwrap();
        let out = ok(bin()
            .args(["sweep", LHS, "--out"])
            .arg(&dir)
            .output()
            .unwrap());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("were run again"), "{name}: {err}");
        for f in RESULTS {
            assert_eq!(
                read(&reference, f),
                read(&dir, f),
                "{name}: {f} after resume"
            );
        }
    }
}

#[test]
fn slurm_scripts_pass_a_folder_named_with_quotes_dollars_and_spaces_intact() {
    let base = tmp("slurm-quoting");
    let out = base.join("it's a \"$(touch PWNED)\" `touch PWNED2` $HOME run");
    std::fs::create_dir_all(&base).unwrap();
    ok(sweep(LHS, &out, &["--emit-slurm", "--shards", "2"]));
    let slurm = out.join("slurm");
    for f in ["sweep.sbatch", "merge.sbatch", "submit.sh"] {
        let check = std::process::Command::new("bash")
            .arg("-n")
            .arg(slurm.join(f))
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    // submit.sh with a fake sbatch that records its arguments.
    let fake = base.join("bin");
    std::fs::create_dir_all(&fake).unwrap();
    let log = base.join("sbatch.log");
    let script = format!(
        "#!/bin/bash\nprintf '%s\\n' \"$@\" >> '{}'\necho 42\n",
        log.display()
    );
    std::fs::write(fake.join("sbatch"), script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(fake.join("sbatch"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", fake.display(), std::env::var("PATH").unwrap());
    let run = |script: &str, task: &str| {
        let out = std::process::Command::new("bash")
            .arg(slurm.join(script))
            .current_dir(&base)
            .env("PATH", &path)
            .env("SLURM_ARRAY_TASK_ID", task)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run("submit.sh", "");
    let args = read(&base, "sbatch.log");
    assert!(
        args.contains(&format!("--output={}/slurm/shard-%a.log\n", out.display())),
        "{args}"
    );
    // The array's tasks and the merge, run for real: the folders land where asked.
    run("sweep.sbatch", "1");
    run("sweep.sbatch", "2");
    run("merge.sbatch", "");
    assert_eq!(
        read(&out.join("merged"), "runs.csv").lines().count(),
        1 + 10
    );
    for dir in [&base, &slurm, &common::repo()] {
        for f in ["PWNED", "PWNED2"] {
            assert!(!dir.join(f).exists(), "{f} created in {}", dir.display());
        }
    }
}
