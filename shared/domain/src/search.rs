//! Search (M14): the terms an image is found by, and the sort key every index
//! item shares, so results from several index partitions merge in one order.

use serde::{Deserialize, Serialize};

use crate::image::Attributes;

/// Where an image's owner-index entries were before a change too big for one
/// transaction moved them (a new date taken on an image with many terms).
/// It is kept on the image record until the move is done, so whoever saves
/// or indexes the image next finishes a move that a crash interrupted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMove {
    pub sort_key: String,
    pub terms: Vec<String>,
}

/// The term every image carries, for searches by date or by nothing.
pub const ALL: &str = "*";
/// An image is indexed under at most this many terms (the first ones, in the
/// order below), which bounds the items one change writes and keeps a class
/// change to a single DynamoDB transaction.
pub const MAX_TERMS: usize = 40;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The index terms of an image's attributes: `*`, then `event:`, `place:`,
/// `camera:`, `person:` and `kw:` terms, folded to lower case, without repeats.
pub fn terms(a: &Attributes) -> Vec<String> {
    let mut out = vec![ALL.to_owned()];
    let mut push = |t: String| {
        if !out.contains(&t) && out.len() < MAX_TERMS {
            out.push(t);
        }
    };
    if let Some(e) = &a.event {
        push(format!("event:{}", norm(e)));
    }
    if let Some(p) = a.place.as_ref().and_then(|p| p.name.as_ref()) {
        push(format!("place:{}", norm(p)));
    }
    if let Some(c) = &a.camera {
        push(format!("camera:{}", norm(c)));
    }
    for p in &a.people {
        push(format!("person:{}", norm(p)));
    }
    for k in &a.keywords {
        push(format!("kw:{}", norm(k)));
    }
    out
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
    use crate::image::Place;
    use proptest::prelude::*;

    #[test]
    fn terms_are_folded_and_bounded() {
        let a = Attributes {
            event: Some("Wedding".into()),
            place: Some(Place {
                name: Some("Mt. Fuji".into()),
                latitude: None,
                longitude: None,
            }),
            keywords: (0..60).map(|i| format!("K{i}")).collect(),
            people: vec!["Ann".into()],
            ..Default::default()
        };
        let t = terms(&a);
        assert_eq!(&t[..4], ["*", "event:wedding", "place:mt. fuji", "person:ann"]);
        assert_eq!(t.len(), MAX_TERMS);
        assert!(t.contains(&"kw:k0".to_string()));
    }

    #[test]
    fn sort_keys_order_by_time_then_id() {
        let a = sort_key(Some("2024-05-03T14:30:00"), "2026-01-01T00:00:00Z", "img_A");
        let b = sort_key(None, "2026-01-01T00:00:00Z", "img_B");
        assert_eq!(b, "2026-01-01T00:00:00#img_B");
        assert!(a < b);
    }

    proptest! {
        #[test]
        fn shards_are_stable_and_in_range(id in "[A-Z0-9]{26}", n in 1u32..64) {
            let s = shard(&id, n);
            prop_assert!(s < n);
            prop_assert_eq!(s, shard(&id, n));
        }
    }
}
