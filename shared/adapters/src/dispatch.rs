//! The dispatch queue (M21): `order.paid` messages for print-dispatch, and
//! each lab's FIFO job queue, made when the lab is registered.

use anyhow::Context;
use aws_sdk_sqs::types::{QueueAttributeName, SendMessageBatchRequestEntry};
use printvault_domain::dispatch::disc::DiscJob;
use printvault_domain::dispatch::{DispatchMessage, LabJob};
use printvault_domain::ids::OrderId;
use printvault_domain::Error;

use crate::names::{LAB_JOBS_MAX_RECEIVE_COUNT, LAB_JOBS_VISIBILITY_TIMEOUT_SECS};

/// Where paid orders go.
#[derive(Clone, Debug)]
pub struct DispatchQueue {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl DispatchQueue {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            sqs,
            queue_url: queue_url.into(),
        }
    }

    /// Asks print-dispatch to send `order`'s lines. Safe to repeat: only a
    /// paid order is dispatched, once.
    pub async fn order_paid(&self, order: &OrderId) -> Result<(), Error> {
        self.send(&DispatchMessage::OrderPaid {
            order_id: order.clone(),
        })
        .await
    }

    /// Asks print-dispatch to move the originals of `order`'s written disc
    /// (M32). Safe to repeat: each original moves once.
    pub async fn disc_written(&self, order: &OrderId) -> Result<(), Error> {
        self.send(&DispatchMessage::DiscWritten {
            order_id: order.clone(),
        })
        .await
    }

    async fn send(&self, message: &DispatchMessage) -> Result<(), Error> {
        let body = message.to_body();
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body.clone())
            .send()
            .await
            .with_context(|| format!("queueing {body}"))?;
        Ok(())
    }
}

/// Each lab's job queue.
#[derive(Clone, Debug)]
pub struct LabQueues {
    sqs: aws_sdk_sqs::Client,
}

impl LabQueues {
    pub fn new(sqs: aws_sdk_sqs::Client) -> Self {
        Self { sqs }
    }

    /// Makes lab queue `name` and its DLQ `dlq` (FIFO, encrypted, a job
    /// parked after `LAB_JOBS_MAX_RECEIVE_COUNT` receives), or finds them if
    /// they exist. Returns the queue's URL.
    pub async fn ensure(&self, name: &str, dlq: &str) -> Result<String, Error> {
        let fifo = |b: aws_sdk_sqs::operation::create_queue::builders::CreateQueueFluentBuilder| {
            b.attributes(QueueAttributeName::FifoQueue, "true")
                .attributes(QueueAttributeName::SqsManagedSseEnabled, "true")
                .attributes(QueueAttributeName::MessageRetentionPeriod, "1209600")
        };
        let dlq_url = fifo(self.sqs.create_queue().queue_name(dlq))
            .send()
            .await
            .with_context(|| format!("making lab queue {dlq}"))?
            .queue_url
            .context("a queue URL")?;
        let dlq_arn = self
            .sqs
            .get_queue_attributes()
            .queue_url(&dlq_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .with_context(|| format!("reading {dlq}"))?
            .attributes
            .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
            .context("the DLQ's ARN")?;
        let redrive = serde_json::json!({
            "deadLetterTargetArn": dlq_arn,
            "maxReceiveCount": LAB_JOBS_MAX_RECEIVE_COUNT,
        });
        let url = fifo(self.sqs.create_queue().queue_name(name))
            .attributes(
                QueueAttributeName::VisibilityTimeout,
                LAB_JOBS_VISIBILITY_TIMEOUT_SECS.to_string(),
            )
            .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
            .send()
            .await
            .with_context(|| format!("making lab queue {name}"))?
            .queue_url
            .context("a queue URL")?;
        Ok(url)
    }

    /// Sends `jobs` to the queue at `url`, ten a request. Each job's ID is
    /// its deduplication ID, and its order its message group, so a job sent
    /// twice within SQS's five minutes is one message.
    pub async fn send(&self, url: &str, jobs: &[LabJob]) -> Result<(), Error> {
        for chunk in jobs.chunks(10) {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(i, job)| {
                    SendMessageBatchRequestEntry::builder()
                        .id(format!("j{i}"))
                        .message_body(serde_json::to_string(job).unwrap_or_default())
                        .message_group_id(job.merchant_reference.as_str())
                        .message_deduplication_id(job.job_id.replace(':', "-"))
                        .build()
                        .context("building a job message")
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let out = self
                .sqs
                .send_message_batch()
                .queue_url(url)
                .set_entries(Some(entries))
                .send()
                .await
                .context("sending lab jobs")?;
            if let Some(f) = out.failed.first() {
                return Err(Error::Unexpected(anyhow::anyhow!(
                    "the lab queue refused job {}: {} {}",
                    f.id,
                    f.code,
                    f.message.clone().unwrap_or_default()
                )));
            }
        }
        Ok(())
    }

    /// Sends disc job `job` to the queue at `url`, deduplicated by its ID
    /// in its order's message group, as [`Self::send`] does a print job.
    pub async fn send_disc(&self, url: &str, job: &DiscJob) -> Result<(), Error> {
        self.sqs
            .send_message()
            .queue_url(url)
            .message_body(serde_json::to_string(job).unwrap_or_default())
            .message_group_id(job.merchant_reference.as_str())
            .message_deduplication_id(job.job_id.replace(':', "-"))
            .send()
            .await
            .with_context(|| format!("sending disc job {}", job.job_id))?;
        Ok(())
    }
}
