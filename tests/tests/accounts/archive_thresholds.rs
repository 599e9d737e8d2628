//! M29: a customer's own archive thresholds, which only tighten the
//! operator's.

use super::*;

const GIB: u64 = 1 << 30;

#[tokio::test]
async fn a_customer_tightens_the_archive_thresholds_and_cannot_loosen_them() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let path = "/v1/profile/archive-thresholds";

    let (s, b) = env.get(path, &ann.token).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        b,
        json!({"own": {}, "applied": {"max_stored_bytes": 10 * GIB, "max_images": 5000, "max_age_years": 3}})
    );

    for bad in [
        json!({"max_images": 5001}),
        json!({"max_stored_bytes": 0}),
        json!({"max_age_years": 4}),
        json!({"yearly_on": {"month": 2, "day": 30}}),
        json!({"yearly_on": {"month": 0, "day": 1}}),
        json!({"max_images": "many"}),
        json!({"surprise": true}),
    ] {
        let (s, b) = env.put(path, &ann.token, bad.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
        assert!(
            b["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{b}"
        );
    }
    let (_, unchanged) = env.get(path, &ann.token).await;
    assert_eq!(unchanged["own"], json!({}), "a refused change changes nothing");

    let own = json!({"max_stored_bytes": 2 * GIB, "max_age_years": 1, "yearly_on": {"month": 2, "day": 29}});
    let (s, b) = env.put(path, &ann.token, own.clone()).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let applied = json!({"max_stored_bytes": 2 * GIB, "max_images": 5000, "max_age_years": 1, "yearly_on": {"month": 2, "day": 29}});
    assert_eq!(b, json!({"own": own, "applied": applied}));
    let (_, read) = env.get(path, &ann.token).await;
    assert_eq!(read, b, "stored as answered");

    // Another customer's are their own; without a session, nothing.
    let bob = env.new_customer().await;
    let (_, theirs) = env.get(path, &bob.token).await;
    assert_eq!(theirs["own"], json!({}));
    let (s, _) = env.get(path, None::<&str>).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = env.put(path, None::<&str>, json!({})).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
