//! A `medesert serve` process for the tests, on a free port, and plain HTTP/1.0 requests to
//! it (no client library: a request is a line of text, the answer ends when the server
//! closes the connection).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server, stopped when dropped.
pub struct Server {
    child: Child,
    /// Its standard output, kept open so that a later line never meets a closed pipe.
    _stdout: BufReader<std::process::ChildStdout>,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Server {
    /// Starts `medesert serve SCENARIO ARGS…` from the repository root and waits until it
    /// listens.
    pub fn start(scenario: &str, args: &[&str]) -> Server {
        // A port the system just handed out is free (the race with another process is
        // negligible on a test machine).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut child = Command::new(env!("CARGO_BIN_EXE_medesert"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["serve", scenario, "--port", &port.to_string()])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("medesert serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("serve prints its address");
        assert!(line.contains("http://127.0.0.1"), "serve said {line:?}");
        Server {
            child,
            _stdout: stdout,
            port,
        }
    }

    /// `GET path` (with its query): the status code and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        Server::get_on(self.port, path)
    }

    /// `GET path` on a server at `port` (from another thread).
    pub fn get_on(port: u16, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("the server accepts");
        s.set_read_timeout(Some(Duration::from_secs(120))).ok();
        write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").expect("request sent");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("answer read");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    /// Whether the process is still running (it never exits on a request).
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}
