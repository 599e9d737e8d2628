//! The image-events queue (`printvault_domain::image_event` says what goes
//! on it): upload-finalise and the api publish, classify reads.

use anyhow::Context;
use printvault_domain::image_event::ImageEvent;
use printvault_domain::Error;

/// Sends image events to the image-events queue.
#[derive(Clone, Debug)]
pub struct ImageEvents {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl ImageEvents {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            sqs,
            queue_url: queue_url.into(),
        }
    }

    /// Sends one event. Safe to repeat: the consumer is idempotent.
    pub async fn publish(&self, event: &ImageEvent) -> Result<(), Error> {
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(event.to_body())
            .send()
            .await
            .with_context(|| format!("sending an {} event", event.kind.as_str()))?;
        Ok(())
    }
}
