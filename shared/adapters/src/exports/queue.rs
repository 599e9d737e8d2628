//! The `exports` queue: each message is one step of an export, for the
//! `export` function.

use anyhow::Context;
use printvault_domain::export::job::ExportMessage;
use printvault_domain::Error;

/// Sends steps of exports to the `export` function.
#[derive(Clone)]
pub struct ExportQueue {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl ExportQueue {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            sqs,
            queue_url: queue_url.into(),
        }
    }

    /// Queues `message`. Safe to repeat: a step is carried out by the
    /// message whose step the job is at, once.
    pub async fn send(&self, message: &ExportMessage) -> Result<(), Error> {
        self.send_later(message, 0).await
    }

    /// Queues `message` to be delivered in `delay_secs` (at most 900).
    pub async fn send_later(&self, message: &ExportMessage, delay_secs: i32) -> Result<(), Error> {
        let body = message.to_body();
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body.clone())
            .delay_seconds(delay_secs.clamp(0, 900))
            .send()
            .await
            .with_context(|| format!("queueing {body}"))?;
        Ok(())
    }
}
