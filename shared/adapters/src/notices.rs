//! Email, end to end: anything that emails puts a [`Notice`] on the notices
//! queue ([`NoticeQueue`]); the notifier claims its ID in the accounts table
//! ([`NoticeLedger`]) and sends it through SES ([`Mailer`]).
//!
//! | pk                 | sk       | holds                                       |
//! |--------------------|----------|---------------------------------------------|
//! | `NOTICE#<id>`      | `NOTICE` | `state` (sending, sent), `at`, `expires_at` |
//!
//! A claim is `sending` while one notifier holds it, and `sent` for good once
//! SES took the mail. A claim left `sending` by a notifier that died is taken
//! over after [`SENDING_LEASE_SECS`]; only then, if SES had already taken the
//! mail, can it go twice. Claims expire (TTL) after [`CLAIM_DAYS`], longer
//! than any redelivery and than the yearly notices later issues send.

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use printvault_domain::notice::{Notice, NoticeId};
use printvault_domain::Error;

use crate::dynamo::{is_condition_failure, key, write_failed};
use crate::keys;

/// Puts notices on the notices queue.
#[derive(Clone, Debug)]
pub struct NoticeQueue {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl NoticeQueue {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            sqs,
            queue_url: queue_url.into(),
        }
    }

    /// Queues one notice. Safe to repeat: the notifier sends each ID once.
    pub async fn send(&self, notice: &Notice) -> Result<(), Error> {
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(notice.to_body())
            .send()
            .await
            .with_context(|| format!("queueing notice {}", notice.notice_id))?;
        Ok(())
    }
}

/// How long a notifier may hold a `sending` claim before another takes over.
pub const SENDING_LEASE_SECS: i64 = 120;
/// How long a claim is kept, so the same ID is not sent again.
pub const CLAIM_DAYS: i64 = 400;

/// What claiming a notice ID found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This caller holds it now and should send.
    Ours,
    /// It was sent before: nothing to do.
    AlreadySent,
    /// Another notifier is sending it right now: try again later.
    Busy,
}

/// The notifier's record of which notice IDs went out.
#[derive(Clone, Debug)]
pub struct NoticeLedger {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

impl NoticeLedger {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    fn key(id: &NoticeId) -> crate::dynamo::Item {
        key(keys::notice_pk(id.as_str()), keys::NOTICE_SK)
    }

    /// Claims `id` for sending at `now` (unix seconds).
    pub async fn claim(&self, id: &NoticeId, now: i64) -> Result<Claim, Error> {
        let res = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some({
                let mut item = Self::key(id);
                item.insert("state".into(), AttributeValue::S("sending".into()));
                item.insert("at".into(), n(now));
                item.insert("expires_at".into(), n(now + CLAIM_DAYS * 86_400));
                item
            }))
            .condition_expression("attribute_not_exists(pk) OR (#s = :sending AND #at < :stale)")
            .expression_attribute_names("#s", "state")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":sending", AttributeValue::S("sending".into()))
            .expression_attribute_values(":stale", n(now - SENDING_LEASE_SECS))
            .send()
            .await;
        match res {
            Ok(_) => Ok(Claim::Ours),
            Err(e) if is_condition_failure(&e) => Ok(if self.state(id).await?.as_deref() == Some("sent") {
                Claim::AlreadySent
            } else {
                Claim::Busy
            }),
            Err(e) => Err(write_failed(e, "claiming a notice")),
        }
    }

    async fn state(&self, id: &NoticeId) -> Result<Option<String>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(id)))
            .consistent_read(true)
            .send()
            .await
            .context("reading a notice claim")?;
        Ok(out
            .item
            .and_then(|i| i.get("state").and_then(|v| v.as_s().ok()).cloned()))
    }

    /// Records that SES took the mail: the ID is never sent again.
    pub async fn mark_sent(&self, id: &NoticeId, now: i64) -> Result<(), Error> {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(id)))
            .update_expression("SET #s = :sent, #at = :now")
            .expression_attribute_names("#s", "state")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":sent", AttributeValue::S("sent".into()))
            .expression_attribute_values(":now", n(now))
            .send()
            .await
            .map_err(|e| write_failed(e, "marking a notice sent"))?;
        Ok(())
    }

    /// Gives a claim back after SES refused the mail, so a retry can send.
    pub async fn release(&self, id: &NoticeId) -> Result<(), Error> {
        let res = self
            .db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(id)))
            .condition_expression("#s = :sending")
            .expression_attribute_names("#s", "state")
            .expression_attribute_values(":sending", AttributeValue::S("sending".into()))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(write_failed(e, "releasing a notice claim")),
        }
    }
}

/// Sends rendered notices through SES (v2) from one verified address.
#[derive(Clone, Debug)]
pub struct Mailer {
    ses: aws_sdk_sesv2::Client,
    from: String,
}

fn content(data: String) -> anyhow::Result<Content> {
    Ok(Content::builder().data(data).charset("UTF-8").build()?)
}

impl Mailer {
    pub fn new(ses: aws_sdk_sesv2::Client, from: impl Into<String>) -> Self {
        Self {
            ses,
            from: from.into(),
        }
    }

    /// Sends one notice, both bodies; returns SES's message ID.
    pub async fn send(&self, notice: &Notice) -> Result<String, Error> {
        let r = notice.render();
        let message = Message::builder()
            .subject(content(r.subject)?)
            .body(
                Body::builder()
                    .text(content(r.text)?)
                    .html(content(r.html)?)
                    .build(),
            )
            .build();
        let out = self
            .ses
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(notice.to.as_str()).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .with_context(|| format!("sending notice {} through SES", notice.notice_id))?;
        Ok(out.message_id.unwrap_or_default())
    }
}
