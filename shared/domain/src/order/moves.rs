//! An order's status moves only forward:
//!
//! ```text
//! awaiting_email ─▶ placed ─▶ paid ─▶ dispatching ─▶ dispatched
//!        │            │        │           │
//!        └────────────┴────────┴───────────┴─────▶ cancelled
//! ```
//!
//! A customer may cancel until print-dispatch takes the order
//! (`cancellable`); print-dispatch cancels a `dispatching` order none of
//! whose lines can be printed (everything refunded). Nothing leaves
//! `dispatched` or `cancelled`. Stores apply a [`StatusMove`] on the
//! condition that the order is still in its `from` status.

use super::{Order, OrderStatus};
use crate::when::Timestamp;
use crate::Clash;
use crate::Error;

/// One checked move of an order's status, at a moment (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMove {
    from: OrderStatus,
    to: OrderStatus,
    at: Timestamp,
}

impl StatusMove {
    pub fn from(&self) -> OrderStatus {
        self.from
    }
    pub fn to(&self) -> OrderStatus {
        self.to
    }
    pub fn at(&self) -> Timestamp {
        self.at
    }
}

impl OrderStatus {
    /// Whether an order may move from this status to `to`.
    pub fn may_become(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        match (self, to) {
            (AwaitingEmail, Placed) | (Placed, Paid) | (Paid, Dispatching) | (Dispatching, Dispatched) => {
                true
            }
            (s, Cancelled) => s.cancellable() || s == Dispatching,
            _ => false,
        }
    }

    /// The move from this status to `to` at `at`; a move backwards or
    /// sideways is refused.
    pub fn advance(self, to: OrderStatus, at: Timestamp) -> Result<StatusMove, Error> {
        if !self.may_become(to) {
            return Err(Error::Conflict(Clash::OrderCannotBecome { is: self, to }));
        }
        Ok(StatusMove { from: self, to, at })
    }
}

impl Order {
    /// Moves this order (as read) to `to` at `at`; the store applies the
    /// move only if the order is still as read.
    pub fn advance(&mut self, to: OrderStatus, at: Timestamp) -> Result<StatusMove, Error> {
        let m = self.status.advance(to, at)?;
        self.status = to;
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    const ALL: [OrderStatus; 6] = [AwaitingEmail, Placed, Paid, Dispatching, Dispatched, Cancelled];

    fn rank(s: OrderStatus) -> usize {
        ALL.iter().position(|x| *x == s).unwrap()
    }

    #[test]
    fn every_move_goes_forward_and_the_ends_are_final() {
        for from in ALL {
            for to in ALL {
                let at: Timestamp = "2026-12-07T00:00:00Z".parse().unwrap();
                let ok = from.advance(to, at);
                if from.may_become(to) {
                    let m = ok.unwrap();
                    assert_eq!((m.from(), m.to(), m.at()), (from, to, at));
                    assert!(rank(to) > rank(from), "{from:?} -> {to:?} goes forward");
                } else {
                    let e = ok.unwrap_err();
                    assert!(
                        matches!(e, Error::Conflict(Clash::OrderCannotBecome { is, to: t }) if is == from && t == to),
                        "{e}"
                    );
                }
            }
        }
        for end in [Dispatched, Cancelled] {
            assert!(ALL.iter().all(|to| !end.may_become(*to)), "{end:?} is final");
        }
    }

    #[test]
    fn the_dispatch_path_and_the_cancellations() {
        assert!(Paid.may_become(Dispatching) && Dispatching.may_become(Dispatched));
        assert!(!Dispatched.may_become(Dispatching), "never back");
        assert!(!Placed.may_become(Dispatching), "only a paid order is taken");
        for s in [AwaitingEmail, Placed, Paid, Dispatching] {
            assert!(s.may_become(Cancelled), "{s:?}");
        }
    }
}
