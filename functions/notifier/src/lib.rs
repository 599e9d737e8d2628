//! notifier: the one way an email leaves printvault. Each message on the
//! notices queue is one [`Notice`]: a recipient, what to say, and a
//! deterministic notice ID. The notifier renders it (plain text and HTML,
//! in code) and sends it through SES, once per notice ID:
//!
//! - it first claims the ID in the accounts table; a notice whose ID was
//!   sent before is skipped (success), so a redelivered or re-queued notice
//!   is not sent twice;
//! - a claim another notifier holds right now is reported as a failure, to
//!   come back after the visibility timeout, when it is sent or free;
//! - when SES refuses, the claim is given back and the message reported, so
//!   it is retried and after the queue's maxReceiveCount waits in the DLQ;
//! - a body that is not a notice is reported too: it can never be sent, and
//!   parked in the DLQ it can be read.
//!
//! The same function takes SES's feedback on what it sent (a configuration
//! set's events, through SNS and the mail-events queue): each delivery,
//! bounce or complaint is recorded on its notice, so that the retention
//! sweep deletes nothing whose warning did not arrive; a bounce or a
//! complaint is also flagged for an operator.
//!
//! A notifier that dies after SES took the mail but before it recorded so
//! leaves the claim `sending`; after the lease
//! (`printvault_adapters::notices::SENDING_LEASE_SECS`) a retry sends it
//! again. That window is the only way an ID goes out twice.

mod config;

pub use config::Config;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::aws::Clients;
use printvault_adapters::lambda;
use printvault_adapters::notices::{Claim, Delivery, Mailer, NoticeLedger};
use printvault_domain::notice::{feedback, Notice};
use tracing::{info, instrument, warn};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Notifier {
    ledger: NoticeLedger,
    mailer: Mailer,
    log_emails: bool,
    /// Local stacks only: where to put the SES event the mailbox simulator
    /// would send about each message (`feedback::simulated`).
    simulated_feedback: Option<(aws_sdk_sqs::Client, String)>,
}

/// What one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// SES took it; its message ID.
    Sent(String),
    /// This notice ID was sent before.
    AlreadySent,
    /// SES's feedback on a message, recorded.
    Feedback,
}

impl Notifier {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self {
            ledger: NoticeLedger::new(clients.dynamodb.clone(), config.accounts_table),
            mailer: Mailer::new(clients.ses.clone(), config.mail_from)
                .with_configuration_set(config.configuration_set),
            log_emails: config.log_emails,
            simulated_feedback: None,
        }
    }

    /// After each send, puts the event SES's mailbox simulator would send
    /// on `queue_url` (local stacks, where no mail is delivered).
    pub fn simulating_ses_feedback(mut self, sqs: aws_sdk_sqs::Client, queue_url: String) -> Self {
        self.simulated_feedback = Some((sqs, queue_url));
        self
    }

    /// Writes each email's text to the log as well (local stacks only).
    pub fn logging_emails(mut self) -> Self {
        self.log_emails = true;
        self
    }

    /// Handles one SQS batch; only the failed messages are reported.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        lambda::each_message(&event, "sending a notice", |m| async move {
            self.handle_message(m).await.map(|_| ())
        })
        .await
    }

    async fn handle_message(&self, m: &SqsMessage) -> anyhow::Result<Outcome> {
        let body = m.body.as_deref().unwrap_or_default();
        let notice = match Notice::from_body(body) {
            Ok(n) => n,
            Err(not_a_notice) => {
                return match feedback::parse(body) {
                    Ok(Some(f)) => self.record(&f).await,
                    Ok(None) => Ok(Outcome::Feedback),
                    Err(not_feedback) => anyhow::bail!("{not_a_notice}; {not_feedback}"),
                }
            }
        };
        self.send(&notice).await
    }

    /// Records SES's word on one of our messages on its notice.
    async fn record(&self, f: &feedback::Feedback) -> anyhow::Result<Outcome> {
        let now = printvault_domain::when::now().unix_timestamp();
        let delivery = match f.outcome {
            feedback::Outcome::Delivered => Delivery::Delivered,
            feedback::Outcome::Bounced => Delivery::Bounced,
            feedback::Outcome::Complained => Delivery::Complained,
        };
        let to = f.recipients.join(",");
        match self
            .ledger
            .record_feedback(&f.message_id, delivery, &to, now)
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

    /// Sends `notice` unless its ID was sent before.
    #[instrument(skip_all, fields(notice_id = %notice.notice_id))]
    pub async fn send(&self, notice: &Notice) -> anyhow::Result<Outcome> {
        let now = printvault_domain::when::now().unix_timestamp();
        match self.ledger.claim(&notice.notice_id, now).await? {
            Claim::AlreadySent => {
                info!("sent before; skipped");
                return Ok(Outcome::AlreadySent);
            }
            Claim::Busy => anyhow::bail!("another notifier is sending this notice now"),
            Claim::Ours => {}
        }
        let id = match self.mailer.send(notice).await {
            Ok(id) => id,
            Err(e) => {
                if let Err(r) = self.ledger.release(&notice.notice_id).await {
                    warn!(error = ?r, "could not give the claim back; a retry waits for the lease");
                }
                return Err(e.into());
            }
        };
        self.ledger.mark_sent(&notice.notice_id, now, &id).await?;
        if let Some((sqs, queue)) = &self.simulated_feedback {
            sqs.send_message()
                .queue_url(queue)
                .message_body(feedback::simulated(&id, notice.to.as_str()))
                .send()
                .await?;
        }
        info!(ses_message_id = %id, to = %notice.to.digest(), "email sent");
        if self.log_emails {
            let r = notice.render();
            info!("email to {}: {}\n{}", notice.to, r.subject, r.text);
        }
        Ok(Outcome::Sent(id))
    }
}
