//! Handler tests fed with the `events/export` fixtures. These cover the
//! messages the function settles without storage; `step.json` needs a job
//! and runs against moto in `tests/tests/export_jobs/` (a step for a job
//! that does not exist, or is not the sender's, changes nothing).

use export::{Config, Exporter};
use printvault_adapters::testing::{failed_ids, names, offline_clients, sqs_event as event};

async fn exporter() -> Exporter {
    Exporter::new(
        &offline_clients().await,
        Config::for_names(&names(), &Default::default(), "nowhere".into(), "nowhere".into()),
    )
}

#[tokio::test]
async fn a_malformed_step_is_reported_so_it_retries_then_reaches_the_dlq() {
    let r = exporter()
        .await
        .handle_batch(event(include_str!("../../../events/export/malformed.json")))
        .await;
    assert_eq!(failed_ids(&r), ["6a1e0c3d-export-malformed-000-000000000002"]);
}

#[tokio::test]
async fn a_forged_export_id_is_refused_before_any_key_is_made_of_it() {
    let r = exporter()
        .await
        .handle_batch(event(include_str!("../../../events/export/forged-id.json")))
        .await;
    assert_eq!(failed_ids(&r), ["6a1e0c3d-export-forged-00000-000000000003"]);
}

#[tokio::test]
async fn each_bad_message_of_a_batch_is_reported_alone() {
    let mut batch = event(include_str!("../../../events/export/malformed.json"));
    batch
        .records
        .extend(event(include_str!("../../../events/export/forged-id.json")).records);
    let mut not_json = batch.records[0].clone();
    not_json.message_id = Some("not-json".into());
    not_json.body = Some("export everything".into());
    batch.records.push(not_json);
    let r = exporter().await.handle_batch(batch).await;
    assert_eq!(
        failed_ids(&r),
        [
            "6a1e0c3d-export-malformed-000-000000000002",
            "6a1e0c3d-export-forged-00000-000000000003",
            "not-json"
        ]
    );
}

#[test]
fn the_fixture_step_parses() {
    let e = event(include_str!("../../../events/export/step.json"));
    let body = e.records[0].body.as_deref().unwrap();
    let m = printvault_domain::export::job::ExportMessage::from_body(body).unwrap();
    assert_eq!(m.step, 0);
}
