//! A moto server as a child process. It listens on a free loopback port and
//! exits when its stdin closes, so it dies with whoever started it, even on
//! a crash or Ctrl-C.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct MotoServer {
    pub endpoint: String,
    // Held for its stdin: dropping the child closes the pipe and stops moto.
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
    pub async fn start(python: &Path) -> anyhow::Result<Self> {
        let script = repo_root().join("infra/moto_server.py");
        let mut child = Command::new(python)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!(
                    "starting moto with {} (run `make venv` to install it)",
                    python.display()
                )
            })?;
        let stdout = child.stdout.take().context("moto stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let read_port = async {
            while let Some(line) = lines.next_line().await? {
                if let Some(p) = line.strip_prefix("MOTO_PORT=") {
                    return Ok::<_, anyhow::Error>(p.trim().parse::<u16>()?);
                }
            }
            bail!("moto exited before reporting its port")
        };
        let port = tokio::time::timeout(std::time::Duration::from_secs(60), read_port)
            .await
            .context("moto did not start within 60 s")??;
        Ok(Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _child: child,
        })
    }
}
