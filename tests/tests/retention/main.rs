//! M26, M27 retention, end to end against moto: the retention sweep, run
//! for chosen days as its schedule would, sends the storage-period notice
//! at 90 days and deletes 30 days later; keeps printable images window by
//! window while they are printed; and deletes nothing without a warning
//! that SES (locally, its mailbox simulator) confirmed delivered, at least
//! 14 days before. Selecting or editing in the warning period keeps the
//! image; a bounced warning postpones the deletion and is flagged; running
//! a day again changes nothing. A deletion lands only on the record it
//! was decided on, and its audit entry comes with its mark, once.

mod arrears;
mod catch_up;
mod deletion;
mod kept;
mod prints;
mod race;

use integration_tests::{image_id, Customer, TestEnv};
use printvault_adapters::notices::{Delivery, NoticeLedger};
use printvault_domain::billing::day_str;
use printvault_domain::image::Image;
use printvault_domain::notice::NoticeId;
use printvault_domain::retention::Step;
use reqwest::StatusCode;
use sweeps::Sweep;
use time::{Date, Duration};

/// The day `n` days after `from`, `YYYY-MM-DD`.
fn day(from: Date, n: i64) -> String {
    day_str(from + Duration::days(n))
}

/// `n` days after `from`.
fn date(from: Date, n: i64) -> Date {
    from + Duration::days(n)
}

async fn sweep(env: &TestEnv, day: &str) -> sweeps::Report {
    env.stack
        .sweep(Sweep::Retention, local_runner::schedule::day_time(day).unwrap())
        .await
        .expect("the sweep runs")
}

/// The image's record (with its retention schedule).
async fn record(env: &TestEnv, who: &Customer, id: &str) -> Option<Image> {
    env.record(&who.customer_id(), &image_id(id)).await
}

/// The day the image was uploaded (became ready).
async fn uploaded(env: &TestEnv, who: &Customer, id: &str) -> Date {
    let image = record(env, who, id).await.expect("the image");
    image.finalised.expect("finalised").finalised_at.time().date()
}

/// Waits until SES's word on the image's warning is `want`.
async fn warning_becomes(env: &TestEnv, who: &Customer, id: &str, want: Delivery) {
    let image = record(env, who, id).await.expect("the image");
    let schedule = image.retention.expect("a schedule");
    assert_eq!(schedule.step, Step::Delete, "{schedule:?}");
    let notice = NoticeId::parse(schedule.notice_id.as_deref().unwrap()).unwrap();
    let ledger = NoticeLedger::new(
        env.stack.clients.dynamodb.clone(),
        &env.stack.resources.names.accounts_table,
    );
    integration_tests::eventually(30, "the warning's delivery is recorded", || async {
        ledger.delivery(&notice).await.unwrap() == Some(want)
    })
    .await
    .unwrap();
}

async fn status_of(env: &TestEnv, who: &Customer, id: &str) -> StatusCode {
    env.get_status(&format!("/v1/images/{id}"), who).await
}
