use super::*;
use time::macros::date;

const U: Date = date!(2027 - 01 - 10);

fn s() -> RetentionSettings {
    RetentionSettings::default()
}

fn facts() -> Facts {
    Facts {
        selected: false,
        printable: false,
        rev: 0,
        uploaded: U,
        prints: 0,
        warning: Warning::Missing,
    }
}

fn at(step: Step, on: Date, since: Date) -> Schedule {
    Schedule {
        step,
        on,
        since,
        cause: None,
        notice_id: None,
        warned_on: None,
        warned_rev: 0,
    }
}

fn d(n: i64) -> Date {
    U + Duration::days(n)
}

#[test]
fn an_image_nobody_acts_on_is_noticed_at_90_days_and_deleted_30_later_once_delivered() {
    assert_eq!(first(U, &s()), (Step::Notice, d(90)));
    let notice = at(Step::Notice, d(90), U);
    assert_eq!(
        decide(&notice, &facts(), d(90), &s()).unwrap(),
        Decision::Warn {
            cause: Cause::StoragePeriod,
            delete_on: d(120)
        }
    );
    let delete = Schedule {
        cause: Some(Cause::StoragePeriod),
        ..at(Step::Delete, d(120), U)
    };
    let delivered = Facts {
        warning: Warning::Delivered,
        ..facts()
    };
    assert_eq!(
        decide(&delete, &delivered, d(120), &s()).unwrap(),
        Decision::Delete {
            cause: Cause::StoragePeriod
        }
    );
}

#[test]
fn no_deletion_without_a_delivered_warning() {
    let delete = at(Step::Delete, d(120), U);
    let with = |warning| Facts { warning, ..facts() };
    assert_eq!(
        decide(&delete, &with(Warning::Unconfirmed), d(120), &s()).unwrap(),
        Decision::Later {
            step: Step::Delete,
            on: d(121),
            since: U
        }
    );
    assert_eq!(
        decide(&delete, &with(Warning::Undeliverable), d(120), &s()).unwrap(),
        Decision::Later {
            step: Step::Delete,
            on: d(150),
            since: U
        }
    );
    // A warning that was never sent is sent, and the deletion waits 14 days.
    assert_eq!(
        decide(&delete, &with(Warning::Missing), d(120), &s()).unwrap(),
        Decision::Warn {
            cause: Cause::KeepPeriod,
            delete_on: d(134)
        }
    );
}

#[test]
fn selecting_editing_or_printing_after_the_warning_cancels_the_deletion() {
    let delete = Schedule {
        warned_rev: 2,
        ..at(Step::Delete, d(120), U)
    };
    let delivered = Facts {
        warning: Warning::Delivered,
        rev: 2,
        ..facts()
    };
    let selected = Facts {
        selected: true,
        ..delivered.clone()
    };
    assert_eq!(decide(&delete, &selected, d(120), &s()).unwrap(), Decision::Keep);
    for acted in [
        Facts {
            rev: 3,
            ..delivered.clone()
        },
        Facts {
            prints: 1,
            ..delivered.clone()
        },
    ] {
        // Kept: a new keep period (t = 180) from today.
        assert_eq!(
            decide(&delete, &acted, d(120), &s()).unwrap(),
            Decision::Later {
                step: Step::Review,
                on: d(120 + 180 - 14),
                since: d(120)
            }
        );
    }
}

#[test]
fn a_non_printable_image_acted_on_is_kept_t_days_and_warned_14_days_before() {
    let acted = Facts { rev: 1, ..facts() };
    let notice = at(Step::Notice, d(90), U);
    assert_eq!(
        decide(&notice, &acted, d(90), &s()).unwrap(),
        Decision::Later {
            step: Step::Review,
            on: d(166),
            since: U
        }
    );
    assert_eq!(
        decide(&at(Step::Review, d(166), U), &acted, d(166), &s()).unwrap(),
        Decision::Warn {
            cause: Cause::KeepPeriod,
            delete_on: d(180)
        }
    );
}

#[test]
fn a_printable_image_is_kept_window_by_window_while_it_is_printed() {
    let printable = Facts {
        printable: true,
        rev: 1,
        ..facts()
    };
    let review = |prints, today| {
        decide(
            &at(Step::Review, today, U),
            &Facts {
                prints,
                ..printable.clone()
            },
            today,
            &s(),
        )
        .unwrap()
    };
    assert_eq!(
        decide(&at(Step::Notice, d(90), U), &printable, d(90), &s()).unwrap(),
        Decision::Later {
            step: Step::Review,
            on: d(351),
            since: U
        }
    );
    // Printed in the window: kept to its end, then a new window begins.
    assert_eq!(
        review(1, d(351)),
        Decision::Later {
            step: Step::Review,
            on: d(365),
            since: U
        }
    );
    assert_eq!(
        review(1, d(365)),
        Decision::Later {
            step: Step::Review,
            on: d(365 + 351),
            since: d(365)
        }
    );
    // Not printed: warned 14 days ahead, deleted at the window's end.
    assert_eq!(
        review(0, d(351)),
        Decision::Warn {
            cause: Cause::TooFewPrints,
            delete_on: d(365)
        }
    );
    // A late run still gives the full 14 days.
    assert_eq!(
        review(0, d(370)),
        Decision::Warn {
            cause: Cause::TooFewPrints,
            delete_on: d(384)
        }
    );
}

#[test]
fn every_warning_is_at_least_warn_days_before_its_deletion() {
    for step in [Step::Notice, Step::Review, Step::Delete] {
        for printable in [false, true] {
            for offset in 0..800 {
                let today = d(offset);
                let f = Facts {
                    printable,
                    rev: (offset % 2) as u64,
                    ..facts()
                };
                if let Decision::Warn { delete_on, .. } =
                    decide(&at(step, today, U), &f, today, &s()).unwrap()
                {
                    assert!(delete_on >= today + Duration::days(14), "{step:?} {offset}");
                }
            }
        }
    }
}

#[test]
fn settings_are_checked() {
    assert!(s().validate().is_ok());
    for bad in [
        RetentionSettings {
            keep_days: 400,
            ..s()
        },
        RetentionSettings {
            act_within_days: 10,
            ..s()
        },
        RetentionSettings { warn_days: 0, ..s() },
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
    }
}
