//! Helpers of tests/data_files.rs: a corrupted copy of `data/`, and runs that fail rather
//! than hang.

use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use medesert::inputs::Inputs;

use super::common;

/// A run that takes longer has hung (a tiny scenario takes about a second).
pub const HANG: Duration = Duration::from_secs(60);

pub use super::common::corrupt;

/// 1-based line of the first line of `text` starting with `prefix`.
pub fn line_of(text: &str, prefix: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix:?}"))
}

/// Sets cell `column` of the first line starting with `prefix`; returns the text and the line.
pub fn set_cell(text: &str, prefix: &str, column: &str, value: &str) -> (String, usize) {
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let c = header.iter().position(|h| *h == column).unwrap();
    let n = line_of(text, prefix);
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 != n {
                return l.to_string();
            }
            let mut cells: Vec<&str> = l.split(',').collect();
            cells[c] = value;
            cells.join(",")
        })
        .collect();
    (lines.join("\n") + "\n", n)
}

/// Keeps the lines of `text` for which `keep` holds.
pub fn keep_lines(text: &str, keep: impl Fn(&str) -> bool) -> String {
    text.lines()
        .filter(|l| keep(l))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Runs `f` on another thread; fails the test if it panics or takes longer than [`HANG`].
pub fn within_limit<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()));
    match rx.recv_timeout(HANG) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("hung for more than {HANG:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("panicked"),
    }
}

/// Loads `dir`, which must be refused; returns the whole message.
pub fn refused(dir: &Path) -> String {
    let dir = dir.to_path_buf();
    match within_limit(move || Inputs::load(&dir)) {
        Ok(_) => panic!("corrupt data was accepted"),
        Err(e) => format!("{e:#}"),
    }
}

/// Asserts that `message` contains every needle.
pub fn says(message: &str, needles: &[&str]) {
    for n in needles {
        assert!(message.contains(n), "{n:?} not in: {message}");
    }
}

/// Runs the binary from `cwd` with `args`, killed after [`HANG`]: (success, stderr).
pub fn medesert_in(cwd: &Path, args: &[&str]) -> (bool, String) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = common::bin_in(cwd)
        .args(args)
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .expect("the binary starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            child.kill().ok();
            child.wait().ok();
            panic!("medesert {args:?} hung for more than {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let err = std::fs::read_to_string(log.path()).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    (status.success(), err)
}

/// `configs/tiny.toml` (two départements), as an absolute path.
pub fn tiny() -> String {
    common::repo()
        .join("configs/tiny.toml")
        .display()
        .to_string()
}
