use super::*;
use crate::ids::CustomerId;
use time::macros::date;

const GIB: u64 = 1 << 30;

fn jan() -> Month {
    Month::parse("2027-01").unwrap()
}

fn customer() -> CustomerId {
    CustomerId::parse("cus_01JDZ7Q3W9XKQ7M4V8R2N5T6YA").unwrap()
}

#[test]
fn months_know_their_length() {
    assert_eq!(jan().seconds(), 31 * 86_400);
    assert_eq!(Month::parse("2028-02").unwrap().seconds(), 29 * 86_400);
    assert_eq!(Month::parse("2027-12").unwrap().next().to_string(), "2028-01");
    assert_eq!(jan().previous().to_string(), "2026-12");
    assert_eq!(Month::of(jan().end() - 1), jan());
    assert_eq!(Month::of(jan().end()), jan().next());
    for bad in ["2027-13", "2027-1", "27-01", "2027/01", ""] {
        assert!(Month::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(parse_day("2027-02-28").unwrap(), date!(2027 - 02 - 28));
    for bad in ["2027-02-30", "2027-2-1", "2027-02-01x", "tomorrow"] {
        assert!(parse_day(bad).is_err(), "{bad}");
    }
}

#[test]
fn one_gib_for_a_whole_month_is_one_gib_month() {
    let mut m = Meter::starting(jan().start());
    m.change(jan().start(), GIB as i64).unwrap();
    let (usage, next) = m.close();
    assert_eq!(usage.byte_secs, u128::from(GIB) * jan().seconds() as u128);
    let c = Charge::of(&usage, &BillingSettings::default());
    assert_eq!(c.gib_months, "1.000000");
    assert_eq!((c.amount.0, c.points), (30, 1));
    assert_eq!(
        (c.exact_yen.as_str(), c.rounding_yen.as_str()),
        ("30.0000", "0.0000")
    );
    assert_eq!(c.month_hours, 744);
    assert_eq!(next.month, jan().next());
    assert_eq!((next.bytes, next.byte_secs, next.since), (GIB, 0, jan().end()));
}

#[test]
fn charges_are_pro_rata_and_rounded_up_with_the_rounding_shown() {
    // 100 MiB for ten days of January.
    let mut m = Meter::starting(jan().start());
    let from = jan().start() + 5 * 86_400;
    m.change(from, 100 << 20).unwrap();
    m.change(from + 10 * 86_400, -(100 << 20)).unwrap();
    let (usage, next) = m.close();
    assert_eq!(usage.byte_secs, (100u128 << 20) * 10 * 86_400);
    let c = Charge::of(&usage, &BillingSettings::default());
    // 100/1024 × 10/31 × 30 = 0.9451… yen: ¥1, and no points.
    assert_eq!(c.gib_months, "0.031502");
    assert_eq!(c.exact_yen, "0.9450");
    assert_eq!(c.rounding_yen, "0.0549");
    assert_eq!((c.amount.0, c.points), (1, 0));
    assert!(next.is_idle());
    // Nothing stored, nothing charged.
    let (usage, _) = Meter::starting(jan().start()).close();
    assert_eq!(Charge::of(&usage, &BillingSettings::default()).amount.0, 0);
}

#[test]
fn a_month_is_the_sum_of_each_images_bytes_times_seconds() {
    // A deterministic shuffle of uploads and deletions, in time order.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let (start, secs) = (jan().start(), jan().seconds() as u64);
    let mut events = Vec::new();
    let mut expected = 0u128;
    for _ in 0..200 {
        let bytes = 1 + rnd(50 << 20);
        let from = start + rnd(secs) as i64;
        let until = if rnd(2) == 0 {
            from + rnd((start + secs as i64 - from) as u64) as i64
        } else {
            jan().end()
        };
        expected += u128::from(bytes) * (until - from) as u128;
        events.push((from, bytes as i64));
        if until < jan().end() {
            events.push((until, -(bytes as i64)));
        }
    }
    events.sort();
    let mut m = Meter::starting(start);
    for (t, d) in events {
        m.change(t, d).unwrap();
    }
    assert_eq!(m.close().0.byte_secs, expected);
}

#[test]
fn a_change_in_a_later_month_closes_first_and_a_late_one_is_not_charged_twice() {
    let mut m = Meter::starting(jan().start());
    m.change(jan().start() + 100, 10).unwrap();
    assert_eq!(m.change(jan().end(), 5), Err(CloseFirst(jan())));
    // A late event (before the last change) counts from the last change.
    m.change(jan().start() + 50, 10).unwrap();
    assert_eq!(m.since, jan().start() + 100);
    assert_eq!(m.bytes, 20);
    assert_eq!(m.byte_secs, 0);
}

#[test]
fn invoice_ids_name_month_and_customer() {
    let id = InvoiceId {
        month: jan(),
        customer: customer(),
    };
    let s = id.to_string();
    assert_eq!(s, "inv_202701_cus_01JDZ7Q3W9XKQ7M4V8R2N5T6YA");
    assert_eq!(InvoiceId::parse(&s).unwrap(), id);
    for bad in [
        "inv_2027_cus_01JDZ7Q3W9XKQ7M4V8R2N5T6YA",
        "inv_202713_cus_01JDZ7Q3W9XKQ7M4V8R2N5T6YA",
        "inv_202701_ord_01JDZ7Q3W9XKQ7M4V8R2N5T6YA",
        "202701_cus_01JDZ7Q3W9XKQ7M4V8R2N5T6YA",
        "inv_202701",
    ] {
        assert!(InvoiceId::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn unpaid_invoices_are_reminded_of_then_put_in_arrears() {
    let s = BillingSettings::default();
    let mut m = Meter::starting(jan().start());
    m.change(jan().start(), GIB as i64).unwrap();
    let inv = Invoice::issue(customer(), &m.close().0, date!(2027 - 02 - 01), &s);
    assert_eq!(
        (inv.due_on, inv.arrears_on),
        (date!(2027 - 02 - 15), date!(2027 - 03 - 01))
    );
    assert_eq!(inv.next_step, Some(Step::Issue));
    assert_eq!(inv.next_on, Some(date!(2027 - 02 - 01)));
    let mut steps = vec![];
    let (mut step, mut day) = (Step::Issue, date!(2027 - 02 - 01));
    while let Some((s2, d2)) = inv.after(step, day, &s).unwrap() {
        steps.push((s2, day_str(d2)));
        (step, day) = (s2, d2);
    }
    let reminders: Vec<_> = steps
        .iter()
        .filter(|(s, _)| *s == Step::Remind)
        .map(|(_, d)| d.as_str())
        .collect();
    assert_eq!(
        reminders,
        [
            "2027-02-15",
            "2027-02-18",
            "2027-02-21",
            "2027-02-24",
            "2027-02-27"
        ]
    );
    assert_eq!(steps.last(), Some(&(Step::Arrears, "2027-03-01".into())));
    // A sweep that runs late goes straight to what is due.
    assert_eq!(
        inv.after(Step::Issue, date!(2027 - 03 - 05), &s).unwrap(),
        Some((Step::Arrears, date!(2027 - 03 - 01)))
    );
}

#[test]
fn settings_are_checked_and_shards_spread() {
    assert!(BillingSettings::default().validate().is_ok());
    let bad = BillingSettings {
        reminder_every_days: 30,
        ..Default::default()
    };
    assert!(bad.validate().is_err());
    let dearer_archive = BillingSettings {
        archive_rate_yen_per_gib_month: 31,
        ..Default::default()
    };
    assert!(dearer_archive.validate().is_err());
    assert!(SweepSettings::default().validate().is_ok());
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        seen.insert(due_shard(CustomerId::generate().as_str()));
    }
    assert_eq!(seen.len(), 8);
    let ev: ScheduledEvent =
        serde_json::from_str(r#"{"time":"2027-02-01T00:05:00Z","source":"aws.events"}"#).unwrap();
    assert_eq!(ev.now().unix_timestamp(), 1_801_440_300);
    let bad = serde_json::from_str::<ScheduledEvent>(r#"{"time":"yesterday"}"#).unwrap_err();
    assert!(bad.to_string().contains("not an RFC 3339 time"), "{bad}");
}

#[test]
fn a_change_applies_to_the_stored_meter_unless_it_is_idle_and_older() {
    let t = jan().start() + 86_400;
    assert_eq!(Meter::for_change(None, t), Meter::starting(t), "no meter yet");
    let mut busy = Meter::starting(jan().start());
    busy.change(jan().start() + 10, 1_000).unwrap();
    let feb = jan().next().start() + 5;
    assert_eq!(
        Meter::for_change(Some(&busy), feb),
        busy,
        "a busy meter closes its month first"
    );
    let idle_jan = Meter::starting(jan().start());
    assert_eq!(
        Meter::for_change(Some(&idle_jan), feb),
        Meter::starting(feb),
        "an idle meter starts again"
    );
    assert_eq!(
        Meter::for_change(Some(&idle_jan), t),
        idle_jan,
        "idle, same month: kept"
    );
}

#[test]
fn only_a_month_something_was_stored_in_is_invoiced() {
    let s = BillingSettings::default();
    let (empty, _) = Meter::starting(jan().start()).close();
    assert_eq!(
        Invoice::for_month(customer(), &empty, date!(2027 - 02 - 01), &s),
        None
    );
    let mut m = Meter::starting(jan().start());
    m.change(jan().start() + 10, 1).unwrap();
    let (usage, _) = m.close();
    let inv = Invoice::for_month(customer(), &usage, date!(2027 - 02 - 01), &s).expect("invoiced");
    assert_eq!(inv, Invoice::issue(customer(), &usage, date!(2027 - 02 - 01), &s));
}
