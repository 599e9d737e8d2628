//! What lapses, lapses (issue 7, items 2 and 6): every item that should
//! expire carries the attribute its table's DynamoDB TTL deletes by, set to
//! when it lapses; the local stack enables TTL as the template does. And a
//! pending verification is stored under its code's SHA-256, never the code.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, TimeToLiveStatus};
use integration_tests::{unique_stage, TestEnv};
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

type Item = HashMap<String, AttributeValue>;

async fn scan(env: &TestEnv, table: &str) -> Vec<Item> {
    let out = env
        .stack
        .clients
        .dynamodb
        .scan()
        .table_name(table)
        .send()
        .await
        .expect("scanning a table");
    out.items().to_vec()
}

/// The attribute TTL deletes `table`'s items by, as the stack enabled it.
async fn ttl_attribute(env: &TestEnv, table: &str) -> String {
    let out = env
        .stack
        .clients
        .dynamodb
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .expect("describing TTL");
    let d = out.time_to_live_description().expect("a TTL description");
    assert_eq!(
        d.time_to_live_status(),
        Some(&TimeToLiveStatus::Enabled),
        "{table}"
    );
    d.attribute_name().expect("a TTL attribute").to_owned()
}

fn text<'a>(item: &'a Item, name: &str) -> &'a str {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map_or("", String::as_str)
}

/// `item`'s TTL attribute, checked to be `expected` unix seconds (± 2 min).
fn lapses_at(item: &Item, attribute: &str, expected: i64, what: &str) {
    let at: i64 = item
        .get(attribute)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{what} has no numeric {attribute}: {item:?}"));
    assert!(
        (at - expected).abs() <= 120,
        "{what} lapses at {at}, {} s from the expected {expected}",
        at - expected
    );
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[tokio::test]
async fn a_pending_upload_and_an_invitation_lapse_by_their_tables_ttl() {
    let env = TestEnv::start().await;
    let names = &env.stack.resources.names;
    let settings = printvault_domain::settings::Settings::default();
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);

    let (s, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": 1000}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let id = integration_tests::image_id(up["image_id"].as_str().unwrap());
    let owner = env.owner_id(&ann).await;
    let attribute = ttl_attribute(&env, &names.images_table).await;
    let pending_for =
        settings.uploads.url_ttl_secs as i64 + settings.quotas.pending_upload_grace_hours as i64 * 3600;
    let items = scan(&env, &names.images_table).await;
    for sk in [
        printvault_adapters::keys::image_sk(&id),
        printvault_adapters::keys::pending_upload_sk(&id),
    ] {
        let item = items
            .iter()
            .find(|i| text(i, "pk") == printvault_adapters::keys::customer_pk(&owner) && text(i, "sk") == sk)
            .unwrap_or_else(|| panic!("no item {sk}"));
        lapses_at(item, &attribute, now() + pending_for, &sk);
    }
    let pointer = |items: &[Item], id: &printvault_domain::ids::ImageId| {
        items
            .iter()
            .find(|i| text(i, "pk") == printvault_adapters::keys::image_ref_pk(id))
            .cloned()
            .expect("the ID's pointer to its owner")
    };
    lapses_at(
        &pointer(&items, &id),
        &attribute,
        now() + pending_for,
        "the pointer",
    );
    // A settled upload, and its pointer, no longer lapse.
    let ready = integration_tests::image_id(&env.ready_image(&ann, 7).await);
    let items = scan(&env, &names.images_table).await;
    let record = items
        .iter()
        .find(|i| text(i, "sk") == printvault_adapters::keys::image_sk(&ready))
        .expect("the ready record");
    assert!(!record.contains_key(&attribute), "{record:?}");
    assert!(!pointer(&items, &ready).contains_key(&attribute));

    // An invitation lapses after the default 14 days.
    assert_eq!(settings.quotas.invitation_ttl_days, 14);
    let (_, group) = env.post("/v1/groups", &ann, json!({"name": "Trip"})).await;
    let gid = group["group_id"].as_str().unwrap();
    let (s, b) = env
        .post(
            &format!("/v1/groups/{gid}/invitations"),
            &ann,
            json!({"email": bob.email}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let attribute = ttl_attribute(&env, &names.sharing_table).await;
    let lapsing: Vec<Item> = scan(&env, &names.sharing_table)
        .await
        .into_iter()
        .filter(|i| i.contains_key(&attribute))
        .collect();
    // The invitation is kept under the group and under the address: both
    // lapse, and nothing else does.
    assert_eq!(lapsing.len(), 2, "{lapsing:?}");
    for item in &lapsing {
        assert!(
            text(item, "pk").starts_with("INVITE#") || text(item, "sk").starts_with("INVITE#"),
            "{item:?}"
        );
        lapses_at(item, &attribute, now() + 14 * 86_400, "the invitation");
    }
    let (_, mine) = env.get("/v1/invitations", &bob).await;
    let shown = time::OffsetDateTime::parse(
        mine["invitations"][0]["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(
        (shown.unix_timestamp() - (now() + 14 * 86_400)).abs() <= 120,
        "{mine}"
    );
}

#[tokio::test]
async fn a_pending_verification_is_stored_by_its_codes_digest_and_lapses() {
    let env = TestEnv::start().await;
    let table = &env.stack.resources.names.accounts_table;
    let email = format!("{}@example.com", unique_stage());
    let (s, _) = env
        .post(
            "/v1/accounts",
            None,
            json!({"email": email, "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let code = env.next_mail(&email, 0).await.code().expect("a code in the mail");

    let items = scan(&env, table).await;
    let dump = format!("{items:?}");
    assert!(!dump.contains(&code), "the raw code is stored nowhere");
    let digest = hex::encode(Sha256::digest(code.as_bytes()));
    let pending = items
        .iter()
        .find(|i| text(i, "pk") == format!("VERIFY#{digest}"))
        .expect("the pending registration, under the code's SHA-256");
    let attribute = ttl_attribute(&env, table).await;
    let minutes = printvault_domain::settings::Settings::default()
        .accounts
        .verification_ttl_minutes as i64;
    lapses_at(pending, &attribute, now() + minutes * 60, "the verification");
}
