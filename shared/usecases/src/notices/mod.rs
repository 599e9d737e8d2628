//! Sending a notice (the one way an email leaves printvault) and recording
//! what SES said of it.
//!
//! Each notice goes out once per notice ID:
//! - its ID is claimed first; a notice whose ID was sent before is skipped
//!   (success), so a redelivered or re-queued notice is not sent twice;
//! - a claim another notifier holds right now is an error, to come back
//!   after the queue's visibility timeout, when it is sent or free;
//! - when the mail service refuses, the claim is given back and the error
//!   returned, so the notice is retried (and parked in the DLQ at last).
//!
//! A notifier that dies after the mail service took the mail but before it
//! was marked sent leaves the claim `sending`; after the lease a retry sends
//! it again. That window is the only way an ID goes out twice.
//!
//! Feedback (a delivery, a bounce or a complaint) is recorded on the notice
//! it is about, so that the retention sweep deletes nothing whose warning
//! did not arrive; a bounce or a complaint is flagged for an operator.

pub mod wiring;

#[cfg(test)]
mod tests;

use printvault_domain::notice::feedback::{self, Feedback};
use printvault_domain::notice::{Claim, Delivery, Notice, NoticeId};
use printvault_domain::Clash;
use printvault_domain::Error;
use std::future::Future;
use time::OffsetDateTime;
use tracing::{info, warn};

/// What handling one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The mail service took it; its message ID.
    Sent(String),
    /// This notice ID was sent before.
    AlreadySent,
    /// Feedback on a message, recorded (or not ours, and ignored).
    Feedback,
}

/// What sending and recording reach.
pub trait NoticePorts: Sync {
    /// Claims `id` for sending at unix second `now`.
    fn claim(&self, id: &NoticeId, now: i64) -> impl Future<Output = Result<Claim, Error>> + Send;
    /// Gives a claim back, so a retry can send.
    fn release(&self, id: &NoticeId) -> impl Future<Output = Result<(), Error>> + Send;
    /// Marks the notice sent for good, as the mail service's `message_id`.
    fn mark_sent(
        &self,
        notice: &Notice,
        now: i64,
        message_id: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Hands the rendered notice to the mail service; its message ID.
    fn mail(&self, notice: &Notice) -> impl Future<Output = Result<String, Error>> + Send;
    /// Records `delivery` on the notice the mail service's `message_id` is;
    /// that notice's ID, or `None` when the message is not ours.
    fn record_feedback(
        &self,
        message_id: &str,
        delivery: Delivery,
        to: &str,
        now: i64,
    ) -> impl Future<Output = Result<Option<NoticeId>, Error>> + Send;
}

/// Sends `notice` at `now` unless its ID was sent before.
pub async fn send<P: NoticePorts>(ports: &P, notice: &Notice, now: OffsetDateTime) -> Result<Outcome, Error> {
    let now = now.unix_timestamp();
    match ports.claim(&notice.notice_id, now).await? {
        Claim::AlreadySent => {
            info!("sent before; skipped");
            return Ok(Outcome::AlreadySent);
        }
        Claim::Busy => {
            return Err(Error::Conflict(Clash::NoticeBeingSent));
        }
        Claim::Ours => {}
    }
    let id = match ports.mail(notice).await {
        Ok(id) => id,
        Err(e) => {
            if let Err(r) = ports.release(&notice.notice_id).await {
                warn!(error = ?r, "could not give the claim back; a retry waits for the lease");
            }
            return Err(e);
        }
    };
    ports.mark_sent(notice, now, &id).await?;
    info!(ses_message_id = %id, to = %notice.to.digest(), "email sent");
    Ok(Outcome::Sent(id))
}

/// Records the mail service's word on one of our messages at `now`.
pub async fn record<P: NoticePorts>(ports: &P, f: &Feedback, now: OffsetDateTime) -> Result<Outcome, Error> {
    let delivery = match f.outcome {
        feedback::Outcome::Delivered => Delivery::Delivered,
        feedback::Outcome::Bounced => Delivery::Bounced,
        feedback::Outcome::Complained => Delivery::Complained,
    };
    let to = f.recipients.join(",");
    match ports
        .record_feedback(&f.message_id, delivery, &to, now.unix_timestamp())
        .await?
    {
        Some(id) if delivery != Delivery::Delivered => {
            warn!(notice_id = %id, outcome = delivery.as_str(), "a notice did not reach its reader; flagged for an operator")
        }
        Some(id) => info!(notice_id = %id, "notice delivered"),
        None => info!(ses_message_id = %f.message_id, "feedback on a message that is not ours; ignored"),
    }
    Ok(Outcome::Feedback)
}
