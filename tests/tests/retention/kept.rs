//! M26: what the warning period allows: acting on the image keeps it, and
//! a warning that did not arrive postpones the deletion.

use super::*;
use serde_json::json;

#[tokio::test]
async fn selecting_or_editing_in_the_warning_period_keeps_the_image() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (kept, edited) = (
        env.ready_image(&ann, 4201).await,
        env.ready_image(&ann, 4202).await,
    );
    let u = uploaded(&env, &ann, &kept).await;
    let r = sweep(&env, &day(u, 90)).await;
    assert_eq!(r.get("warned"), 2, "{r:?}");
    // One email names both.
    let mail = env.next_mail(&ann.email, 1).await;
    assert!(
        mail.subject.starts_with("2 of your printvault photos"),
        "{}",
        mail.subject
    );
    let (s, b) = env
        .patch(&format!("/v1/images/{kept}"), &ann, json!({"selected": true}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = env
        .patch(
            &format!("/v1/images/{edited}"),
            &ann,
            json!({"attributes": {"keywords": ["harbour"]}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    warning_becomes(&env, &ann, &kept, Delivery::Delivered).await;

    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!((r.get("deleted"), r.get("kept")), (0, 1), "{r:?}");
    assert_eq!(status_of(&env, &ann, &kept).await, StatusCode::OK);
    assert_eq!(status_of(&env, &ann, &edited).await, StatusCode::OK);
    assert!(
        record(&env, &ann, &kept).await.unwrap().retention.is_none(),
        "selected: kept for good"
    );
    // The edited one starts a new keep period (t = 180 days) from today.
    let next = record(&env, &ann, &edited).await.unwrap().retention.unwrap();
    assert_eq!((next.step, next.on), (Step::Review, date(u, 120 + 166)));
}

#[tokio::test]
async fn a_bounced_warning_postpones_the_deletion_and_is_flagged_for_an_operator() {
    let env = TestEnv::start().await;
    let email = format!("{}+bounce@example.com", integration_tests::unique_stage());
    env.register_verified(&email, "correct horse battery").await;
    let (s, session) = env
        .post(
            "/v1/sessions",
            None,
            json!({"email": email, "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{session}");
    let token = session["token"].as_str().unwrap().to_owned();
    let me = env.me(&token).await;
    let bob = Customer {
        token,
        id: me["customer_id"].as_str().unwrap().to_owned(),
        email,
    };
    let photo = env.ready_image(&bob, 4301).await;
    let u = uploaded(&env, &bob, &photo).await;
    assert_eq!(sweep(&env, &day(u, 90)).await.get("warned"), 1);
    warning_becomes(&env, &bob, &photo, Delivery::Bounced).await;
    // An operator sees the flag: which notice, whose account, which address.
    let notice = record(&env, &bob, &photo)
        .await
        .unwrap()
        .retention
        .unwrap()
        .notice_id
        .unwrap();
    let flag = flag_of(&env, &notice).await;
    assert_eq!(flag["customer_id"], bob.id.as_str(), "{flag}");
    assert_eq!(flag["address"], bob.email.as_str(), "{flag}");
    assert_eq!(flag["kind"], "bounced", "{flag}");
    assert!(
        printvault_domain::when::parse_rfc3339(flag["at"].as_str().unwrap()).is_some(),
        "{flag}"
    );
    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!((r.get("deleted"), r.get("deletions_postponed")), (0, 1), "{r:?}");
    assert_eq!(status_of(&env, &bob, &photo).await, StatusCode::OK);
    let next = record(&env, &bob, &photo).await.unwrap().retention.unwrap();
    assert_eq!((next.step, next.on), (Step::Delete, date(u, 150)));
}

/// The operator's view of the flag of `notice` (`GET /v1/operator/mail-flags`,
/// a page of one at a time), once the notifier has written it.
async fn flag_of(env: &TestEnv, notice: &str) -> serde_json::Value {
    let operator = |path: String| {
        env.http
            .get(env.url(&path))
            .header("x-operator-key", integration_tests::OPERATOR_KEY)
            .send()
    };
    let cell = std::cell::RefCell::new(None);
    let found = &cell;
    integration_tests::eventually(30, "the bounce is flagged", || async move {
        let mut cursor: Option<String> = None;
        loop {
            let mut path = "/v1/operator/mail-flags?limit=1".to_owned();
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let res = operator(path).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let page: serde_json::Value = res.json().await.unwrap();
            let flags = page["flags"].as_array().unwrap();
            assert!(flags.len() <= 1, "{page}");
            if let Some(f) = flags.iter().find(|f| f["notice_id"] == notice) {
                *found.borrow_mut() = Some(f.clone());
                return true;
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return false,
            }
        }
    })
    .await
    .unwrap();
    // Only for operators.
    let res = env
        .http
        .get(env.url("/v1/operator/mail-flags"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    cell.into_inner().unwrap()
}
