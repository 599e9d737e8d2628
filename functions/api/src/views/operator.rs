//! Operator routes: M6 blocklist entries, and notices flagged for an
//! operator.

use printvault_adapters::blocklist::BlocklistEntry;
use printvault_domain::ids::{BlocklistEntryId, CustomerId};
use printvault_usecases::accounts::FlaggedNotice;
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
            added_at: e.added_at.to_string(),
        }
    }
}

/// A notice that bounced or drew a complaint: its account is flagged for
/// an operator (a retention warning that bounced also postpones the
/// deletion it announced).
#[derive(Serialize, ToSchema)]
pub struct MailFlagView {
    /// The notice's ID (`retention:<customer>:<day>:…` for a retention warning).
    pub notice_id: String,
    /// The customer who holds the address now; null if nobody does.
    pub customer_id: Option<CustomerId>,
    /// The address the notice was sent to.
    #[schema(example = "ann@example.com")]
    pub address: String,
    /// `bounced` or `complained`.
    #[schema(example = "bounced")]
    pub kind: String,
    /// When SES reported it (RFC 3339).
    pub at: String,
}

impl From<FlaggedNotice> for MailFlagView {
    fn from(f: FlaggedNotice) -> Self {
        let at = time::OffsetDateTime::from_unix_timestamp(f.flag.at)
            .map(printvault_domain::when::rfc3339)
            .unwrap_or_default();
        Self {
            notice_id: f.flag.notice_id,
            customer_id: f.customer,
            address: f.flag.to,
            kind: f.flag.kind,
            at,
        }
    }
}

/// A page of flagged notices, in notice ID order.
#[derive(Serialize, ToSchema)]
pub struct MailFlagList {
    pub flags: Vec<MailFlagView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}
