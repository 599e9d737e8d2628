//! The full export (X3) end to end, against moto: `POST /v1/exports` (once
//! per `Idempotency-Key`, one running per customer), the `export` function
//! driven from its queue as Lambda would, the email through the notifier,
//! `GET /v1/exports/{id}/urls`, and every part downloaded and opened with
//! Python's `zipfile`: every SHA-256 matches, every XMP sidecar parses and
//! says what the api says, and the manifest validates against
//! `docs/export.schema.json`. `handovers.rs` forces part boundaries and
//! hand-overs between invocations.

#[path = "../export_prepare/schema.rs"]
mod schema;
#[path = "../export_prepare/setup.rs"]
mod setup;

mod ends;
mod handovers;
mod unzip;

use integration_tests::{Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// `POST /v1/exports` as `who` with `key` (none: no header): status,
/// body, and whether it was a replay.
pub async fn post_export(env: &TestEnv, who: &Customer, key: Option<&str>) -> (StatusCode, Value, bool) {
    let mut req = env.http.post(env.url("/v1/exports")).bearer_auth(&who.token);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let res = req.send().await.expect("the api answers");
    let replayed = res.headers().get("idempotent-replayed").is_some();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null), replayed)
}

/// Drives the export function from its queue (as Lambda would) until
/// `who`'s export `id` is finished; its view.
pub async fn run_to_the_end(env: &TestEnv, who: &Customer, id: &str) -> Value {
    for _ in 0..50 {
        let (s, view) = env.get(&format!("/v1/exports/{id}"), who).await;
        assert_eq!(s, StatusCode::OK, "{view}");
        if view["state"] == "done" || view["state"] == "failed" {
            return view;
        }
        env.stack.export_once(1).await.expect("the export function runs");
    }
    panic!("export {id} did not finish in 50 batches");
}

/// Every part of `who`'s finished export `id`, downloaded through fresh URLs.
pub async fn download(env: &TestEnv, who: &Customer, id: &str) -> Vec<Vec<u8>> {
    let (s, urls) = env.get(&format!("/v1/exports/{id}/urls"), who).await;
    assert_eq!(s, StatusCode::OK, "{urls}");
    let mut parts = Vec::new();
    for (n, p) in urls["parts"].as_array().expect("parts").iter().enumerate() {
        assert_eq!(p["part"], n + 1);
        let res = env
            .http
            .get(p["url"].as_str().expect("a url"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap().to_vec();
        assert_eq!(Some(bytes.len() as u64), p["bytes"].as_u64());
        parts.push(bytes);
    }
    parts
}

/// What the sidecar should say of an image, from the api's own view of it.
fn expected_facts(image: &Value) -> Value {
    let a = &image["attributes"];
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|x| x.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let (people, keywords) = (strings(&a["people"]), strings(&a["keywords"]));
    let mut tags: Vec<String> = people.iter().map(|p| format!("People/{p}")).collect();
    tags.extend(a["event"].as_str().map(|e| format!("Events/{e}")));
    tags.extend(a["place"]["name"].as_str().map(|p| format!("Places/{p}")));
    tags.extend(keywords.iter().cloned());
    let gps = |k: &str, pos, neg| {
        a["place"][k]
            .as_f64()
            .map(|v| printvault_domain::xmp::gps(v, pos, neg))
    };
    json!({
        "subject": keywords,
        "taken": a["taken_at"],
        "lat": gps("latitude", 'N', 'S'),
        "lon": gps("longitude", 'E', 'W'),
        "tags": tags,
        "class": image["class"],
        "price_l": image["prices"]["L"].as_i64().map(|p| p.to_string()),
        "id": image["image_id"],
    })
}

#[tokio::test]
async fn a_customer_takes_everything_with_them_and_a_stranger_sees_nothing() {
    let acc = setup::accounts_with(|o| o.run_exporter = false).await;
    let (env, ann, bob) = (&acc.env, &acc.ann, &acc.bob);

    let (s, body, _) = post_export(env, ann, None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].to_string().contains("Idempotency-Key"), "{body}");
    let (s, first, replayed) = post_export(env, ann, Some("export-1")).await;
    assert_eq!(
        (s, first["state"].as_str(), replayed),
        (StatusCode::ACCEPTED, Some("queued"), false)
    );
    let id = first["export_id"].as_str().expect("an export ID").to_owned();
    let (s, again, replayed) = post_export(env, ann, Some("export-1")).await;
    assert_eq!(
        (s, &again["export_id"], replayed),
        (StatusCode::ACCEPTED, &first["export_id"], true)
    );
    let (s, busy, _) = post_export(env, ann, Some("export-2")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{busy}");
    assert!(
        busy.to_string().contains(&id),
        "the 409 names the running export: {busy}"
    );
    let (s, early) = env.get(&format!("/v1/exports/{id}/urls"), ann).await;
    assert_eq!(s, StatusCode::CONFLICT, "no links before it is done: {early}");
    // Bob cannot see it, or mint its links, or tell it from nothing.
    for path in [format!("/v1/exports/{id}"), format!("/v1/exports/{id}/urls")] {
        let (s, b) = env.get(&path, bob).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {b}");
    }

    let before = env.mails_to(&ann.email).await.len();
    let view = run_to_the_end(env, ann, &id).await;
    assert_eq!(view["state"], "done", "{view}");
    assert_eq!(
        (view["images_total"].as_u64(), view["images_done"].as_u64()),
        (Some(3), Some(3))
    );
    let mail = env.next_mail(&ann.email, before).await;
    assert_eq!(mail.subject, "Your printvault export is ready");
    assert!(
        mail.body.contains(&format!("/v1/exports/{id}/urls")),
        "{}",
        mail.body
    );
    assert!(!mail.body.contains("X-Amz"), "the link carries no secret");

    let parts = download(env, ann, &id).await;
    assert_eq!(parts.len(), 1);
    let read = unzip::read_parts(&parts);
    let manifest = &read["manifests"][0];
    assert!(
        schema::errors(manifest).is_empty(),
        "{:?}",
        schema::errors(manifest)
    );
    assert_eq!(
        (manifest["export_id"].as_str(), manifest["part"].as_u64()),
        (Some(id.as_str()), Some(1))
    );
    let sidecars = read["images"].as_object().expect("images");
    assert_eq!(sidecars.len(), 3);
    for photo in &acc.photos {
        let (s, image) = env.get(&format!("/v1/images/{photo}"), ann).await;
        assert_eq!(s, StatusCode::OK);
        let mut got = sidecars[photo.as_str()].clone();
        got.as_object_mut().expect("facts").remove("description");
        assert_eq!(
            got,
            expected_facts(&image),
            "{photo}'s sidecar says what the api says"
        );
    }
    let text = manifest.to_string();
    assert!(text.contains(&acc.order) && text.contains(&acc.album) && text.contains(&acc.group));
    assert!(!manifest["invoices"].as_array().expect("invoices").is_empty());
    assert!(!text.contains(&acc.link_token), "never a link's token");
    for theirs in &acc.bobs {
        assert!(!text.contains(theirs.as_str()), "nothing of Bob's: {theirs}");
    }

    // Done, the next export may start; the first key still answers the first.
    let (s, next, _) = post_export(env, ann, Some("export-2")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{next}");
    assert_ne!(next["export_id"], first["export_id"]);
    let (_, replay, replayed) = post_export(env, ann, Some("export-1")).await;
    assert_eq!(
        (&replay["export_id"], replay["state"].as_str(), replayed),
        (&first["export_id"], Some("done"), true)
    );
    let (s, list) = env.get("/v1/exports?limit=1", ann).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        list["exports"][0]["export_id"], next["export_id"],
        "newest first: {list}"
    );
    let cursor = list["next_cursor"].as_str().expect("a second page");
    let (_, second) = env
        .get(&format!("/v1/exports?limit=1&cursor={cursor}"), ann)
        .await;
    assert_eq!(second["exports"][0]["export_id"], first["export_id"]);
    let (_, bobs) = env.get("/v1/exports", bob).await;
    assert_eq!(bobs["exports"], json!([]), "{bobs}");
}

/// `events/export/step.json` names an export nobody has: handled (not
/// retried), and nothing is written.
#[tokio::test]
async fn the_fixture_step_of_an_export_nobody_has_changes_nothing() {
    let env = TestEnv::with(|o| o.run_exporter = false).await;
    let event: aws_lambda_events::sqs::SqsEvent =
        serde_json::from_str(include_str!("../../../events/export/step.json")).unwrap();
    let r = env.stack.exporter.handle_batch(event).await;
    assert!(r.batch_item_failures.is_empty());
    assert!(env.keys("exports/").await.is_empty());
}
