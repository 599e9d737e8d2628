//! `dispatch` over in-memory ports: each line goes to the lab once or is
//! refunded once, whatever is redelivered and wherever it crashes.

use printvault_domain::catalogue::{MediaRates, Medium};
use printvault_domain::dispatch::UNPRINTABLE;
use printvault_domain::ids::{CustomerId, ImageId, OrderId, QuoteId};
use printvault_domain::image::{Finalised, Image, ImageStatus};
use printvault_domain::lab::Lab;
use printvault_domain::lab_report::LineStage;
use printvault_domain::money::Yen;
use printvault_domain::order::{
    BuyerRef, LineRequest, Order, OrderStatus, Printable, Quote, QuoteTerms, Slug,
};
use printvault_domain::pricing::{PrintRates, PrintSize, Source};
use printvault_domain::when::Timestamp;
use std::time::Duration;
use time::macros::datetime;
use time::OffsetDateTime;

use super::fakes::Fake;
use super::{dispatch, Outcome};

pub(crate) const NOW: OffsetDateTime = datetime!(2026-12-07 06:00:00 UTC);
pub(super) const TTL: Duration = Duration::from_secs(7 * 86_400);

pub(crate) fn image(owner: &CustomerId) -> Image {
    let mut i = Image::pending(
        owner.clone(),
        None,
        "image/jpeg",
        1,
        "2026-12-01T00:00:00Z".parse().unwrap(),
    );
    i.status = ImageStatus::Ready;
    i.finalised = Some(Finalised {
        format: "jpeg".into(),
        bytes: 1,
        width: 10,
        height: 10,
        sha256: "00".into(),
        phash: "0".into(),
        finalised_at: "2026-12-01T00:00:00Z".parse().unwrap(),
    });
    i
}

/// A paid order of three lines: the buyer's own image, and two strangers'.
pub(crate) fn paid_order(fake: &Fake) -> Order {
    let buyer = CustomerId::generate();
    let images = [
        image(&buyer),
        image(&CustomerId::generate()),
        image(&CustomerId::generate()),
    ];
    let (rates, media) = (PrintRates::default(), MediaRates::default());
    let terms = QuoteTerms {
        quote_id: QuoteId::generate(),
        buyer: BuyerRef::Customer {
            customer_id: buyer.clone(),
        },
        location: Slug::parse("tokyo-shibuya", "location").unwrap(),
        lab_id: Slug::parse("lab-1", "lab").unwrap(),
        medium: Medium::PhotoPaper,
        rates: &rates,
        media: &media,
        created_at: "2026-12-07T05:00:00Z".parse().unwrap(),
        expires_at: "2026-12-07T05:30:00Z".parse().unwrap(),
        ttl: 0,
    };
    let lines = images
        .iter()
        .enumerate()
        .map(|(n, i)| Printable {
            request: LineRequest {
                image_id: i.id.clone(),
                size: PrintSize::L,
                quantity: 1 + n as u32,
            },
            owner: i.owner.clone(),
            source: if n == 0 {
                Source::Own
            } else {
                Source::Stranger { price: Yen(100) }
            },
        })
        .collect();
    let quote = Quote::build(terms, lines).unwrap();
    let address = serde_json::from_str(
        r#"{"name":"Ann","postal_code":"150-0002","region":"Tokyo","locality":"Shibuya-ku","street":"2-21-1"}"#,
    )
    .unwrap();
    let email = printvault_domain::account::Email::parse("ann@example.com").unwrap();
    let mut order = Order::from_quote(
        OrderId::generate(),
        quote,
        email,
        address,
        0,
        "2026-12-07T05:01:00Z".parse().unwrap(),
    )
    .unwrap();
    order.status = OrderStatus::Paid;
    order.received = order.amount_due;
    fake.with(|w| {
        w.orders.insert(order.order_id.clone(), order.clone());
        w.images.extend(images.map(|i| (i.id.clone(), i)));
        w.lab = Some(Lab {
            lab_id: order.lab_id.clone(),
            name: "Lab".into(),
            locations: vec![order.location.clone()],
            key_digest: String::new(),
            queue_url: "https://sqs.example/lab-1-jobs.fifo".into(),
            created_at: Timestamp::EPOCH,
        });
    });
    order
}

pub(super) fn image_of(order: &Order, line: u32) -> ImageId {
    order.lines[line as usize - 1].image_id.clone()
}

/// After any run: each line went to the lab once, or was refunded once
/// with one email, never both; money refunded is the refunds recorded.
pub(super) fn check(fake: &Fake, order: &Order) {
    fake.with(|w| {
        let now = &w.orders[&order.order_id];
        let mut refunded = 0;
        for l in &order.lines {
            let sent = w.delivered.iter().filter(|j| j.line == l.line).count();
            let record = w.records.get(&(order.order_id.clone(), l.line));
            let failed = record.is_some_and(|r| r.stage == LineStage::Failed);
            assert!(sent <= 1, "line {} delivered {sent} times", l.line);
            assert!(!(sent == 1 && failed), "line {} both sent and refunded", l.line);
            if let Some(r) = record.filter(|_| failed) {
                assert_eq!(r.reason.as_deref(), Some(UNPRINTABLE));
                refunded += r.refund.unwrap().yen;
            }
        }
        assert_eq!(now.line_refunds.0, refunded);
        assert_eq!(now.refund_due.0, refunded);
        assert!(
            now.refund_due.0 <= now.received.0,
            "never more back than received"
        );
    });
}

#[tokio::test]
async fn a_paid_order_sends_each_line_once_and_a_redelivery_nothing() {
    let fake = Fake::default();
    let order = paid_order(&fake);
    assert_eq!(
        dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap(),
        Outcome::Dispatched(3)
    );
    let again = dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap();
    assert_eq!(again, Outcome::Skipped(OrderStatus::Dispatched));
    check(&fake, &order);
    fake.with(|w| {
        assert_eq!(w.orders[&order.order_id].status, OrderStatus::Dispatched);
        let urls: Vec<_> = w.delivered.iter().map(|j| j.assets[0].url.clone()).collect();
        assert!(
            urls[0].ends_with("AsUploaded"),
            "the buyer's own as uploaded: {urls:?}"
        );
        assert!(
            urls[1..].iter().all(|u| u.ends_with("WithoutLocation")),
            "strangers' without location: {urls:?}"
        );
        assert_eq!(w.delivered[2].copies, 3);
        assert_eq!(
            w.delivered[0].assets[0].url_expires_at,
            "2026-12-14T06:00:00Z".parse().unwrap()
        );
        assert!(w.mailed.is_empty());
    });
}

#[tokio::test]
async fn lines_that_cannot_be_printed_are_refunded_and_the_rest_go() {
    let fake = Fake::default();
    let order = paid_order(&fake);
    fake.with(|w| {
        w.images.get_mut(&image_of(&order, 2)).unwrap().deleting = true;
        let owner = order.lines[2].owner.clone();
        w.arrears.insert(owner);
    });
    assert_eq!(
        dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap(),
        Outcome::Dispatched(1)
    );
    check(&fake, &order);
    fake.with(|w| {
        assert_eq!(w.mailed.len(), 2, "{:?}", w.mailed.keys());
        assert!(w
            .mailed
            .contains_key(&format!("order-line:{}:2:failed", order.order_id)));
        assert_eq!(w.delivered.len(), 1);
        assert_eq!(
            w.orders[&order.order_id].line_refunds.0,
            order.lines[1].amount.0 + order.lines[2].amount.0
        );
    });
}

#[tokio::test]
async fn an_order_none_of_which_can_be_printed_is_cancelled_and_refunded_in_full() {
    let fake = Fake::default();
    let order = paid_order(&fake);
    fake.with(|w| {
        w.images.remove(&image_of(&order, 1));
        w.no_bytes.extend([image_of(&order, 2), image_of(&order, 3)]);
    });
    assert_eq!(
        dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap(),
        Outcome::Cancelled
    );
    check(&fake, &order);
    fake.with(|w| {
        let o = &w.orders[&order.order_id];
        assert_eq!(o.status, OrderStatus::Cancelled);
        assert_eq!(o.refund_due, o.received, "everything back, the medium's fee too");
        assert!(w.delivered.is_empty());
    });
}

#[tokio::test]
async fn only_a_paid_order_is_taken() {
    for status in [
        OrderStatus::Placed,
        OrderStatus::AwaitingEmail,
        OrderStatus::Cancelled,
    ] {
        let fake = Fake::default();
        let order = paid_order(&fake);
        fake.with(|w| w.orders.get_mut(&order.order_id).unwrap().status = status);
        assert_eq!(
            dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap(),
            Outcome::Skipped(status)
        );
        fake.with(|w| assert!(w.delivered.is_empty() && w.records.is_empty()));
    }
}
