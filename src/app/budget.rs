//! What a batch will cost, said before it starts: `sweep`, `calibrate` and `compare` time a
//! short run of their scenario on this machine (its construction and first years: a probe),
//! scale it to the batch's runs, years and threads, and print the estimate with the memory
//! the runs at once will need, when the batch is expected to last more than a minute.
//!
//! The probe measures CPU time (the process's clock), so a run's cost is the same whether the
//! probe used one thread or several; the batch's wall time is then that cost × runs ÷
//! threads (runs go in parallel, each on its own thread), and never less than one run's wall
//! time. Checked against the measured times of the shipped sweep files in BENCHMARKS.md
//! ("Batch estimates").

use std::time::Instant;

use anyhow::Result;

use crate::inputs::Inputs;
use crate::model::Simulation;
use crate::scenario::Scenario;

/// Years the probe simulates after building the run (fewer when the run is shorter).
const PROBE_YEARS: u16 = 2;
/// Batches expected to take less than this are started without a word, seconds.
const ANNOUNCE_ABOVE_S: f64 = 60.0;
/// The mean year of a run over the mean of its first [`PROBE_YEARS`]: later years cost more
/// (more people searching, more GPs and structures). Measured 2014–2040 on one thread:
/// Bretagne at 1:50 with its France run 1.12, Finistère at 1:1 1.6 (BENCHMARKS.md, "Batch
/// estimates"); a value between them.
const LATER_YEARS: f64 = 1.3;

/// The measured cost of one run of a scenario: its construction and one year, in CPU and
/// wall seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probe {
    pub build_cpu_s: f64,
    pub year_cpu_s: f64,
    pub build_wall_s: f64,
    pub year_wall_s: f64,
}

impl Probe {
    /// Builds `s` and simulates its first years, timing both (a year's cost: the first
    /// years' mean × [`LATER_YEARS`]).
    pub fn measure(s: &Scenario, inputs: &Inputs) -> Result<Probe> {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let mut sim = Simulation::new(s, inputs)?;
        let (build_wall_s, build_cpu_s) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        let years = PROBE_YEARS.min(s.end_year - s.start_year + 1);
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        for _ in 0..years {
            sim.step();
        }
        let per_year = f64::from(years.max(1)) / LATER_YEARS;
        Ok(Probe {
            build_cpu_s,
            year_cpu_s: (cpu_seconds() - cpu) / per_year,
            build_wall_s,
            year_wall_s: wall.elapsed().as_secs_f64() / per_year,
        })
    }

    /// CPU seconds of one run of `years` years.
    pub fn run_cpu_s(&self, years: u16) -> f64 {
        self.build_cpu_s + f64::from(years) * self.year_cpu_s
    }

    /// Estimated wall seconds of `runs` runs of `years` years on `threads` threads.
    pub fn batch_s(&self, years: u16, runs: u64, threads: usize) -> f64 {
        let one_run_wall = self.build_wall_s + f64::from(years) * self.year_wall_s;
        let spread = self.run_cpu_s(years) * runs as f64 / threads.max(1) as f64;
        if runs == 0 {
            0.0
        } else {
            spread.max(one_run_wall)
        }
    }
}

/// When to say what a batch will cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Say {
    /// Never (`--quiet`): no probe either.
    Nothing,
    /// When the batch is expected to last more than a minute.
    IfLong,
    /// Always (`--estimate`).
    Always,
}

impl Say {
    /// `--estimate` says it always, `--quiet` never, otherwise when the batch is long.
    pub fn from_flags(estimate: bool, quiet: bool) -> Say {
        match (estimate, quiet) {
            (true, _) => Say::Always,
            (false, true) => Say::Nothing,
            (false, false) => Say::IfLong,
        }
    }
}

/// Prints (on stderr) the estimated wall time and memory of a batch of `runs` runs of `s` on
/// `threads` threads, `concurrent` at once, as `say` says.
pub fn announce(
    what: &str,
    s: &Scenario,
    inputs: &Inputs,
    (runs, threads, concurrent): (u64, usize, usize),
    say: Say,
) -> Result<()> {
    if say == Say::Nothing || runs == 0 {
        return Ok(());
    }
    let probe = Probe::measure(s, inputs)?;
    let years = s.end_year - s.start_year + 1;
    let seconds = probe.batch_s(years, runs, threads);
    if say == Say::IfLong && seconds < ANNOUNCE_ABOVE_S {
        return Ok(());
    }
    let (bytes, _) = super::guard::run_bytes(s, inputs)?;
    eprintln!(
        "{what}: {runs} runs of {years} years on {threads} thread(s): about {} \
         ({:.1} CPU s a run, timed on this machine: {:.1} s to build, {:.2} s a year); \
         memory about {:.1} GB ({concurrent} run(s) at once)",
        duration(seconds),
        probe.run_cpu_s(years),
        probe.build_cpu_s,
        probe.year_cpu_s,
        bytes * concurrent.max(1) as f64 / 1e9,
    );
    Ok(())
}

/// A duration for people: "0.4 s", "45 s", "3 min 20 s", "2 h 05 min".
pub fn duration(seconds: f64) -> String {
    if seconds < 9.95 {
        return format!("{seconds:.1} s");
    }
    let s = seconds.round() as u64;
    match s {
        0..=89 => format!("{s} s"),
        90..=3599 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

/// CPU seconds this process has used, all threads (Linux); wall-clock seconds since an
/// arbitrary start elsewhere, which times a probe on one thread alike.
fn cpu_seconds() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
    }
    #[cfg(not(target_os = "linux"))]
    {
        use std::sync::OnceLock;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe() -> Probe {
        Probe {
            build_cpu_s: 2.0,
            year_cpu_s: 0.5,
            build_wall_s: 1.0,
            year_wall_s: 0.3,
        }
    }

    #[test]
    fn a_batch_spreads_its_runs_over_the_threads_and_lasts_at_least_one_run() {
        let p = probe();
        // 10 runs of 20 years: 12 CPU s each, 120 s on one thread, 60 on two.
        assert_eq!(p.batch_s(20, 10, 1), 120.0);
        assert_eq!(p.batch_s(20, 10, 2), 60.0);
        // One run on 16 threads still takes its own wall time (1 + 20 × 0.3 = 7 s).
        assert_eq!(p.batch_s(20, 1, 16), 7.0);
        assert_eq!(p.batch_s(20, 0, 2), 0.0);
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(0.42), "0.4 s");
        assert_eq!(duration(44.6), "45 s");
        assert_eq!(duration(200.0), "3 min 20 s");
        assert_eq!(duration(7500.0), "2 h 05 min");
    }

    #[test]
    fn the_probe_of_a_small_run_counts_its_build_and_its_years() {
        let inputs = Inputs::load(&crate::model::testing::data_dir()).unwrap();
        let s = crate::scenario::load(std::path::Path::new("configs/tiny.toml"), &[]).unwrap();
        let p = Probe::measure(&s, &inputs).unwrap();
        assert!(p.build_cpu_s > 0.0 && p.year_cpu_s > 0.0, "{p:?}");
        assert!(p.build_wall_s > 0.0 && p.year_wall_s > 0.0, "{p:?}");
        // More runs cost more.
        assert!(p.batch_s(27, 100, 2) > p.batch_s(27, 10, 2));
    }
}
