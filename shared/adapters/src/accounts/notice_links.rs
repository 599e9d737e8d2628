//! A notice's thumbnail links (M28): an email shows photos through
//! `/v1/notice-links/{token}/images/{n}`, which works until the link
//! expires. Only the token's SHA-256 is stored, with the owner and the
//! images, and `expires_at` (checked on every read; TTL only cleans up).

use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use super::AccountStore;

/// What a notice's link shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLink {
    pub owner: CustomerId,
    pub images: Vec<ImageId>,
    /// Unix seconds.
    pub expires_at: i64,
}

const SK: &str = "NLINK";

fn pk(digest: &str) -> String {
    format!("NLINK#{digest}")
}

impl AccountStore {
    /// Stores the link whose token has SHA-256 `digest`.
    pub async fn put_notice_link(&self, digest: &str, link: &NoticeLink) -> Result<(), Error> {
        self.put(link, pk(digest), SK, "writing a notice link").await
    }

    /// The link of `digest`, if it exists and is live at `now`.
    pub async fn notice_link(&self, digest: &str, now: i64) -> Result<Option<NoticeLink>, Error> {
        let link: Option<NoticeLink> = self.get(pk(digest), SK, "a notice link").await?;
        Ok(link.filter(|l| l.expires_at > now))
    }
}
