//! M6: operators add images to the screening blocklist.

use printvault_adapters::blocklist::{phash_hex, BlocklistEntry, BlocklistStore};
use printvault_domain::ids::BlocklistEntryId;
use printvault_domain::settings::UploadSettings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::{Problem, Rule};
use time::OffsetDateTime;

/// Fingerprints `bytes` and adds them to the blocklist. Shared by the api
/// route and the local runner's `blocklist add` command.
pub async fn add_to_blocklist(
    store: &BlocklistStore,
    uploads: &UploadSettings,
    bytes: Vec<u8>,
    reason: Option<String>,
    now: OffsetDateTime,
) -> Result<BlocklistEntry, Error> {
    if bytes.is_empty() {
        return Err(Error::invalid("body", Problem::Missing));
    }
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "operator".into());
    if reason.chars().count() > 500 || reason.chars().any(char::is_control) {
        return Err(Error::invalid("reason", Problem::Text { min: 1, max: 500 }));
    }
    let limits = imaging_limits(uploads);
    let fp = tokio::task::spawn_blocking(move || printvault_imaging::fingerprint(&bytes, &limits))
        .await
        .map_err(|e| anyhow::anyhow!("fingerprinting task failed: {e}"))?
        .map_err(|r| Error::rule("image", Rule::NotAnImage(r.to_string())))?;
    let entry = BlocklistEntry {
        entry_id: BlocklistEntryId::generate(),
        sha256: hex::encode(fp.sha256),
        phash: phash_hex(fp.phash),
        reason,
        added_at: Timestamp::at(now),
    };
    let stored = store.add(&entry).await?;
    tracing::info!(entry_id = %stored.entry_id, sha256 = %stored.sha256, "blocklist entry added");
    Ok(stored)
}

fn imaging_limits(u: &UploadSettings) -> printvault_imaging::Limits {
    printvault_imaging::Limits {
        max_bytes: u.max_bytes,
        max_pixels: u.max_pixels,
        max_width: u.max_width,
        max_height: u.max_height,
        max_alloc: u.max_alloc_bytes,
    }
}
