//! Issue 18, item 9: a sweep that did not run for weeks. A notice whose
//! date is still to come is sent late, however long ago its day was (not
//! only `sweeps.catch_up_days` back); one whose date has passed while the
//! sweep was away is not sent ("coming up" after the day is no use), and
//! its day counts as done.

use super::*;

#[tokio::test]
async fn after_weeks_away_notices_still_ahead_are_sent_and_passed_ones_are_not() {
    // Notices a month ahead: a 35-day gap loses days whose dates are ahead.
    let env = TestEnv::with(|o| o.settings.anniversaries.days_ahead = 30).await;
    let ann = env.new_customer().await;
    set_birthday(&env, &ann, "1990-06-10").await;
    let (s, b) = env
        .patch(
            "/v1/profile",
            &ann.token,
            json!({"named_dates": [{"label": "Moving day", "date": "2019-06-01"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // The sweep runs on 1 May, then not until 5 June: the birthday's day
    // (11 May) is 25 days before that run; moving day's (2 May) date has
    // passed by then.
    let r = sweep(&env, "2027-05-01").await;
    assert_eq!(r.get("noticed"), 0, "{r:?}");
    let r = sweep(&env, "2027-06-05").await;
    assert_eq!(r.get("noticed"), 1, "{r:?}");
    let got = notices(&env, &ann).await;
    let subjects: Vec<&str> = got.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["Coming up on 2027-06-10: your birthday"]);

    // Those days are done: again, or any of them, sends nothing.
    for day in ["2027-06-05", "2027-05-11", "2027-05-02"] {
        assert_eq!(sweep(&env, day).await.get("noticed"), 0, "{day}");
    }
    assert_eq!(notices(&env, &ann).await.len(), 1);
}
