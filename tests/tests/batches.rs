//! upload-finalise finalises the uploads of one SQS batch several at a time
//! (issue 10): up to `uploads.finalise_in_flight` messages at once, and never
//! more uploads than its memory budget holds, each reserving its bytes plus
//! what decoding it takes (`printvault_imaging::memory_needed`).

use integration_tests::{sqs_event, testkit, TestEnv};

const MIB: u64 = 1024 * 1024;

/// A stack whose tests hand upload-finalise its batches.
async fn manual(memory_percent: u8) -> TestEnv {
    let env = TestEnv::with(|o| {
        o.run_pollers = false;
        o.settings.uploads.finalise_memory_percent = memory_percent;
    })
    .await;
    // Drop the s3:TestEvent that configuring the notification sent.
    env.drain(&env.stack.resources.uploads_queue_url).await;
    env
}

/// Uploads `photos`, hands upload-finalise their S3 events as one batch, and
/// checks that every one is ready.
async fn finalise_in_one_batch(env: &TestEnv, token: &str, photos: &[Vec<u8>]) {
    let mut ids = Vec::new();
    for p in photos {
        ids.push(env.upload(token, p, "image/jpeg").await);
    }
    let mut bodies = Vec::new();
    for _ in 0..20 {
        bodies.extend(env.drain(&env.stack.resources.uploads_queue_url).await);
        if bodies.len() >= photos.len() {
            break;
        }
    }
    assert_eq!(bodies.len(), photos.len(), "{bodies:?}");
    let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let r = env.stack.finaliser.handle_batch(sqs_event(&bodies)).await;
    assert!(r.batch_item_failures.is_empty(), "{:?}", r.batch_item_failures);
    for id in &ids {
        assert_eq!(env.settled(token, id).await["status"], "ready", "{id}");
    }
}

/// What one upload reserves.
fn reservation(photo: &[u8]) -> u64 {
    let settings = printvault_domain::settings::Settings::default();
    let u = &settings.uploads;
    let limits = printvault_imaging::Limits {
        max_bytes: u.max_bytes,
        max_pixels: u.max_pixels,
        max_width: u.max_width,
        max_height: u.max_height,
        max_alloc: u.max_alloc_bytes,
    };
    let renditions = printvault_imaging::Renditions::default();
    photo.len() as u64 + printvault_imaging::memory_needed(photo, &limits, &renditions).unwrap()
}

#[tokio::test]
async fn a_batch_runs_several_uploads_at_once_and_never_more_than_the_memory_budget_holds() {
    // 10 % of 1536 MB: about 150 MiB, for uploads of about 45 MiB each, so
    // three fit at once and the fourth of the four in flight waits.
    let env = manual(10).await;
    let token = env.customer().await;
    let photos: Vec<Vec<u8>> = (0..5)
        .map(|i| testkit::photo_jpeg(4000, 3000, 7100 + i))
        .collect();
    let each = photos.iter().map(|p| reservation(p)).min().unwrap();
    let budget = env.stack.finaliser.budget().clone();
    assert!(
        3 * each <= budget.total_bytes() && 4 * each > budget.total_bytes(),
        "{} MiB each of {} MiB",
        each / MIB,
        budget.total_bytes() / MIB
    );
    finalise_in_one_batch(&env, &token, &photos).await;
    let peak = budget.peak_bytes();
    assert!(peak <= budget.total_bytes(), "{peak} over the budget");
    assert!(
        peak >= 2 * each,
        "uploads ran together: the peak was {} MiB",
        peak / MIB
    );
}

#[tokio::test]
async fn one_at_a_time_when_the_setting_says_so() {
    let env = TestEnv::with(|o| {
        o.run_pollers = false;
        o.settings.uploads.finalise_in_flight = 1;
    })
    .await;
    env.drain(&env.stack.resources.uploads_queue_url).await;
    let token = env.customer().await;
    let photos: Vec<Vec<u8>> = (0..3).map(|i| testkit::photo_jpeg(1200, 900, 7200 + i)).collect();
    let most = photos.iter().map(|p| reservation(p)).max().unwrap();
    finalise_in_one_batch(&env, &token, &photos).await;
    let peak = env.stack.finaliser.budget().peak_bytes();
    assert!(
        peak <= most + 1024,
        "one upload's reservation at a time: {peak} > {most}"
    );
}
