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
//! - `races.rs` runs the requests truly in parallel through the api (a
//!   multi-threaded runtime, `join_all`) and checks what is left: every
//!   change that was answered 200 is in the record, one answered 409 is not,
//!   search agrees with the record, and a delete leaves nothing behind.

mod races;
mod replays;

use integration_tests::{image_id, Caller, TestEnv};
use printvault_domain::ids::{CustomerId, ImageId};

/// A ready image of the caller's, with typed IDs for the stores.
pub async fn ready_image(env: &TestEnv, token: &str, seed: u64) -> (CustomerId, ImageId) {
    let id = env.ready_image(token, seed).await;
    (env.owner_id(token).await, image_id(&id))
}

/// What a search (a query string such as `q=beach`) finds for `who`.
pub async fn hits(env: &TestEnv, who: impl Caller, query: &str) -> Vec<String> {
    env.search_ids(query, who).await
}
