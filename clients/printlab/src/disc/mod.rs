//! Disc jobs (M32). For a paid archive disc printlab:
//! 1. checks the job, fetches its manifest and checks that too
//!    ([`check`]; the manifest's own length and SHA-256 first);
//! 2. keeps the job (`job.json`) and fetches every original into the
//!    disc's folder, `<hot>/<order>/disc/root/`
//!    at its path on the disc, checking each file's length and SHA-256;
//!    the index sheet (PDF, and a PNG of each page) goes there too, and the
//!    label beside it (`label.png`, for the disc printer);
//! 3. writes an XMP sidecar beside each original and `index.html`
//!    ([`files`]), and reports the disc `accepted`;
//! 4. builds the ISO 9660 + Joliet + Rock Ridge image, `<volume>.iso`
//!    ([`iso`]), refusing one larger than the disc;
//! 5. reads it back and checks that it holds exactly the folder's files,
//!    byte for byte (every SHA-256);
//! 6. runs the lab's burn command (`--burn-command`), once: a `BURNT`
//!    marker with the image's SHA-256 keeps a retry from burning again;
//! 7. reports the disc `written` with the image's SHA-256, marks the job
//!    `DONE`, and only then is the message deleted.
//!
//! Safe to repeat at every step: a file in place and correct is kept, the
//! same job builds the same image (its dates are the job's), and the api
//! answers a report made before as it did then.

mod check;
pub mod files;
pub mod iso;

use anyhow::{bail, Context};
use printvault_domain::dispatch::disc::{sidecar_path, DiscJob, DiscManifest};
use serde_json::json;
use std::path::{Path, PathBuf};

use crate::fetch::{sha256_of, Want};
use crate::{Handled, PrintLab};

impl PrintLab {
    /// The folder of a disc job: `<hot>/<order>/disc`.
    pub fn disc_dir(&self, job: &DiscJob) -> PathBuf {
        self.hot_folder.join(job.merchant_reference.as_str()).join("disc")
    }

    /// Handles disc job `job`; see the module's steps.
    pub async fn handle_disc(&self, job: &DiscJob) -> anyhow::Result<Handled> {
        check::job(job, self.insecure_http)?;
        let dir = self.disc_dir(job);
        let done = dir.join("DONE");
        if done.exists() {
            return Ok(Handled::Duplicate {
                job_id: job.job_id.clone(),
            });
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("making {}", dir.display()))?;
        let id = &job.job_id;
        write_if_changed(&dir.join("job.json"), &serde_json::to_vec_pretty(job)?)?;
        let manifest_path = dir.join("manifest.json");
        self.fetch_to(&Want::fetch("the manifest", &job.manifest), &manifest_path, id)
            .await?;
        let manifest: DiscManifest =
            serde_json::from_slice(&std::fs::read(&manifest_path)?).with_context(|| {
                format!("job {id}: the manifest is not a disc manifest (docs/lab-job.schema.json)")
            })?;
        check::manifest(&manifest, job, self.insecure_http)?;

        let root = dir.join("root");
        let (downloaded, kept) = self.fetch_disc_files(job, &manifest, &root, &dir).await?;
        for f in &manifest.files {
            write_if_changed(&root.join(sidecar_path(&f.path)), files::sidecar(f).as_bytes())?;
        }
        let html = files::index_html(job, &manifest.files, manifest.sheet.pages.len());
        write_if_changed(&root.join("index.html"), html.as_bytes())?;
        self.report_disc(job, json!({"stage": "accepted"})).await?;

        let image = dir.join(format!("{}.iso", job.disc.volume_id));
        let bytes = iso::build(
            &root,
            &image,
            &job.disc.volume_id,
            job.created_at,
            job.disc.capacity_bytes,
        )?;
        let on_disc = iso::list(&image)?;
        let staged = iso::list_folder(&root)?;
        if on_disc != staged {
            bail!(
                "job {id}: the disc image read back differs from its files: {}",
                first_difference(&staged, &on_disc)
            );
        }
        let image_sha256 = sha256_of(&image)?;
        self.burn(job, &dir, &image, &image_sha256)?;
        self.report_disc(job, json!({"stage": "written", "image_sha256": image_sha256}))
            .await?;
        std::fs::write(&done, id).with_context(|| format!("writing {}", done.display()))?;
        Ok(Handled::Written {
            job_id: id.clone(),
            downloaded,
            kept,
            files: on_disc.len(),
            bytes,
            image_sha256,
        })
    }

    /// Fetches the originals, the sheet and the label; returns (downloaded,
    /// kept).
    async fn fetch_disc_files(
        &self,
        job: &DiscJob,
        m: &DiscManifest,
        root: &Path,
        dir: &Path,
    ) -> anyhow::Result<(usize, usize)> {
        let id = &job.job_id;
        let names: Vec<String> = (1..=m.sheet.pages.len())
            .map(|n| format!("sheet page {n}"))
            .collect();
        let mut wanted: Vec<(Want<'_>, PathBuf)> = m
            .files
            .iter()
            .map(|f| (Want::fetch(f.image_id.as_str(), &f.fetch), root.join(&f.path)))
            .collect();
        wanted.push((
            Want::fetch("the sheet", &m.sheet.pdf),
            root.join("index-sheet.pdf"),
        ));
        for (n, (p, name)) in m.sheet.pages.iter().zip(&names).enumerate() {
            wanted.push((
                Want::fetch(name, p),
                root.join("index-sheet").join(format!("page-{:02}.png", n + 1)),
            ));
        }
        wanted.push((Want::fetch("the label", &m.label), dir.join("label.png")));
        let (mut downloaded, mut kept) = (0, 0);
        for (want, path) in &wanted {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("making {}", parent.display()))?;
            }
            if self.fetch_to(want, path, id).await? {
                downloaded += 1;
            } else {
                kept += 1;
            }
        }
        Ok((downloaded, kept))
    }

    /// Runs the lab's burn command for `image`, unless it ran for this
    /// image before (`BURNT` holds its SHA-256).
    fn burn(&self, job: &DiscJob, dir: &Path, image: &Path, sha256: &str) -> anyhow::Result<()> {
        let burnt = dir.join("BURNT");
        if std::fs::read_to_string(&burnt).is_ok_and(|s| s.trim() == sha256) {
            return Ok(());
        }
        let Some(command) = &self.burn_command else {
            tracing::info!(image = %image.display(), "no burn command: the image is left for the lab");
            return Ok(());
        };
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .env("PRINTLAB_ISO", image)
            .env("PRINTLAB_ISO_SHA256", sha256)
            .env("PRINTLAB_LABEL", dir.join("label.png"))
            .env("PRINTLAB_VOLUME_ID", &job.disc.volume_id)
            .env("PRINTLAB_JOB_ID", &job.job_id)
            .status()
            .with_context(|| format!("running the burn command {command:?}"))?;
        if !status.success() {
            bail!(
                "job {}: the burn command {command:?} failed ({status})",
                job.job_id
            );
        }
        std::fs::write(&burnt, sha256).with_context(|| format!("writing {}", burnt.display()))
    }

    /// Reports `body` (`{"stage": …}`) for `job`'s disc.
    async fn report_disc(&self, job: &DiscJob, body: serde_json::Value) -> anyhow::Result<serde_json::Value> {
        let url = format!(
            "{}/v1/lab/orders/{}/disc/reports",
            self.api.trim_end_matches('/'),
            job.merchant_reference
        );
        crate::post_report(&self.http, &url, &self.key, body).await
    }
}

/// Writes `bytes` to `path` (and its folder) unless it holds them already.
fn write_if_changed(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if std::fs::read(path).is_ok_and(|b| b == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("making {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// The first file that differs between two listings, in words.
fn first_difference(want: &[iso::Listed], got: &[iso::Listed]) -> String {
    for w in want {
        match got.iter().find(|g| g.0 == w.0) {
            None => return format!("{} is missing", w.0),
            Some(g) if g != w => {
                return format!(
                    "{} reads back as {} bytes, SHA-256 {}; it is {} bytes, {}",
                    w.0, g.1, g.2, w.1, w.2
                )
            }
            _ => {}
        }
    }
    match got.iter().find(|g| !want.iter().any(|w| w.0 == g.0)) {
        Some(extra) => format!("{} is not one of its files", extra.0),
        None => "the listings differ".into(),
    }
}

#[cfg(test)]
mod tests;
