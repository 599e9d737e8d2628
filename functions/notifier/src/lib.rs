//! notifier: the one way an email leaves printvault. Each message on the
//! notices queue is one [`Notice`] (a recipient, what to say, and a
//! deterministic notice ID), sent by one call of
//! [`printvault_usecases::notices::send`], once per notice ID. The same
//! queue carries SES's feedback on what was sent (a configuration set's
//! events, through SNS), each recorded by one call of
//! [`printvault_usecases::notices::record`]. This crate parses the
//! messages, optionally logs each email's text (local stacks), and reports
//! the ones that failed; a body that is neither a notice nor feedback can
//! never succeed, and parked in the DLQ it can be read.

mod config;

pub use config::Config;
pub use printvault_usecases::notices::Outcome;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::aws::Clients;
use printvault_adapters::lambda;
use printvault_adapters::notices::{Mailer, NoticeLedger, SimulatedFeedback};
use printvault_domain::notice::{feedback, Notice};
use printvault_domain::when::Clock;
use printvault_usecases::notices::{self, wiring::NoticeStorage};
use tracing::{info, instrument};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Notifier {
    storage: NoticeStorage,
    log_emails: bool,
    clock: Clock,
}

impl Notifier {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self {
            storage: NoticeStorage {
                ledger: NoticeLedger::new(clients.dynamodb.clone(), config.accounts_table),
                mailer: Mailer::new(clients.ses.clone(), config.mail_from)
                    .with_configuration_set(config.configuration_set),
                simulated_feedback: None,
            },
            log_emails: config.log_emails,
            clock: Clock::system(),
        }
    }

    /// Reads `clock` instead of the real one (the local runner's, which
    /// it moves).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// After each send, puts the event SES's mailbox simulator would send
    /// on `queue_url` (local stacks, where no mail is delivered).
    pub fn simulating_ses_feedback(mut self, sqs: aws_sdk_sqs::Client, queue_url: String) -> Self {
        self.storage.simulated_feedback = Some(SimulatedFeedback::new(sqs, queue_url));
        self
    }

    /// Writes each email's text to the log as well (local stacks only).
    pub fn logging_emails(mut self) -> Self {
        self.log_emails = true;
        self
    }

    /// Handles one SQS batch; only the failed messages are reported.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        lambda::SqsHandler::handle(self, event, lambda::Deadline::none()).await
    }

    async fn handle_message(&self, m: &SqsMessage) -> anyhow::Result<Outcome> {
        let body = m.body.as_deref().unwrap_or_default();
        let now = self.clock.now();
        match Notice::from_body(body) {
            Ok(notice) => self.send(&notice).await,
            Err(not_a_notice) => match feedback::parse(body) {
                Ok(Some(f)) => Ok(notices::record(&self.storage, &f, now).await?),
                Ok(None) => Ok(Outcome::Feedback),
                Err(not_feedback) => anyhow::bail!("{not_a_notice}; {not_feedback}"),
            },
        }
    }

    /// Sends `notice` unless its ID was sent before.
    #[instrument(skip_all, fields(notice_id = %notice.notice_id))]
    pub async fn send(&self, notice: &Notice) -> anyhow::Result<Outcome> {
        let outcome = notices::send(&self.storage, notice, self.clock.now()).await?;
        if let (Outcome::Sent(_), true) = (&outcome, self.log_emails) {
            let r = notice.render();
            info!("email to {}: {}\n{}", notice.to, r.subject, r.text);
        }
        Ok(outcome)
    }
}

impl lambda::SqsHandler for Notifier {
    async fn handle(&self, batch: SqsEvent, deadline: lambda::Deadline) -> SqsBatchResponse {
        lambda::each_message_until(&batch, "sending a notice", deadline, |m| async move {
            self.handle_message(m).await.map(|_| ())
        })
        .await
    }
}
