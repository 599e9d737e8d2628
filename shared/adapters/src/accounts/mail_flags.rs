//! The notifier's flags for an operator (see `crate::notices`): a notice
//! that bounced or drew a complaint is one item in the accounts table's
//! `MAILFLAG` partition, keyed by its notice ID. Operators page through
//! them; each flag's address is looked up to the account that holds it.

use anyhow::Context;
use printvault_domain::account::Email;
use printvault_domain::ids::CustomerId;
use printvault_domain::notice::NoticeId;
use printvault_domain::Error;
use serde::Deserialize;
use std::collections::HashMap;

use super::{AccountStore, EmailClaim};
use crate::dynamo::{key, s};
use crate::keys::{self, MAIL_FLAG_PK};
use crate::Page;

/// A notice that bounced or drew a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MailFlag {
    #[serde(rename = "sk")]
    pub notice_id: String,
    /// The address it was sent to.
    pub to: String,
    /// `bounced` or `complained`.
    pub kind: String,
    /// When SES said so, unix seconds.
    pub at: i64,
}

impl AccountStore {
    /// The flags, in notice ID order, `limit` at a time. The cursor only
    /// ever continues this partition.
    pub async fn mail_flags(&self, limit: u32, cursor: Option<&str>) -> Result<Page<MailFlag>, Error> {
        let start = cursor
            .map(|c| crate::cursor::decode(c, |sk| NoticeId::parse(sk).is_ok()))
            .transpose()?;
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(MAIL_FLAG_PK))
            .limit(limit as i32)
            .set_exclusive_start_key(start.map(|sk| key(MAIL_FLAG_PK, sk)))
            .send()
            .await
            .context("listing mail flags")?;
        let items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|i| serde_dynamo::from_item(i).context("decoding a mail flag"))
            .collect::<anyhow::Result<Vec<MailFlag>>>()?;
        let next_cursor = out
            .last_evaluated_key
            .and_then(|k| k.get(crate::names::SK).and_then(|v| v.as_s().ok()).cloned())
            .map(|sk| crate::cursor::encode(&sk));
        Ok(Page { items, next_cursor })
    }

    /// The customers who hold `emails` now, by address (addresses nobody
    /// holds are left out): one BatchGetItem of their email claims.
    pub async fn holders_of(&self, emails: &[Email]) -> Result<HashMap<Email, CustomerId>, Error> {
        let mut wanted: Vec<&Email> = emails.iter().collect();
        wanted.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let keys = wanted
            .iter()
            .map(|e| key(keys::email_pk(e.as_str()), keys::EMAIL_SK))
            .collect();
        let items = crate::dynamo::batch_get(&self.db, &self.table, keys)
            .await
            .context("reading email claims")?;
        let mut out = HashMap::new();
        for item in items {
            let Some(email) = item
                .get("pk")
                .and_then(|v| v.as_s().ok())
                .and_then(|pk| pk.strip_prefix("EMAIL#"))
                .and_then(|e| Email::parse(e).ok())
            else {
                continue;
            };
            let claim: EmailClaim = serde_dynamo::from_item(item).context("decoding an email claim")?;
            out.insert(email, claim.customer_id);
        }
        Ok(out)
    }
}
