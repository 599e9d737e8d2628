//! What every function shares: required configuration from the environment,
//! and the SQS partial-batch loop.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_domain::settings::Settings;
use std::future::Future;

/// A required environment variable; the error names it.
pub fn required_env(name: &str) -> anyhow::Result<String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v),
        _ => anyhow::bail!("environment variable {name} must be set"),
    }
}

/// The business settings from `PRINTVAULT_SETTINGS` (defaults when unset);
/// invalid settings stop the function at start with the reason.
pub fn settings_from_env() -> anyhow::Result<Settings> {
    Ok(Settings::from_json(
        &std::env::var("PRINTVAULT_SETTINGS").unwrap_or_default(),
    )?)
}

/// Runs `handle` on each message of an SQS batch, one at a time, and reports
/// the ones that failed, so only they are retried (and, after the queue's
/// maxReceiveCount, parked in its DLQ). One bad message never fails the rest.
pub async fn each_message<'a, F, Fut>(event: &'a SqsEvent, what: &str, handle: F) -> SqsBatchResponse
where
    F: Fn(&'a SqsMessage) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    each_message_until(event, what, Deadline::none(), handle).await
}

/// When the invocation ends, and how long one message may take at most.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: tokio::time::Instant,
    /// A message is started only with at least this much time left.
    pub reserve: std::time::Duration,
}

impl Deadline {
    /// No deadline (a local poller, a test).
    pub fn none() -> Self {
        Self {
            at: tokio::time::Instant::now() + std::time::Duration::from_secs(365 * 86_400),
            reserve: std::time::Duration::ZERO,
        }
    }

    /// From the Lambda context's deadline (milliseconds since the epoch).
    pub fn from_epoch_millis(deadline_ms: u64, reserve: std::time::Duration) -> Self {
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        Self {
            at: tokio::time::Instant::now()
                + std::time::Duration::from_millis(deadline_ms.saturating_sub(now_ms)),
            reserve,
        }
    }

    fn room_for_one(&self) -> bool {
        tokio::time::Instant::now() + self.reserve < self.at
    }
}

fn failure(message: &SqsMessage) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = message.message_id.clone().unwrap_or_default();
    f
}

/// [`each_message`], handing back unstarted the messages for which less
/// than `deadline.reserve` is left before `deadline.at`: they are reported
/// as failures, so SQS delivers them again (to a fresh invocation) after the
/// visibility timeout, instead of the whole batch timing out and every
/// message in it being retried.
pub async fn each_message_until<'a, F, Fut>(
    event: &'a SqsEvent,
    what: &str,
    deadline: Deadline,
    handle: F,
) -> SqsBatchResponse
where
    F: Fn(&'a SqsMessage) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut response = SqsBatchResponse::default();
    for (i, message) in event.records.iter().enumerate() {
        if !deadline.room_for_one() {
            let left = &event.records[i..];
            tracing::warn!(
                handed_back = left.len(),
                "{what}: too close to the deadline; handing the rest back"
            );
            response.batch_item_failures.extend(left.iter().map(failure));
            break;
        }
        if let Err(e) = handle(message).await {
            let id = message.message_id.clone().unwrap_or_default();
            tracing::warn!(message_id = %id, error = ?e, "{what} failed; it will be retried");
            response.batch_item_failures.push(failure(message));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn batch(n: usize) -> SqsEvent {
        let mut e = SqsEvent::default();
        for i in 0..n {
            let mut m = SqsMessage::default();
            m.message_id = Some(format!("m{i}"));
            e.records.push(m);
        }
        e
    }

    #[tokio::test(start_paused = true)]
    async fn messages_without_time_left_are_handed_back_unstarted() {
        let event = batch(5);
        let started = std::sync::Mutex::new(Vec::new());
        // Each message takes 1 s; 3.5 s are left and one needs 1 s of reserve.
        let deadline = Deadline {
            at: tokio::time::Instant::now() + Duration::from_millis(3500),
            reserve: Duration::from_secs(1),
        };
        let r = each_message_until(&event, "test", deadline, |m| {
            started.lock().unwrap().push(m.message_id.clone().unwrap());
            async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                Ok(())
            }
        })
        .await;
        assert_eq!(*started.lock().unwrap(), ["m0", "m1", "m2"]);
        let back: Vec<_> = r
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(back, ["m3", "m4"]);
    }

    #[tokio::test]
    async fn without_a_deadline_every_message_runs() {
        let event = batch(3);
        let r = each_message(&event, "test", |_| async { Ok(()) }).await;
        assert!(r.batch_item_failures.is_empty());
    }
}
