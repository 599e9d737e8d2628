//! Retention while the owner is in arrears (M24: nothing is deleted
//! because of arrears). An owner in arrears cannot reach their images (every
//! route but invoices answers 402), so cannot act on a warning: a warning
//! or a deletion that comes due then is not sent nor done. The image is
//! looked at again [`RECHECK_DAYS`] later, from the step before its warning
//! (the M26 notice for a storage-period deletion, the M27 review for the
//! others), with any earlier warning forgotten. Once the account is paid,
//! that look sends a fresh warning with its full period (30 days for the
//! M26 notice, at least `warn_days` for M27), and the deletion comes only
//! after it, as it would have without the arrears.

use time::{Date, Duration};

use super::{Cause, Decision, Schedule, Step};
use crate::Error;

/// How long an image whose owner is in arrears waits before it is looked
/// at again.
pub const RECHECK_DAYS: i64 = 7;

/// What becomes of `decision` (for an image with schedule `at`, due
/// `today`) while its owner is in arrears: a warning or a deletion becomes
/// a look again in [`RECHECK_DAYS`]; anything else stands.
pub fn while_in_arrears(at: &Schedule, decision: Decision, today: Date) -> Result<Decision, Error> {
    let cause = match decision {
        Decision::Warn { cause, .. } | Decision::Delete { cause } => cause,
        other => return Ok(other),
    };
    let step = match cause {
        Cause::StoragePeriod => Step::Notice,
        Cause::TooFewPrints | Cause::KeepPeriod => Step::Review,
    };
    Ok(Decision::Later {
        step,
        on: today + Duration::days(RECHECK_DAYS),
        since: at.since,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retention::{decide, Facts, RetentionSettings, Warning};
    use time::macros::date;

    fn schedule(step: Step, cause: Option<Cause>) -> Schedule {
        Schedule {
            step,
            on: time::macros::date!(2027 - 05 - 01),
            since: time::macros::date!(2027 - 01 - 01),
            cause,
            notice_id: cause.map(|_| "retention:x".into()),
            warned_on: cause.map(|_| time::macros::date!(2027 - 04 - 01)),
            warned_rev: 0,
        }
    }

    fn facts(warning: Warning) -> Facts {
        Facts {
            selected: false,
            printable: false,
            rev: 0,
            uploaded: date!(2027 - 01 - 01),
            prints: 0,
            warning,
        }
    }

    #[test]
    fn a_deletion_in_arrears_waits_and_comes_back_as_a_fresh_warning() {
        let s = RetentionSettings::default();
        let today = date!(2027 - 05 - 01);
        let at = schedule(Step::Delete, Some(Cause::StoragePeriod));
        let d = decide(&at, &facts(Warning::Delivered), today, &s).unwrap();
        assert!(matches!(d, Decision::Delete { .. }));
        let d = while_in_arrears(&at, d, today).unwrap();
        let Decision::Later { step, on, since } = d else {
            panic!("{d:?}");
        };
        assert_eq!(
            (step, on, since),
            (Step::Notice, date!(2027 - 05 - 08), date!(2027 - 01 - 01))
        );
        // Paid by then: the notice again, with its full 30 days.
        let again = Schedule {
            on: time::macros::date!(2027 - 05 - 08),
            ..schedule(Step::Notice, None)
        };
        let d = decide(&again, &facts(Warning::Missing), on, &s).unwrap();
        assert_eq!(
            d,
            Decision::Warn {
                cause: Cause::StoragePeriod,
                delete_on: date!(2027 - 06 - 07)
            }
        );
    }

    #[test]
    fn an_m27_warning_in_arrears_waits_for_a_review() {
        let s = RetentionSettings::default();
        let today = date!(2027 - 06 - 20);
        let at = schedule(Step::Review, None);
        let d = decide(&at, &facts(Warning::Missing), today, &s).unwrap();
        assert!(
            matches!(
                d,
                Decision::Warn {
                    cause: Cause::KeepPeriod,
                    ..
                }
            ),
            "{d:?}"
        );
        let d = while_in_arrears(&at, d, today).unwrap();
        assert!(
            matches!(
                d,
                Decision::Later {
                    step: Step::Review,
                    ..
                }
            ),
            "{d:?}"
        );
        // Later, after payment: warned with at least warn_days to act.
        let d = decide(&at, &facts(Warning::Missing), date!(2027 - 06 - 27), &s).unwrap();
        assert_eq!(
            d,
            Decision::Warn {
                cause: Cause::KeepPeriod,
                delete_on: date!(2027 - 07 - 11)
            }
        );
    }

    #[test]
    fn what_deletes_nothing_stands() {
        let at = schedule(Step::Review, None);
        let later = Decision::Later {
            step: Step::Review,
            on: date!(2027 - 09 - 01),
            since: date!(2027 - 01 - 01),
        };
        let today = date!(2027 - 05 - 01);
        assert_eq!(while_in_arrears(&at, later.clone(), today).unwrap(), later);
        assert_eq!(
            while_in_arrears(&at, Decision::Keep, today).unwrap(),
            Decision::Keep
        );
    }
}
