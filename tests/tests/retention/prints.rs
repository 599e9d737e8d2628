//! M27: a printable image is kept window by window while it is printed.

use super::*;
use serde_json::json;

/// Records that `copies` of the image were printed on `on`, as a lab's
/// `printed` report does.
pub(super) async fn printed(env: &TestEnv, who: &Customer, id: &str, on: &str, copies: u32) {
    let item = env
        .stack
        .api_state
        .stores
        .images
        .print_record(
            &who.customer_id(),
            &image_id(id),
            &format!("ord_x:{on}"),
            copies,
            format!("{on}T10:00:00Z").parse().unwrap(),
        )
        .unwrap();
    env.stack
        .clients
        .dynamodb
        .transact_write_items()
        .transact_items(item)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_printable_image_is_kept_while_each_window_brings_a_print_and_deleted_after_one_without() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let photo = env.ready_image(&ann, 4401).await;
    let (s, b) = env
        .put(
            &format!("/v1/images/{photo}/class"),
            &ann,
            json!({"class": "printable", "prices": {"L": 150, "2L": 400}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let u = uploaded(&env, &ann, &photo).await;
    // Acted on (its class set): no storage-period notice; M27 from upload.
    let r = sweep(&env, &day(u, 90)).await;
    assert_eq!((r.get("warned"), r.get("rescheduled")), (0, 1), "{r:?}");
    printed(&env, &ann, &photo, &day(u, 200), 1).await;
    assert_eq!(sweep(&env, &day(u, 351)).await.get("rescheduled"), 1);
    assert_eq!(sweep(&env, &day(u, 365)).await.get("rescheduled"), 1);
    let next = record(&env, &ann, &photo).await.unwrap().retention.unwrap();
    assert_eq!(
        (next.step, next.on, next.since),
        (Step::Review, date(u, 365 + 351), date(u, 365))
    );
    // No print in the second window: warned 14 days before its end.
    let r = sweep(&env, &day(u, 716)).await;
    assert_eq!(r.get("warned"), 1, "{r:?}");
    warning_becomes(&env, &ann, &photo, Delivery::Delivered).await;
    assert_eq!(sweep(&env, &day(u, 729)).await.get("deleted"), 0);
    assert_eq!(sweep(&env, &day(u, 730)).await.get("deleted"), 1);
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_print_in_the_warning_period_cancels_the_deletion() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let photo = env.ready_image(&ann, 4402).await;
    let (s, _) = env
        .put(
            &format!("/v1/images/{photo}/class"),
            &ann,
            json!({"class": "printable", "prices": {"L": 150, "2L": 400}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let u = uploaded(&env, &ann, &photo).await;
    sweep(&env, &day(u, 90)).await;
    assert_eq!(sweep(&env, &day(u, 351)).await.get("warned"), 1);
    warning_becomes(&env, &ann, &photo, Delivery::Delivered).await;
    printed(&env, &ann, &photo, &day(u, 355), 2).await;
    let r = sweep(&env, &day(u, 365)).await;
    assert_eq!((r.get("deleted"), r.get("rescheduled")), (0, 1), "{r:?}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
}
