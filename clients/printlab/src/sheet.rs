//! The job sheet: what a person at the lab needs beside the files.

use anyhow::Context;
use printvault_domain::dispatch::LabJob;
use std::path::Path;

use crate::asset_path;

/// Writes `JOB.txt` (for people) and `job.json` (the job as received).
pub(crate) fn write(job: &LabJob, dir: &Path) -> anyhow::Result<()> {
    let r = &job.recipient;
    let files: Vec<String> = job
        .assets
        .iter()
        .map(|a| {
            let name = asset_path(dir, a.image_id.as_str(), &a.format);
            let name = name
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("  {name}  {} bytes  sha256 {}", a.bytes, a.sha256)
        })
        .collect();
    let sheet = format!(
        "JOB {job}\n\
         order      {order} line {line}\n\
         lab        {lab} (location {location})\n\
         sku        {sku}\n\
         copies     {copies}\n\
         size       {size} {w} x {h} mm, {fit}\n\
         packaging  {packaging}\n\
         ship to    {name}\n\
         \u{20}          {street}\n\
         \u{20}          {locality}, {region} {postal}\n\
         \u{20}          {country}{phone}\n\
         files\n{files}\n",
        job = job.job_id,
        order = job.merchant_reference,
        line = job.line,
        lab = job.lab_id,
        location = job.location,
        sku = job.sku,
        copies = job.copies,
        size = job.sizing.size.as_str(),
        w = job.sizing.width_mm,
        h = job.sizing.height_mm,
        fit = job.sizing.fit,
        packaging = job.packaging,
        name = r.name,
        street = r.street,
        locality = r.locality,
        region = r.region,
        postal = r.postal_code,
        country = r.country,
        phone = r
            .phone
            .as_deref()
            .map(|p| format!("  tel {p}"))
            .unwrap_or_default(),
        files = files.join("\n"),
    );
    std::fs::write(dir.join("JOB.txt"), sheet).context("writing the job sheet")?;
    let json = serde_json::to_string_pretty(job).context("serialising the job")?;
    std::fs::write(dir.join("job.json"), json).context("writing job.json")?;
    Ok(())
}
