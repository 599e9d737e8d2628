//! M6 operator routes.

use printvault_adapters::blocklist::BlocklistEntry;
use printvault_domain::ids::BlocklistEntryId;
use serde::Serialize;
use utoipa::ToSchema;

/// A blocklist entry: the fingerprints uploads are screened against.
#[derive(Serialize, ToSchema)]
pub struct BlocklistEntryView {
    pub entry_id: BlocklistEntryId,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Hex 64-bit perceptual hash.
    pub phash: String,
    pub reason: String,
    pub added_at: String,
}

impl From<BlocklistEntry> for BlocklistEntryView {
    fn from(e: BlocklistEntry) -> Self {
        Self {
            entry_id: e.entry_id,
            sha256: e.sha256,
            phash: e.phash,
            reason: e.reason,
            added_at: e.added_at,
        }
    }
}
