//! The move's requests per image (M32): a written disc of `n` images,
//! each a ready record with its original online and metered, moved by
//! print-dispatch's own `move_disc`; moto counts every request it served.
//!
//! Per image: the claim (`UpdateItem`), the original's class
//! (`HeadObject`), its `CopyObject` to the archive class, and the
//! `archived` mark: a consistent `GetItem` of the record's meter mark, a
//! `GetItem` of the owner's meter, and one `TransactWriteItems` (the mark
//! and the meter's archive tier). Per disc: the order and its disc record
//! (`GetItem` each), the records (two `BatchGetItem`s per 100 images: the
//! owners by image ID, then the records) and the schedule freed
//! (`UpdateItem`).

use integration_tests::{ready_image_record, TestEnv};
use printvault_adapters::billing::{BillingStore, MeterRecord};
use printvault_adapters::dynamo::item_with_key;
use printvault_adapters::keys;
use printvault_domain::access::Class;
use printvault_domain::billing::{Meter, Month};
use printvault_domain::ids::{CustomerId, OrderId, ProposalId, QuoteId};
use printvault_domain::lab_report::disc::{DiscRecord, DiscStage};
use printvault_domain::order::Order;
use printvault_domain::when::Timestamp;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Instant;

/// Bytes of each original: small, since the count of requests is measured.
const ORIGINAL: usize = 4096;

type Counts = BTreeMap<String, u64>;

/// A written disc of `n` images of a new customer; returns its order.
async fn written_disc(env: &TestEnv, n: usize) -> OrderId {
    let names = &env.stack.resources.names;
    let owner = CustomerId::generate();
    let mut records = Vec::new();
    let mut ids = Vec::new();
    for i in 0..n {
        let mut image = ready_image_record(&owner, Class::Private, Default::default());
        if let Some(f) = image.finalised.as_mut() {
            f.bytes = ORIGINAL as u64;
        }
        env.stack
            .clients
            .s3
            .put_object()
            .bucket(&names.photos_bucket)
            .key(keys::original_key(&owner, &image.id))
            .body(vec![(i % 251) as u8; ORIGINAL].into())
            .send()
            .await
            .expect("an original");
        ids.push(image.id.to_string());
        let mut item = item_with_key(&image, keys::customer_pk(&owner), keys::image_sk(&image.id)).unwrap();
        item.insert(
            "metered".into(),
            aws_sdk_dynamodb::types::AttributeValue::N("0".into()),
        );
        records.push(item);
        // The image's owner by its ID, as an upload writes it.
        let mut owner_ref =
            printvault_adapters::dynamo::key(keys::image_ref_pk(&image.id), keys::IMAGE_REF_SK);
        owner_ref.insert("owner".into(), printvault_adapters::dynamo::s(owner.as_str()));
        records.push(owner_ref);
    }
    env.load_items(&names.images_table, records, "images").await;
    let now = time::OffsetDateTime::now_utc();
    let month = Month::of(now.unix_timestamp());
    let mut meter = Meter::starting(month.start());
    meter.change(month.start(), (n * ORIGINAL) as i64).unwrap();
    meter.images = n as u32;
    BillingStore::new(
        env.stack.clients.dynamodb.clone(),
        &names.billing_table,
        &names.images_table,
        &Default::default(),
    )
    .seed_meter(&MeterRecord {
        customer: owner.clone(),
        meter,
        rev: 0,
    })
    .await
    .unwrap();
    let order_id = OrderId::generate();
    let at = Timestamp::at(now).to_string();
    let order: Order = serde_json::from_value(json!({
        "order_id": order_id, "quote_id": QuoteId::generate(),
        "buyer": {"kind": "customer", "customer_id": owner},
        "email": "bench@example.com", "address": integration_tests::orders::address(),
        "location": "tokyo-shibuya", "lab_id": "benchlab", "medium": "dvd", "lines": [],
        "medium_fee": 500, "total": 500, "points_earned": 5, "points_redeemed": 0, "amount_due": 500,
        "status": "dispatched", "created_at": at,
        "archive": {"proposal_id": ProposalId::generate(), "disc": "dvd", "images": ids,
                    "bytes": n * ORIGINAL, "sectors": 0}
    }))
    .expect("an order");
    let pk = format!("ORDER#{order_id}");
    let disc = DiscRecord {
        stage: DiscStage::Written,
        image_sha256: Some("0".repeat(64)),
        at: Timestamp::at(now),
    };
    let items = vec![
        item_with_key(&order, pk.clone(), "ORDER".into()).unwrap(),
        item_with_key(&disc, pk, "DISC".into()).unwrap(),
    ];
    env.load_items(&names.orders_table, items, "the order").await;
    order_id
}

/// Moves a written disc of `n` images; prints a row and returns the
/// requests per image moved.
pub async fn measure(env: &TestEnv, n: usize) -> f64 {
    let order = written_disc(env, n).await;
    env.moto_counter::<Counts>("calls", true).await;
    let t0 = Instant::now();
    let moved = env
        .stack
        .dispatcher
        .move_disc(&order, time::OffsetDateTime::now_utc())
        .await
        .expect("the move runs");
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(moved.moved, n, "{moved:?}");
    let c: Counts = env.moto_counter("calls", false).await;
    let get = |k: &str| c.get(k).copied().unwrap_or(0);
    let ddb = |op: &str| get(&format!("DynamoDB_20120810.{op}"));
    let requests: u64 = c
        .iter()
        // Each request once: not moto's item count, nor S3's by bucket.
        .filter(|(k, _)| !k.starts_with("DynamoDB.") && !k.contains(' '))
        .map(|(_, v)| v)
        .sum();
    let per = requests as f64 / n as f64;
    println!(
        "| {n} | {} | {} | {} | {} | {} | {} | {requests} | {per:.2} | {secs:.1} |",
        get("s3:HEAD"),
        get("s3:COPY"),
        ddb("UpdateItem"),
        ddb("GetItem"),
        ddb("TransactWriteItems"),
        ddb("BatchGetItem"),
    );
    assert_eq!(get("s3:COPY"), n as u64, "one CopyObject per image");
    per
}
