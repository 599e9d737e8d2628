//! An export in several parts and several invocations: a small
//! `exports.part_size` forces a part boundary, and an export function that
//! hands over after one entry (as one short of time would) carries on in
//! the next invocation from where it stopped, between parts and within a
//! part (checkpoint and carry in S3). Replayed and forged steps change
//! nothing: no part is written twice.

use integration_tests::{Customer, TestEnv};
use printvault_domain::export::job::{ExportJob, ExportMessage};
use printvault_domain::ids::ExportId;
use reqwest::StatusCode;

use super::{download, post_export, run_to_the_end, unzip};

async fn job(env: &TestEnv, who: &Customer, id: &str) -> ExportJob {
    let stores = &env.stack.api_state.stores;
    let id = ExportId::parse(id).unwrap();
    stores
        .exports
        .get(&who.customer_id(), &id)
        .await
        .unwrap()
        .unwrap()
}

/// The ETags of the export's parts, as the bucket holds them.
async fn etags(env: &TestEnv, job: &ExportJob) -> Vec<String> {
    let mut out = Vec::new();
    for p in job.parts_written() {
        let head = env
            .stack
            .clients
            .s3
            .head_object()
            .bucket(&env.stack.resources.names.photos_bucket)
            .key(&p.key)
            .send()
            .await
            .unwrap();
        out.push(head.e_tag.unwrap_or_default());
    }
    out
}

/// Every image of the export in exactly one part, its SHA-256 checked.
fn every_image_once(parts: &[Vec<u8>], images: &[String]) -> serde_json::Value {
    let read = unzip::read_parts(parts);
    let mut got: Vec<&String> = read["images"].as_object().unwrap().keys().collect();
    got.sort();
    let mut want: Vec<&String> = images.iter().collect();
    want.sort();
    assert_eq!(got, want);
    read
}

#[tokio::test]
async fn parts_split_at_the_part_size_and_steps_carry_on_where_the_last_stopped() {
    let env = TestEnv::with(|o| {
        o.run_exporter = false;
        o.settings.exports.part_bytes = 1 << 20;
        o.export_entries_per_step = Some(1);
    })
    .await;
    let ann = env.new_customer().await;
    let mut photos = Vec::new();
    for seed in [9701, 9702, 9703] {
        photos.push(env.ready_image(&ann, seed).await);
    }
    let (s, view, _) = post_export(&env, &ann, Some("parts")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{view}");
    let id = view["export_id"].as_str().unwrap().to_owned();
    let done = run_to_the_end(&env, &ann, &id).await;
    assert_eq!(
        (done["state"].as_str(), done["parts_total"].as_u64()),
        (Some("done"), Some(3))
    );
    let j = job(&env, &ann, &id).await;
    assert_eq!(j.step, 1, "one hand-over: two parts, then the third");
    let parts = download(&env, &ann, &id).await;
    assert_eq!(parts.len(), 3, "each part at most 1 MiB holds one photo");
    let read = every_image_once(&parts, &photos);
    let manifests = read["manifests"].as_array().unwrap();
    for (n, m) in manifests.iter().enumerate() {
        assert_eq!(
            (m["part"].as_u64(), m["parts"].as_u64()),
            (Some(n as u64 + 1), Some(3))
        );
        assert_eq!(
            m["images"], manifests[0]["images"],
            "every part holds the whole manifest"
        );
    }

    // Every step delivered again, and a stranger's forged step, after the
    // end: nothing is written again.
    let before = etags(&env, &j).await;
    let exports = &env.stack.api_state.stores.export_steps;
    for step in 0..=j.step {
        exports
            .send(&ExportMessage {
                step,
                ..j.first_message()
            })
            .await
            .unwrap();
    }
    let bob = env.new_customer().await;
    let forged = ExportMessage {
        customer_id: bob.customer_id(),
        ..j.first_message()
    };
    exports.send(&forged).await.unwrap();
    while env.stack.export_once(1).await.unwrap() > 0 {}
    assert_eq!(etags(&env, &j).await, before);
    assert_eq!(job(&env, &ann, &id).await, j, "the job is as it was");
}

#[tokio::test]
async fn a_part_paused_between_entries_is_finished_by_the_next_invocation() {
    let env = TestEnv::with(|o| {
        o.run_exporter = false;
        o.export_entries_per_step = Some(1);
    })
    .await;
    let ann = env.new_customer().await;
    let mut photos = Vec::new();
    for seed in [9711, 9712, 9713] {
        photos.push(env.ready_image(&ann, seed).await);
    }
    let (_, view, _) = post_export(&env, &ann, Some("paused")).await;
    let id = view["export_id"].as_str().unwrap().to_owned();
    // The first invocation writes two entries and stops before the third.
    env.stack.export_once(1).await.unwrap();
    let (_, midway) = env.get(&format!("/v1/exports/{id}"), &ann).await;
    assert_eq!(
        (
            midway["state"].as_str(),
            midway["images_done"].as_u64(),
            midway["parts"].as_array().map(Vec::len)
        ),
        (Some("running"), Some(2), Some(0)),
        "{midway}"
    );
    let done = run_to_the_end(&env, &ann, &id).await;
    assert_eq!(
        (done["parts_total"].as_u64(), done["images_done"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(job(&env, &ann, &id).await.step, 1);
    let parts = download(&env, &ann, &id).await;
    every_image_once(&parts, &photos);
}
