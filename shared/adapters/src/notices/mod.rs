//! Email, end to end: anything that emails puts a [`Notice`] on the notices
//! queue ([`NoticeQueue`]); the notifier claims its ID in the accounts table
//! ([`NoticeLedger`]) and sends it through SES ([`Mailer`]).
//!
//! | pk                 | sk       | holds                                       |
//! |--------------------|----------|---------------------------------------------|
//! | `NOTICE#<id>`      | `NOTICE` | `state` (sending, sent, delivered, bounced, complained), `at`, `message_id`, `expires_at` |
//! | `SESMSG#<message>` | `SESMSG` | `notice_id`: which notice SES's message is, for its feedback |
//! | `MAILFLAG`         | `<id>`   | a notice that bounced or drew a complaint: `to`, `kind`, `at`, for an operator |
//!
//! A claim is `sending` while one notifier holds it, and `sent` for good once
//! SES took the mail. A claim left `sending` by a notifier that died is taken
//! over after [`SENDING_LEASE_SECS`]; only then, if SES had already taken the
//! mail, can it go twice. Claims expire (TTL) after [`CLAIM_DAYS`], longer
//! than any redelivery and than the yearly notices later issues send.

mod ledger;
mod mailer;

pub use ledger::{NoticeLedger, CLAIM_DAYS, SENDING_LEASE_SECS};
pub use mailer::Mailer;
pub use printvault_domain::notice::{Claim, Delivery};

use anyhow::Context;
use printvault_domain::notice::Notice;
use printvault_domain::Error;

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

/// Local stacks only, where no mail is delivered: puts the event SES's
/// mailbox simulator would send about each message on the mail-events
/// queue, as the configuration set does on AWS.
#[derive(Clone, Debug)]
pub struct SimulatedFeedback {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl SimulatedFeedback {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            sqs,
            queue_url: queue_url.into(),
        }
    }

    /// The feedback on message `message_id` to `to`.
    pub async fn after_sending(&self, message_id: &str, to: &str) -> Result<(), Error> {
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(printvault_domain::notice::feedback::simulated(message_id, to))
            .send()
            .await
            .context("simulating SES feedback")?;
        Ok(())
    }
}
