//! `/_local/clock` (issue 19's browser tests): the local runner moves the
//! whole stack's clock ahead by hand, sweeping every day in between, so that
//! an invoice can be issued and then put its customer in arrears in a test.
//!
//! A test binary of its own, with one test: the clock
//! (`printvault_domain::when`) is process-wide, so nothing may run beside it.

use integration_tests::{Customer, TestEnv};
use printvault_domain::billing::{day_str, parse_day, Month};
use printvault_domain::when;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::{Date, Duration, OffsetDateTime};

const PASSWORD: &str = "correct horse battery";

/// A call to the clock: the status, headers and JSON answer. `body`: POST
/// it as JSON (`Some`), or GET (`None`).
async fn clock(env: &TestEnv, body: Option<&str>) -> (StatusCode, HeaderMap, Value) {
    let url = env.url("/_local/clock");
    let req = match body {
        Some(b) => env
            .http
            .post(url)
            .header("content-type", "application/json")
            .body(b.to_owned()),
        None => env.http.get(url),
    };
    answer(req).await
}

async fn answer(req: reqwest::RequestBuilder) -> (StatusCode, HeaderMap, Value) {
    let res = req.send().await.expect("the runner answers");
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON answer {text:?}"));
    (status, headers, json)
}

/// The headers every `/_local` answer carries.
fn assert_secured(env: &TestEnv, h: &HeaderMap) {
    let get = |name: &str| h.get(name).map(|v| v.to_str().unwrap()).unwrap_or_default();
    let s3 = local_runner::web::origin_of(&env.stack.endpoint).unwrap();
    assert_eq!(
        get("content-security-policy"),
        local_runner::web::content_security_policy(&s3)
    );
    assert_eq!(get("x-content-type-options"), "nosniff");
    assert_eq!(get("referrer-policy"), "no-referrer");
    assert_eq!(get("x-frame-options"), "DENY");
    assert_eq!(get("cache-control"), "no-store");
}

/// Moves the clock `days` ahead; checks the answer and returns the days swept.
async fn move_ahead(env: &TestEnv, days: i64) -> Vec<Date> {
    let before = env.stack.clock.time().ahead() / 86_400;
    let (s, h, moved) = clock(env, Some(&json!({"days": days}).to_string())).await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    assert_secured(env, &h);
    assert_eq!(moved["days_ahead"], before + days, "{moved}");
    assert_eq!(
        env.stack.clock.time().ahead(),
        (before + days) * 86_400,
        "the process's clock"
    );
    let now = when::parse_rfc3339(moved["now"].as_str().unwrap()).unwrap();
    let real = OffsetDateTime::now_utc() + Duration::days(before + days);
    assert!((real - now).abs() < Duration::minutes(1), "{moved}");
    let swept: Vec<Date> = moved["swept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| parse_day(d.as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(swept.len() as i64, days, "{moved}");
    swept
}

/// Whether `days` follow each other, one a day, from `first`.
fn one_a_day(days: &[Date], first: Date) -> bool {
    days.iter()
        .enumerate()
        .all(|(i, d)| *d == first + Duration::days(i as i64))
}

/// A fresh session for `who` (sessions expire as simulated weeks pass).
async fn login(env: &TestEnv, who: &Customer) -> Customer {
    let creds = json!({"email": who.email, "password": PASSWORD});
    let (s, session) = env.post("/v1/sessions", None, creds).await;
    assert_eq!(s, StatusCode::CREATED, "{session}");
    Customer {
        token: session["token"].as_str().unwrap().to_owned(),
        ..who.clone()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clock_moves_ahead_by_hand_sweeping_each_day() {
    let env = TestEnv::with(|o| {
        // Every day is swept: one day of catch-up is plenty, and quicker.
        o.settings.sweeps.catch_up_days = 1;
    })
    .await;
    let (s, h, at) = clock(&env, None).await;
    assert_eq!(s, StatusCode::OK, "{at}");
    assert_secured(&env, &h);
    assert_eq!(at["days_ahead"], 0, "{at}");
    let now = when::parse_rfc3339(at["now"].as_str().unwrap()).unwrap();
    assert!(
        (OffsetDateTime::now_utc() - now).abs() < Duration::minutes(1),
        "{at}"
    );

    // Anything but 1 to 400 whole days, as JSON, is refused with a
    // sentence, and moves nothing.
    for bad in [
        r#"{"days": 0}"#,
        r#"{"days": -1}"#,
        r#"{"days": 401}"#,
        r#"{"days": "x"}"#,
        r#"{"days": 1.5}"#,
        r#"{}"#,
        r#"{"days": 1, "hours": 2}"#,
        "x",
        "",
    ] {
        let (s, h, e) = clock(&env, Some(bad)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {e}");
        assert_secured(&env, &h);
        assert_eq!(e["error"]["code"], "invalid_request", "{bad}: {e}");
        let message = e["error"]["message"].as_str().unwrap();
        assert!(message.len() > 20 && message.ends_with('.'), "{bad}: {message}");
    }
    let as_form = env.http.post(env.url("/_local/clock")).body(r#"{"days": 1}"#);
    let (s, _, e) = answer(as_form).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "not sent as JSON: {e}");
    assert_eq!(clock(&env, None).await.2["days_ahead"], 0);
    assert_eq!(env.stack.clock.time().ahead(), 0);

    // Three days: each swept, in order; the api's clock moved with it.
    let today = OffsetDateTime::now_utc().date();
    let swept = move_ahead(&env, 3).await;
    assert!(one_a_day(&swept, today + Duration::days(1)), "{swept:?}");
    let ann = env.new_customer().await;
    let photo = env.ready_image(&ann, 1901).await;
    let (s, image) = env.get(&format!("/v1/images/{photo}"), &ann).await;
    assert_eq!(s, StatusCode::OK, "{image}");
    let three_days_on = OffsetDateTime::now_utc() + Duration::days(3);
    for stamp in ["created_at", "finalised_at"] {
        let t = when::parse_rfc3339(image[stamp].as_str().unwrap()).unwrap();
        assert!(
            (three_days_on - t).abs() < Duration::minutes(2),
            "{stamp}: {image}"
        );
    }

    // Into the next month, past the 1st: the billing sweep issued Ann's
    // invoice for this month on the 1st.
    let day = swept[2];
    let month = Month::of(day.midnight().assume_utc().unix_timestamp());
    let first = month.next().first_day();
    let swept = move_ahead(&env, (first - day).whole_days() + 1).await;
    assert!(one_a_day(&swept, day + Duration::days(1)), "{swept:?}");
    assert!(swept.contains(&first), "{swept:?}");
    let ann = login(&env, &ann).await;
    let invoices = invoice_list(&env, &ann).await;
    assert_eq!(invoices.len(), 1, "{invoices:?}");
    let inv = &invoices[0];
    assert_eq!(
        (&inv["month"], &inv["issued_on"], &inv["status"]),
        (&json!(month.to_string()), &json!(day_str(first)), &json!("open")),
        "{inv}"
    );

    // Two moves at once take turns: neither's days interleave the other's.
    let from = first + Duration::days(2);
    let (a, b) = tokio::join!(move_pair(&env, 2), move_pair(&env, 3));
    let (early, late) = if a[0] < b[0] { (a, b) } else { (b, a) };
    assert!(one_a_day(&early, from), "{early:?} {late:?}");
    assert!(
        one_a_day(&late, from + Duration::days(early.len() as i64)),
        "{late:?}"
    );
    let (_, _, at) = clock(&env, None).await;
    assert_eq!(at["days_ahead"], (first - today).whole_days() + 6, "{at}");

    // To the invoice's arrears day: Ann's account is locked.
    let arrears_on = parse_day(inv["arrears_on"].as_str().unwrap()).unwrap();
    let last = *late.last().unwrap();
    move_ahead(&env, (arrears_on - last).whole_days()).await;
    let ann = login(&env, &ann).await;
    let (s, body) = env.get("/v1/images", &ann).await;
    assert_eq!(s, StatusCode::PAYMENT_REQUIRED, "{body}");
    let id = inv["invoice_id"].as_str().unwrap();
    assert_eq!(invoice_list(&env, &ann).await[0]["status"], "overdue");

    // Paid at the local checkout, with the clock weeks ahead: unlocked.
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let paid = browser
        .post(env.url("/_local/checkout"))
        .form(&[("reference", id), ("return_url", "/#/invoices")])
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), StatusCode::SEE_OTHER, "{:?}", paid.text().await);
    assert_eq!(env.get_status("/v1/images", &ann).await, StatusCode::OK);
    assert_eq!(invoice_list(&env, &ann).await[0]["status"], "paid");
}

/// [`move_ahead`], for two at once: only the days swept, in order.
async fn move_pair(env: &TestEnv, days: i64) -> Vec<Date> {
    let (s, _, moved) = clock(env, Some(&json!({"days": days}).to_string())).await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    let swept = moved["swept"].as_array().unwrap();
    let swept: Vec<Date> = swept
        .iter()
        .map(|d| parse_day(d.as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(swept.len() as i64, days, "{moved}");
    swept
}

async fn invoice_list(env: &TestEnv, who: &Customer) -> Vec<Value> {
    let (s, list) = env.get("/v1/invoices", who).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list["invoices"].as_array().unwrap().clone()
}
