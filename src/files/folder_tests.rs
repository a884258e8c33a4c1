//! Output folders as a user meets them: new, rerun, refused, forged, interrupted.

use super::*;
use crate::files::temporary::*;

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, files: &[&str]) -> Result<()> {
    for f in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap())?;
        std::fs::write(p, f)?;
    }
    Ok(())
}

#[test]
fn a_new_folder_is_written_with_its_marker() {
    let d = scratch();
    let out = d.path().join("run");
    let t = Target::claim(&out, Kind::Run, "a", false).unwrap();
    t.publish(|dir| write(dir, &["x.csv", "sub/y.csv"]))
        .unwrap();
    let m = marker::read(&out).unwrap().unwrap();
    let files: Vec<&str> = m.files.iter().map(Entry::path).collect();
    assert_eq!(files, ["sub/y.csv", "x.csv"]);
    assert_eq!(m.kind, Kind::Run);
}

#[test]
fn a_folder_with_a_user_file_is_refused_and_left_untouched() {
    let d = scratch();
    let out = d.path().join("course");
    write(&out, &["notes.txt", "sub/thesis.docx"]).unwrap();
    for force in [false, true] {
        let err = Target::claim(&out, Kind::Run, "a", force).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "notes.txt"
    );
    assert!(out.join("sub/thesis.docx").is_file());
}

#[test]
fn a_rerun_replaces_only_its_own_files_and_keeps_nested_outputs() {
    let d = scratch();
    let out = d.path().join("run");
    let t = Target::claim(&out, Kind::Run, "a", false).unwrap();
    t.publish(|dir| write(dir, &["old.csv", "x.csv"])).unwrap();
    let figs = Target::claim(&out.join("figures"), Kind::Figures, "a", false).unwrap();
    figs.publish(|dir| write(dir, &["map.png"])).unwrap();
    std::fs::write(out.join("animation.gif"), "gif").unwrap();
    register_derived(&out.join("animation.gif")).unwrap();
    drop((t, figs));
    let again = Target::claim(&out, Kind::Run, "a", false).unwrap();
    again.publish(|dir| write(dir, &["x.csv"])).unwrap();
    drop(again);
    assert!(!out.join("old.csv").exists());
    assert!(out.join("figures/map.png").is_file());
    assert!(out.join("animation.gif").is_file());
    assert!(is_registered(&out.join("animation.gif")));
    let leftovers: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary folder is left");
}

#[test]
fn another_kind_or_another_scenario_is_not_replaced_without_force() {
    let d = scratch();
    let out = d.path().join("run");
    Target::claim(&out, Kind::Run, "a", false)
        .unwrap()
        .publish(|dir| write(dir, &["x.csv"]))
        .unwrap();
    assert!(Target::claim(&out, Kind::Comparison, "a", true).is_err());
    assert!(Target::claim(&out, Kind::Run, "b", false).is_err());
    assert!(Target::claim(&out, Kind::Run, "b", true).is_ok());
}

#[test]
fn a_failed_fill_leaves_the_previous_output_and_no_temporary_folder() {
    let d = scratch();
    let out = d.path().join("run");
    let t = Target::claim(&out, Kind::Run, "a", false).unwrap();
    t.publish(|dir| write(dir, &["x.csv"])).unwrap();
    let err = t.publish(|_| bail!("boom")).unwrap_err();
    assert!(err.to_string().contains("boom"));
    drop(t);
    assert!(out.join("x.csv").is_file());
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
}

#[test]
fn a_folder_claimed_by_one_command_is_refused_to_another_until_released() {
    let d = scratch();
    let out = d.path().join("run");
    let first = Target::claim(&out, Kind::Run, "a", false).unwrap();
    let err = Target::claim(&out, Kind::Run, "a", false).unwrap_err();
    assert!(err.to_string().contains("being written"), "{err}");
    first.publish(|dir| write(dir, &["x.csv"])).unwrap();
    drop(first);
    assert!(Target::claim(&out, Kind::Run, "a", false).is_ok());
}

#[test]
fn dot_and_files_are_refused() {
    let d = scratch();
    assert!(Target::claim(Path::new("."), Kind::Run, "a", true).is_err());
    assert!(Target::claim(Path::new(".."), Kind::Run, "a", true).is_err());
    let f = d.path().join("report.txt");
    std::fs::write(&f, "mine").unwrap();
    assert!(Target::claim(&f, Kind::Run, "a", true).is_err());
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "mine");
}

/// A process that never runs (pid 0 is never a user process's).
const DEAD: Process = Process { pid: 0, started: 0 };

#[test]
fn a_stale_fill_folder_of_a_dead_process_is_cleaned() {
    let d = scratch();
    // pid 0 is never a user process's.
    let stale = d.path().join(format!("{TMP_PREFIX}0-abc"));
    write(&stale, &["x.csv"]).unwrap();
    let identity = folder_identity(&stale).unwrap();
    std::fs::write(
        stale.join(TMP_STAMP),
        stamp_text(DEAD, &identity, Holds::New),
    )
    .unwrap();
    let user = d.path().join(".medesert-tmp-notes");
    write(&user, &["mine.txt"]).unwrap();
    // Named like a dead process's temporary, without a stamp: a user's folder.
    let named = d.path().join(format!("{TMP_PREFIX}1-mine"));
    write(&named, &["thesis.docx"]).unwrap();
    // With a stamp copied from another folder (an archive): its inode differs.
    let copied = d.path().join(format!("{TMP_PREFIX}0-copy"));
    write(&copied, &["draft.docx"]).unwrap();
    std::fs::write(
        copied.join(TMP_STAMP),
        stamp_text(DEAD, &identity, Holds::New),
    )
    .unwrap();
    Target::claim(&d.path().join("run"), Kind::Run, "a", false)
        .unwrap()
        .publish(|dir| write(dir, &["x.csv"]))
        .unwrap();
    assert!(!stale.exists());
    assert!(user.join("mine.txt").is_file());
    assert!(named.join("thesis.docx").is_file());
    assert!(copied.join("draft.docx").is_file());
}

#[test]
fn a_previous_output_left_aside_by_a_dead_process_loses_only_its_own_files() {
    let d = scratch();
    // A previous output, swapped aside when its process was killed while discarding it: its
    // files, its marker, a file a user added while it ran, and the stamp.
    let aside = d.path().join(format!("{TMP_PREFIX}0-old"));
    write(&aside, &["national.csv", "figures/gps.png"]).unwrap();
    let files = ["national.csv", "figures/gps.png"]
        .iter()
        .map(|f| marker::stamp(&aside, f).map(Entry::Stamped))
        .collect::<Result<Vec<_>>>()
        .unwrap();
    let old = Marker {
        kind: Kind::Run,
        label: "a".into(),
        version: "0".into(),
        files,
        derived: Vec::new(),
    };
    marker::write(&aside, &old).unwrap();
    std::fs::write(aside.join("notes.txt"), "mine").unwrap();
    let identity = folder_identity(&aside).unwrap();
    std::fs::write(
        aside.join(TMP_STAMP),
        stamp_text(DEAD, &identity, Holds::Previous),
    )
    .unwrap();
    Target::claim(&d.path().join("run"), Kind::Run, "a", false)
        .unwrap()
        .publish(|dir| write(dir, &["x.csv"]))
        .unwrap();
    assert!(aside.join("notes.txt").is_file());
    assert!(!aside.join("national.csv").exists());
    assert!(!aside.join("figures").exists());
    assert!(!aside.join(MARKER).exists());
    assert!(!aside.join(TMP_STAMP).exists());
    // Without the user's file the folder goes whole.
    std::fs::remove_file(aside.join("notes.txt")).unwrap();
    std::fs::write(
        aside.join(TMP_STAMP),
        stamp_text(DEAD, &identity, Holds::Previous),
    )
    .unwrap();
    Target::claim(&d.path().join("run"), Kind::Run, "a", false)
        .unwrap()
        .publish(|dir| write(dir, &["x.csv"]))
        .unwrap();
    assert!(!aside.exists());
}

#[test]
fn what_a_kill_leaves_around_a_stamp_is_cleaned_and_nothing_else() {
    let d = scratch();
    // Killed right after creating its folder, or while writing its first stamp, or right
    // before removing the folder of a discarded output.
    let empty = d.path().join(format!("{TMP_PREFIX}0-empty"));
    std::fs::create_dir(&empty).unwrap();
    let cut = d.path().join(format!("{TMP_PREFIX}0-cut"));
    std::fs::create_dir(&cut).unwrap();
    std::fs::write(cut.join(TMP_STAMP_NEXT), "pid = 0\nsta").unwrap();
    // A user's file beside a stamp, or a stamp of another process: left alone.
    let mixed = d.path().join(format!("{TMP_PREFIX}0-mixed"));
    std::fs::create_dir(&mixed).unwrap();
    std::fs::write(mixed.join(TMP_STAMP), "pid = 0\n").unwrap();
    std::fs::write(mixed.join("notes.txt"), "mine").unwrap();
    let other = d.path().join(format!("{TMP_PREFIX}0-other"));
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join(TMP_STAMP), "pid = 12\n").unwrap();
    Target::claim(&d.path().join("run"), Kind::Run, "a", false)
        .unwrap()
        .publish(|dir| write(dir, &["x.csv"]))
        .unwrap();
    assert!(!empty.exists());
    assert!(!cut.exists());
    assert!(mixed.join("notes.txt").is_file());
    assert!(other.join(TMP_STAMP).is_file());
}

#[test]
fn a_stamp_left_in_an_output_by_a_killed_swap_is_removed_and_the_folder_replaced() {
    let d = scratch();
    let out = d.path().join("run");
    Target::claim(&out, Kind::Run, "a", false)
        .unwrap()
        .publish(|dir| write(dir, &["x.csv"]))
        .unwrap();
    // Killed between stamping the previous output and moving it aside.
    let identity = folder_identity(&out).unwrap();
    std::fs::write(
        out.join(TMP_STAMP),
        stamp_text(DEAD, &identity, Holds::Previous),
    )
    .unwrap();
    Target::claim(&out, Kind::Run, "a", false)
        .unwrap()
        .publish(|dir| write(dir, &["y.csv"]))
        .unwrap();
    assert!(out.join("y.csv").is_file() && !out.join(TMP_STAMP).exists());
    // A stamp naming another folder (copied in) is a user's file: the folder is refused.
    let copied = stamp_text(DEAD, "1:2", Holds::Previous);
    std::fs::write(out.join(TMP_STAMP), copied).unwrap();
    assert!(Target::claim(&out, Kind::Run, "a", false).is_err());
}

#[test]
fn a_process_is_told_from_a_later_one_with_its_id() {
    let me = Process::this();
    assert!(me.runs());
    if cfg!(target_os = "linux") {
        assert!(me.started > 0);
        let reused = Process {
            started: me.started + 1,
            ..me
        };
        assert!(!reused.runs() || reused.pid == std::process::id());
        let parent = Process {
            pid: std::os::unix::process::parent_id(),
            started: 1,
        };
        assert!(!parent.runs(), "a process that started at another time");
    }
    assert!(!DEAD.runs() || !cfg!(target_os = "linux"));
}

#[test]
fn a_published_folder_holds_no_stamp() {
    let d = scratch();
    let out = d.path().join("run");
    for _ in 0..2 {
        Target::claim(&out, Kind::Run, "a", false)
            .unwrap()
            .publish(|dir| write(dir, &["x.csv"]))
            .unwrap();
        assert!(!out.join(TMP_STAMP).exists());
        let listed = marker::read(&out).unwrap().unwrap();
        assert!(listed.files.iter().all(|e| e.path() != TMP_STAMP));
    }
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(TMP_PREFIX))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

mod hostile {
    use super::*;
    use proptest::prelude::*;

    /// A marker entry as a forger might write it: escapes, absolute paths, user files,
    /// Unicode, backslashes; stamped with a hash that is not the file's, or bare.
    fn entry() -> impl Strategy<Value = Entry> {
        let part = prop_oneof![
            Just("..".to_string()),
            Just(".".to_string()),
            Just(String::new()),
            Just("notes.txt".to_string()),
            Just("sub".to_string()),
            Just("thesis.docx".to_string()),
            Just("victim.txt".to_string()),
            Just("a\\..\\b".to_string()),
            "[a-zé\u{202e}]{1,6}",
        ];
        (
            prop::collection::vec(part, 1..4),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(parts, absolute, stamped)| {
                let path = format!("{}{}", if absolute { "/" } else { "" }, parts.join("/"));
                if stamped {
                    Entry::Stamped(marker::Written {
                        path,
                        bytes: 4,
                        sha256: "0".repeat(64),
                    })
                } else {
                    Entry::Bare(path)
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever a marker lists, claiming and publishing its folder leaves every file
        /// medesert did not write as it was, inside the folder and beside it.
        #[test]
        fn a_forged_marker_never_touches_a_file_medesert_did_not_write(
            files in prop::collection::vec(entry(), 1..40),
        ) {
            let d = scratch();
            let out = d.path().join("run");
            write(d.path(), &["victim.txt"]).unwrap();
            write(&out, &["notes.txt", "sub/thesis.docx"]).unwrap();
            let forged = Marker {
                kind: Kind::Run,
                label: "a".into(),
                version: "0".into(),
                files,
                derived: Vec::new(),
            };
            std::fs::write(out.join(MARKER), serde_json::to_string(&forged).unwrap()).unwrap();
            if let Ok(t) = Target::claim(&out, Kind::Run, "a", true) {
                t.publish(|dir| write(dir, &["x.csv"])).ok();
            }
            for (f, dir) in [("victim.txt", d.path()), ("notes.txt", &out), ("sub/thesis.docx", &out)] {
                prop_assert_eq!(std::fs::read_to_string(dir.join(f)).unwrap(), f);
            }
        }
    }
}
