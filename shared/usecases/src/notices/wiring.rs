//! The notifier's ports, served by DynamoDB and SES.

use printvault_adapters::notices::{Mailer, NoticeLedger, SimulatedFeedback};
use printvault_domain::notice::{Claim, Delivery, Notice, NoticeId};
use printvault_domain::Error;

use super::NoticePorts;

/// Everything the notifier reaches.
#[derive(Clone)]
pub struct NoticeStorage {
    pub ledger: NoticeLedger,
    pub mailer: Mailer,
    /// Local stacks only: SES's feedback, as its mailbox simulator gives it.
    pub simulated_feedback: Option<SimulatedFeedback>,
}

impl NoticePorts for NoticeStorage {
    async fn claim(&self, id: &NoticeId, now: i64) -> Result<Claim, Error> {
        self.ledger.claim(id, now).await
    }
    async fn release(&self, id: &NoticeId) -> Result<(), Error> {
        self.ledger.release(id).await
    }
    async fn mark_sent(&self, notice: &Notice, now: i64, message_id: &str) -> Result<(), Error> {
        self.ledger.mark_sent(&notice.notice_id, now, message_id).await?;
        // After the mark: the feedback finds the message it is about.
        if let Some(simulated) = &self.simulated_feedback {
            simulated.after_sending(message_id, notice.to.as_str()).await?;
        }
        Ok(())
    }
    async fn mail(&self, notice: &Notice) -> Result<String, Error> {
        self.mailer.send(notice).await
    }
    async fn record_feedback(
        &self,
        message_id: &str,
        delivery: Delivery,
        to: &str,
        now: i64,
    ) -> Result<Option<NoticeId>, Error> {
        self.ledger.record_feedback(message_id, delivery, to, now).await
    }
}
