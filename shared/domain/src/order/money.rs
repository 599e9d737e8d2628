//! An order's money and points, and the rules that keep them exact under
//! every order of events (issue 18). `docs/orders.md` states the same
//! invariants for readers; [`check`] is them as code, which the tests run
//! after every step of random interleavings.
//!
//! An order keeps, of the money it received, exactly what it is owed:
//! - nothing while it is awaiting its email or placed (a payment that did
//!   not pay it, the wrong amount say, is owed back whole);
//! - nothing once cancelled (everything received is owed back);
//! - while paid, dispatching or dispatched: its amount due less what its
//!   failed lines gave back in money.
//!
//! Everything else it received is `refund_due`. Points spent on it come
//! back (as reversal journals) when it is cancelled, or line by line as
//! lines fail, money first. When every line has failed, the medium's fee
//! comes back too: an order that delivers nothing keeps nothing.

use super::{Order, OrderStatus};

pub use crate::money::Refund;

/// The money `order` is owed, of what it received.
pub fn kept(order: &Order) -> i64 {
    match order.status {
        OrderStatus::Paid | OrderStatus::Dispatching | OrderStatus::Dispatched => {
            order.amount_due.0 - order.line_refunds.0
        }
        OrderStatus::AwaitingEmail | OrderStatus::Placed | OrderStatus::Cancelled => 0,
    }
}

/// What line `line` gives back when it fails, `failed_before` being the
/// order's lines that had failed already: its amount (and the medium's fee
/// when it is the last line left), money first up to what the order still
/// keeps, then the points spent and not yet returned.
pub fn line_failure(order: &Order, line: u32, failed_before: &[u32]) -> Refund {
    let Some(l) = order.lines.iter().find(|l| l.line == line) else {
        return Refund::default();
    };
    let last = order
        .lines
        .iter()
        .all(|o| o.line == line || failed_before.contains(&o.line));
    let amount = l.amount.0 + if last { order.medium_fee.0 } else { 0 };
    let money = order.received.0.min(order.amount_due.0) - order.line_refunds.0;
    let points = order.points_redeemed - order.points_returned;
    let (yen, points) = crate::lab_report::line_refund(amount, money, points);
    Refund { yen, points }
}

/// The invariants of `order`'s money and points, given which of its lines
/// have failed. `Err` says which one does not hold.
pub fn check(order: &Order, failed: &[u32]) -> Result<(), String> {
    let id = &order.order_id;
    let (received, refund, lines) = (order.received.0, order.refund_due.0, order.line_refunds.0);
    if received < 0 || refund < 0 || lines < 0 {
        return Err(format!("order {id}: a negative amount ({order:?})"));
    }
    if received - refund != kept(order) {
        return Err(format!(
            "order {id} ({}): received {received} - refund due {refund} != kept {}",
            order.status.as_str(),
            kept(order)
        ));
    }
    if order.points_returned < 0 || order.points_returned > order.points_redeemed {
        return Err(format!(
            "order {id}: {} points returned of {} spent",
            order.points_returned, order.points_redeemed
        ));
    }
    if order.status == OrderStatus::Cancelled {
        if order.points_returned != order.points_redeemed {
            return Err(format!(
                "order {id} is cancelled but {} of {} points spent came back",
                order.points_returned, order.points_redeemed
            ));
        }
        return Ok(());
    }
    let all_failed = !order.lines.is_empty() && order.lines.iter().all(|l| failed.contains(&l.line));
    let owed: i64 = order
        .lines
        .iter()
        .filter(|l| failed.contains(&l.line))
        .map(|l| l.amount.0)
        .sum::<i64>()
        + if all_failed { order.medium_fee.0 } else { 0 };
    if lines + order.points_returned != owed {
        return Err(format!(
            "order {id}: failed lines owe {owed}, but ¥{lines} and {} points came back",
            order.points_returned
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Yen;
    use crate::order::tests::sample_order;
    use proptest::prelude::*;

    #[test]
    fn a_paid_order_keeps_its_amount_and_a_cancelled_one_nothing() {
        let mut o = sample_order(&[120, 40], 50, 30);
        o.status = OrderStatus::Paid;
        o.received = o.amount_due;
        assert_eq!(check(&o, &[]), Ok(()));
        o.received = Yen(o.received.0 + 7);
        assert!(check(&o, &[]).is_err(), "a payment on top must be owed back");
        o.refund_due = Yen(7);
        assert_eq!(check(&o, &[]), Ok(()));
        o.status = OrderStatus::Cancelled;
        assert!(check(&o, &[]).is_err());
        o.refund_due = o.received;
        o.points_returned = o.points_redeemed;
        assert_eq!(check(&o, &[]), Ok(()));
    }

    proptest! {
        /// Failing lines in any order gives back exactly the lines (and,
        /// with the last, the medium's fee), money first, whatever was
        /// received on top.
        #[test]
        fn failing_lines_in_any_order_gives_back_exactly_what_they_cost(
            amounts in proptest::collection::vec(0i64..5_000, 1..6),
            fee in 0i64..600,
            spend_share in 0u32..=100,
            extra in 0i64..3,
            order_of in proptest::collection::vec(any::<prop::sample::Index>(), 6),
        ) {
            let total: i64 = amounts.iter().sum::<i64>() + fee;
            let points = total * i64::from(spend_share) / 100;
            let mut o = sample_order(&amounts, fee, points);
            o.status = OrderStatus::Dispatched;
            o.received = Yen(o.amount_due.0 * (1 + extra));
            o.refund_due = Yen(o.amount_due.0 * extra);
            prop_assert_eq!(check(&o, &[]), Ok(()));
            let mut left: Vec<u32> = o.lines.iter().map(|l| l.line).collect();
            let mut failed = Vec::new();
            for ix in &order_of {
                if left.is_empty() { break; }
                let line = left.remove(ix.index(left.len()));
                let r = line_failure(&o, line, &failed);
                o.line_refunds = Yen(o.line_refunds.0 + r.yen);
                o.refund_due = Yen(o.refund_due.0 + r.yen);
                o.points_returned += r.points;
                failed.push(line);
                prop_assert_eq!(check(&o, &failed), Ok(()));
            }
            if left.is_empty() {
                prop_assert_eq!(o.line_refunds.0, o.amount_due.0);
                prop_assert_eq!(o.points_returned, o.points_redeemed);
            }
        }
    }
}
