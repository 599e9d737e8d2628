//! One ZIP part of an export: each image's original as stored (streamed
//! from S3, never recompressed) with its XMP sidecar beside it, then
//! `manifest.json`, written into an S3 multipart upload as it is read.
//! Memory holds one upload part (8 MiB) and one chunk of an original;
//! nothing goes to `/tmp`.
//!
//! Between entries the writer may stop ([`Written::Paused`]): what it
//! holds is a [`Checkpoint`] (plain data) and the carry (the bytes not
//! yet sent, under 8 MiB), which the caller keeps in S3. Resumed from
//! them, it writes exactly the bytes an uninterrupted run would, and
//! every upload part once.

use anyhow::Context;
use printvault_adapters::keys;
use printvault_adapters::objects::{ObjectStore, Sink, Upload};
use printvault_domain::export::zip::{ZipState, ZipWriter};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::Error;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::PrimitiveDateTime;

/// One image of the part, as planned (kept in S3 between invocations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub image_id: ImageId,
    /// Its path in the part, and its sidecar's.
    pub path: String,
    pub sidecar: String,
    /// The sidecar's text.
    pub xmp: String,
    /// The original's size and SHA-256 as recorded when it was stored.
    pub bytes: u64,
    pub sha256: String,
    /// The time its entries carry (taken, else stored).
    pub modified: PrimitiveDateTime,
}

/// Where a paused part stands: the next entry to write, the ZIP writer's
/// state and the upload's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub next: usize,
    pub zip: ZipState,
    pub upload: Upload,
}

/// How a call of [`write_part`] ended.
#[derive(Debug)]
pub enum Written {
    /// The part is complete: its size.
    Done { bytes: u64 },
    /// Stopped between entries: resume from these.
    Paused { checkpoint: Checkpoint, carry: Vec<u8> },
}

/// Why a part could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    /// An original is gone, or its bytes are not the ones recorded.
    #[error("the original of {image} is {why}")]
    Original { image: ImageId, why: &'static str },
    #[error(transparent)]
    Store(#[from] Error),
}

impl From<anyhow::Error> for PartError {
    fn from(e: anyhow::Error) -> Self {
        Self::Store(e.into())
    }
}

/// One part to write.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    pub owner: &'a CustomerId,
    /// Its object's key.
    pub key: &'a str,
    pub entries: &'a [Entry],
    /// `manifest.json`, the part's last entry.
    pub manifest: &'a [u8],
    /// The time the manifest's entry carries (the export's).
    pub made: PrimitiveDateTime,
}

/// Writes (or carries on writing) `part`: its entries from `from` on, then
/// its manifest. `go_on` is asked before each entry but the first; when it
/// says no, the part pauses there.
pub async fn write_part(
    objects: &ObjectStore,
    part: Part<'_>,
    from: Option<(Checkpoint, Vec<u8>)>,
    mut go_on: impl FnMut() -> bool,
) -> Result<Written, PartError> {
    let Part {
        owner,
        key,
        entries,
        manifest,
        made,
    } = part;
    let (mut zip, mut sink, start) = match from {
        Some((c, carry)) => (
            ZipWriter::resume(c.zip),
            objects.resume_upload(c.upload, carry),
            c.next,
        ),
        None => (
            ZipWriter::new(),
            objects.begin_upload(key, "application/zip").await?,
            0,
        ),
    };
    for (n, e) in entries.iter().enumerate().skip(start) {
        if n > start && !go_on() {
            let zip = zip.state().cloned().context("between entries")?;
            let (upload, carry) = sink.pause();
            let checkpoint = Checkpoint { next: n, zip, upload };
            return Ok(Written::Paused { checkpoint, carry });
        }
        let original = objects.stream(&keys::original_key(owner, &e.image_id)).await?;
        let (mut body, len) = match original {
            Some((body, len)) if len == e.bytes => (body, len),
            found => {
                let why = if found.is_some() {
                    "not the size recorded"
                } else {
                    "missing"
                };
                return Err(given_up(sink, &e.image_id, why).await);
            }
        };
        sink.write(
            &zip.start(&e.path, e.modified, Some(len))
                .map_err(anyhow::Error::from)?,
        )
        .await?;
        let mut sha = Sha256::new();
        while let Some(chunk) = body.try_next().await.context("reading an original")? {
            sha.update(&chunk);
            zip.data(&chunk).map_err(anyhow::Error::from)?;
            sink.write(&chunk).await?;
        }
        if hex::encode(sha.finalize()) != e.sha256 {
            return Err(given_up(sink, &e.image_id, "not the bytes recorded").await);
        }
        sink.write(&zip.end().map_err(anyhow::Error::from)?).await?;
        let xmp = zip
            .entry(&e.sidecar, e.modified, e.xmp.as_bytes())
            .map_err(anyhow::Error::from)?;
        sink.write(&xmp).await?;
    }
    sink.write(
        &zip.entry("manifest.json", made, manifest)
            .map_err(anyhow::Error::from)?,
    )
    .await?;
    sink.write(&zip.finish().map_err(anyhow::Error::from)?).await?;
    let bytes = sink.complete().await?;
    Ok(Written::Done { bytes })
}

/// Abandons the part's upload (S3 drops what was sent) over an original
/// that cannot go in it.
async fn given_up(sink: Sink, image: &ImageId, why: &'static str) -> PartError {
    if let Err(e) = sink.abort().await {
        tracing::warn!(error = %e, "abandoning an export part's upload failed; the bucket's lifecycle rule drops it within a day");
    }
    PartError::Original {
        image: image.clone(),
        why,
    }
}
