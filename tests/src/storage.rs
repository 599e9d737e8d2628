//! Looking past the api: objects in the photos bucket and messages in the
//! queues.

use crate::TestEnv;
use anyhow::Context;
use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// An SQS event carrying `bodies`, as Lambda hands a batch to a function
/// (message IDs `m0`, `m1`, ...).
pub fn sqs_event(bodies: &[&str]) -> SqsEvent {
    let mut e = SqsEvent::default();
    for (i, b) in bodies.iter().enumerate() {
        let mut m = SqsMessage::default();
        m.message_id = Some(format!("m{i}"));
        m.body = Some((*b).to_owned());
        e.records.push(m);
    }
    e
}

impl TestEnv {
    /// Writes `items` to `table`, 25 a request, a few requests at a time,
    /// with progress (benchmarks load libraries this way).
    pub async fn load_items(&self, table: &str, items: Vec<printvault_adapters::dynamo::Item>, what: &str) {
        let t0 = Instant::now();
        let total = items.len();
        let mut done = 0;
        for wave in items.chunks(25 * 8) {
            let tasks: Vec<_> = wave
                .chunks(25)
                .map(|c| {
                    let db = self.stack.clients.dynamodb.clone();
                    let table = table.to_owned();
                    let reqs: Vec<WriteRequest> = c
                        .iter()
                        .map(|i| {
                            WriteRequest::builder()
                                .put_request(PutRequest::builder().set_item(Some(i.clone())).build().unwrap())
                                .build()
                        })
                        .collect();
                    tokio::spawn(async move {
                        let mut pending = Some(BTreeMap::from([(table, reqs)]).into_iter().collect());
                        while let Some(req) = pending.take() {
                            let out = db
                                .batch_write_item()
                                .set_request_items(Some(req))
                                .send()
                                .await
                                .unwrap();
                            pending = out.unprocessed_items.filter(|u| !u.is_empty());
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
            let before = done;
            done += wave.len();
            // Progress every 5%, and at the end.
            if done == total || done * 20 / total.max(1) != before * 20 / total.max(1) {
                eprintln!("  {what}: {done}/{total} ({:.0} s)", t0.elapsed().as_secs_f64());
            }
        }
    }

    /// Puts an upload's bytes at its incoming key as the test's own user, as
    /// the presigned PUT would (for a moto that cannot check presigned
    /// requests, see [`crate::iam`]).
    pub async fn put_incoming(&self, owner: &str, image_id: &str, bytes: Vec<u8>) {
        self.stack
            .clients
            .s3
            .put_object()
            .bucket(&self.stack.resources.names.photos_bucket)
            .key(format!("incoming/{owner}/{image_id}"))
            .content_type("image/jpeg")
            .body(bytes.into())
            .send()
            .await
            .expect("an incoming object");
    }

    /// How many items the images table holds under partition key `pk`.
    pub async fn items_in(&self, pk: &str) -> usize {
        let out = self
            .stack
            .clients
            .dynamodb
            .query()
            .table_name(&self.stack.resources.names.images_table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S(pk.to_owned()))
            .select(aws_sdk_dynamodb::types::Select::Count)
            .send()
            .await
            .expect("counting a partition");
        out.count as usize
    }

    /// Every key in the photos bucket under `prefix`.
    pub async fn keys(&self, prefix: &str) -> Vec<String> {
        let out = self
            .stack
            .clients
            .s3
            .list_objects_v2()
            .bucket(&self.stack.resources.names.photos_bucket)
            .prefix(prefix)
            .send()
            .await
            .expect("list objects");
        out.contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect()
    }

    /// Every key in the bucket that belongs to `image_id`.
    pub async fn keys_of(&self, image_id: &str) -> Vec<String> {
        let mut k: Vec<String> = self
            .keys("")
            .await
            .into_iter()
            .filter(|k| k.contains(image_id))
            .collect();
        k.sort();
        k
    }

    /// The image's keys once finalising has finished with them. The record
    /// settles before the incoming object is deleted (so a crash between
    /// the two is replayed), so a caller that has just seen the status
    /// change waits here for the delete to land.
    pub async fn settled_keys_of(&self, image_id: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let keys = self.keys_of(image_id).await;
            if !keys.iter().any(|k| k.starts_with("incoming/")) || Instant::now() > deadline {
                return keys;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Number of messages waiting in a queue (visible and in flight).
    pub async fn queue_depth(&self, url: &str) -> anyhow::Result<u64> {
        use aws_sdk_sqs::types::QueueAttributeName as A;
        let out = self
            .stack
            .clients
            .sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(A::ApproximateNumberOfMessages)
            .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await?;
        let a = out.attributes.context("no attributes")?;
        let n = |k: &A| a.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        Ok(n(&A::ApproximateNumberOfMessages) + n(&A::ApproximateNumberOfMessagesNotVisible))
    }

    /// Receives (and deletes) everything in a queue; returns the bodies.
    pub async fn drain(&self, url: &str) -> Vec<String> {
        let mut bodies = Vec::new();
        loop {
            let out = self
                .stack
                .clients
                .sqs
                .receive_message()
                .queue_url(url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .send()
                .await
                .expect("receive");
            let msgs = out.messages.unwrap_or_default();
            if msgs.is_empty() {
                return bodies;
            }
            for m in msgs {
                bodies.push(m.body.clone().unwrap_or_default());
                self.stack
                    .clients
                    .sqs
                    .delete_message()
                    .queue_url(url)
                    .receipt_handle(m.receipt_handle.unwrap_or_default())
                    .send()
                    .await
                    .expect("delete");
            }
        }
    }
}

impl TestEnv {
    /// One of the serialised moto server's counters (`/_printvault/NAME`:
    /// `calls`, `busy`); with `reset`, read and started again from zero.
    pub async fn moto_counter<T: serde::de::DeserializeOwned>(&self, name: &str, reset: bool) -> T {
        let url = format!("{}/_printvault/{name}", self.stack.endpoint);
        let req = if reset {
            self.http.delete(url)
        } else {
            self.http.get(url)
        };
        req.send()
            .await
            .expect("moto answers")
            .json()
            .await
            .expect("the counter is JSON")
    }
}

/// A benchmark's size: `var` from the environment, else `full` when run
/// by `cargo bench` (`--bench`), else `small` (under `cargo test`).
pub fn bench_size(var: &str, full: usize, small: usize) -> usize {
    let bench = std::env::args().any(|a| a == "--bench");
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if bench { full } else { small })
}

/// Customer `c`'s account item, with an address its emails go to, for a
/// benchmark to load.
pub fn account_item(c: &printvault_domain::ids::CustomerId) -> printvault_adapters::dynamo::Item {
    let rec = printvault_adapters::accounts::Customer {
        customer_id: c.clone(),
        email: printvault_domain::account::Email::parse(&format!(
            "{}@example.com",
            c.as_str().to_lowercase()
        ))
        .expect("an address"),
        created_at: "2024-01-01T00:00:00Z".parse().expect("a time"),
        profile: Default::default(),
        profile_rev: 0,
        anniversaries: Default::default(),
        archive: Default::default(),
    };
    printvault_adapters::dynamo::item_with_key(
        &rec,
        printvault_adapters::keys::customer_pk(c),
        printvault_adapters::keys::PROFILE_SK.into(),
    )
    .expect("an account item")
}
