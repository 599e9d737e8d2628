//! Adapters between the domain and AWS. Each module owns one wire format:
//! DynamoDB items and keys, S3 key layout and presigning, queue messages.
//! Nothing outside this crate builds a key string by hand.

pub mod accounts;
pub mod albums;
pub mod archive;
pub mod aws;
pub mod billing;
pub mod blocklist;
pub mod calls;
pub mod catalog;
pub mod cursor;
pub mod dispatch;
pub mod dynamo;
pub mod exports;
pub mod image_events;
pub mod images;
pub mod keys;
pub mod labs;
pub mod lambda;
pub mod ledger;
pub mod locations;
pub mod names;
pub mod notices;
pub mod objects;
pub mod orders;
pub mod s3_event;
pub mod search;
pub mod secrets;
pub mod sharing;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;
pub mod watermark;

/// One page of a listing and the opaque cursor of the next, if any.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
