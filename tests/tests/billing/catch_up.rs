//! Issue 18, item 9: a sweep that did not run for a while finishes
//! everything that fell due meanwhile, in order, however long ago (not
//! only `sweeps.catch_up_days` back).

use super::*;
use printvault_domain::billing::day_str;
use time::Duration;

#[tokio::test]
async fn a_sweep_run_only_on_the_arrears_day_reminds_then_locks_the_account() {
    let env = TestEnv::start().await;
    let bob = env.new_customer().await;
    let month = Month::of(OffsetDateTime::now_utc().unix_timestamp());
    store_since(&env, &bob.customer_id(), &month.to_string(), 1 << 30).await;
    let first = month.next().first_day();
    let r = sweep(&env, &day_str(first)).await;
    assert_eq!(r.get("invoices_issued"), 1, "{r:?}");
    let inv = &invoices(&env, &bob).await[0];
    let (due_on, arrears_on) = (
        inv["due_on"].as_str().unwrap().to_owned(),
        inv["arrears_on"].as_str().unwrap().to_owned(),
    );
    // Its reminder fell due 14 days before the next run: more than the
    // catch-up days (7).
    assert_eq!(due_on, day_str(first + Duration::days(14)));
    assert_eq!(arrears_on, day_str(first + Duration::days(28)));

    // The schedule does not fire again until the arrears day.
    let r = sweep(&env, &arrears_on).await;
    assert_eq!(
        r.get("reminders"),
        1,
        "one reminder, not one per missed day: {r:?}"
    );
    assert_eq!(r.get("arrears"), 1, "{r:?}");
    // The welcome code, the invoice, the reminder, then the arrears notice.
    env.next_mail(&bob.email, 3).await;
    let subjects: Vec<String> = env
        .mails_to(&bob.email)
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(subjects.len(), 4, "{subjects:?}");
    assert!(subjects[2].starts_with("Reminder"), "{subjects:?}");
    assert!(subjects[3].contains("locked"), "{subjects:?}");
    let inv = &invoices(&env, &bob).await[0];
    assert_eq!(inv["status"], "overdue", "{inv}");
    assert_eq!(
        env.get_status("/v1/images", &bob).await,
        StatusCode::PAYMENT_REQUIRED
    );

    // Any of those days again does nothing.
    for d in [0, 14, 20, 28] {
        let r = sweep(&env, &day_str(first + Duration::days(d))).await;
        assert!(r.counts.is_empty(), "day {d}: {r:?}");
    }
    assert_eq!(env.mails_to(&bob.email).await.len(), 4);
}

#[tokio::test]
async fn a_month_the_sweep_was_away_for_is_still_closed_into_an_invoice() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let month = Month::of(OffsetDateTime::now_utc().unix_timestamp());
    // The sweep ran mid-month (nothing to do), then not for four months.
    let r = sweep(&env, &day_str(month.first_day() + Duration::days(14))).await;
    assert!(r.counts.is_empty(), "{r:?}");
    store_since(&env, &ann.customer_id(), &month.to_string(), 1 << 30).await;
    let back = month.next().next().next().next().first_day();
    let r = sweep(&env, &day_str(back)).await;
    // Its month and the three after it (the GiB still stored) closed,
    // each into an invoice issued that day.
    assert_eq!(r.get("invoices_issued"), 4, "{r:?}");
    let list = invoices(&env, &ann).await;
    let months: Vec<&str> = list.iter().map(|i| i["month"].as_str().unwrap()).collect();
    assert_eq!(months.last(), Some(&month.to_string().as_str()), "{months:?}");
    assert!(sweep(&env, &day_str(back)).await.counts.is_empty());
}
