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
    let id = notice_id("cus_1", 2027, "named:wedding anniversary");
    assert_eq!(id, "anniv:cus_1:2027:named:wedding_anniversary");
    assert!(NoticeId::parse(&id).is_ok());
    assert_ne!(id, notice_id("cus_1", 2028, "named:wedding anniversary"));
    assert!(s().validate().is_ok());
    assert!(AnniversarySettings { days_ahead: 0, ..s() }.validate().is_err());
}
