//! A notice's thumbnail links (M28): an email shows photos through
//! `/v1/notice-links/{token}/images/{n}`, which works until the link
//! expires. Only the token's SHA-256 is stored, with the owner and the
//! images, and `expires_at` (checked on every read; TTL only cleans up).
//!
//! The customer's choice of event notices lives on their record.

use printvault_domain::anniversary::Preferences;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::Error;
use printvault_domain::Thing;
use serde::{Deserialize, Serialize};

use super::AccountStore;
use crate::dynamo::{is_condition_failure, key, write_failed};
use crate::keys;

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

    /// Replaces `customer`'s choice of event notices. Refused (`NotFound`)
    /// for a customer that does not exist.
    pub async fn set_anniversary_preferences(
        &self,
        customer: &CustomerId,
        p: &Preferences,
    ) -> Result<(), Error> {
        let value = serde_dynamo::to_attribute_value(p).map_err(anyhow::Error::from)?;
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(customer), keys::PROFILE_SK)))
            .update_expression("SET #a = :a")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#a", "anniversaries")
            .expression_attribute_values(":a", value)
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Err(Error::NotFound(Thing::Customer)),
            Err(e) => Err(write_failed(e, "saving notice preferences")),
        }
    }
}
