//! Checks made before a command allocates or writes: runs that cannot fit in memory are
//! refused with the estimate, and default output folders are chosen so that a variant never
//! replaces the run it varies.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::inputs::Inputs;
use crate::model::territory;
use crate::scenario::Scenario;

/// Memory of one run besides its patients (tables, GPs, communes, records), bytes.
/// BENCHMARKS.md: France 1:20 (3.3 M patient agents) peaks at 0.52 GB, 1:1 (65 M) at 7.8 GB.
const RUN_BASE_BYTES: f64 = 0.13e9;
/// Memory per patient agent, bytes (the slope between the two measurements above).
const BYTES_PER_PATIENT: f64 = 120.0;

/// Refuses `concurrent` runs of `s` together when their estimated peak memory exceeds the
/// memory this machine has available (Linux; elsewhere nothing is checked).
pub fn check_memory(s: &Scenario, inputs: &Inputs, concurrent: usize) -> Result<()> {
    let Some(available) = available_bytes() else {
        return Ok(());
    };
    let (per_run, patients) = run_bytes(s, inputs)?;
    let total = per_run * concurrent as f64;
    if total > available {
        bail!(
            "{concurrent} run(s) of {:?} at {} person(s) per agent need about {:.1} GB \
             ({:.1} GB each, {:.0} M patient agents), more than the {:.1} GB this machine has \
             available: raise persons_per_agent, or use fewer --threads",
            s.name,
            s.persons_per_agent,
            total / 1e9,
            per_run / 1e9,
            patients / 1e6,
            available / 1e9
        );
    }
    Ok(())
}

/// The estimated peak memory of one run of `s` (bytes), and its patient agents.
pub fn run_bytes(s: &Scenario, inputs: &Inputs) -> Result<(f64, f64)> {
    // The border ring is simulated: its patients count.
    let communes = territory::select(inputs, &s.territory, &s.matching)?;
    let (metropolitan, _) = inputs.population();
    let patients = metropolitan * communes.national_share / f64::from(s.persons_per_agent);
    Ok((RUN_BASE_BYTES + BYTES_PER_PATIENT * patients, patients))
}

/// `MemAvailable` of /proc/meminfo, bytes.
fn available_bytes() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024.0)
}

/// The default run folder of a scenario: `outputs/<name>/`, or, with `--set` overrides (or an
/// ensemble, or replicates), `outputs/<name>-set-<hash>/` so that a variant never replaces the
/// scenario's own run.
pub fn default_run_dir(name: &str, overrides: &[String]) -> PathBuf {
    variant_dir(Path::new("outputs"), name, overrides)
}

/// The default folder of a comparison: `outputs/compare/<baseline>-vs-<policy>-vs-…/`, with
/// `-set-<hash>` when `--set` changed its scenarios (as [`default_run_dir`]). Past
/// [`MAX_NAME_BYTES`] (a file name holds 255 bytes) the names give way to
/// `<baseline>-vs-<n>-policies-<hash of the names>`.
pub fn default_compare_dir(names: &[&str], overrides: &[String]) -> PathBuf {
    let joined = names.join("-vs-");
    let name = if joined.len() <= MAX_NAME_BYTES {
        joined
    } else {
        let baseline: String = names[0].chars().take(MAX_NAME_BYTES / 2).collect();
        format!(
            "{baseline}-vs-{}-policies-{:08x}",
            names.len() - 1,
            fnv1a(&joined) as u32
        )
    };
    variant_dir(&Path::new("outputs").join("compare"), &name, overrides)
}

/// Longest default folder name made of scenario names, bytes: with `-set-<hash>` and the
/// lock file's `.….medesert.lock` it stays under the 255 bytes of a file name.
const MAX_NAME_BYTES: usize = 200;

/// `root/<name>/`, or, with overrides, `root/<name>-set-<hash>/`.
fn variant_dir(root: &Path, name: &str, overrides: &[String]) -> PathBuf {
    if overrides.is_empty() {
        root.join(name)
    } else {
        root.join(format!(
            "{name}-set-{:08x}",
            fnv1a(&overrides.join("\n")) as u32
        ))
    }
}

/// What produced a run, as its folder's marker records it: the name and what differs.
pub fn run_label(name: &str, overrides: &[String]) -> String {
    std::iter::once(name.to_string())
        .chain(overrides.iter().map(|o| format!("--set {o}")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a, 64 bits: a hash that stays the same across Rust versions (folder names).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_with_overrides_gets_its_own_folder() {
        let plain = default_run_dir("baseline", &[]);
        let a = default_run_dir(
            "baseline",
            &["workload.acceptance_threshold_share=1.1".into()],
        );
        let b = default_run_dir(
            "baseline",
            &["workload.acceptance_threshold_share=1.2".into()],
        );
        assert_eq!(plain, PathBuf::from("outputs/baseline"));
        assert_ne!(a, plain);
        assert_ne!(a, b);
        assert_eq!(
            a,
            default_run_dir(
                "baseline",
                &["workload.acceptance_threshold_share=1.1".into()]
            )
        );
    }

    #[test]
    fn a_comparison_with_overrides_or_many_policies_gets_a_folder_of_its_own() {
        let names = ["baseline", "delegation"];
        let plain = default_compare_dir(&names, &[]);
        assert_eq!(
            plain,
            PathBuf::from("outputs/compare/baseline-vs-delegation")
        );
        let set = default_compare_dir(&names, &["territory.regions=[\"24\"]".into()]);
        assert_ne!(set, plain);
        assert!(set.starts_with("outputs/compare"), "{}", set.display());
        let many: Vec<String> = (0..40).map(|i| format!("policy-number-{i}")).collect();
        let mut all = vec!["baseline"];
        all.extend(many.iter().map(String::as_str));
        let long = default_compare_dir(&all, &[]);
        let name = long.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= MAX_NAME_BYTES, "{name}");
        assert!(name.starts_with("baseline-vs-40-policies-"), "{name}");
        all.pop();
        assert_ne!(default_compare_dir(&all, &[]), long);
    }
}
