//! The search index (M14), in the images table.
//!
//! | pk                          | sk                     | holds                     |
//! |-----------------------------|------------------------|---------------------------|
//! | `OWNKW#<owner>#<term>`      | `<when>#<image>`       | every ready image's terms |
//! | `PUBKW#<term>#<shard>`      | `<when>#<image>`       | viewable/printable only   |
//!
//! Each item carries a projection of the image (class, prices, size, terms),
//! so a result costs the one index item that found it: a query's cost follows
//! the results it returns, never the size of the library. `<when>` is the
//! time taken (or uploaded), so newest-first is descending key order and a
//! date range is a key range. Public terms are write-sharded by a stable hash
//! of the image ID, so a popular term spreads over several partitions.
//!
//! Public items change in the same transaction as the image's class, so a
//! class change is exact for every caller at once. Owner items are written
//! after, best effort; they only serve the owner and their group, who may
//! see the image whatever its class.
//!
//! Writing entries is in [`changes`], reading pages in [`query`]; the
//! transaction that moves a record and its entries together is
//! [`crate::catalog`]'s.

mod changes;
mod query;

use printvault_domain::access::Class;
use printvault_domain::classification::Prices;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::search::terms;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct SearchIndex {
    pub(crate) db: aws_sdk_dynamodb::Client,
    pub(crate) table: String,
    shards: u32,
}

/// What one index item says about its image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub image_id: ImageId,
    pub owner: CustomerId,
    pub class: Class,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<String>,
    pub width: u32,
    pub height: u32,
    pub terms: Vec<String>,
}

/// One result and the index partition that found it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub entry: Entry,
    pub source: usize,
}

/// A page of merged results.
#[derive(Debug, Clone)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub next_cursor: Option<String>,
    /// Index items DynamoDB returned to build this page.
    pub items_read: usize,
    /// Rounds of (parallel) Queries: the page's sequential round trips.
    pub rounds: usize,
}

/// A key range of the shared sort key, inclusive: `YYYY-MM-DD` bounds.
#[derive(Debug, Clone, Default)]
pub struct DateRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

pub(crate) fn own_pk(owner: &CustomerId, term: &str) -> String {
    format!("OWNKW#{owner}#{term}")
}

impl SearchIndex {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>, shards: u32) -> Self {
        Self {
            db,
            table: table.into(),
            shards: shards.max(1),
        }
    }

    fn pub_pk(&self, term: &str, shard: u32) -> String {
        format!("PUBKW#{term}#{shard}")
    }

    /// The partitions a caller searches for `term`: their own, their group
    /// members', and every shard of the public index.
    pub fn own_partition(&self, owner: &CustomerId, term: &str) -> String {
        own_pk(owner, term)
    }

    pub fn public_partitions(&self, term: &str) -> Vec<String> {
        (0..self.shards).map(|s| self.pub_pk(term, s)).collect()
    }

    /// The index entry and sort key of a ready image.
    pub fn entry(image: &Image) -> Option<(Entry, String)> {
        if image.status != ImageStatus::Ready {
            return None;
        }
        let f = image.finalised.as_ref()?;
        let e = Entry {
            image_id: image.id.clone(),
            owner: image.owner.clone(),
            class: image.class,
            prices: image.prices,
            taken_at: image.attributes.taken_at.clone(),
            width: f.width,
            height: f.height,
            terms: terms(&image.attributes),
        };
        let sk = sort_key(
            e.taken_at.as_deref(),
            &image.created_at.to_string(),
            image.id.as_str(),
        );
        Some((e, sk))
    }

    pub(crate) fn own_keys(image: Option<&Image>) -> BTreeMap<(String, String), Entry> {
        image
            .and_then(Self::entry)
            .map(|(e, sk)| {
                e.terms
                    .iter()
                    .map(|t| ((own_pk(&e.owner, t), sk.clone()), e.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn public_keys(&self, image: Option<&Image>) -> BTreeMap<(String, String), Entry> {
        let Some((e, sk)) = image.and_then(Self::entry) else {
            return BTreeMap::new();
        };
        if e.class == Class::Private {
            return BTreeMap::new();
        }
        let sh = shard(e.image_id.as_str(), self.shards);
        e.terms
            .iter()
            .map(|t| ((self.pub_pk(t, sh), sk.clone()), e.clone()))
            .collect()
    }
}

/// The sort key of an image in every index partition: when it was taken (or,
/// failing that, uploaded), then its ID. Newest first is descending order,
/// and a date range is a key range.
pub fn sort_key(taken_at: Option<&str>, created_at: &str, image_id: &str) -> String {
    let when = taken_at.unwrap_or(created_at);
    let when: String = when.chars().take(19).collect();
    format!("{when}#{image_id}")
}

/// The write shard (0..shards) of an image in the public index: a stable
/// FNV-1a hash of its ID, so a popular term spreads over `shards` partitions.
pub fn shard(image_id: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in image_id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_order_by_time_then_id() {
        let a = sort_key(Some("2024-05-03T14:30:00"), "2026-01-01T00:00:00Z", "img_A");
        let b = sort_key(None, "2026-01-01T00:00:00Z", "img_B");
        assert_eq!(b, "2026-01-01T00:00:00#img_B");
        assert!(a < b);
    }

    #[test]
    fn shards_are_stable_and_in_range() {
        for n in 1..64 {
            for i in 0..50 {
                let id = format!("img_{i:026}");
                let s = shard(&id, n);
                assert!(s < n);
                assert_eq!(s, shard(&id, n));
            }
        }
    }
}
