//! Downloading a job's images: each to a `.part` file with a progress bar,
//! checked for length and SHA-256, then renamed into place; a download that
//! fails in any way leaves no `.part` file behind. A file already
//! in place and correct is kept (a job that comes back after a crash).

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use printvault_domain::dispatch::disc::Fetch;
use printvault_domain::dispatch::{Asset, LabJob};
use printvault_domain::when::Timestamp;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{asset_path, PrintLab};

/// One file to fetch: what it is called in messages, where from, and what
/// it must be.
pub(crate) struct Want<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub url_expires_at: Timestamp,
    pub bytes: u64,
    pub sha256: &'a str,
}

impl<'a> Want<'a> {
    pub(crate) fn asset(a: &'a Asset) -> Self {
        Self {
            name: a.image_id.as_str(),
            url: &a.url,
            url_expires_at: a.url_expires_at,
            bytes: a.bytes,
            sha256: &a.sha256,
        }
    }

    pub(crate) fn fetch(name: &'a str, f: &'a Fetch) -> Self {
        Self {
            name,
            url: &f.url,
            url_expires_at: f.url_expires_at,
            bytes: f.bytes,
            sha256: &f.sha256,
        }
    }
}

/// Whether `path` holds exactly `want`'s bytes (read in pieces).
pub(crate) fn is_complete(path: &Path, want: &Want<'_>) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    meta.len() == want.bytes && sha256_of(path).is_ok_and(|sha| sha == want.sha256)
}

/// The SHA-256 (hex) of the file at `path`, read a megabyte at a time.
pub(crate) fn sha256_of(path: &Path) -> anyhow::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            return Ok(hex::encode(hash.finalize()));
        }
        hash.update(&buf[..n]);
    }
}

impl PrintLab {
    /// Fetches every asset of `job` into `dir`; returns (downloaded, kept).
    pub(crate) async fn fetch_assets(&self, job: &LabJob, dir: &Path) -> anyhow::Result<(usize, usize)> {
        let (mut downloaded, mut kept) = (0, 0);
        for asset in &job.assets {
            let path = asset_path(dir, asset.image_id.as_str(), &asset.format);
            if self.fetch_to(&Want::asset(asset), &path, &job.job_id).await? {
                downloaded += 1;
            } else {
                kept += 1;
            }
        }
        Ok((downloaded, kept))
    }

    /// Fetches `want` to `path` unless it is there and correct already;
    /// `true` when it was downloaded.
    pub(crate) async fn fetch_to(&self, want: &Want<'_>, path: &Path, job_id: &str) -> anyhow::Result<bool> {
        if is_complete(path, want) {
            return Ok(false);
        }
        self.download(want, path, job_id).await?;
        Ok(true)
    }

    async fn download(&self, asset: &Want<'_>, path: &Path, job_id: &str) -> anyhow::Result<()> {
        let image = asset.name;
        let mut res = self
            .http
            .get(asset.url)
            .send()
            .await
            .with_context(|| format!("fetching {image} for job {job_id}"))?;
        if !res.status().is_success() {
            bail!(
                "fetching {image} for job {job_id}: {} (the URL works until {})",
                res.status(),
                asset.url_expires_at
            );
        }
        // A length the server announces is checked before anything is written.
        if let Some(len) = res.content_length().filter(|&l| l != asset.bytes) {
            bail!(
                "fetching {image} for job {job_id}: the server sends {len} bytes; the job says {}",
                asset.bytes
            );
        }
        let bar = if self.progress {
            let b = ProgressBar::new(asset.bytes);
            b.set_style(
                ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.set_message(format!("{job_id} {image}"));
            b
        } else {
            ProgressBar::hidden()
        };
        // Removed on every way out but the rename into place.
        let mut part = PartFile::create(part_path(path))?;
        let mut hash = Sha256::new();
        let mut got: u64 = 0;
        while let Some(chunk) = res
            .chunk()
            .await
            .with_context(|| format!("downloading {image} for job {job_id}"))?
        {
            got += chunk.len() as u64;
            if got > asset.bytes {
                bail!(
                    "fetching {image} for job {job_id}: the download is longer than the job says ({} bytes)",
                    asset.bytes
                );
            }
            hash.update(&chunk);
            part.write_all(&chunk)?;
            bar.set_position(got);
        }
        bar.finish_and_clear();
        let sha = hex::encode(hash.finalize());
        if got != asset.bytes || sha != asset.sha256 {
            bail!(
                "{image} arrived as {got} bytes with SHA-256 {sha}; the job says {} bytes, {}",
                asset.bytes,
                asset.sha256
            );
        }
        part.finish(path)
    }
}

/// `<path>.part`: where a download to `path` goes until it is checked.
fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".part");
    path.with_file_name(name)
}

/// A download in progress, `<file>.part`: deleted when dropped unless
/// [`PartFile::finish`] moved it into place, so a download that fails in
/// any way (too long, cut off, a bad checksum, a full disk) leaves nothing.
struct PartFile {
    path: PathBuf,
    file: Option<std::fs::File>,
}

impl PartFile {
    fn create(path: PathBuf) -> anyhow::Result<Self> {
        let file = std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        Ok(Self {
            path,
            file: Some(file),
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let file = self.file.as_mut().context("the part file is closed")?;
        file.write_all(bytes)
            .with_context(|| format!("writing {}", self.path.display()))
    }

    /// Syncs the file and renames it to `to`.
    fn finish(mut self, to: &Path) -> anyhow::Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()
                .with_context(|| format!("writing {}", self.path.display()))?;
        }
        std::fs::rename(&self.path, to).with_context(|| format!("moving {} into place", to.display()))?;
        // In place: nothing is left to delete.
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        // Closed first, then deleted.
        drop(self.file.take());
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
