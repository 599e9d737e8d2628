//! M31 and M32's first half, against moto: a paid archive disc becomes one
//! documented disc job on its lab's FIFO queue. Its manifest (fetched by
//! its presigned URL, its length and SHA-256 as the job says) lists every
//! original still there with its own URL, length and SHA-256; the index
//! sheet (a PDF, and a PNG of each page) and the label (a PNG 120 mm at
//! 300 dpi) were drawn when it was paid and stored under the order. The
//! lab reports the disc `accepted`, then `written` once, as one image.

use super::order::proposed;
use super::*;
use integration_tests::orders::{address, matches_schema, matches_schema_def};
use printvault_domain::order::OrderStatus;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Fetches `f` (`{url, bytes, sha256}`) and checks it is what it says.
async fn fetched(f: &Value) -> Vec<u8> {
    let body = reqwest::get(f["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert_eq!(body.len() as u64, f["bytes"].as_u64().unwrap(), "{f}");
    assert_eq!(hex::encode(Sha256::digest(&body)), f["sha256"], "{f}");
    body
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let at = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (at(16), at(20))
}

/// A proposal of ann's (its email checked, and the proposal acknowledged),
/// its CD ordered without the fourth photo from lab `lab` at `location`,
/// paid, and dispatched. Returns the order, the lab's
/// key, the images on the disc, and ann.
pub(super) async fn dispatched_disc(
    env: &TestEnv,
    lab: &str,
    location: &str,
) -> (String, String, Value, integration_tests::Customer) {
    let key = env.lab(lab, &[location]).await;
    let (ann, ids, pid) = proposed(env).await;
    // The proposal is emailed, and acknowledged: every photo with its
    // thumbnail and bytes.
    let mailed = super::proposals_mailed(env, &ann).await;
    assert_eq!(mailed.len(), 1, "one proposal email");
    assert!(mailed[0].body.contains(pid.as_str()), "{}", mailed[0].body);
    let (s, shown) = env.get(&format!("/v1/archive/proposals/{pid}"), &ann.token).await;
    assert_eq!(s, StatusCode::OK, "{shown}");
    let images = shown["images"].as_array().unwrap();
    assert!(
        images
            .iter()
            .all(|i| i["thumbnail_url"].is_string() && i["bytes"].as_u64() > Some(0)),
        "{shown}"
    );
    let (s, q) = env
        .post(
            &format!("/v1/archive/proposals/{pid}/quote"),
            &ann.token,
            json!({"disc": "cd", "location": location, "without": [ids[3]]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let on_disc = q["archive"]["images"].clone();
    assert_eq!(on_disc, json!([ids[0], ids[2]]), "{q}");
    let placed = env
        .order(
            &ann.token,
            Some("disc-1"),
            &json!({"quote_id": q["quote_id"], "address": address()}),
        )
        .await;
    let order = placed.body["order_id"].as_str().unwrap().to_owned();
    let (s, b) = env
        .pay_as(&order, 300, &format!("wh-{order}"), &format!("pay-{order}"))
        .await;
    assert_eq!(s, 200, "{b}");
    integration_tests::eventually(60, "the disc is dispatched", || async {
        env.stored_order(&order).await.0.status == OrderStatus::Dispatched
    })
    .await
    .unwrap();
    (order, key, on_disc, ann)
}

#[tokio::test]
async fn a_paid_disc_goes_to_its_lab_as_one_documented_disc_job() {
    let env = env().await;
    let (order, key, on_disc, _) = dispatched_disc(&env, "disclab3", "tokyo-shibuya").await;
    let queue = env.lab_queue_url("disclab3").await;
    let bodies = env.drain(&queue).await;
    let [body] = &bodies[..] else {
        panic!("one disc job: {bodies:?}")
    };
    matches_schema(body).unwrap_or_else(|e| panic!("not a documented lab job: {e}\n{body}"));
    let job: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (&job["kind"], &job["sku"], &job["job_id"]),
        (&json!("disc"), &json!("disc-cd"), &json!(format!("{order}:disc")))
    );
    assert_eq!(job["disc"]["files"], 2);
    assert_eq!(job["disc"]["capacity_bytes"], 360_000u64 * 2048);

    let manifest = fetched(&job["manifest"]).await;
    let manifest_text = String::from_utf8(manifest).unwrap();
    matches_schema_def(&manifest_text, Some("disc_manifest"))
        .unwrap_or_else(|e| panic!("not a documented manifest: {e}\n{manifest_text}"));
    let m: Value = serde_json::from_str(&manifest_text).unwrap();
    let listed: Vec<_> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["image_id"].clone())
        .collect();
    assert_eq!(Value::from(listed), on_disc);
    for f in m["files"].as_array().unwrap() {
        let original = fetched(f).await;
        assert_eq!(&original[..3], b"\xff\xd8\xff", "the original as uploaded");
        assert!(f["path"].as_str().unwrap().starts_with("photos/"), "{f}");
        assert_eq!(f["attributes"]["taken_at"], "2020-05-01T10:00:00", "{f}");
    }
    let pdf = fetched(&m["sheet"]["pdf"]).await;
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = m["sheet"]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 1, "two photos fit one page");
    let (w, h) = png_size(&fetched(&pages[0]).await);
    assert!(h > w && w > 1000, "an A4 page: {w}x{h}");
    let label = fetched(&m["label"]).await;
    assert_eq!(png_size(&label), (1417, 1417), "120 mm at 300 dpi");

    // The lab reports the disc: accepted, then written once, as one image.
    let sha = hex::encode(Sha256::digest(b"the disc image"));
    let other = hex::encode(Sha256::digest(b"another image"));
    let stranger = env.lab("disclab4", &["osaka-umeda"]).await;
    for (who, body, status, says) in [
        (
            &key,
            json!({"stage": "written", "image_sha256": "ABC"}),
            400,
            "SHA-256",
        ),
        (&key, json!({"stage": "burnt"}), 400, "stage"),
        (&stranger, json!({"stage": "accepted"}), 404, "job"),
        (&key, json!({"stage": "accepted"}), 200, ""),
        (&key, json!({"stage": "accepted"}), 200, ""),
        (&key, json!({"stage": "written", "image_sha256": sha}), 200, ""),
        (&key, json!({"stage": "written", "image_sha256": sha}), 200, ""),
        (
            &key,
            json!({"stage": "written", "image_sha256": other}),
            409,
            "written once",
        ),
        (&key, json!({"stage": "accepted"}), 409, "cannot become accepted"),
    ] {
        let (s, b) = report_disc(&env, who, &order, body.clone()).await;
        assert_eq!(s.as_u16(), status, "{body}: {b}");
        if status != 200 {
            assert!(
                b["error"]["message"].as_str().unwrap().contains(says),
                "{body}: {b}"
            );
        }
    }
    let (_, b) = report_disc(
        &env,
        &key,
        &order,
        json!({"stage": "written", "image_sha256": sha}),
    )
    .await;
    assert_eq!(
        (&b["stage"], &b["image_sha256"]),
        (&json!("written"), &json!(sha)),
        "{b}"
    );
    // A print order is no disc job.
    let (s, _) = report_disc(
        &env,
        &key,
        "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
        json!({"stage": "accepted"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// `POST` a disc report on `order` with lab key `key`.
async fn report_disc(env: &TestEnv, key: &str, order: &str, body: Value) -> (StatusCode, Value) {
    let res = env
        .http
        .post(env.url(&format!("/v1/lab/orders/{order}/disc/reports")))
        .header("x-lab-key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}
