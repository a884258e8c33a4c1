//! The report and the explorer in a real browser: Debian's `chromium`, driven by npm's
//! `playwright-core` (tests/browser/check.mjs; `npm ci --prefix tests/browser`). The report of
//! the default run opens from file:// in under 2 s, draws its curve and map with no console
//! error, and its year slider changes the headline; in `serve`, moving a slider reruns the
//! scenario and the new headline is the one `medesert run` gives with the same overrides.
//!
//! Without node, the npm package or chromium the test is skipped, except under CI (`CI` set),
//! where it fails. `MEDESERT_UPDATE_SCREENSHOTS=1` rewrites docs/img/report.png and
//! docs/img/explorer.png (the README's pictures) from this run.

mod common;
mod serving;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::ok;
use serde_json::Value;

/// The browser and its driver, or why they are missing.
fn tools() -> Result<(), String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Err(format!(
            "no browser at {chromium} (apt-get install chromium)"
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("no node (apt-get install nodejs npm)".into());
    }
    let driver = common::repo().join("tests/browser/node_modules/playwright-core");
    if !driver.exists() {
        return Err(format!(
            "no {} (npm ci --prefix tests/browser)",
            driver.display()
        ));
    }
    Ok(())
}

/// Whether to go on: true with the tools; false (skipped) without them, except in CI.
fn browser_available() -> bool {
    match tools() {
        Ok(()) => true,
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("the browser test cannot run in CI: {why}")
        }
        Err(why) => {
            eprintln!("skipped: {why}");
            false
        }
    }
}

/// Runs check.mjs and returns what it saw; fails on a driver failure or a console error.
fn check(mode: &str, target: &str, screenshot: &Path) -> Value {
    let out = Command::new("node")
        .current_dir(common::repo().join("tests/browser"))
        .args(["check.mjs", mode, target])
        .arg(screenshot)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    let seen: Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(seen.get("failure").is_none(), "{mode}: {}", seen["failure"]);
    assert_eq!(
        seen["errors"],
        Value::Array(vec![]),
        "{mode}: console errors"
    );
    seen
}

/// Where a screenshot goes: the README's picture with MEDESERT_UPDATE_SCREENSHOTS=1, else
/// the scratch folder.
fn screenshot(scratch: &Path, name: &str) -> PathBuf {
    if std::env::var_os("MEDESERT_UPDATE_SCREENSHOTS").is_some() {
        common::repo().join("docs/img").join(name)
    } else {
        scratch.join(name)
    }
}

#[test]
fn the_report_of_the_default_run_opens_offline_draws_and_replays_its_years() {
    if !browser_available() {
        return;
    }
    let dir = common::tmp("browser", "report");
    let run = dir.join("run");
    ok(common::medesert(&[
        "run",
        "--quiet",
        "--out",
        run.to_str().unwrap(),
    ]));
    ok(common::medesert(&[
        "report",
        run.to_str().unwrap(),
        "--quiet",
    ]));
    let file = run.join("report-fr.html");
    let bytes = std::fs::metadata(&file).unwrap().len();
    assert!(bytes < 5_000_000, "the report weighs {bytes} bytes");
    let seen = check(
        "report",
        file.to_str().unwrap(),
        &screenshot(&dir, "report.png"),
    );
    assert!(
        seen["open_ms"].as_u64().unwrap() < 2000,
        "opened in {} ms",
        seen["open_ms"]
    );
    assert!(seen["curves"].as_u64().unwrap() >= 2, "{seen}");
    assert_eq!(seen["departements"], 96, "{seen}");
    assert!(seen["stacks"].as_u64().unwrap() >= 5, "{seen}");
    assert_eq!(seen["table_rows"], 2040 - 2014 + 1);
    assert_eq!(seen["last"]["year"], 2040);
    assert_eq!(seen["first"]["year"], 2014);
    assert_ne!(seen["first"]["text"], seen["last"]["text"]);
    assert!(seen["last"]["text"].as_str().unwrap().ends_with('%'));
    assert_eq!(seen["tooltip"], true);
    // The headline is national.csv's CNAM share of the year shown.
    let table = std::fs::read_to_string(run.join("national.csv")).unwrap();
    let first = cnam_share(&table, "2014");
    assert!((seen["first"]["value"].as_f64().unwrap() - first).abs() < 1e-9);
}

#[test]
fn a_slider_in_serve_reruns_the_scenario_as_the_cli_runs_it() {
    if !browser_available() {
        return;
    }
    let dir = common::tmp("browser", "serve");
    std::fs::create_dir_all(&dir).unwrap();
    let server = serving::Server::start("configs/classroom.toml", &[]);
    let url = format!("http://127.0.0.1:{}/", server.port);
    let seen = check("serve", &url, &screenshot(&dir, "explorer.png"));
    drop(server);
    let (before, after) = (&seen["baseline"], &seen["policy"]);
    assert_eq!(after["year"], 2035);
    assert_ne!(
        before["value"], after["value"],
        "the slider changed nothing: {seen}"
    );
    assert!(seen["curves"].as_u64().unwrap() >= 2, "{seen}");
    assert_eq!(seen["departements"], 6, "Centre-Val de Loire's: {seen}");
    let refusal = seen["refusal"].as_str().unwrap();
    assert!(refusal.contains("--max-agents"), "{refusal}");
    // The same scenario on the command line.
    let run = dir.join("cli");
    let mut args = vec!["run".to_string(), "configs/classroom.toml".into()];
    for o in seen["overrides"].as_array().unwrap() {
        args.extend(["--set".to_string(), o.as_str().unwrap().to_string()]);
    }
    args.extend(["--quiet", "--out", run.to_str().unwrap()].map(String::from));
    ok(common::bin().args(&args).output().unwrap());
    let table = std::fs::read_to_string(run.join("national.csv")).unwrap();
    let cli = cnam_share(&table, "2035");
    let page = after["value"].as_f64().unwrap();
    assert!((page - cli).abs() < 1e-9, "page {page}, cli {cli}");
}

/// national.csv's `share_without_mt_17plus_cnam` in `year`.
fn cnam_share(table: &str, year: &str) -> f64 {
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "share_without_mt_17plus_cnam")
        .unwrap();
    let row = lines.find(|l| l.starts_with(&format!("{year},"))).unwrap();
    row.split(',').nth(col).unwrap().parse().unwrap()
}
