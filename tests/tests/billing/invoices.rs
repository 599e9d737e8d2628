//! M23, M25: byte-hours metered from upload to deletion, closed into
//! invoices that show their rounding, storage points in the ledger.

use super::*;
use printvault_domain::billing::day_str;

/// The first day of the month after this one, `YYYY-MM-DD`.
fn next_month_day(n: u8) -> String {
    let m = Month::of(OffsetDateTime::now_utc().unix_timestamp()).next();
    format!("{m}-{n:02}")
}

#[tokio::test]
async fn an_upload_is_billed_for_its_byte_hours_and_a_day_run_again_changes_nothing() {
    let env = TestEnv::start().await;
    let (ann, eve) = (env.new_customer().await, env.new_customer().await);
    env.ready_image(&ann, 3101).await;
    let meter = billing(&env)
        .meter(&ann.customer_id())
        .await
        .unwrap()
        .expect("the upload started a meter");
    assert!(meter.meter.bytes > 0);
    let month = meter.meter.month;
    let first = next_month_day(1);
    let report = sweep(&env, &first).await;
    assert_eq!(report.get("months_closed"), 1, "{report:?}");
    assert_eq!(report.get("invoices_issued"), 1, "{report:?}");

    let list = invoices(&env, &ann).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let inv = &list[0];
    let expected = u128::from(meter.meter.bytes) * (month.end() - meter.meter.since) as u128;
    assert_eq!(inv["charge"]["byte_seconds"], expected.to_string(), "{inv}");
    assert_eq!(inv["month"], month.to_string());
    assert_eq!(inv["status"], "open");
    assert_eq!(inv["issued_on"], first.as_str());
    // A few kilobytes for days: a fraction of a yen, rounded up to ¥1.
    assert_eq!(inv["charge"]["amount"], 1, "{inv}");
    assert_eq!(inv["amount_due"], 1);
    assert!(
        inv["charge"]["exact_yen"].as_str().unwrap().starts_with("0.0"),
        "{inv}"
    );
    assert_eq!(inv["charge"]["points"], 0);
    let mail = env.next_mail(&ann.email, 1).await;
    assert!(mail.subject.contains(&month.to_string()), "{}", mail.subject);
    assert!(mail.body.contains("rounded up by"), "{}", mail.body);

    // The same day again: nothing to close, nothing to send.
    let again = sweep(&env, &first).await;
    assert!(again.counts.is_empty(), "{again:?}");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        env.mails_to(&ann.email).await.len(),
        2,
        "a welcome code and one invoice"
    );
    assert_eq!(invoices(&env, &ann).await.len(), 1);

    // Only its customer reads an invoice; any other ID reads as missing.
    let id = inv["invoice_id"].as_str().unwrap();
    let (s, one) = env.get(&format!("/v1/invoices/{id}"), &ann).await;
    assert_eq!(
        (s, &one["invoice_id"]),
        (StatusCode::OK, &inv["invoice_id"]),
        "{one}"
    );
    for (path, who) in [
        (format!("/v1/invoices/{id}"), &eve),
        ("/v1/invoices/inv_202701_nobody".to_owned(), &ann),
        ("/v1/invoices/not-an-invoice".to_owned(), &ann),
    ] {
        let (s, body) = env.get(&path, who).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    assert_eq!(
        env.get_status("/v1/invoices", None).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(invoices(&env, &eve).await.is_empty());
}

#[tokio::test]
async fn a_trashed_image_counts_until_it_is_purged_and_gib_months_earn_points() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let photo = env.ready_image(&ann, 3102).await;
    let before = billing(&env).meter(&ann.customer_id()).await.unwrap().unwrap();
    let (s, _) = env.delete(&format!("/v1/images/{photo}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let trashed = billing(&env).meter(&ann.customer_id()).await.unwrap().unwrap();
    assert_eq!(
        trashed.meter.bytes, before.meter.bytes,
        "billed while in the trash"
    );
    let (s, _) = env.delete(&format!("/v1/trash/{photo}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let after = billing(&env).meter(&ann.customer_id()).await.unwrap().unwrap();
    assert_eq!(
        (after.meter.bytes, after.meter.images),
        (0, 0),
        "its bytes stop counting at the purge"
    );
    assert_eq!(
        after.meter.byte_secs,
        u128::from(before.meter.bytes) * (after.meter.since - before.meter.since) as u128,
        "and count until the purge"
    );

    // Two GiB all month: 2 GiB-months, ¥60 exactly, 2 points.
    let month = Month::of(OffsetDateTime::now_utc().unix_timestamp());
    store_since(&env, &bob.customer_id(), &month.to_string(), 2 << 30).await;
    let day = day_str(month.next().first_day());
    sweep(&env, &day).await;
    let inv = &invoices(&env, &bob).await[0];
    assert_eq!(inv["charge"]["gib_months"], "2.000000", "{inv}");
    assert_eq!(
        (
            &inv["charge"]["amount"],
            &inv["charge"]["rounding_yen"],
            &inv["charge"]["points"]
        ),
        (&Value::from(60), &Value::from("0.0000"), &Value::from(2)),
        "{inv}"
    );
    assert_eq!(env.balance(&bob).await, 2);
    let (_, points) = env.get("/v1/points", &bob).await;
    let journal = points["entries"][0]["journal_id"].as_str().unwrap();
    assert_eq!(
        journal,
        format!("storage:{}", inv["invoice_id"].as_str().unwrap())
    );
    // Run again: no second credit.
    sweep(&env, &day).await;
    assert_eq!(env.balance(&bob).await, 2);
    env.audit_ledger().await;
}
