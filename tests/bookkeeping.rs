//! medesert's own bookkeeping can never be turned against a user: a forged or copied output
//! marker, a lock file that is a link, a folder named like a temporary, a data file cut short,
//! a parameter given twice or a seed out of range. Each case checks the victim file's content,
//! not only the exit code.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{bin, bin_in, corrupt, fails_with, ok, repo};

const TINY: &str = "configs/tiny.toml";
const TELE: &str = "tests/policies/tiny-teleconsultation.toml";
const PRECIOUS: &str = "precious";

/// A scratch folder outside the checkout, removed when dropped.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a scratch folder")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Writes a marker of `kind` listing `files` (JSON) into `dir`, with the label the command
/// writing that kind of folder gives (so the refusal is the marker's, not the label's).
fn forge(dir: &Path, kind: &str, files: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let label = if kind == "frames" { "animate" } else { "tiny" };
    let marker = format!(
        r#"{{"kind":"{kind}","label":"{label}","version":"0.1.0","files":{files},"derived":[]}}"#
    );
    std::fs::write(dir.join(".medesert-output.json"), marker).unwrap();
}

/// Every file below `dir` with its content (links as their target's name).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            if t.is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                out.insert(p, target.to_string_lossy().as_bytes().to_vec());
            } else if t.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A finished tiny run in `dir`.
fn tiny_run(dir: &Path, extra: &[&str]) {
    ok(bin()
        .args(["run", TINY, "-q", "--out", s(dir)])
        .args(extra)
        .output()
        .unwrap());
}

/// The commands that write an output folder, each with the marker kind of its folder, run
/// with `--out`/`--frames` as their last argument. `source` is a finished run.
fn writers(source: &Path) -> Vec<(&'static str, Vec<String>)> {
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        ("run", v(&["run", TINY, "-q", "--force", "--out"])),
        (
            "validation",
            v(&[
                "validate",
                TINY,
                "-q",
                "--force",
                "--replicates",
                "1",
                "--set",
                "end_year=2016",
                "--out",
            ]),
        ),
        (
            "comparison",
            v(&[
                "compare",
                TINY,
                TELE,
                "-q",
                "--force",
                "--replicates",
                "2",
                "--out",
            ]),
        ),
        ("figures", v(&["figures", s(source), "--out"])),
        ("frames", v(&["animate", s(source), "-q", "--frames"])),
    ]
}

#[test]
fn a_marker_entry_leaving_the_folder_never_deletes_the_file_it_names() {
    let base = scratch();
    let victim = base.path().join("victim.txt");
    std::fs::write(&victim, PRECIOUS).unwrap();
    let source = base.path().join("source");
    tiny_run(&source, &[]);
    let entries = [
        r#"["../victim.txt"]"#.to_string(),
        format!(r#"["{}"]"#, s(&victim)),
        r#"["sub/../../victim.txt"]"#.to_string(),
        r#"[{"path":"../victim.txt","bytes":8,"sha256":"x"}]"#.to_string(),
    ];
    for (kind, args) in writers(&source) {
        for (k, files) in entries.iter().enumerate() {
            let dir = base.path().join(format!("{kind}-{k}"));
            forge(&dir, kind, files);
            let out = bin().args(&args).arg(&dir).output().unwrap();
            fails_with(
                &out,
                &["not a file inside the folder", "nothing was deleted"],
            );
            assert_eq!(
                std::fs::read_to_string(&victim).unwrap(),
                PRECIOUS,
                "{kind}"
            );
        }
    }
    // The project's data, through the default folder outputs/<name>/ (no --out).
    let cwd = scratch();
    std::fs::write(cwd.path().join("victim.txt"), PRECIOUS).unwrap();
    forge(
        &cwd.path().join("outputs/tiny"),
        "run",
        r#"["../../victim.txt"]"#,
    );
    let out = bin_in(cwd.path())
        .args(["run", s(&repo().join(TINY)), "-q", "--data"])
        .arg(repo().join("data"))
        .output()
        .unwrap();
    fails_with(&out, &["not a file inside the folder"]);
    assert_eq!(
        std::fs::read_to_string(cwd.path().join("victim.txt")).unwrap(),
        PRECIOUS
    );
    assert!(repo().join("data/communes.csv").is_file());
}

#[test]
fn a_forged_or_copied_marker_never_deletes_a_user_file_inside_the_folder() {
    let base = scratch();
    let forged = [
        r#"["notes.txt"]"#,
        r#"[{"path":"notes.txt","bytes":8,"sha256":"0000000000000000000000000000000000000000000000000000000000000000"}]"#,
    ];
    for (k, files) in forged.iter().enumerate() {
        let dir = base.path().join(format!("mydir-{k}"));
        forge(&dir, "run", files);
        std::fs::write(dir.join("notes.txt"), PRECIOUS).unwrap();
        let out = bin()
            .args(["run", TINY, "-q", "--out", s(&dir)])
            .output()
            .unwrap();
        fails_with(&out, &["did not write", "notes.txt"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            PRECIOUS
        );
    }
    // A real run, copied, then a user's file written over one of its outputs: the rerun
    // refuses the folder rather than replacing the changed file.
    let run = base.path().join("run");
    tiny_run(&run, &[]);
    std::fs::write(run.join("national.csv"), "my own table").unwrap();
    let out = bin()
        .args(["run", TINY, "-q", "--out", s(&run)])
        .output()
        .unwrap();
    fails_with(&out, &["national.csv (changed since medesert wrote it)"]);
    assert_eq!(
        std::fs::read_to_string(run.join("national.csv")).unwrap(),
        "my own table"
    );
}

#[cfg(unix)]
#[test]
fn a_lock_file_that_is_a_link_is_refused_and_its_target_left_as_it_was() {
    let base = scratch();
    let notes = base.path().join("notes.txt");
    std::fs::write(&notes, PRECIOUS).unwrap();
    std::os::unix::fs::symlink(&notes, base.path().join(".L.medesert.lock")).unwrap();
    let out = bin()
        .args(["run", TINY, "-q", "--out", s(&base.path().join("L"))])
        .output()
        .unwrap();
    fails_with(&out, &["not a regular file"]);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), PRECIOUS);
    // A sweep's lock inside its folder.
    let sweep = base.path().join("S");
    std::fs::create_dir(&sweep).unwrap();
    std::os::unix::fs::symlink(&notes, sweep.join(".medesert.lock")).unwrap();
    let out = common::sweep("tests/sweeps/lhs.toml", &sweep, &[]);
    fails_with(&out, &["not a regular file"]);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), PRECIOUS);
}

#[test]
fn a_user_folder_named_like_a_temporary_is_never_removed() {
    let base = scratch();
    let mine = base.path().join(".medesert-tmp-4000000-mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("thesis.docx"), PRECIOUS).unwrap();
    tiny_run(&base.path().join("run"), &[]);
    assert_eq!(
        std::fs::read_to_string(mine.join("thesis.docx")).unwrap(),
        PRECIOUS
    );
}

/// `run TINY` on the data folder `data`, into a scratch folder.
fn run_on(data: &Path) -> std::process::Output {
    let out = scratch();
    bin()
        .args(["run", TINY, "-q", "--data", s(data), "--out"])
        .arg(out.path().join("run"))
        .output()
        .unwrap()
}

#[test]
fn a_data_file_cut_short_is_refused_naming_the_file_and_what_is_missing() {
    // Half the life tables, cut on a line end.
    let data = corrupt("mortality-france.csv", |t| {
        let lines: Vec<&str> = t.lines().collect();
        lines[..lines.len() / 2].join("\n") + "\n"
    });
    fails_with(
        &run_on(data.path()),
        &["mortality-france.csv", "no TRI-2026 life table centred on"],
    );
    let data = corrupt("population-single-age-france.csv", |t| {
        t.lines()
            .filter(|l| !l.starts_with("2026,"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    fails_with(
        &run_on(data.path()),
        &["population-single-age-france.csv", "no 2026 row for age 0"],
    );
    let data = corrupt("gp-density-2018.csv", |t| {
        t.lines()
            .filter(|l| !l.starts_with("29,"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    fails_with(
        &run_on(data.path()),
        &["gp-density-2018.csv", "no row for département 29"],
    );
    let data = corrupt("communes.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        lines[1] = lines[1].replace(",860,", ",4294967295,");
        lines.join("\n") + "\n"
    });
    fails_with(
        &run_on(data.path()),
        &["communes.csv", "line 2", "population", "4294967295"],
    );
}

/// `text` with the cell of `column` on data line `line` (2 = the first) replaced by `value`.
fn with_cell(text: &str, line: usize, column: &str, value: &str) -> String {
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let c = header.iter().position(|h| *h == column).unwrap();
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 != line {
                return l.to_string();
            }
            let mut cells: Vec<&str> = l.split(',').collect();
            cells[c] = value;
            cells.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_run_table_holding_a_non_finite_number_is_refused_by_its_readers() {
    let base = scratch();
    let run = base.path().join("run");
    tiny_run(&run, &["--communes"]);
    let national = std::fs::read_to_string(run.join("national.csv")).unwrap();
    std::fs::write(
        run.join("national.csv"),
        with_cell(&national, 3, "share_without_mt_17plus_cnam", "NaN"),
    )
    .unwrap();
    let out = bin()
        .args(["animate", s(&run), "-q", "--out"])
        .arg(base.path().join("a.gif"))
        .output()
        .unwrap();
    fails_with(
        &out,
        &[
            "national.csv line 3",
            "share_without_mt_17plus_cnam",
            "finite",
        ],
    );
    assert!(!base.path().join("a.gif").exists());

    let run2 = base.path().join("run2");
    tiny_run(&run2, &["--communes"]);
    let communes = std::fs::read_to_string(run2.join("communes.csv")).unwrap();
    std::fs::write(
        run2.join("communes.csv"),
        with_cell(&communes, 2, "share_without_mt_17plus", "NaN"),
    )
    .unwrap();
    let figures = base.path().join("figs");
    let out = bin()
        .args(["figures", s(&run2), "--communes", "--out", s(&figures)])
        .output()
        .unwrap();
    fails_with(&out, &["communes.csv line 2", "finite"]);
    assert!(!figures.exists());
}

#[test]
fn a_parameter_given_twice_is_refused_naming_both_places() {
    let base = scratch();
    let name = "workload.acceptance_threshold_share";
    // A file design with the same column twice.
    std::fs::write(
        base.path().join("points.csv"),
        format!("{name},{name}\n1.0,1.02\n1.01,1.03\n"),
    )
    .unwrap();
    let sweep = base.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "name = \"twice\"\nbase = {:?}\ndesign = \"file\"\nfile = \"points.csv\"\n\
             outputs = [\"share_without_mt_17plus\"]\nyears = [2022]\n",
            s(&repo().join("tests/sweeps/short.toml"))
        ),
    )
    .unwrap();
    let out = common::sweep(s(&sweep), &base.path().join("out"), &[]);
    fails_with(&out, &["given twice", "columns 1 and 2", name]);
    // An ensemble with a column twice.
    let ensemble = base.path().join("posterior.csv");
    std::fs::write(&ensemble, format!("{name},{name}\n1.0,1.02\n")).unwrap();
    let out = bin()
        .args(["run", TINY, "-q", "--ensemble", s(&ensemble), "--out"])
        .arg(base.path().join("e"))
        .output()
        .unwrap();
    fails_with(&out, &["given twice", "columns 1 and 2"]);
    // A calibration with the same [[parameter]] twice.
    let calibration = base.path().join("twice.toml");
    std::fs::write(
        &calibration,
        format!(
            "name = \"twice\"\nscenario = {:?}\nwaves = 1\npoints_per_wave = 10\nreplicates = 2\n\
             [[parameter]]\nname = \"{name}\"\n[[parameter]]\nname = \"{name}\"\n\
             [[target]]\noutput = \"share_without_mt_17plus_cnam\"\nyear = 2021\nobserved = 0.11\n\
             sd = 0.01\nsource = \"CNAM\"\n",
            s(&repo().join("tests/calibrations/tiny-2022.toml"))
        ),
    )
    .unwrap();
    let out = bin()
        .args(["calibrate", s(&calibration), "-q", "--out"])
        .arg(base.path().join("c"))
        .output()
        .unwrap();
    fails_with(&out, &["given twice", "1st", "2nd"]);
    assert!(!base.path().join("c").exists());
}

#[test]
fn every_command_takes_seeds_zero_to_two_to_the_63_minus_one_and_checks_replicates() {
    let base = scratch();
    let too_big = "9223372036854775808";
    for args in [
        vec!["run", TINY, "--seed", too_big],
        vec!["validate", TINY, "--seed", too_big],
        vec!["compare", TINY, TELE, "--seed", too_big],
    ] {
        let out = bin().args(&args).output().unwrap();
        fails_with(&out, &[too_big]);
    }
    let out = bin()
        .args([
            "run",
            TINY,
            "-q",
            "--seed",
            "9223372036854775807",
            "--replicates",
            "3",
            "--out",
        ])
        .arg(base.path().join("r"))
        .output()
        .unwrap();
    fails_with(&out, &["beyond the largest seed"]);
}

#[test]
fn no_refused_command_leaves_a_new_folder_behind() {
    let cwd = scratch();
    let tiny = repo().join(TINY);
    let tele = repo().join(TELE);
    let data = repo().join("data");
    let cases: Vec<Vec<String>> = vec![
        vec!["run", s(&tiny), "--geo-year", "1990"],
        vec![
            "run",
            s(&tiny),
            "--seed",
            "9223372036854775807",
            "--replicates",
            "3",
        ],
        vec!["compare", s(&tiny), s(&tiny)],
        vec![
            "compare",
            s(&tiny),
            s(&tele),
            "--seed",
            "9223372036854775807",
        ],
        vec!["run", s(&tiny), "--out", "a/b/c", "--geo-year", "1990"],
        vec!["animate", "no-such-run", "--frames", "a/b/frames"],
        vec!["sweep", "no-such-sweep.toml", "--out", "a/b/sweep"],
        vec!["calibrate", "no-such-calibration.toml", "--out", "a/b/cal"],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(str::to_string).collect())
    .collect();
    for args in cases {
        let out = bin_in(cwd.path())
            .args(&args)
            .args(["--data", s(&data)])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} was accepted");
        let left: Vec<_> = std::fs::read_dir(cwd.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "{args:?} left {left:?}");
    }
}

/// A small deterministic generator of hostile marker entries.
fn hostile_entries(n: usize, seed: u64) -> Vec<String> {
    const PARTS: [&str; 16] = [
        "..",
        ".",
        "",
        "notes.txt",
        "sub",
        "thesis.docx",
        "victim.txt",
        "national.csv",
        "é",
        "\u{202e}txt.exe",
        "a\\..\\b",
        "/etc",
        "C:",
        "..\\victim.txt",
        "figures",
        "~",
    ];
    let mut state = seed;
    let mut next = || {
        // SplitMix64.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..n)
        .map(|_| {
            let depth = 1 + (next() % 4) as usize;
            let parts: Vec<&str> = (0..depth)
                .map(|_| PARTS[(next() % PARTS.len() as u64) as usize])
                .collect();
            let joined = parts.join("/");
            if next() % 5 == 0 {
                format!("/{joined}")
            } else {
                joined
            }
        })
        .collect()
}

#[test]
fn a_marker_listing_a_thousand_hostile_entries_leaves_every_file_outside_medesert_s_output_unchanged()
 {
    let base = scratch();
    let source = base.path().join("source");
    tiny_run(&source, &[]);
    std::fs::write(base.path().join("victim.txt"), PRECIOUS).unwrap();
    for (k, (kind, args)) in writers(&source).into_iter().enumerate() {
        // Any entries; then only plain names inside the folder (user files among them), with
        // sizes and hashes that are not theirs.
        for stamped in [false, true] {
            let dir = base.path().join(format!("{kind}-{stamped}"));
            let mut entries = hostile_entries(1000, k as u64 * 2 + u64::from(stamped));
            if stamped {
                entries.retain(|e| {
                    !e.starts_with('/')
                        && !e.contains('\\')
                        && e.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
                });
                entries.extend(["notes.txt", "sub/thesis.docx", "national.csv"].map(String::from));
            }
            let files: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| {
                    if stamped {
                        serde_json::json!({"path": e, "bytes": 8, "sha256": "0".repeat(64)})
                    } else {
                        serde_json::json!(e)
                    }
                })
                .collect();
            forge(&dir, kind, &serde_json::to_string(&files).unwrap());
            std::fs::create_dir_all(dir.join("sub")).unwrap();
            std::fs::write(dir.join("notes.txt"), PRECIOUS).unwrap();
            std::fs::write(dir.join("sub/thesis.docx"), PRECIOUS).unwrap();
            std::fs::write(dir.join("national.csv"), PRECIOUS).unwrap();
            let before = snapshot(base.path());
            let out = bin().args(&args).arg(&dir).output().unwrap();
            assert!(!out.status.success(), "{kind}: accepted a hostile marker");
            let after = snapshot(base.path());
            assert_eq!(before, after, "{kind} (stamped: {stamped}) changed a file");
        }
    }
}

/// Runs `args` with its output folder `out` on a file system of `size` (a private tmpfs
/// mounted by `unshare -m`, root only); `None` where that cannot be mounted.
fn on_a_full_disk(size: &str, out: &Path, args: &[&str]) -> Option<std::process::Output> {
    let mount = format!(
        "mount -t tmpfs -o size={size} tmpfs {} && exec \"$0\" \"$@\"",
        s(out)
    );
    let probe = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &mount, "true"])
        .output()
        .ok()?;
    if !probe.status.success() {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and unshare)");
        return None;
    }
    let output = std::process::Command::new("unshare")
        .current_dir(repo())
        .args(["-m", "sh", "-c", &mount, env!("CARGO_BIN_EXE_medesert")])
        .args(args)
        .output()
        .unwrap();
    Some(output)
}

#[test]
fn a_full_disk_is_reported_naming_the_file_that_could_not_be_written() {
    let base = scratch();
    let source = base.path().join("source");
    tiny_run(&source, &[]);
    let disk = base.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let into = |name: &str| s(&disk.join(name)).to_string();
    let cases: Vec<Vec<String>> = vec![
        vec![
            "run".into(),
            TINY.into(),
            "-q".into(),
            "--out".into(),
            into("run"),
        ],
        vec![
            "validate".into(),
            TINY.into(),
            "-q".into(),
            "--replicates".into(),
            "1".into(),
            "--set".into(),
            "end_year=2016".into(),
            "--out".into(),
            into("validation"),
        ],
        vec![
            "figures".into(),
            s(&source).into(),
            "--out".into(),
            into("figures"),
        ],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for size in ["24k", "120k"] {
            let Some(out) = on_a_full_disk(size, &disk, &args) else {
                return;
            };
            fails_with(&out, &["cannot write", s(&disk)]);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("No space left"), "{args:?}: {err}");
        }
    }
}
