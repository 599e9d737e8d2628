use super::*;
use crate::catalogue::MediaRates;
use crate::ids::ImageId;
use crate::pricing::{PrintRates, PrintSize, Source};
use crate::when::Timestamp;
use proptest::prelude::*;

fn terms<'a>(
    buyer: BuyerRef,
    rates: &'a PrintRates,
    media: &'a MediaRates,
    medium: Medium,
) -> QuoteTerms<'a> {
    QuoteTerms {
        quote_id: QuoteId::generate(),
        buyer,
        location: Slug::parse("tokyo-shibuya", "location").unwrap(),
        lab_id: Slug::parse("lab-1", "lab").unwrap(),
        medium,
        rates,
        media,
        created_at: "2026-11-29T00:00:00Z".parse().unwrap(),
        expires_at: "2026-11-29T00:30:00Z".parse().unwrap(),
        ttl: 0,
    }
}

fn line(size: PrintSize, quantity: u32, source: Source) -> Printable {
    Printable {
        request: LineRequest {
            image_id: ImageId::generate(),
            size,
            quantity,
        },
        owner: CustomerId::generate(),
        source,
    }
}

fn address() -> Address {
    serde_json::from_str(
        r#"{"name":"Ann","postal_code":"150-0002","region":"Tokyo","locality":"Shibuya-ku","street":"2-21-1"}"#,
    )
    .unwrap()
}

#[test]
fn a_quote_adds_up_its_lines_and_medium() {
    let (rates, media) = (PrintRates::default(), MediaRates::default());
    let buyer = BuyerRef::Customer {
        customer_id: CustomerId::generate(),
    };
    let q = Quote::build(
        terms(buyer, &rates, &media, Medium::Cd),
        vec![
            line(PrintSize::L, 3, Source::Own),
            line(PrintSize::TwoL, 1, Source::Stranger { price: Yen(150) }),
        ],
    )
    .unwrap();
    // 3 × ¥20 + (¥150 + ¥50) + the CD's ¥300; 3 × 2 + (5 + 7) + 3 points.
    assert_eq!(q.total, Yen(60 + 200 + 300));
    assert_eq!(q.points, 6 + 12 + 3);
    assert_eq!(q.medium_points(), 3);
    assert_eq!(q.lines[1].line, 2);
    assert_eq!(q.lines[1].image_price, Yen(150));
}

#[test]
fn guests_earn_nothing_and_cannot_spend_points() {
    let (rates, media) = (PrintRates::default(), MediaRates::default());
    let q = Quote::build(
        terms(BuyerRef::Guest, &rates, &media, Medium::Dvd),
        vec![line(PrintSize::L, 1, Source::Stranger { price: Yen(100) })],
    )
    .unwrap();
    assert_eq!((q.total, q.points), (Yen(120 + 500), 0));
    let email = Email::parse("guest@example.com").unwrap();
    let spend = Order::from_quote(
        OrderId::generate(),
        q.clone(),
        email.clone(),
        address(),
        5,
        Timestamp::EPOCH,
    );
    assert!(spend.is_err());
    let o = Order::from_quote(OrderId::generate(), q, email, address(), 0, Timestamp::EPOCH).unwrap();
    assert_eq!(o.status, OrderStatus::AwaitingEmail);
}

#[test]
fn requests_are_checked() {
    let id = ImageId::generate();
    let req = |lines: Vec<(ImageId, PrintSize, u32)>| QuoteRequest {
        lines: lines
            .into_iter()
            .map(|(image_id, size, quantity)| LineRequest {
                image_id,
                size,
                quantity,
            })
            .collect(),
        location: Slug::parse("x", "location").unwrap(),
        medium: Medium::PhotoPaper,
    };
    assert!(req(vec![]).validate(40).is_err());
    assert!(
        req(vec![(id.clone(), PrintSize::L, 1), (id.clone(), PrintSize::L, 2)])
            .validate(40)
            .is_err()
    );
    assert!(req(vec![
        (id.clone(), PrintSize::L, 1),
        (id.clone(), PrintSize::TwoL, 2)
    ])
    .validate(40)
    .is_ok());
    assert!(req(vec![(id, PrintSize::L, 0)]).validate(40).is_err());
    assert!(Slug::parse("Tokyo", "location").is_err());
    assert!(Slug::parse("-x", "location").is_err());
    let mut a = address();
    assert!(a.validate().is_ok());
    a.street = "line\nbreak".into();
    assert!(a.validate().is_err());
}

proptest! {
    #[test]
    fn an_order_never_owes_below_zero_and_its_parts_add_up(
        lines in proptest::collection::vec((any::<bool>(), 1u32..=1000, proptest::option::of(0i64..=100_000)), 1..40),
        spend_percent in 0i64..=100,
        medium in 0usize..3,
    ) {
        let (rates, media) = (PrintRates::default(), MediaRates::default());
        let buyer = BuyerRef::Customer { customer_id: CustomerId::generate() };
        let printable = lines.into_iter().map(|(two_l, n, price)| {
            let size = if two_l { PrintSize::TwoL } else { PrintSize::L };
            line(size, n, price.map_or(Source::Own, |p| Source::Stranger { price: Yen(p) }))
        }).collect();
        let q = Quote::build(terms(buyer, &rates, &media, Medium::ALL[medium]), printable).unwrap();
        let spend = q.total.0 * spend_percent / 100;
        let o = Order::from_quote(OrderId::generate(), q.clone(), Email::parse("a@example.com").unwrap(), address(), spend, Timestamp::EPOCH).unwrap();
        prop_assert!(o.amount_due.0 >= 0);
        prop_assert_eq!(o.amount_due.0 + o.points_redeemed, o.total.0);
        prop_assert_eq!(q.lines.iter().map(|l| l.amount.0).sum::<i64>() + q.medium_fee.0, q.total.0);
        for l in &q.lines {
            prop_assert_eq!(l.owner_share.0 + l.commission.0, l.image_price.0 * i64::from(l.copies));
        }
    }
}

/// A customer's order with one line per amount, the medium's `fee`, and
/// `points` spent on it; placed, nothing received.
pub(crate) fn sample_order(amounts: &[i64], fee: i64, points: i64) -> Order {
    let lines = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| QuotedLine {
            line: i as u32 + 1,
            image_id: ImageId::generate(),
            owner: CustomerId::generate(),
            size: PrintSize::L,
            copies: 1,
            market: false,
            image_price: Yen(0),
            amount: Yen(*a),
            points: 0,
            owner_share: Yen(0),
            commission: Yen(0),
        })
        .collect();
    let total = amounts.iter().sum::<i64>() + fee;
    Order {
        order_id: OrderId::generate(),
        quote_id: QuoteId::generate(),
        buyer: BuyerRef::Customer {
            customer_id: CustomerId::generate(),
        },
        email: crate::account::Email::parse("ann@example.com").unwrap(),
        address: address(),
        location: Slug::parse("tokyo-shibuya", "location").unwrap(),
        lab_id: Slug::parse("lab-1", "lab").unwrap(),
        medium: Medium::Cd,
        lines,
        medium_fee: Yen(fee),
        total: Yen(total),
        points_earned: 0,
        points_redeemed: points,
        amount_due: Yen(total - points),
        status: OrderStatus::Placed,
        created_at: "2026-11-29T00:00:00Z".parse().unwrap(),
        points_returned: 0,
        refund_due: Yen(0),
        received: Yen(0),
        line_refunds: Yen(0),
        payment_id: None,
        paid_at: None,
        dispatching_at: None,
        dispatched_at: None,
        archive: None,
    }
}
