//! `local-runner run` as a real process: its stdout line by line, its log
//! (stderr) as it grows, and Ctrl-C.

use std::io::BufRead;
use std::io::BufReader;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `local-runner run`.
pub struct Running {
    pub child: Child,
    /// Its stdout, a line at a time.
    pub lines: Receiver<String>,
    /// Its log so far (stderr), where each email and each sweep is shown.
    pub log: Arc<Mutex<String>>,
}

impl Running {
    /// Starts `local-runner --stage STAGE run --listen 127.0.0.1:0 EXTRA…`.
    pub fn start(stage: &str, extra: &[&str]) -> Self {
        let mut child = super::runner()
            .args(["--stage", stage, "run", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (stderr, sink) = (child.stderr.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let (tx, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines, log }
    }

    /// The next stdout line, within `secs`.
    pub fn next_line(&self, secs: u64, what: &str) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(secs))
            .unwrap_or_else(|_| panic!("{what} within {secs} s; log:\n{}", self.log()))
    }

    /// The moto endpoint (`host:port`) and the api (`host:port`), from the
    /// lines the runner prints when it is up.
    pub fn addresses(&self) -> (String, String) {
        let (mut moto, mut api) = (None, None);
        while api.is_none() {
            let line = self.next_line(120, "local-runner says where the api is");
            if let Some(rest) = line.strip_prefix("local AWS (moto) at http://") {
                moto = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.strip_prefix("printvault API listening on http://") {
                api = rest.split('/').next().map(str::to_owned);
            }
        }
        (moto.expect("the moto line comes first"), api.unwrap())
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log holds a line with every one of `parts`.
    pub fn wait_log(&self, secs: u64, parts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let log = self.log();
            if let Some(line) = log.lines().find(|l| parts.iter().all(|p| l.contains(p))) {
                return line.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no line with {parts:?} in the log:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Ctrl-C (SIGINT); the exit status, within 30 s.
    pub fn interrupt(mut self) -> ExitStatus {
        let sent = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "still running 30 s after Ctrl-C");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Running {
    /// A test that fails midway leaves no runner behind.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
