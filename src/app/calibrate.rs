//! `medesert calibrate`: history matching of a scenario's uncertain parameters to observed
//! targets, wave after wave through the sweep engine; resumable.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::budget::Say;
use super::{bar, init_pools};
use crate::cli::CalibrateArgs;
use crate::experiment::calibrate::waves::{evaluated, wave_dir, wave_sweep};
use crate::experiment::calibrate::{Outcome, file};
use crate::experiment::folder::claim as claim_sweep_folder;
use crate::experiment::runner::execute;
use crate::files::lock::FolderLock;
use crate::inputs::Inputs;
use crate::output::calibration;

/// The copy of the calibration file that identifies a calibration folder.
const IDENTITY: &str = "calibration.toml";

/// `medesert calibrate`.
pub fn calibrate(args: CalibrateArgs) -> Result<()> {
    let started = Instant::now();
    // Every check of the file happens here, before any run.
    let c = file::load(&args.calibration)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs")
            .join("calibrations")
            .join(&c.file.name)
    });
    // Every check before anything is created: a refusal leaves no folder behind.
    let identity = if args.estimate {
        None
    } else {
        check_claim(&args.calibration, &out)?
    };
    let threads = init_pools(args.threads, Some(1));
    let inputs = Inputs::load(&args.data).context("cannot load the data files")?;
    let runs_per_wave = c.file.points_per_wave * c.file.replicates as usize;
    super::guard::check_memory(&c.scenario, &inputs, threads.min(runs_per_wave))?;
    // Every wave runs; a calibration that stops early costs less.
    super::budget::announce(
        "calibrate",
        &c.scenario,
        &inputs,
        (
            (runs_per_wave * c.file.waves) as u64,
            threads,
            threads.min(runs_per_wave),
        ),
        Say::from_flags(args.estimate, args.quiet),
    )?;
    if args.estimate {
        return Ok(());
    }
    let created = crate::files::folder::missing_folders(&out);
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    // Held until the calibration ends: a second process on the same folder is refused.
    let lock = match FolderLock::acquire(&out, "calibrate") {
        Ok(lock) => lock,
        Err(e) => {
            crate::files::folder::remove_created(&created);
            return Err(e);
        }
    };
    if let Some(note) = lock.stale_note() {
        eprintln!("note: {note}");
    }
    if let Some(text) = identity {
        crate::experiment::runs::write_atomically(&out.join(IDENTITY), text.as_bytes())?;
    }
    let mut waves = Vec::new();
    let mut failed = Vec::new();
    let mut exhausted = None;
    for k in 1..=c.file.waves {
        let sweep = match wave_sweep(&c, &out, k, &waves)? {
            Ok(s) => s,
            Err(e) => {
                exhausted = Some(e);
                break;
            }
        };
        let dir = wave_dir(&out, k);
        let _wave = claim_sweep_folder(&dir, "calibrate")?;
        let progress = bar(
            sweep.runs(),
            args.quiet,
            "calibrate [{bar:30}] {pos}/{len} runs of {msg} ({elapsed}, {eta} left)",
        );
        progress.set_message(format!("wave {k}/{}", c.file.waves));
        execute(&sweep, &inputs, &dir, None, |_| progress.inc(1))?;
        progress.finish_and_clear();
        let (runs, lost) = evaluated(&c, &sweep, &dir)?;
        if runs.points.is_empty() {
            bail!(
                "wave {k}: every run failed (see {})",
                dir.join("runs.csv").display()
            );
        }
        failed.push(lost);
        let wave =
            crate::experiment::calibrate::history::Wave::assess(&runs, &c.targets, c.file.cutoff);
        if !args.quiet {
            let kept = wave.kept.iter().filter(|k| **k).count();
            println!(
                "wave {k}: {kept} of {} sets non-implausible",
                wave.kept.len()
            );
        }
        waves.push(wave);
    }
    let outcome = Outcome {
        calibration: &c,
        waves: &waves,
        failed_sets: &failed,
        exhausted,
    };
    calibration::write(&out, &outcome)?;
    if !args.quiet {
        println!(
            "{} waves, {threads} threads; wrote {} in {:.1} s",
            waves.len(),
            out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// A calibration writes into a new or empty folder, or resumes the same calibration there:
/// the text of its identity file to write (a new calibration), `None` to resume; nothing is
/// written here.
fn check_claim(file: &std::path::Path, out: &std::path::Path) -> Result<Option<String>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let identity = out.join(IDENTITY);
    match std::fs::read_to_string(&identity) {
        Ok(old) if old == text => Ok(None),
        Ok(_) => bail!(
            "{} holds another calibration ({IDENTITY} differs): choose another --out",
            out.display()
        ),
        Err(_) => {
            let empty = match std::fs::read_dir(out) {
                Ok(entries) => entries
                    .flatten()
                    .all(|e| e.file_name() == crate::files::lock::LOCK_FILE),
                Err(_) => true,
            };
            if !empty {
                bail!(
                    "{} is not empty and holds no calibration: choose a new or empty folder \
                     (medesert never writes among files it did not create)",
                    out.display()
                );
            }
            Ok(Some(text))
        }
    }
}
