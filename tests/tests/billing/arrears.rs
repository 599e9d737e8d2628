//! M24: reminders from the due date, arrears after the grace period (402
//! everywhere but invoices; shares stop), and payment unlocking at once.

use super::*;
use local_runner::pay::{self, Payment};
use printvault_domain::billing::day_str;
use printvault_domain::payment::LOCAL_SECRET;
use serde_json::json;
use time::Duration;

pub(super) fn payment<'a>(api: &'a str, invoice: &'a str, amount: i64, webhook_id: &'a str) -> Payment<'a> {
    Payment {
        api,
        order_id: invoice,
        amount,
        currency: "JPY",
        secret: LOCAL_SECRET,
        webhook_id,
        timestamp: OffsetDateTime::now_utc().unix_timestamp(),
    }
}

#[tokio::test]
async fn an_unpaid_invoice_is_reminded_of_then_locks_the_account_until_paid() {
    let env = TestEnv::start().await;
    let (bob, eve) = (env.new_customer().await, env.new_customer().await);
    let month = Month::of(OffsetDateTime::now_utc().unix_timestamp());
    store_since(&env, &bob.customer_id(), &month.to_string(), 1 << 30).await;
    let photo = env.ready_image(&bob, 3201).await;
    let (s, link) = env.post("/v1/links", &bob, json!({"image_id": photo})).await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    let shared = format!("/v1/shared/{}", link["token"].as_str().unwrap());

    // Issued on the 1st, due on the 15th, reminded every 3 days, in
    // arrears 14 days after the due date.
    let first = month.next().first_day();
    let mut arrears_on = None;
    for d in 0..=28 {
        let day = day_str(first + Duration::days(d));
        let r = sweep(&env, &day).await;
        if r.get("arrears") == 1 {
            arrears_on = Some(day.clone());
        }
        if arrears_on.is_none() {
            assert_eq!(env.get_status("/v1/images", &bob).await, StatusCode::OK, "{day}");
        }
    }
    let inv = &invoices(&env, &bob).await[0];
    assert_eq!(arrears_on.as_deref(), inv["arrears_on"].as_str(), "{inv}");
    assert_eq!(inv["status"], "overdue");
    let id = inv["invoice_id"].as_str().unwrap().to_owned();
    let amount = inv["amount_due"].as_i64().unwrap();
    // The welcome code, the invoice, five reminders, the arrears notice.
    env.next_mail(&bob.email, 7).await;
    let mails = env.mails_to(&bob.email).await;
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects.iter().filter(|s| s.starts_with("Reminder")).count(),
        5,
        "{subjects:?}"
    );
    assert!(subjects.last().unwrap().contains("locked"), "{subjects:?}");

    // In arrears: 402 with the invoice to pay, except for invoices.
    let (s, body) = env.get("/v1/images", &bob).await;
    assert_eq!(s, StatusCode::PAYMENT_REQUIRED, "{body}");
    assert_eq!(body["error"]["code"], "payment_required");
    assert!(body["error"]["message"].as_str().unwrap().contains(&id), "{body}");
    let (s, _) = env.post("/v1/links", &bob, json!({"image_id": photo})).await;
    assert_eq!(s, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(
        env.get_status(&format!("/v1/invoices/{id}"), &bob).await,
        StatusCode::OK
    );
    // Their shares stop, answering as if there were nothing there.
    assert_eq!(env.get_status(&shared, None).await, StatusCode::NOT_FOUND);
    assert_eq!(env.get_status(&shared, &eve).await, StatusCode::NOT_FOUND);
    // Nothing is deleted.
    assert!(env
        .record(&bob.customer_id(), &integration_tests::image_id(&photo))
        .await
        .is_some());

    // A wrong amount changes nothing; the right one unlocks at once.
    let api = env.stack.api_url.clone();
    let (s, a) = pay::send(&payment(&api, &id, amount - 1, "msg_short"))
        .await
        .unwrap();
    assert_eq!(s, 422, "{a}");
    assert_eq!(
        env.get_status("/v1/images", &bob).await,
        StatusCode::PAYMENT_REQUIRED
    );
    let (s, a) = pay::send(&payment(&api, &id, amount, "msg_paid")).await.unwrap();
    assert_eq!(
        (s, a["status"].as_str(), a["invoice_id"].as_str()),
        (200, Some("paid"), Some(id.as_str())),
        "{a}"
    );
    assert_eq!(env.get_status("/v1/images", &bob).await, StatusCode::OK);
    assert_eq!(env.get_status(&shared, &eve).await, StatusCode::OK);
    let (s, a) = pay::send(&payment(&api, &id, amount, "msg_paid")).await.unwrap();
    assert_eq!((s, a["status"].as_str()), (200, Some("replayed")), "{a}");
    let (_, inv) = env.get(&format!("/v1/invoices/{id}"), &bob).await;
    assert_eq!(
        (&inv["status"], &inv["amount_due"]),
        (&json!("paid"), &json!(0)),
        "{inv}"
    );

    // Every day again: nothing more is sent, and the account stays open.
    let sent = env.mails_to(&bob.email).await.len();
    for d in 0..=28 {
        let r = sweep(&env, &day_str(first + Duration::days(d))).await;
        assert!(r.counts.is_empty(), "{r:?}");
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(env.mails_to(&bob.email).await.len(), sent);
    assert_eq!(env.get_status("/v1/images", &bob).await, StatusCode::OK);
}

#[tokio::test]
async fn reminders_go_to_the_address_the_customer_has_now() {
    let env = TestEnv::start().await;
    let bob = env.new_customer().await;
    let month = Month::of(OffsetDateTime::now_utc().unix_timestamp());
    store_since(&env, &bob.customer_id(), &month.to_string(), 1 << 30).await;
    let first = month.next().first_day();
    let r = sweep(&env, &day_str(first)).await;
    assert_eq!(r.get("invoices_issued"), 1, "{r:?}");
    let issued = env.next_mail(&bob.email, 1).await;
    assert!(issued.subject.contains("invoice"), "{}", issued.subject);

    // Bob moves to a new address before the due date.
    let new = format!("{}@example.com", integration_tests::unique_stage());
    let (s, b) = env.put("/v1/profile/email", &bob, json!({"email": new})).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    let code = env.next_mail(&new, 0).await.code().unwrap();
    let (s, b) = env.post("/v1/accounts/verify", None, json!({"code": code})).await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // The reminder on the due date reaches him there, not at the old one.
    let old_count = env.mails_to(&bob.email).await.len();
    let due = day_str(first + Duration::days(14));
    let r = sweep(&env, &due).await;
    assert_eq!(r.get("reminders"), 1, "{r:?}");
    let reminder = env.next_mail(&new, 1).await;
    assert!(reminder.subject.starts_with("Reminder"), "{}", reminder.subject);
    assert_eq!(env.mails_to(&bob.email).await.len(), old_count);
}
