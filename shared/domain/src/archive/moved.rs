//! An image's original once its disc is written (M32): it moves to the
//! archive storage class, once, and its record names the disc.
//!
//! The record's `archive` goes `moving` (a mover holds it) → `archived`.
//! Two movers can run at once (the lab's `written` report, sent again,
//! queues the move again), so a mover first claims each image: the claim
//! is a conditional write that only one mover wins while the claim is
//! fresh ([`MOVE_LEASE_SECS`]); a mover that died is taken over once its
//! claim is stale. Only the holder copies the original, and a copy is made
//! only while the original is not in the archive class yet, so no image is
//! copied twice; the holder then marks it `archived`.

use serde::{Deserialize, Serialize};

use crate::ids::OrderId;
use crate::when::Timestamp;

/// How long a mover's claim on an image holds: longer than one image's
/// copy takes, shorter than the dispatch queue's visibility timeout (720
/// s), so a redelivered move finds a dead mover's claims stale.
pub const MOVE_LEASE_SECS: i64 = 600;

/// Where an image's original is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ArchiveState {
    /// Being moved to the archive class.
    Moving,
    /// In the archive class: only on its disc, and in cold storage.
    Archived,
}

/// An image's `archive`: the disc that holds it, and its move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archived {
    /// The disc: its archive order's ID.
    pub disc_id: OrderId,
    pub state: ArchiveState,
    /// When it reached `state`.
    pub at: Timestamp,
    /// The mover holding a `moving` image, and until when (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mover: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_until: Option<i64>,
    /// The owner's ask for the original back (`restore.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<super::Restore>,
}

/// What a mover may do with an image, as its record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Not claimed, claimed by this mover, or claimed by one whose lease
    /// ran out: claim it (the write checks the same again).
    Take,
    /// Moved already, for this disc.
    Done,
    /// Another mover holds it: come back later.
    Held,
    /// It is on another disc (ordered twice; the first disc keeps it).
    OtherDisc,
}

impl Archived {
    /// What mover `me` may do for disc `disc` at `now` with an image whose
    /// `archive` is `current`.
    pub fn claim(current: Option<&Archived>, disc: &OrderId, me: &str, now: Timestamp) -> Claim {
        let Some(a) = current else {
            return Claim::Take;
        };
        if &a.disc_id != disc {
            return Claim::OtherDisc;
        }
        match a.state {
            ArchiveState::Archived => Claim::Done,
            ArchiveState::Moving
                if a.mover.as_deref() == Some(me) || a.lease_until.is_none_or(|u| u <= now.unix()) =>
            {
                Claim::Take
            }
            ArchiveState::Moving => Claim::Held,
        }
    }

    /// The claim of mover `me` for `disc` at `now`.
    pub fn moving(disc: &OrderId, me: &str, now: Timestamp) -> Self {
        Self {
            disc_id: disc.clone(),
            state: ArchiveState::Moving,
            at: now,
            mover: Some(me.to_owned()),
            lease_until: Some(now.unix() + MOVE_LEASE_SECS),
            restore: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mover_holds_an_image_until_its_claim_is_stale() {
        let disc = OrderId::generate();
        let t0: Timestamp = "2026-12-07T06:00:00Z".parse().unwrap();
        let later = |s: i64| Timestamp::at(t0.time() + time::Duration::seconds(s));
        assert_eq!(Archived::claim(None, &disc, "a", t0), Claim::Take);
        let held = Archived::moving(&disc, "a", t0);
        assert_eq!(
            Archived::claim(Some(&held), &disc, "a", later(1)),
            Claim::Take,
            "its own"
        );
        assert_eq!(Archived::claim(Some(&held), &disc, "b", later(1)), Claim::Held);
        assert_eq!(
            Archived::claim(Some(&held), &disc, "b", later(MOVE_LEASE_SECS)),
            Claim::Take,
            "a dead mover's claim is taken over"
        );
        let done = Archived {
            state: ArchiveState::Archived,
            mover: None,
            lease_until: None,
            ..held.clone()
        };
        assert_eq!(Archived::claim(Some(&done), &disc, "b", later(1)), Claim::Done);
        assert_eq!(
            Archived::claim(Some(&held), &OrderId::generate(), "b", later(MOVE_LEASE_SECS)),
            Claim::OtherDisc
        );
    }
}
