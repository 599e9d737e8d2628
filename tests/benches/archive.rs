//! Archive benchmark (issue 21), so far the archive sweep: customers in
//! moto, each with a meter and a schedule in the `due` index, a seventh of
//! them due on each day (the weekly look); then the sweep runs for a day,
//! and the serialised moto server counts the DynamoDB items the run read
//! (`DynamoDB.ItemsRead` at `/_printvault/calls`) and the requests.
//!
//! - a day whose customers are all under their thresholds: each costs its
//!   index entry, its schedule, its account, its meter and its oldest
//!   image record, whatever the library's size (goal: at most 6 items);
//! - a day whose customers all cross one (`archive.max_images`): each also
//!   reads their image records until every disc's fill is settled, here
//!   all of them, and writes the proposal;
//! - the same day again: nobody is due, nothing is read but the index.
//!
//! `make bench-archive` (`cargo bench -p integration-tests --bench archive`)
//! runs it at full size (300 customers, about 7,700 images) and prints the
//! table recorded in docs/benchmarks.md. Under `cargo test` it runs with
//! 70 customers and checks the goal. `ARCHIVE_BENCH_CUSTOMERS=N` overrides
//! the size; past about 500, moto's copy of the whole images table for
//! each proposal's transaction (see `sweeps.rs`) runs it out of memory on
//! the crossing day.
//!
//! Then the move (M32, `archive/moves.rs`): the requests per image moved,
//! for discs of 10 and 100 images (10 and 50 under `cargo test`, checked
//! against the goal of at most 7 requests per image). Larger discs cost
//! the same per image; in moto each of their transactions copies the
//! images table, so 1,000 would take the better part of an hour.
//! `make bench-archive` also runs printlab's DVD benchmark
//! (`clients/printlab/examples/disc_bench.rs`).

#[path = "archive/moves.rs"]
mod moves;

use integration_tests::{account_item, bench_size, ready_image_record, TestEnv};
use printvault_adapters::billing::{BillingStore, MeterRecord};
use printvault_adapters::dynamo::{item_with_key, s, Item};
use printvault_adapters::keys;
use printvault_domain::access::Class;
use printvault_domain::billing::{day_str, due_shard, Meter, Month};
use printvault_domain::ids::CustomerId;
use std::collections::BTreeMap;
use std::time::Instant;
use sweeps::Sweep;
use time::macros::date;
use time::{Date, Duration};

/// The operator's image threshold in the run.
const MAX_IMAGES: u32 = 50;
/// Images of a customer under it, and of one over it.
const UNDER: usize = 20;
const OVER: usize = 60;
const DAY: Date = date!(2027 - 03 - 10);

type Counts = BTreeMap<String, u64>;

/// One run for `day`: items read per customer due, requests, time.
async fn measure(env: &TestEnv, day: Date, due: u64, label: &str) -> (f64, Counts) {
    env.moto_counter::<Counts>("calls", true).await;
    let t0 = Instant::now();
    let report = env
        .stack
        .sweep(
            Sweep::Archive,
            local_runner::schedule::day_time(&day_str(day)).unwrap(),
        )
        .await
        .expect("the sweep runs");
    let secs = t0.elapsed().as_secs_f64();
    let c: Counts = env.moto_counter("calls", false).await;
    let n = |k: &str| c.get(k).copied().unwrap_or(0);
    let items = n("DynamoDB.ItemsRead");
    let per = items as f64 / due.max(1) as f64;
    let requests: u64 = c
        .iter()
        .filter(|(k, _)| k.starts_with("DynamoDB_") || k.starts_with("SQS"))
        .map(|(_, v)| v)
        .sum();
    println!(
        "| {label} | {due} | {items} | {per:.2} | {} | {} | {} | {} | {secs:.1} | {:?} |",
        n("DynamoDB_20120810.Query"),
        n("DynamoDB_20120810.GetItem"),
        n("DynamoDB_20120810.TransactWriteItems") + n("DynamoDB_20120810.UpdateItem"),
        requests,
        report.counts
    );
    (per, report.counts.into_iter().collect())
}

#[tokio::main]
async fn main() {
    let n = bench_size("ARCHIVE_BENCH_CUSTOMERS", 300, 70);
    let env = TestEnv::with(|o| {
        o.run_pollers = false;
        o.settings.archive.max_images = MAX_IMAGES;
    })
    .await;
    let names = env.stack.resources.names.clone();
    let customers: Vec<CustomerId> = (0..n).map(|_| CustomerId::generate()).collect();
    // Customer i is due on DAY + (i mod 7); those due on DAY + 1 are over
    // the threshold, everyone else under it.
    let due_on = |i: usize| DAY + Duration::days((i % 7) as i64);
    let over = |i: usize| i % 7 == 1;

    let mut accounts = Vec::new();
    let mut images: Vec<Item> = Vec::new();
    let mut schedules = Vec::new();
    let billing = BillingStore::new(
        env.stack.clients.dynamodb.clone(),
        &names.billing_table,
        &names.images_table,
        &Default::default(),
    );
    let march = Month::parse("2027-03").unwrap();
    for (i, c) in customers.iter().enumerate() {
        accounts.push(account_item(c));
        let count = if over(i) { OVER } else { UNDER };
        for _ in 0..count {
            let mut image = ready_image_record(c, Class::Private, Default::default());
            if let Some(f) = image.finalised.as_mut() {
                f.bytes = 3 << 20;
            }
            images.push(item_with_key(&image, keys::customer_pk(c), keys::image_sk(&image.id)).unwrap());
        }
        let mut schedule = printvault_adapters::dynamo::key(keys::customer_pk(c), keys::ARCHIVE_SCHEDULE_SK);
        schedule.insert("customer".into(), s(c.as_str()));
        schedule.insert("due_pk".into(), s(keys::archive_due_pk(due_shard(c.as_str()))));
        schedule.insert("due_sk".into(), s(keys::archive_due_sk(&day_str(due_on(i)), c)));
        schedules.push(schedule);
        let mut meter = Meter::starting(march.start());
        meter.change(march.start(), (count as i64) * (3 << 20)).unwrap();
        meter.images = count as u32;
        billing
            .seed_meter(&MeterRecord {
                customer: c.clone(),
                meter,
                rev: 0,
            })
            .await
            .unwrap();
    }
    env.load_items(&names.accounts_table, accounts, "customers").await;
    env.load_items(&names.images_table, images, "images").await;
    env.load_items(&names.images_table, schedules, "schedules").await;

    println!("| day | customers due | items read | items read per customer due | Queries | GetItems | writes | requests | seconds (moto) | what it did |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let due = |d: i64| (0..n).filter(|i| (i % 7) as i64 == d).count() as u64;
    let (under, r) = measure(&env, DAY, due(0), "everyone due under the thresholds").await;
    assert_eq!(r.get("looked").copied().unwrap_or(0), due(0), "{r:?}");
    let (crossing, r) = measure(
        &env,
        DAY + Duration::days(1),
        due(1),
        &format!("everyone due over `max_images` ({OVER} images each)"),
    )
    .await;
    assert_eq!(r.get("proposed").copied().unwrap_or(0), due(1), "{r:?}");
    let (_, again) = measure(&env, DAY + Duration::days(1), 0, "the same day again").await;
    assert!(again.is_empty(), "nobody is due again: {again:?}");
    println!();
    println!("items read per customer due: {under:.2} under the thresholds, {crossing:.2} over them");
    assert!(
        under <= 6.0,
        "a customer under the thresholds costs at most 6 items: {under:.2}"
    );
    assert!(
        crossing <= 6.0 + OVER as f64,
        "a customer over one costs at most 6 items and their image records: {crossing:.2}"
    );

    println!();
    println!("| images on the disc | HeadObject | CopyObject | UpdateItem | GetItem | TransactWriteItems | BatchGetItem | requests | requests per image moved | seconds (moto) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let sizes: &[usize] = if std::env::args().any(|a| a == "--bench") {
        &[10, 100]
    } else {
        &[10, 50]
    };
    for &n in sizes {
        let per = moves::measure(&env, n).await;
        assert!(per <= 7.0, "at most 7 requests per image moved: {per:.2} for {n}");
    }
}
