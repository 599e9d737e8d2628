//! Concurrent changes to one image, against moto: no change overwrites
//! another, and nothing written for an image outlives its deletion.
//!
//! Every test here runs on the binary's serialised moto server
//! ([`TestEnv::serialised`], `infra/moto_server.py --serialised`): it handles
//! one request at a time, so each DynamoDB call is atomic, as it is on AWS.
//! moto's ordinary threaded server does not isolate concurrent transactions
//! (two parallel conditional TransactWriteItems on one item can both
//! succeed, or fail with a 500 from inside moto), so a parallel test there
//! would measure moto. SQS ReceiveMessage is let through without waiting its
//! turn, so the background pollers' long polls never hold up the api.
//!
//! - `replays.rs` replays each race step by step: a change made from an
//!   image (or profile) read before another change landed.
//! - `races.rs` and `deletes.rs` run the requests truly in parallel through
//!   the api (a multi-threaded runtime, `join_all`) and check what is left:
//!   every change that was answered 200 is in the record, one answered 409
//!   is not, search agrees with the record, and a delete racing edits leaves
//!   nothing behind.

mod deletes;
mod races;
mod replays;

use futures::future::join_all;
use integration_tests::{eventually, image_id, Caller, TestEnv};
use printvault_domain::ids::{CustomerId, ImageId};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A ready image of the caller's, with typed IDs for the stores.
pub async fn ready_image(env: &TestEnv, token: &str, seed: u64) -> (CustomerId, ImageId) {
    let id = env.ready_image(token, seed).await;
    (env.owner_id(token).await, image_id(&id))
}

/// What a search (a query string such as `q=beach`) finds for `who`.
pub async fn hits(env: &TestEnv, who: impl Caller, query: &str) -> Vec<String> {
    env.search_ids(query, who).await
}

/// One request of a race, named for what it changes.
pub struct Change {
    pub what: &'static str,
    pub method: Method,
    pub path: String,
    pub body: Value,
}

pub fn patch(id: &ImageId, what: &'static str, body: Value) -> Change {
    Change {
        what,
        method: Method::PATCH,
        path: format!("/v1/images/{id}"),
        body,
    }
}

pub fn class(id: &ImageId, what: &'static str, body: Value) -> Change {
    Change {
        what,
        method: Method::PUT,
        path: format!("/v1/images/{id}/class"),
        body,
    }
}

/// Sends every change at once; returns the statuses in the same order.
pub async fn race(env: &TestEnv, who: &str, changes: &[Change]) -> Vec<StatusCode> {
    let sent = changes.iter().map(|c| {
        let body = (!c.body.is_null()).then(|| c.body.clone());
        env.call(c.method.clone(), &c.path, Some(who), body)
    });
    join_all(sent).await.into_iter().map(|(s, _)| s).collect()
}

/// Waits until the owner's search shows the new image, so classify's first
/// indexing is not part of the race.
pub async fn indexed(env: &TestEnv, ann: &str, id: &ImageId) {
    eventually(30, "the image in its owner's search", || async {
        hits(env, ann, "").await.contains(&id.to_string())
    })
    .await
    .unwrap();
}

/// The owner's view of the image.
pub async fn image(env: &TestEnv, ann: &str, id: &ImageId) -> Value {
    let (s, b) = env.get(&format!("/v1/images/{id}"), ann).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b
}

/// Whether `who`'s search for `query` finds the image.
pub async fn finds(env: &TestEnv, who: impl Caller, query: &str, id: &ImageId) -> bool {
    hits(env, who, query).await.contains(&id.to_string())
}
