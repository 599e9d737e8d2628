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
//! A notifier that dies after SES took the mail but before it recorded so
//! leaves the claim `sending`; after the lease
//! (`printvault_adapters::notices::SENDING_LEASE_SECS`) a retry sends it
//! again. That window is the only way an ID goes out twice.

mod config;

pub use config::Config;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::aws::Clients;
use printvault_adapters::lambda;
use printvault_adapters::notices::{Claim, Mailer, NoticeLedger};
use printvault_domain::notice::Notice;
use tracing::{info, instrument, warn};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Notifier {
    ledger: NoticeLedger,
    mailer: Mailer,
    log_emails: bool,
}

/// What one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// SES took it; its message ID.
    Sent(String),
    /// This notice ID was sent before.
    AlreadySent,
}

impl Notifier {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self {
            ledger: NoticeLedger::new(clients.dynamodb.clone(), config.accounts_table),
            mailer: Mailer::new(clients.ses.clone(), config.mail_from),
            log_emails: config.log_emails,
        }
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
        let notice = Notice::from_body(body).map_err(anyhow::Error::msg)?;
        self.send(&notice).await
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
        self.ledger.mark_sent(&notice.notice_id, now).await?;
        info!(ses_message_id = %id, to = %notice.to.digest(), "email sent");
        if self.log_emails {
            let r = notice.render();
            info!("email to {}: {}\n{}", notice.to, r.subject, r.text);
        }
        Ok(Outcome::Sent(id))
    }
}
