//! Issue 18, item 7 (M24: nothing is deleted because of arrears): an owner
//! in arrears cannot reach their images, so cannot act on a warning. No
//! warning goes out and nothing is deleted while they are in arrears; once
//! they pay, the image gets a fresh warning with its full period, and is
//! deleted only after it.

use super::*;
use local_runner::pay::{self, Payment};
use printvault_domain::billing::Month;
use printvault_domain::payment::LOCAL_SECRET;
use time::OffsetDateTime;

/// Runs the billing sweep day by day from the 1st of next month until
/// `who` (who stores something this month) is in arrears; their unpaid
/// invoice's ID and amount.
async fn into_arrears(env: &TestEnv, who: &Customer) -> (String, i64) {
    let now = OffsetDateTime::now_utc();
    let first = Month::of(now.unix_timestamp()).next().first_day();
    for d in 0..=28 {
        let at = local_runner::schedule::day_time(&day(first, d)).unwrap();
        let r = env.stack.sweep(Sweep::Billing, at).await.unwrap();
        if r.get("arrears") == 1 {
            break;
        }
    }
    let (s, list) = env.get("/v1/invoices", who).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let inv = &list["invoices"][0];
    assert_eq!(inv["status"], "overdue", "{inv}");
    (
        inv["invoice_id"].as_str().unwrap().to_owned(),
        inv["amount_due"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn nothing_is_deleted_in_arrears_and_a_fresh_warning_precedes_any_deletion_after_payment() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let photo = env.ready_image(&ann, 4601).await;
    let u = uploaded(&env, &ann, &photo).await;
    assert_eq!(sweep(&env, &day(u, 90)).await.get("warned"), 1);
    warning_becomes(&env, &ann, &photo, Delivery::Delivered).await;

    // Ann leaves her storage invoice unpaid: in arrears, she cannot reach
    // her images.
    let (invoice, amount) = into_arrears(&env, &ann).await;
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::PAYMENT_REQUIRED);
    env.notices_sent().await;
    let mails = env.mails_to(&ann.email).await.len();

    // The deletion day comes: nothing is deleted; the image is looked at
    // again in a week, from its notice, its old warning forgotten.
    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!((r.get("deleted"), r.get("postponed_in_arrears")), (0, 1), "{r:?}");
    let next = record(&env, &ann, &photo)
        .await
        .expect("not deleted")
        .retention
        .unwrap();
    assert_eq!(
        (next.step, next.on, next.notice_id.as_deref()),
        (Step::Notice, date(u, 127), None)
    );
    // Still in arrears a week later: no warning either.
    let r = sweep(&env, &day(u, 127)).await;
    assert_eq!((r.get("warned"), r.get("postponed_in_arrears")), (0, 1), "{r:?}");
    env.notices_sent().await;
    assert_eq!(env.mails_to(&ann.email).await.len(), mails, "nothing was sent");

    // She pays: the next look sends a fresh notice, with 30 days to act.
    let payment = Payment {
        api: &env.stack.api_url,
        order_id: &invoice,
        amount,
        currency: "JPY",
        secret: LOCAL_SECRET,
        webhook_id: "msg_paid",
        timestamp: OffsetDateTime::now_utc().unix_timestamp(),
    };
    let (s, a) = pay::send(&payment).await.unwrap();
    assert_eq!((s, a["status"].as_str()), (200, Some("paid")), "{a}");
    let r = sweep(&env, &day(u, 134)).await;
    assert_eq!(r.get("warned"), 1, "{r:?}");
    let mail = env.next_mail(&ann.email, mails).await;
    assert!(mail.subject.contains(&day(u, 164)), "{}", mail.subject);
    assert!(mail.body.contains(&photo), "{}", mail.body);
    warning_becomes(&env, &ann, &photo, Delivery::Delivered).await;
    assert_eq!(sweep(&env, &day(u, 163)).await.get("deleted"), 0);
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
    assert_eq!(sweep(&env, &day(u, 164)).await.get("deleted"), 1);
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::NOT_FOUND);
}
