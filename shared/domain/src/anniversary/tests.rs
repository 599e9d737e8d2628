use super::*;
use crate::notice::NoticeId;
use crate::profile::NamedDate;
use time::macros::date;

fn s() -> AnniversarySettings {
    AnniversarySettings::default()
}

#[test]
fn notices_go_out_a_week_ahead_and_29_february_is_kept_on_the_28th() {
    assert_eq!(
        noticed_on(date!(2027 - 06 - 13), &s()),
        [MonthDay { month: 6, day: 20 }]
    );
    assert_eq!(
        noticed_on(date!(2027 - 02 - 21), &s()),
        [MonthDay { month: 2, day: 28 }, MonthDay { month: 2, day: 29 }]
    );
    assert_eq!(
        noticed_on(date!(2028 - 02 - 21), &s()),
        [MonthDay { month: 2, day: 28 }]
    );
    assert_eq!(
        noticed_on(date!(2028 - 02 - 22), &s()),
        [MonthDay { month: 2, day: 29 }]
    );
    let leap = MonthDay { month: 2, day: 29 };
    assert_eq!(leap.in_year(2027), Some(date!(2027 - 02 - 28)));
    assert_eq!(leap.in_year(2028), Some(date!(2028 - 02 - 29)));
    assert_eq!(leap.key(), "02-29");
}

#[test]
fn a_profile_has_its_birthday_and_named_dates_on_their_days() {
    let p = Profile {
        birthday: Some(date!(1990 - 06 - 20)),
        named_dates: vec![
            NamedDate {
                label: "Wedding Anniversary".into(),
                date: date!(2015 - 06 - 20),
            },
            NamedDate {
                label: "First day at school".into(),
                date: date!(2021 - 04 - 01),
            },
        ],
        ..Default::default()
    };
    let events = profile_events(&p, MonthDay { month: 6, day: 20 });
    let keys: Vec<&str> = events.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["birthday", "named:wedding anniversary"]);
    assert_eq!(events[1].since_year, Some(2015));
    assert!(profile_events(&p, MonthDay { month: 6, day: 21 }).is_empty());
}

#[test]
fn customers_can_turn_all_or_one_off_and_each_event_is_noticed_once_a_year() {
    let mut prefs = Preferences::default();
    assert!(prefs.wants("birthday"));
    prefs.muted.insert("birthday".into());
    assert!(!prefs.wants("birthday") && prefs.wants("on-this-day"));
    prefs.enabled = false;
    assert!(!prefs.wants("on-this-day"));
    let on = date!(2027 - 06 - 20);
    let id = notice_id("cus_1", on, "named:wedding anniversary");
    assert!(id.starts_with("anniv:cus_1:2027-06-20:"), "{id}");
    assert!(NoticeId::parse(&id).is_ok());
    assert_ne!(
        id,
        notice_id("cus_1", date!(2028 - 06 - 20), "named:wedding anniversary")
    );
    // Labels in any script stay apart; so do one label's two days.
    assert_ne!(
        notice_id("cus_1", on, "named:結婚記念日"),
        notice_id("cus_1", on, "named:誕生日")
    );
    assert_ne!(
        notice_id("cus_1", on, "named:kids"),
        notice_id("cus_1", date!(2027 - 09 - 01), "named:kids")
    );
    assert!(s().validate().is_ok());
    assert!(AnniversarySettings { days_ahead: 0, ..s() }.validate().is_err());
}

fn img(id: &str, taken: Date, event: Option<&str>) -> DayImage {
    DayImage {
        id: id.into(),
        taken,
        event: event.map(Into::into),
    }
}

#[test]
fn a_day_brings_its_profile_events_its_named_events_and_on_this_day() {
    let june20 = MonthDay { month: 6, day: 20 };
    let images = [
        img("a", date!(2019 - 06 - 20), None),
        img("b", date!(2021 - 06 - 20), Some("Sports Day")),
        img("c", date!(2023 - 06 - 20), Some("sports day ")),
        img("d", date!(2027 - 06 - 20), None), // this year: not yet an anniversary
        img("e", date!(2022 - 06 - 21), None), // another day
    ];
    let on = date!(2027 - 06 - 20);
    let none = Profile::default();
    let dues = day_notices(&none, &images, june20, on, &Preferences::default());
    let got: Vec<(&str, Vec<&str>, Option<i32>)> = dues
        .iter()
        .map(|d| {
            (
                d.event.key.as_str(),
                d.images.iter().map(String::as_str).collect(),
                d.event.since_year,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("event:sports day", vec!["c", "b"], Some(2021)),
            ("on-this-day", vec!["a"], Some(2019)),
        ]
    );
    // A birthday's notice shows every earlier photo of the day, and makes
    // on-this-day's own notice needless.
    let born = Profile {
        birthday: Some(date!(1990 - 06 - 20)),
        ..Default::default()
    };
    let dues = day_notices(&born, &images, june20, on, &Preferences::default());
    let keys: Vec<&str> = dues.iter().map(|d| d.event.key.as_str()).collect();
    assert_eq!(keys, ["birthday", "event:sports day"]);
    assert_eq!(dues[0].images, ["c", "b", "a"]);
    // Muting one event, then all.
    let mut prefs = Preferences::default();
    prefs.muted.insert("event:sports day".into());
    let keys: Vec<String> = day_notices(&born, &images, june20, on, &prefs)
        .into_iter()
        .map(|d| d.event.key)
        .collect();
    assert_eq!(keys, ["birthday"]);
    prefs.enabled = false;
    assert!(day_notices(&born, &images, june20, on, &prefs).is_empty());
}

#[test]
fn muted_keys_are_checked_and_kept_in_lower_case() {
    let p = Preferences {
        enabled: true,
        muted: ["Birthday", "named:Wedding", "on-this-day"]
            .into_iter()
            .map(Into::into)
            .collect(),
    }
    .validate()
    .unwrap();
    assert!(p.muted.contains("birthday") && p.muted.contains("named:wedding"));
    for bad in ["", "named:", "holiday", &format!("event:{}", "x".repeat(200))] {
        let p = Preferences {
            enabled: true,
            muted: [bad.to_owned()].into(),
        };
        assert!(p.validate().is_err(), "{bad:?}");
    }
    let many = Preferences {
        enabled: true,
        muted: (0..101).map(|n| format!("event:{n}")).collect(),
    };
    assert!(many.validate().is_err());
    assert_eq!(
        MonthDay::of_taken_at("2019-06-20T10:00:00"),
        Some((MonthDay { month: 6, day: 20 }, date!(2019 - 06 - 20)))
    );
    assert_eq!(MonthDay::of_taken_at("nope"), None);
}
