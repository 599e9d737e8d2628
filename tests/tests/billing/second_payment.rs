//! Issue 18, finding 4: a second payment of a paid invoice was logged and
//! stored nowhere. It is kept as the invoice's `refund_due`, once per
//! payment ID, whatever webhook brings it.

use super::*;
use printvault_domain::billing::day_str;

#[tokio::test]
async fn a_second_payment_of_an_invoice_is_owed_back_once() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let month = Month::of(OffsetDateTime::now_utc().unix_timestamp());
    store_since(&env, &ann.customer_id(), &month.to_string(), 1 << 30).await;
    let report = sweep(&env, &day_str(month.next().first_day())).await;
    assert_eq!(report.get("invoices_issued"), 1, "{report:?}");
    let inv = invoices(&env, &ann).await[0].clone();
    let (id, amount) = (
        inv["invoice_id"].as_str().unwrap().to_owned(),
        inv["amount_due"].as_i64().unwrap(),
    );
    assert_eq!(inv["refund_due"], 0, "{inv}");

    let (st, a) = env.pay_as(&id, amount, "wh_inv_1", "pay_inv_1").await;
    assert_eq!((st, a["status"].as_str()), (200, Some("paid")), "{a}");
    let (st, a) = env.pay_as(&id, amount, "wh_inv_2", "pay_inv_2").await;
    assert_eq!((st, a["status"].as_str()), (200, Some("refund_due")), "{a}");
    // The same second payment under yet another webhook: counted once.
    let (st, a) = env.pay_as(&id, amount, "wh_inv_3", "pay_inv_2").await;
    assert_eq!((st, a["status"].as_str()), (200, Some("replayed")), "{a}");
    let inv = invoices(&env, &ann).await[0].clone();
    assert_eq!(
        (inv["status"].as_str(), inv["refund_due"].as_i64()),
        (Some("paid"), Some(amount)),
        "{inv}"
    );
}
