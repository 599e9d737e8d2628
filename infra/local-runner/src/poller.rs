//! Plays an SQS event source mapping: receive a batch, hand it to the
//! function as an `SqsEvent`, delete what succeeded, and leave the reported
//! failures to reappear after the visibility timeout (and, after
//! maxReceiveCount receives, to move to the DLQ).

use anyhow::Context;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName};
use std::collections::HashSet;
use std::future::Future;

/// Receives one batch (waiting up to `wait_secs`) and runs `handler` on it.
/// Returns how many messages were received.
pub async fn poll_once<F, Fut>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    wait_secs: i32,
    handler: F,
) -> anyhow::Result<usize>
where
    F: FnOnce(SqsEvent) -> Fut,
    Fut: Future<Output = SqsBatchResponse>,
{
    let out = sqs
        .receive_message()
        .queue_url(queue_url)
        .max_number_of_messages(10)
        .wait_time_seconds(wait_secs)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .context("receiving from a queue")?;
    let messages = out.messages.unwrap_or_default();
    if messages.is_empty() {
        return Ok(0);
    }
    let n = messages.len();
    let mut event = SqsEvent::default();
    let mut handles = Vec::with_capacity(n);
    for m in messages {
        let mut msg = SqsMessage::default();
        msg.message_id = m.message_id.clone();
        msg.receipt_handle = m.receipt_handle.clone();
        msg.body = m.body.clone();
        msg.md5_of_body = m.md5_of_body.clone();
        msg.event_source = Some("aws:sqs".into());
        msg.attributes = m
            .attributes
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k.as_str().to_owned(), v))
            .collect();
        handles.push((
            m.message_id.unwrap_or_default(),
            m.receipt_handle.unwrap_or_default(),
        ));
        event.records.push(msg);
    }
    let response = handler(event).await;
    let failed: HashSet<String> = response
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect();
    let entries: Vec<_> = handles
        .into_iter()
        .filter(|(id, _)| !failed.contains(id))
        .enumerate()
        .map(|(i, (_, receipt))| {
            DeleteMessageBatchRequestEntry::builder()
                .id(i.to_string())
                .receipt_handle(receipt)
                .build()
        })
        .collect::<Result<_, _>>()?;
    if !entries.is_empty() {
        sqs.delete_message_batch()
            .queue_url(queue_url)
            .set_entries(Some(entries))
            .send()
            .await
            .context("deleting handled messages")?;
    }
    Ok(n)
}

/// Polls forever, as Lambda's event source mapping does. Errors talking to
/// the queue are logged and retried after a pause.
pub async fn run<F, Fut>(sqs: aws_sdk_sqs::Client, queue_url: String, name: &'static str, handler: F)
where
    F: Fn(SqsEvent) -> Fut,
    Fut: Future<Output = SqsBatchResponse>,
{
    loop {
        match poll_once(&sqs, &queue_url, 10, &handler).await {
            Ok(n) if n > 0 => tracing::debug!(function = name, messages = n, "batch handled"),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(function = name, error = ?e, "polling failed; retrying in 2 s");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
        }
    }
}

/// Polls `queue_url` for `handler`, an SQS function, in a task of its own,
/// as Lambda's event source mapping would.
pub fn spawn<H>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    name: &'static str,
    handler: H,
) -> tokio::task::JoinHandle<()>
where
    H: printvault_adapters::lambda::SqsHandler + Clone + Send + 'static,
{
    let (sqs, queue_url) = (sqs.clone(), queue_url.to_owned());
    tokio::spawn(run(sqs, queue_url, name, move |event| {
        let h = handler.clone();
        async move {
            h.handle(event, printvault_adapters::lambda::Deadline::none())
                .await
        }
    }))
}
