//! What the four customers do, day by day.

use super::*;
use integration_tests::orders::address;
use reqwest::StatusCode;
use serde_json::json;

/// Day 0: the people and the lab.
pub async fn begin(env: TestEnv, start: Date) -> Year {
    let (ann, bob, cat) = (
        env.new_customer().await,
        env.new_customer().await,
        env.new_customer().await,
    );
    // Dan's address bounces (SES's mailbox simulator, played locally).
    let email = format!("{}+bounce@example.com", integration_tests::unique_stage());
    let id = env.register_verified(&email, PASSWORD).await;
    let dan = Customer {
        token: String::new(),
        id,
        email,
    };
    let lab_key = env.lab("year-lab", &["year-store"]).await;
    Year {
        env,
        start,
        ann,
        bob,
        cat,
        dan,
        images: BTreeMap::new(),
        lab_key,
    }
}

/// Uploads a photo for `who` and follows it.
async fn upload(year: &mut Year, who: &Customer, seed: u64) -> String {
    let who = year.login(who).await;
    let id = year.env.ready_image(&who, seed).await;
    let image = year
        .env
        .record(&who.customer_id(), &integration_tests::image_id(&id))
        .await
        .unwrap();
    let f = image.finalised.unwrap();
    let from = f.finalised_at.unix();
    year.images.insert(
        id.clone(),
        Stored {
            owner: who.id.clone(),
            bytes: f.bytes,
            from,
            until: None,
        },
    );
    id
}

/// Pays every unpaid invoice of `who` through the payment webhook.
async fn pay_invoices(year: &Year, who: &Customer) {
    let who = year.login(who).await;
    let (s, list) = year.env.get("/v1/invoices?limit=100", &who).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    for inv in list["invoices"].as_array().unwrap() {
        if inv["amount_due"].as_i64().unwrap() == 0 {
            continue;
        }
        let id = inv["invoice_id"].as_str().unwrap();
        let webhook = format!("msg_{id}");
        let (s, a) = local_runner::pay::send(&pay(year, id, inv["amount_due"].as_i64().unwrap(), &webhook))
            .await
            .unwrap();
        assert_eq!((s, a["status"].as_str()), (200, Some("paid")), "{a}");
    }
}

fn pay<'a>(year: &'a Year, id: &'a str, amount: i64, webhook: &'a str) -> local_runner::pay::Payment<'a> {
    local_runner::pay::Payment {
        api: &year.env.stack.api_url,
        order_id: id,
        amount,
        currency: "JPY",
        secret: printvault_domain::payment::LOCAL_SECRET,
        webhook_id: webhook,
        timestamp: OffsetDateTime::now_utc().unix_timestamp(),
    }
}

/// Cat orders a print of `photo`; it is paid, dispatched and printed.
async fn print(year: &Year, photo: &str, d: i64) {
    let cat = year.login(&year.cat).await;
    let env = &year.env;
    let quote = env.quote_id(&cat, &[(photo, "L", 1)], "year-store").await;
    let key = format!("year-{d}");
    let o = env
        .order(
            &cat,
            Some(&key),
            &json!({"quote_id": quote, "address": address()}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    let amount = o.body["amount_due"].as_i64().unwrap();
    let (s, a) = local_runner::pay::send(&pay(year, &order, amount, &format!("msg_{order}")))
        .await
        .unwrap();
    assert_eq!(s, 200, "{a}");
    integration_tests::eventually(30, "the order is dispatched", || async {
        env.get(&format!("/v1/orders/{order}"), &cat).await.1["status"] == "dispatched"
    })
    .await
    .unwrap();
    for stage in ["accepted", "printed"] {
        let res = env
            .http
            .post(env.url(&format!("/v1/lab/orders/{order}/lines/1/reports")))
            .header("x-lab-key", &year.lab_key)
            .json(&json!({"stage": stage}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{stage}");
    }
}

/// Whether `who` is locked out (M24).
async fn locked(year: &Year, who: &Customer) -> bool {
    let who = year.login(who).await;
    year.env.get_status("/v1/images", &who).await == StatusCode::PAYMENT_REQUIRED
}

/// Day `d`'s doings, after the day's sweeps.
pub async fn live(year: &mut Year, d: i64) {
    let (ann, bob, cat, dan) = (
        year.ann.clone(),
        year.bob.clone(),
        year.cat.clone(),
        year.dan.clone(),
    );
    match d {
        0 => {
            for (who, seed) in [
                (&ann, 5001),
                (&ann, 5002),
                (&bob, 5003),
                (&bob, 5004),
                (&dan, 5006),
            ] {
                upload(year, who, seed).await;
            }
            // Ann's birthday and a named date (M28).
            let born = year.date_in(ANN_EVENTS[0].1, 1990);
            let moved = year.date_in(ANN_EVENTS[1].1, 2018);
            let login = year.login(&ann).await;
            let (s, b) = year
                .env
                .patch(
                    "/v1/profile",
                    &login,
                    json!({"birthday": day_str(born), "named_dates": [{"label": "Moving day", "date": day_str(moved)}]}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
            let c1 = upload(year, &cat, 5005).await;
            let cat = year.login(&cat).await;
            let (s, b) = year
                .env
                .put(
                    &format!("/v1/images/{c1}/class"),
                    &cat,
                    json!({"class": "printable", "prices": {"L": 150, "2L": 400}}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
        10 => {
            // Ann keeps her first photo.
            let first = year
                .images
                .iter()
                .find(|(_, s)| s.owner == ann.id)
                .map(|(id, _)| id.clone())
                .unwrap();
            let ann = year.login(&ann).await;
            // It is her graduation photo (M28: an event and its date).
            let taken = format!("{}T10:00:00", day_str(year.date_in(ANN_EVENTS[2].1, 2020)));
            let (s, b) = year
                .env
                .patch(
                    &format!("/v1/images/{first}"),
                    &ann,
                    json!({"selected": true, "attributes": {"taken_at": taken, "event": "Graduation"}}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
        40 => {
            upload(year, &ann, 5007).await;
        }
        100 | 300 => {
            let c1 = year
                .images
                .iter()
                .find(|(_, s)| s.owner == cat.id)
                .map(|(id, _)| id.clone())
                .unwrap();
            print(year, &c1, d).await;
        }
        _ => {}
    }
    let day_of_month = year.day(d).day();
    if day_of_month == 2 {
        pay_invoices(year, &ann).await;
        pay_invoices(year, &cat).await;
    }
    if day_of_month == 5 && locked(year, &bob).await {
        pay_invoices(year, &bob).await;
        assert!(!locked(year, &bob).await, "paying unlocks at once");
    }
    let _ = dan;
}
