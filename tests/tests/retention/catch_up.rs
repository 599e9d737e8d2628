//! Issue 18, item 9: a notice that fell due while the sweep did not run
//! (longer than `sweeps.catch_up_days`) is sent when it next runs, with
//! its full period to act from then.

use super::*;

#[tokio::test]
async fn a_notice_due_weeks_before_the_sweep_came_back_is_sent_with_its_full_period() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let photo = env.ready_image(&ann, 4501).await;
    let u = uploaded(&env, &ann, &photo).await;
    // The sweep runs on day 10, then not until day 130: the notice fell
    // due on day 90, 40 days before.
    assert!(sweep(&env, &day(u, 10)).await.counts.is_empty());
    let r = sweep(&env, &day(u, 130)).await;
    assert_eq!(r.get("warned"), 1, "{r:?}");
    let mail = env.next_mail(&ann.email, 1).await;
    assert!(mail.subject.contains(&day(u, 160)), "{}", mail.subject);
    assert!(mail.body.contains(&photo), "{}", mail.body);
    let next = record(&env, &ann, &photo).await.unwrap().retention.unwrap();
    assert_eq!((next.step, next.on), (Step::Delete, date(u, 160)));
    assert!(sweep(&env, &day(u, 130)).await.counts.is_empty());

    warning_becomes(&env, &ann, &photo, Delivery::Delivered).await;
    assert!(sweep(&env, &day(u, 159)).await.counts.is_empty());
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
    // Down again over the deletion day: the next run deletes it.
    let r = sweep(&env, &day(u, 200)).await;
    assert_eq!(r.get("deleted"), 1, "{r:?}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::NOT_FOUND);
}
