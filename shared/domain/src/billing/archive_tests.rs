//! The archive rate (M32): an image's bytes count online up to its move
//! and in the archive after it, each at its own rate, and exactly.
//!
//! Invariants, checked after every event of any random history:
//! - the meter's `bytes` and `images` are the online images' bytes and
//!   count, and its `archived_bytes` the archived ones' bytes;
//! - each closed month's byte-seconds, online and archived, are the sums
//!   over images of bytes × the seconds each spent in that tier in that
//!   month;
//! - its charge is those GiB-months at their rates, rounded up once, by
//!   less than ¥1; its points are both tiers' GiB-months, rounded down.

use super::*;
use proptest::prelude::*;

const GIB: u128 = 1 << 30;

/// One image's life: uploaded at `t_in`, perhaps moved to the archive,
/// perhaps deleted (each offset after the one before).
#[derive(Debug, Clone)]
struct Life {
    bytes: u64,
    t_in: i64,
    archived: Option<i64>,
    deleted: Option<i64>,
}

fn lives(start: i64) -> impl Strategy<Value = Vec<Life>> {
    let span = 90 * 86_400i64;
    prop::collection::vec(
        (
            1u64..(8u64 << 30),
            0..span,
            prop::option::of(0..span),
            prop::option::of(0..span),
        )
            .prop_map(move |(bytes, a, b, c)| {
                let t_in = start + a;
                let archived = b.map(|b| t_in + b);
                let deleted = c.map(|c| archived.unwrap_or(t_in) + c);
                Life {
                    bytes,
                    t_in,
                    archived,
                    deleted,
                }
            }),
        1..12,
    )
}

/// Seconds of `[from, until)` within `month`.
fn overlap(month: Month, from: i64, until: i64) -> u128 {
    (until.min(month.end()) - from.max(month.start())).max(0) as u128
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn each_tier_is_billed_exactly_for_its_own_time(
        lives in lives(Month::parse("2027-01").unwrap().start()),
    ) {
        let s = BillingSettings::default();
        let jan = Month::parse("2027-01").unwrap();
        let mut events = Vec::new();
        for (i, l) in lives.iter().enumerate() {
            events.push((l.t_in, i, Change::In(l.bytes)));
            if let Some(t) = l.archived {
                events.push((t, i, Change::Archive(l.bytes)));
            }
            if let Some(t) = l.deleted {
                let tier = if l.archived.is_some() { Tier::Archive } else { Tier::Online };
                events.push((t, i, Change::Out(tier, l.bytes)));
            }
        }
        events.sort_by_key(|e| e.0);
        let mut m = Meter::starting(jan.start());
        let mut usages = Vec::new();
        let mut state = vec![None; lives.len()];
        for (t, i, e) in events {
            loop {
                match m.apply(t, e) {
                    Ok(()) => break,
                    Err(CloseFirst(_)) => {
                        let (usage, next) = m.close();
                        usages.push(usage);
                        m = next;
                    }
                }
            }
            state[i] = match e {
                Change::In(_) => Some(Tier::Online),
                Change::Archive(_) => Some(Tier::Archive),
                Change::Out(..) => None,
            };
            let level = |tier| -> u64 {
                lives.iter().zip(&state).filter(|(_, s)| **s == Some(tier)).map(|(l, _)| l.bytes).sum()
            };
            prop_assert_eq!(m.bytes, level(Tier::Online));
            prop_assert_eq!(m.archived_bytes, level(Tier::Archive));
            let online = state.iter().filter(|s| **s == Some(Tier::Online)).count();
            prop_assert_eq!(m.images as usize, online, "images counts what is online");
        }
        let (last, _) = m.close();
        usages.push(last);
        for u in &usages {
            let (mut online, mut archived) = (0u128, 0u128);
            for l in &lives {
                let end = l.deleted.unwrap_or(i64::MAX);
                let moved = l.archived.unwrap_or(end);
                online += u128::from(l.bytes) * overlap(u.month, l.t_in, moved);
                if l.archived.is_some() {
                    archived += u128::from(l.bytes) * overlap(u.month, moved, end);
                }
            }
            prop_assert_eq!(u.byte_secs, online, "{}", u.month);
            prop_assert_eq!(u.archived_byte_secs, archived, "{}", u.month);
            let c = Charge::of(u, &s);
            let den = GIB * u.month.seconds() as u128;
            let exact = online * 30 + archived * 2;
            let amount = c.amount.0 as u128;
            prop_assert!(amount * den >= exact && (amount * den - exact) < den, "rounded up once, by less than ¥1");
            prop_assert_eq!(c.points as u128, (online + archived) / den);
            prop_assert_eq!(
                Invoice::for_month(customer(), u, time::macros::date!(2027 - 05 - 01), &s).is_some(),
                online + archived > 0
            );
        }
    }
}

fn customer() -> crate::ids::CustomerId {
    crate::ids::CustomerId::parse("cus_01JDZ7Q3W9XKQ7M4V8R2N5T6YA").unwrap()
}

#[test]
fn a_gib_archived_mid_month_is_billed_at_each_rate_for_its_half() {
    // A 30-day month (2027-04): a GiB online for 15 days, archived for 15.
    let apr = Month::parse("2027-04").unwrap();
    let mut m = Meter::starting(apr.start());
    m.change(apr.start(), 1 << 30).unwrap();
    m.archive(apr.start() + 15 * 86_400, 1 << 30).unwrap();
    assert_eq!((m.bytes, m.archived_bytes), (0, 1 << 30));
    let (usage, next) = m.close();
    let c = Charge::of(&usage, &BillingSettings::default());
    assert_eq!(
        (c.gib_months.as_str(), c.archived_gib_months.as_str()),
        ("0.500000", "0.500000")
    );
    // 0.5 × ¥30 + 0.5 × ¥2 = ¥16, and 1 GiB-month: 1 point.
    assert_eq!((c.exact_yen.as_str(), c.amount.0, c.points), ("16.0000", 16, 1));
    // The next month bills it all at the archive rate.
    assert_eq!((next.bytes, next.archived_bytes), (0, 1 << 30));
    assert!(!next.is_idle());
    let (usage, _) = next.close();
    assert_eq!(Charge::of(&usage, &BillingSettings::default()).amount.0, 2);
}
