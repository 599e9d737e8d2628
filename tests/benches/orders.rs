//! Orders cost model (issue 8): the AWS requests one order makes, through
//! quote, order, payment (settle) and dispatch, for a 1-line and a 20-line
//! order, counted by the serialised moto server (`/_printvault/calls`):
//! request counts are stable where moto's timings are not.
//!
//! `make bench-orders` (`cargo bench -p integration-tests --bench orders`)
//! prints the table recorded in docs/benchmarks.md. Under `cargo test` the
//! same run checks the goals: a quote reads its images in batches
//! (≤ 1 + lines/100 BatchGetItem per image hop), placing and settling are
//! one transaction each, and dispatch sends ten jobs a request.

use integration_tests::{ready_image_record, TestEnv};
use printvault_domain::access::Class;
use printvault_domain::ids::CustomerId;
use printvault_domain::image::Attributes;
use serde_json::{json, Value};
use std::collections::BTreeMap;

type Counts = BTreeMap<String, u64>;

async fn calls(env: &TestEnv, reset: bool) -> Counts {
    env.moto_counter("calls", reset).await
}

/// Requests of one phase, by kind.
#[derive(Debug, Default, Clone, Copy)]
struct Kinds {
    reads: u64,
    batch_gets: u64,
    transactions: u64,
    writes: u64,
    sqs_sends: u64,
    sqs_batches: u64,
}

fn kinds(c: &Counts) -> Kinds {
    let n = |op: &str| c.get(op).copied().unwrap_or(0);
    let ddb = |op: &str| n(&format!("DynamoDB_20120810.{op}"));
    Kinds {
        reads: ddb("GetItem") + ddb("BatchGetItem") + ddb("Query"),
        batch_gets: ddb("BatchGetItem"),
        transactions: ddb("TransactWriteItems"),
        writes: ddb("PutItem") + ddb("UpdateItem") + ddb("DeleteItem"),
        sqs_sends: n("AmazonSQS.SendMessage") + n("AmazonSQS.SendMessageBatch"),
        sqs_batches: n("AmazonSQS.SendMessageBatch"),
    }
}

#[tokio::main]
async fn main() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    env.lab("bench-lab", &["bench-store"]).await;
    let ann = env.new_customer().await;
    let olive = CustomerId::generate();
    let images = &env.stack.api_state.stores.images;
    let mut mine = Vec::new();
    let mut theirs = Vec::new();
    for i in 0..20 {
        let own = ready_image_record(&ann.customer_id(), Class::Private, Attributes::default());
        let stranger = ready_image_record(&olive, Class::Printable, Attributes::default());
        images.put_pending(&own).await.unwrap();
        images.put_pending(&stranger).await.unwrap();
        // A stranger's original goes to the lab as a copy without its
        // location, which print-dispatch makes from the stored original.
        env.stack
            .clients
            .s3
            .put_object()
            .bucket(&env.stack.resources.names.photos_bucket)
            .key(printvault_adapters::keys::original_key(&olive, &stranger.id))
            .body(integration_tests::testkit::photo_jpeg(64, 48, i).into())
            .send()
            .await
            .unwrap();
        if i % 2 == 0 {
            mine.push(own.id.to_string());
        }
        theirs.push(stranger.id.to_string());
    }
    env.give_points(&ann.customer_id(), 1_000).await;
    println!("| lines | phase | DynamoDB reads | of which BatchGetItem | transactions | other writes | SQS sends | of which batches |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    for lines in [1usize, 20] {
        // Half the lines own images, half strangers' (the one line: a stranger's).
        let ids: Vec<&String> = (0..lines)
            .map(|i| if i % 2 == 1 { &mine[i / 2] } else { &theirs[i / 2] })
            .collect();
        let body = json!({
            "lines": ids.iter().map(|id| json!({"image_id": id, "size": "L", "quantity": 1})).collect::<Vec<_>>(),
            "location": "bench-store"
        });
        calls(&env, true).await;
        let (s, q) = env.post("/v1/quotes", &ann, body).await;
        assert_eq!(s, 201, "{q}");
        let quote = kinds(&calls(&env, true).await);
        let o = env
            .order(
                &ann,
                Some(&format!("bench-{lines}")),
                &json!({"quote_id": q["quote_id"], "points": 10, "address": integration_tests::orders::address()}),
            )
            .await;
        assert_eq!(o.status, 201, "{:?}", o.body);
        let place = kinds(&calls(&env, true).await);
        let order = o.body["order_id"].as_str().unwrap().to_owned();
        let p = local_runner::pay::Payment {
            api: &env.stack.api_url,
            order_id: &order,
            amount: o.body["amount_due"].as_i64().unwrap(),
            currency: "JPY",
            secret: printvault_domain::payment::LOCAL_SECRET,
            webhook_id: &format!("msg_bench_{lines}"),
            timestamp: time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        assert_eq!(local_runner::pay::send(&p).await.unwrap().0, 200);
        let settle = kinds(&calls(&env, true).await);
        assert_eq!(env.stack.dispatch_once(1).await.unwrap(), 1);
        let dispatch = kinds(&calls(&env, true).await);
        let (_, done): (_, Value) = env.get(&format!("/v1/orders/{order}"), &ann).await;
        assert_eq!(done["status"], "dispatched");
        for (phase, k) in [
            ("quote", quote),
            ("order", place),
            ("pay (settle)", settle),
            ("dispatch", dispatch),
        ] {
            println!(
                "| {lines} | {phase} | {} | {} | {} | {} | {} | {} |",
                k.reads, k.batch_gets, k.transactions, k.writes, k.sqs_sends, k.sqs_batches
            );
        }
        // The goals.
        let per_hop = 1 + lines as u64 / 100;
        assert!(quote.batch_gets <= 2 * per_hop, "quote: {quote:?}");
        assert_eq!(place.transactions, 1, "placing is one transaction: {place:?}");
        assert_eq!(settle.transactions, 1, "settling is one transaction: {settle:?}");
        assert_eq!(
            dispatch.sqs_batches,
            lines.div_ceil(10) as u64,
            "ten jobs a request: {dispatch:?}"
        );
    }
}
