//! A moto server as a child process. It listens on a free loopback port and
//! exits when its stdin closes, so it dies with whoever started it, even on
//! a crash or Ctrl-C.

use anyhow::{bail, Context};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct MotoServer {
    pub endpoint: String,
    /// With IAM enforced: each user's access key and secret, by user name.
    pub keys: std::collections::HashMap<String, (String, String)>,
    // Held for its stdin pipe: when this process exits the pipe closes and
    // moto stops.
    _child: Child,
}

/// The Python that has moto installed: `$MOTO_PYTHON`, else the repo's `.venv`.
pub fn default_python() -> PathBuf {
    if let Some(p) = std::env::var_os("MOTO_PYTHON") {
        return PathBuf::from(p);
    }
    repo_root().join(".venv/bin/python")
}

/// The workspace root, found from this crate's manifest directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl MotoServer {
    /// Starts moto and waits (blocking, about a second) until it listens.
    pub fn start(python: &Path) -> anyhow::Result<Self> {
        Self::spawn(python, &[])
    }

    /// Starts a moto that handles one request at a time (SQS receives
    /// excepted), so each DynamoDB call is atomic as on AWS; for tests that
    /// run requests in parallel. See `infra/moto_server.py`.
    pub fn start_serialised(python: &Path) -> anyhow::Result<Self> {
        Self::spawn(python, &["--serialised"])
    }

    /// A serialised moto that enforces IAM for every request, with one user
    /// per entry of `policies` (a JSON file: user name -> policy document).
    pub fn start_enforcing_iam(python: &Path, policies: &Path) -> anyhow::Result<Self> {
        let path = policies.to_str().context("a UTF-8 path")?;
        Self::spawn(python, &["--serialised", "--iam", path])
    }

    fn spawn(python: &Path, args: &[&str]) -> anyhow::Result<Self> {
        let script = repo_root().join("infra/moto_server.py");
        let mut child = Command::new(python)
            .arg(&script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| {
                format!(
                    "starting moto with {} (run `make venv` to install it)",
                    python.display()
                )
            })?;
        let stdout = child.stdout.take().context("moto stdout")?;
        let mut keys = std::collections::HashMap::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading moto's output")?;
            if let Some(json) = line.strip_prefix("MOTO_KEYS=") {
                let raw: std::collections::HashMap<String, (String, String)> =
                    serde_json::from_str(json).context("moto printed bad keys")?;
                keys = raw;
            }
            if let Some(p) = line.strip_prefix("MOTO_PORT=") {
                let port: u16 = p.trim().parse().context("moto printed a bad port")?;
                return Ok(Self {
                    endpoint: format!("http://127.0.0.1:{port}"),
                    keys,
                    _child: child,
                });
            }
        }
        bail!(
            "moto exited before reporting its port; is moto[server] installed in {}?",
            python.display()
        )
    }
}
