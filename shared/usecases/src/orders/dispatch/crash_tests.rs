//! `dispatch` crashed before each of its port calls, then redelivered.

use printvault_domain::ids::OrderId;
use printvault_domain::order::Order;

use super::fakes::Fake;
use super::tests::{check, image_of, paid_order, NOW, TTL};
use super::{dispatch, Outcome};

/// Crashes a dispatch of the order `setup` makes before each port call of
/// a clean run in turn, then redelivers; every run ends as the clean one:
/// the same outcome and status, each printable line sent once, the same
/// refunds and the same emails.
async fn crash_before_every_call(setup: impl Fn(&Fake) -> Order, outcome: Outcome) {
    let clean = Fake::default();
    let order = setup(&clean);
    assert_eq!(
        dispatch(&clean, &order.order_id, TTL, NOW).await.unwrap(),
        outcome
    );
    let (calls, expected) = clean.with(|w| {
        let o = &w.orders[&order.order_id];
        (
            w.calls,
            (
                o.status,
                o.refund_due,
                w.delivered.len(),
                format!("{:?}", w.mailed),
            ),
        )
    });
    assert!(calls >= 8, "{calls}");
    for n in 1..=calls {
        let fake = Fake::default();
        let order = setup(&fake);
        fake.with(|w| w.crash_at_call = Some(n));
        assert!(
            dispatch(&fake, &order.order_id, TTL, NOW).await.is_err(),
            "call {n} crashed"
        );
        check(&fake, &order);
        let again = dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap();
        assert_eq!(again, outcome, "after a crash at call {n}");
        check(&fake, &order);
        let after = fake.with(|w| {
            let o = &w.orders[&order.order_id];
            (
                o.status,
                o.refund_due,
                w.delivered.len(),
                format!("{:?}", w.mailed),
            )
        });
        // Order IDs differ between runs: compare the emails by their text
        // with this order's ID in place of the clean run's.
        let expected = (
            expected.0,
            expected.1,
            expected.2,
            expected
                .3
                .replace(clean_id(&clean).as_str(), order.order_id.as_str()),
        );
        assert_eq!(after, expected, "crash at call {n}");
    }
}

fn clean_id(fake: &Fake) -> OrderId {
    fake.with(|w| w.orders.keys().next().unwrap().clone())
}

#[tokio::test]
async fn a_crash_between_any_two_steps_is_finished_by_the_redelivery() {
    // One line dead (refunded and emailed), the others sent.
    crash_before_every_call(
        |fake| {
            let order = paid_order(fake);
            fake.with(|w| w.images.get_mut(&image_of(&order, 3)).unwrap().deleting = true);
            order
        },
        Outcome::Dispatched(2),
    )
    .await;
    // No line printable: cancelled and refunded whole, however it stopped.
    crash_before_every_call(
        |fake| {
            let order = paid_order(fake);
            fake.with(|w| {
                w.no_bytes
                    .extend([image_of(&order, 1), image_of(&order, 2), image_of(&order, 3)])
            });
            order
        },
        Outcome::Cancelled,
    )
    .await;
}

#[tokio::test]
async fn a_ready_image_without_its_original_is_left_for_an_operator_not_refunded() {
    let fake = Fake::default();
    let order = paid_order(&fake);
    fake.with(|w| w.images.get_mut(&image_of(&order, 2)).unwrap().finalised = None);
    assert!(dispatch(&fake, &order.order_id, TTL, NOW).await.is_err());
    fake.with(|w| assert!(w.records.is_empty() && w.orders[&order.order_id].refund_due.0 == 0));
}
