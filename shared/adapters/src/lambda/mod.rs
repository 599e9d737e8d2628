//! What every function shares: required configuration from the environment,
//! and the SQS partial-batch loop.

mod run;

pub use run::{run_sqs, SqsHandler};

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
    each_message_concurrently(event, what, deadline, 1, handle).await
}

/// [`each_message_until`] with up to `in_flight` messages handled at once
/// (at least one), started in batch order. A message is started only while
/// `deadline.reserve` is left, so with several in flight the reserve must
/// cover a message that shares the CPU with the others.
pub async fn each_message_concurrently<'a, F, Fut>(
    event: &'a SqsEvent,
    what: &str,
    deadline: Deadline,
    in_flight: usize,
    handle: F,
) -> SqsBatchResponse
where
    F: Fn(&'a SqsMessage) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    use futures::stream::{FuturesUnordered, StreamExt};

    let limit = in_flight.max(1);
    let mut waiting = event.records.iter().enumerate();
    let mut running = FuturesUnordered::new();
    let mut done = Vec::with_capacity(event.records.len());
    loop {
        // Started in batch order; a slow message never holds up the next.
        while running.len() < limit {
            let Some((i, message)) = waiting.next() else { break };
            running.push(run_one(i, message, what, deadline, &handle));
        }
        match running.next().await {
            Some(result) => done.push(result),
            None => break,
        }
    }
    done.sort_by_key(|(i, _)| *i);
    let handed_back = done.iter().filter(|(_, d)| *d == Done::HandedBack).count();
    if handed_back > 0 {
        tracing::warn!(
            handed_back,
            "{what}: too close to the deadline; handing the rest back"
        );
    }
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = done
        .into_iter()
        .filter(|(_, d)| *d != Done::Handled)
        .map(|(i, _)| failure(&event.records[i]))
        .collect();
    response
}

#[derive(Debug, PartialEq, Eq)]
enum Done {
    Handled,
    Failed,
    HandedBack,
}

async fn run_one<'a, F, Fut>(
    i: usize,
    message: &'a SqsMessage,
    what: &str,
    deadline: Deadline,
    handle: &F,
) -> (usize, Done)
where
    F: Fn(&'a SqsMessage) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    if !deadline.room_for_one() {
        return (i, Done::HandedBack);
    }
    match handle(message).await {
        Ok(()) => (i, Done::Handled),
        Err(e) => {
            let id = message.message_id.clone().unwrap_or_default();
            tracing::warn!(message_id = %id, error = ?e, "{what} failed; it will be retried");
            (i, Done::Failed)
        }
    }
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

    #[tokio::test(start_paused = true)]
    async fn a_batch_runs_in_flight_at_most_the_limit_and_in_order() {
        let event = batch(7);
        let running = std::sync::atomic::AtomicUsize::new(0);
        let most = std::sync::atomic::AtomicUsize::new(0);
        let started = std::sync::Mutex::new(Vec::new());
        let t0 = tokio::time::Instant::now();
        let r = each_message_concurrently(&event, "test", Deadline::none(), 3, |m| {
            started.lock().unwrap().push(m.message_id.clone().unwrap());
            let (running, most) = (&running, &most);
            async move {
                use std::sync::atomic::Ordering::SeqCst;
                let now = running.fetch_add(1, SeqCst) + 1;
                most.fetch_max(now, SeqCst);
                tokio::time::sleep(Duration::from_secs(1)).await;
                running.fetch_sub(1, SeqCst);
                if m.message_id.as_deref() == Some("m4") {
                    anyhow::bail!("m4 fails");
                }
                Ok(())
            }
        })
        .await;
        assert_eq!(most.into_inner(), 3, "never more than the limit at once");
        assert_eq!(
            t0.elapsed(),
            Duration::from_secs(3),
            "7 one-second messages, 3 at a time"
        );
        assert_eq!(
            *started.lock().unwrap(),
            ["m0", "m1", "m2", "m3", "m4", "m5", "m6"]
        );
        let failed: Vec<_> = r
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["m4"], "only the failure is retried");
    }

    #[tokio::test(start_paused = true)]
    async fn in_flight_messages_too_close_to_the_deadline_are_handed_back() {
        let event = batch(6);
        // 2 at a time, 1 s each: m0-m1 start at 0 s, m2-m3 at 1 s; at 2 s
        // only 0.5 s are left, under the 1 s reserve.
        let deadline = Deadline {
            at: tokio::time::Instant::now() + Duration::from_millis(2500),
            reserve: Duration::from_secs(1),
        };
        let r = each_message_concurrently(&event, "test", deadline, 2, |_| async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            Ok(())
        })
        .await;
        let back: Vec<_> = r
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(back, ["m4", "m5"]);
    }

    #[tokio::test]
    async fn without_a_deadline_every_message_runs() {
        let event = batch(3);
        let r = each_message(&event, "test", |_| async { Ok(()) }).await;
        assert!(r.batch_item_failures.is_empty());
    }
}
