//! One simulation of the explorer, run on a blocking thread and sent to the page as lines of
//! JSON, one per simulated year, as they come (`application/x-ndjson`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::inputs::Inputs;
use crate::model::{Records, Simulation};
use crate::scenario::Scenario;
use crate::tables::{COLUMNS, national_values, unit_values};
use crate::web::report_data::{HEADLINE, NATIONAL_COLUMNS, round};

/// What the first line tells the page: how to rerun the same simulation from the command line.
#[derive(Debug, Clone, Serialize)]
pub struct Start {
    /// The `--set` overrides of the request.
    pub overrides: Vec<String>,
    /// `medesert run SCENARIO --set …`, quoted for a POSIX shell.
    pub command: String,
    /// First and last simulated years.
    pub years: [u16; 2],
    /// Patient agents of the simulated communes.
    pub agents: u64,
    /// Values outside their plausible ranges (the warnings `run` prints).
    pub warnings: Vec<String>,
}

/// Sends one line; false once the page has gone (or the run was cancelled).
pub type Send<'a> = &'a mut dyn FnMut(String) -> bool;

/// Runs `s` year by year and sends its lines: the start, one per year, then `done` (or
/// `error`). Stops early when `cancel` is set or the page stops reading. Returns every line
/// sent when the run finished (to cache), none when it stopped early.
pub fn simulate(
    s: &Scenario,
    inputs: &Inputs,
    start: &Start,
    cancel: &Arc<AtomicBool>,
    send: Send,
) -> Option<Vec<String>> {
    let started = Instant::now();
    let mut lines = Vec::new();
    let mut emit = |line: String, lines: &mut Vec<String>| {
        lines.push(line.clone());
        !cancel.load(Ordering::Relaxed) && send(line)
    };
    let first = json!({ "type": "start", "start": start }).to_string();
    if !emit(first, &mut lines) {
        return None;
    }
    let mut sim = match Simulation::new(s, inputs) {
        Ok(sim) => sim,
        Err(e) => {
            send(error_line(&e.to_string()));
            return None;
        }
    };
    while sim.year() <= s.end_year {
        sim.step();
        let line = year_line(
            sim.records(),
            sim.communes(),
            started.elapsed().as_secs_f64(),
        );
        if !emit(line, &mut lines) {
            return None;
        }
    }
    let done = json!({ "type": "done", "elapsed_s": seconds(started) }).to_string();
    emit(done, &mut lines).then_some(lines)
}

/// An `error` line with its message.
pub fn error_line(message: &str) -> String {
    json!({ "type": "error", "message": message }).to_string()
}

fn seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}

/// The last simulated year: the national indicators the page draws (the values of
/// national.csv, by the same functions) and the headline of every département.
fn year_line(records: &Records, communes: &crate::model::Communes, elapsed_s: f64) -> String {
    let Some(last) = records.years.last() else {
        return error_line("no year recorded");
    };
    let mut one = Records::default();
    one.years.push(last.clone());
    let mut national = Map::new();
    if let Some((_, _, values)) = national_values(&one).first() {
        for (column, v) in COLUMNS.iter().zip(values) {
            if NATIONAL_COLUMNS.contains(column) {
                national.insert(column.to_string(), number(*v));
            }
        }
    }
    let at = COLUMNS.iter().position(|c| *c == HEADLINE);
    let mut departements = Map::new();
    for (_, keys, values) in unit_values(&one, communes, true) {
        let v = at.and_then(|k| values.get(k)).copied().unwrap_or(f64::NAN);
        departements.insert(keys[0].clone(), number(v));
    }
    json!({
        "type": "year",
        "year": last.year,
        "national": national,
        "departements": departements,
        "elapsed_s": (elapsed_s * 1000.0).round() / 1000.0,
    })
    .to_string()
}

/// A value as JSON: rounded as the CSV writes shares, null where undefined.
fn number(v: f64) -> Value {
    if v.is_finite() {
        json!(round(v))
    } else {
        Value::Null
    }
}

/// `medesert run SCENARIO --set …` as a POSIX shell reads it.
pub fn command(scenario: &str, overrides: &[String]) -> String {
    let quote = |t: &str| format!("'{}'", t.replace('\'', "'\\''"));
    let mut parts = vec!["medesert".to_string(), "run".to_string(), quote(scenario)];
    for o in overrides {
        parts.push("--set".to_string());
        parts.push(quote(o));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_quotes_what_a_shell_would_split() {
        let c = command(
            "configs/classroom.toml",
            &["policy=[{ a = \"it's\" }]".into()],
        );
        assert_eq!(
            c,
            "medesert run 'configs/classroom.toml' --set 'policy=[{ a = \"it'\\''s\" }]'"
        );
    }
}
