//! Downloading a job's images: each to a `.part` file with a progress bar,
//! checked for length and SHA-256, then renamed into place. A file already
//! in place and correct is kept (a job that comes back after a crash).

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use printvault_domain::dispatch::{Asset, LabJob};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

use crate::{asset_path, PrintLab};

/// Whether `path` holds exactly `asset`'s bytes.
pub(crate) fn is_complete(path: &Path, asset: &Asset) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if meta.len() != asset.bytes {
        return false;
    }
    std::fs::read(path).is_ok_and(|b| hex::encode(Sha256::digest(&b)) == asset.sha256)
}

impl PrintLab {
    /// Fetches every asset of `job` into `dir`; returns (downloaded, kept).
    pub(crate) async fn fetch_assets(&self, job: &LabJob, dir: &Path) -> anyhow::Result<(usize, usize)> {
        let (mut downloaded, mut kept) = (0, 0);
        for asset in &job.assets {
            let path = asset_path(dir, asset.image_id.as_str(), &asset.format);
            if is_complete(&path, asset) {
                kept += 1;
                continue;
            }
            self.download(asset, &path, &job.job_id).await?;
            downloaded += 1;
        }
        Ok((downloaded, kept))
    }

    async fn download(&self, asset: &Asset, path: &Path, job_id: &str) -> anyhow::Result<()> {
        let part = path.with_extension("part");
        let mut res = self
            .http
            .get(&asset.url)
            .send()
            .await
            .with_context(|| format!("fetching {} for job {job_id}", asset.image_id))?;
        if !res.status().is_success() {
            bail!(
                "fetching {} for job {job_id}: {} (the URL works until {})",
                asset.image_id,
                res.status(),
                asset.url_expires_at
            );
        }
        let bar = if self.progress {
            let b = ProgressBar::new(asset.bytes);
            b.set_style(
                ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.set_message(format!("{job_id} {}", asset.image_id));
            b
        } else {
            ProgressBar::hidden()
        };
        let mut file = std::fs::File::create(&part).with_context(|| format!("writing {}", part.display()))?;
        let mut hash = Sha256::new();
        let mut got: u64 = 0;
        while let Some(chunk) = res
            .chunk()
            .await
            .with_context(|| format!("downloading {}", asset.image_id))?
        {
            got += chunk.len() as u64;
            if got > asset.bytes {
                bail!(
                    "{} is larger than the job says ({} bytes)",
                    asset.image_id,
                    asset.bytes
                );
            }
            hash.update(&chunk);
            file.write_all(&chunk)
                .with_context(|| format!("writing {}", part.display()))?;
            bar.set_position(got);
        }
        file.sync_all().ok();
        bar.finish_and_clear();
        let sha = hex::encode(hash.finalize());
        if got != asset.bytes || sha != asset.sha256 {
            let _ = std::fs::remove_file(&part);
            bail!(
                "{} arrived as {got} bytes with SHA-256 {sha}; the job says {} bytes, {}",
                asset.image_id,
                asset.bytes,
                asset.sha256
            );
        }
        std::fs::rename(&part, path).with_context(|| format!("moving {} into place", path.display()))?;
        Ok(())
    }
}
