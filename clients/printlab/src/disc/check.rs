//! A disc job and its manifest are checked against
//! `docs/lab-job.schema.json` (`$defs/disc_job`, `$defs/disc_manifest`)
//! before anything is written: the manifest names files on the lab's disk
//! and on the disc, so a path outside `photos/`, a `..`, a name Joliet
//! cannot hold or two names that collide on Windows are refused, as are
//! URLs that are not HTTPS and checksums that are not SHA-256.

use anyhow::{bail, ensure};
use printvault_domain::dispatch::disc::{
    disc_job_id, sidecar_path, DiscJob, DiscManifest, Fetch, JobKind, MAX_NAME_UNITS,
};
use printvault_domain::dispatch::JOB_VERSION;
use printvault_domain::lab_report::disc::is_sha256;
use std::collections::HashSet;

use crate::validate::{check_url, FORMATS};

/// The most originals one disc holds (`archive.max_images_per_disc`'s cap).
const MAX_FILES: u32 = 1000;

/// Checks what printlab relies on in a disc job.
pub fn job(job: &DiscJob, insecure_http: bool) -> anyhow::Result<()> {
    let id = &job.job_id;
    ensure!(
        job.version == JOB_VERSION && job.kind == JobKind::Disc,
        "job {id:?} is a version {} {:?} job; this printlab reads version {JOB_VERSION} disc jobs",
        job.version,
        job.kind
    );
    let expected = disc_job_id(&job.merchant_reference);
    ensure!(
        *id == expected,
        "job {id:?}: its ID must be <merchant_reference>:disc, {expected:?} (docs/lab-job.schema.json)"
    );
    let v = &job.disc.volume_id;
    ensure!(
        (1..=32).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
        "job {id}: volume_id {v:?} is not 1 to 32 of A-Z, 0-9 and _ (ISO 9660's d-characters)"
    );
    ensure!(
        (1..=MAX_FILES).contains(&job.disc.files),
        "job {id}: {} files; a disc holds 1 to {MAX_FILES}",
        job.disc.files
    );
    ensure!(
        job.disc.bytes <= job.disc.capacity_bytes,
        "job {id}: {} bytes of originals do not fit a disc of {}",
        job.disc.bytes,
        job.disc.capacity_bytes
    );
    fetch(id, "the manifest", &job.manifest, insecure_http)
}

/// Checks `m` against the job that pointed at it.
pub fn manifest(m: &DiscManifest, job: &DiscJob, insecure_http: bool) -> anyhow::Result<()> {
    let id = &job.job_id;
    ensure!(
        m.version == JOB_VERSION && m.job_id == *id && m.disc_id == job.disc.disc_id,
        "job {id}: the manifest is for {:?} (disc {:?}, version {})",
        m.job_id,
        m.disc_id,
        m.version
    );
    ensure!(
        m.files.len() as u64 == u64::from(job.disc.files)
            && m.files.iter().map(|f| f.fetch.bytes).sum::<u64>() == job.disc.bytes,
        "job {id}: the manifest lists {} files; the job says {} files of {} bytes",
        m.files.len(),
        job.disc.files,
        job.disc.bytes
    );
    let mut names = HashSet::new();
    for f in &m.files {
        let what = format!("image {}", f.image_id);
        ensure!(
            FORMATS.contains(&f.format.as_str()),
            "job {id}: {what} has format {:?}; docs/lab-job.schema.json allows {}",
            f.format,
            FORMATS.join(", ")
        );
        path(id, &what, &f.path)?;
        for p in [f.path.clone(), sidecar_path(&f.path)] {
            ensure!(
                names.insert(p.to_lowercase()),
                "job {id}: {p:?} is on the disc twice (names are compared ignoring case)"
            );
        }
        fetch(id, &what, &f.fetch, insecure_http)?;
    }
    fetch(id, "the sheet", &m.sheet.pdf, insecure_http)?;
    ensure!(!m.sheet.pages.is_empty(), "job {id}: the sheet has no pages");
    for (n, p) in m.sheet.pages.iter().enumerate() {
        fetch(id, &format!("sheet page {}", n + 1), p, insecure_http)?;
    }
    fetch(id, "the label", &m.label, insecure_http)
}

/// `photos/<YYYY-MM or undated>/<name>`: nothing else, and a name Joliet
/// and Windows can hold.
fn path(id: &str, what: &str, p: &str) -> anyhow::Result<()> {
    let parts: Vec<&str> = p.split('/').collect();
    let ok = parts.len() == 3
        && parts[0] == "photos"
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.encode_utf16().count() <= MAX_NAME_UNITS
                && !matches!(*part, "." | "..")
                && !part.starts_with('.')
                && !part
                    .chars()
                    .any(|c| c.is_control() || c.len_utf16() > 1 || "*:;?\\\"<>|".contains(c))
        });
    if !ok {
        bail!(
            "job {id}: {what}'s path {p:?} is not photos/<month>/<name> with a name of at most \
             {MAX_NAME_UNITS} UTF-16 units and none of * : ; ? \\ \" < > | (docs/lab-job.schema.json)"
        );
    }
    Ok(())
}

fn fetch(id: &str, what: &str, f: &Fetch, insecure_http: bool) -> anyhow::Result<()> {
    ensure!(f.bytes >= 1, "job {id}: {what} is 0 bytes long");
    ensure!(
        is_sha256(&f.sha256),
        "job {id}: {what}'s sha256 {:?} is not 64 lowercase hex digits",
        f.sha256
    );
    check_url(id, what, &f.url, insecure_http)
}
