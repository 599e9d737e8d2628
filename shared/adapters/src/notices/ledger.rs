//! The notifier's record of each notice ID: claimed, sent, and what SES
//! said of it afterwards (see the table in the parent).

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::notice::{Claim, Delivery, NoticeId};
use printvault_domain::Error;

use crate::dynamo::{is_condition_failure, key, write_failed};
use crate::keys;

/// How long a notifier may hold a `sending` claim before another takes over.
pub const SENDING_LEASE_SECS: i64 = 120;
/// How long a claim is kept, so the same ID is not sent again.
pub const CLAIM_DAYS: i64 = 400;

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
            Err(e) if is_condition_failure(&e) => Ok(match self.delivery(id).await? {
                Some(Delivery::Sending) | None => Claim::Busy,
                Some(_) => Claim::AlreadySent,
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

    /// Records that SES took the mail as `message_id`: the ID is never sent
    /// again, and SES's feedback on that message finds the notice.
    pub async fn mark_sent(&self, id: &NoticeId, now: i64, message_id: &str) -> Result<(), Error> {
        if !message_id.is_empty() {
            let mut pointer = key(format!("SESMSG#{message_id}"), "SESMSG");
            pointer.insert("notice_id".into(), AttributeValue::S(id.to_string()));
            pointer.insert("expires_at".into(), n(now + CLAIM_DAYS * 86_400));
            self.db
                .put_item()
                .table_name(&self.table)
                .set_item(Some(pointer))
                .send()
                .await
                .map_err(|e| write_failed(e, "recording an SES message"))?;
        }
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(id)))
            .update_expression("SET #s = :sent, #at = :now, message_id = :m")
            .expression_attribute_names("#s", "state")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":sent", AttributeValue::S("sent".into()))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":m", AttributeValue::S(message_id.to_owned()))
            .send()
            .await
            .map_err(|e| write_failed(e, "marking a notice sent"))?;
        Ok(())
    }

    /// Where notice `id` stands: `None` if it was never claimed.
    pub async fn delivery(&self, id: &NoticeId) -> Result<Option<Delivery>, Error> {
        Ok(self.state(id).await?.as_deref().map(Delivery::parse))
    }

    /// Applies SES's feedback on `message_id` (a delivery, a bounce or a
    /// complaint) to its notice. A complaint or bounce is never overwritten
    /// by a later delivery, and is flagged for an operator. `None` when the
    /// message is not one of ours (or its record expired).
    pub async fn record_feedback(
        &self,
        message_id: &str,
        feedback: Delivery,
        to: &str,
        now: i64,
    ) -> Result<Option<NoticeId>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("SESMSG#{message_id}"), "SESMSG")))
            .send()
            .await
            .context("reading an SES message's notice")?;
        let Some(id) = out
            .item
            .and_then(|i| i.get("notice_id").and_then(|v| v.as_s().ok()).cloned())
            .and_then(|s| NoticeId::parse(&s).ok())
        else {
            return Ok(None);
        };
        // A delivery only moves a notice that is merely sent; a bounce or a
        // complaint moves it from anything but a complaint.
        let (cond, from) = match feedback {
            Delivery::Delivered => ("attribute_exists(pk) AND #s = :from", "sent"),
            _ => ("attribute_exists(pk) AND #s <> :from", "complained"),
        };
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(&id)))
            .condition_expression(cond)
            .update_expression("SET #s = :state, feedback_at = :now")
            .expression_attribute_names("#s", "state")
            .expression_attribute_values(":state", AttributeValue::S(feedback.as_str().into()))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":from", AttributeValue::S(from.into()))
            .send()
            .await;
        match res {
            Ok(_) => {}
            Err(e) if is_condition_failure(&e) => return Ok(Some(id)),
            Err(e) => return Err(write_failed(e, "recording a notice's delivery")),
        }
        if feedback != Delivery::Delivered {
            let mut flag = key(keys::MAIL_FLAG_PK, id.as_str());
            flag.insert("to".into(), AttributeValue::S(to.to_owned()));
            flag.insert("kind".into(), AttributeValue::S(feedback.as_str().into()));
            flag.insert("at".into(), n(now));
            self.db
                .put_item()
                .table_name(&self.table)
                .set_item(Some(flag))
                .send()
                .await
                .map_err(|e| write_failed(e, "flagging a notice for an operator"))?;
        }
        Ok(Some(id))
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
