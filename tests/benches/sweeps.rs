//! Sweeps benchmark (issue 9): a library of 100,000 images of 1,000
//! customers in moto, uploaded in batches of 20 over 100 days so that 1% of
//! them come due on the chosen day; then each sweep runs for its day, and
//! the serialised moto server counts the DynamoDB items the run read
//! (`DynamoDB.ItemsRead` at `/_printvault/calls`) and the requests. Goal:
//! at most 1.1 items read per item due, besides the sweep's watermark (one
//! item per run, whatever is due); the cost follows what is due, not the
//! size of the tables.
//!
//! - retention, on the day 1% of the images reach their 90-day notice;
//! - billing, on the first of a month (every customer's meter is due: the
//!   month closes into 1,000 invoices), and on a due date when 1% of the
//!   invoices are still unpaid (reminders);
//! - anniversary, on the day whose notices are for the month-day 1% of the
//!   images were taken on (in earlier years; a batch of 20 photos of one
//!   customer's day, as cameras take them).
//!
//! `make bench-sweeps` (`cargo bench -p integration-tests --bench sweeps`)
//! runs it at full size and prints the table recorded in
//! docs/benchmarks.md. Under `cargo test` it runs with 2,000 images and
//! checks the goal. `SWEEP_BENCH_IMAGES=N` overrides the size.

use integration_tests::{account_item, bench_size, ready_image_record, TestEnv};
use printvault_adapters::billing::{BillingStore, MeterRecord};
use printvault_adapters::dynamo::{item_with_key, Item};
use printvault_adapters::keys;
use printvault_domain::access::Class;
use printvault_domain::billing::{day_str, due_shard, Meter, Month};
use printvault_domain::ids::CustomerId;
use printvault_domain::image::Attributes;
use printvault_domain::retention::{Schedule, Step};
use std::collections::BTreeMap;
use std::time::Instant;
use sweeps::Sweep;
use time::macros::date;
use time::{Date, Duration};

const BATCH: usize = 20;
const START: Date = date!(2027 - 01 - 02);

type Counts = BTreeMap<String, u64>;

/// Items a sweep's run reads whatever is due: its watermark.
const WATERMARK: f64 = 1.0;

async fn calls(env: &TestEnv, reset: bool) -> Counts {
    env.moto_counter("calls", reset).await
}

/// One sweep's run for `day`: items read per item due, requests, time.
async fn measure(env: &TestEnv, sweep: Sweep, day: Date, due: u64, label: &str) -> f64 {
    calls(env, true).await;
    let t0 = Instant::now();
    let report = env
        .stack
        .sweep(sweep, local_runner::schedule::day_time(&day_str(day)).unwrap())
        .await
        .expect("the sweep runs");
    let secs = t0.elapsed().as_secs_f64();
    let c = calls(env, false).await;
    let n = |k: &str| c.get(k).copied().unwrap_or(0);
    let items = n("DynamoDB.ItemsRead");
    let per = items as f64 / due.max(1) as f64;
    println!(
        "| {label} | {due} | {items} | {per:.2} | {} | {} | {} | {secs:.1} | {:?} |",
        n("DynamoDB_20120810.Query"),
        n("DynamoDB_20120810.GetItem"),
        n("DynamoDB_20120810.TransactWriteItems")
            + n("DynamoDB_20120810.UpdateItem")
            + n("DynamoDB_20120810.PutItem"),
        report.counts
    );
    per
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let n = bench_size("SWEEP_BENCH_IMAGES", 100_000, 2_000);
    // No catch-up days: the first run reads the chosen day's buckets only,
    // and a later one the days after its watermark (a catch-up day costs
    // the same Queries, finding nothing in steady state).
    let env = TestEnv::with(|o| {
        o.run_pollers = false;
        o.settings.sweeps.catch_up_days = 0;
    })
    .await;
    let names = env.stack.resources.names.clone();
    let customers: Vec<CustomerId> = (0..(n / 100).max(1)).map(|_| CustomerId::generate()).collect();

    // Customers, with the address their emails go to.
    let accounts: Vec<Item> = customers.iter().map(account_item).collect();
    env.load_items(&names.accounts_table, accounts, "customers").await;

    // Images: batch b of 20 uploaded on START + (b mod 100) days, so each
    // day's notice bucket holds 1% of them.
    let images: Vec<Item> = (0..n)
        .map(|i| {
            let batch = i / BATCH;
            let owner = &customers[batch % customers.len()];
            let uploaded = START + Duration::days((batch % 100) as i64);
            // Taken on 1 March + (batch mod 100) days, in one of five years:
            // 1% of the images share each month-day.
            let year = 2020 + ((batch / 100) % 5) as i32;
            let taken = Date::from_calendar_date(year, time::Month::March, 1).unwrap()
                + Duration::days((batch % 100) as i64);
            let attributes = Attributes {
                taken_at: Some(format!("{}T10:00:00", day_str(taken))),
                ..Attributes::default()
            };
            let mut image = ready_image_record(owner, Class::Private, attributes);
            if let Some(f) = image.finalised.as_mut() {
                f.bytes = 3 << 20;
                f.finalised_at = format!("{}T09:00:00Z", day_str(uploaded)).parse().unwrap();
            }
            let on = uploaded + Duration::days(90);
            image.retention = Some(Schedule {
                step: Step::Notice,
                on,
                since: uploaded,
                cause: None,
                notice_id: None,
                warned_on: None,
                warned_rev: 0,
            });
            let mut item =
                item_with_key(&image, keys::customer_pk(owner), keys::image_sk(&image.id)).unwrap();
            item.insert(
                "due_pk".into(),
                printvault_adapters::dynamo::s(printvault_adapters::images::retention::retention_bucket(
                    on,
                    due_shard(image.id.as_str()),
                )),
            );
            item.insert("due_sk".into(), printvault_adapters::dynamo::s(image.id.as_str()));
            let (apk, ask) =
                printvault_adapters::images::anniversaries::image_keys(owner, &image.id, &image.attributes)
                    .unwrap();
            item.insert("anniv_pk".into(), printvault_adapters::dynamo::s(apk));
            item.insert("anniv_sk".into(), printvault_adapters::dynamo::s(ask));
            item
        })
        .collect();
    env.load_items(&names.images_table, images, "images").await;

    // Each customer's meter: 300 MiB all January.
    let billing = BillingStore::new(
        env.stack.clients.dynamodb.clone(),
        &names.billing_table,
        &names.images_table,
        &Default::default(),
    );
    let jan = Month::parse("2027-01").unwrap();
    for c in &customers {
        let mut meter = Meter::starting(jan.start());
        meter.change(jan.start(), 300 << 20).unwrap();
        billing
            .seed_meter(&MeterRecord {
                customer: c.clone(),
                meter,
                rev: 0,
            })
            .await
            .unwrap();
    }

    println!("| sweep and day | items due | items read | items read per item due | Queries | GetItems | writes | seconds (moto) | what it did |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    let due_images = (n / 100) as u64;
    // The days before ran (so the catch-up days hold nothing): only the
    // chosen day's 1% is due.
    let day = START + Duration::days(97);
    let retention = measure(
        &env,
        Sweep::Retention,
        day,
        due_images,
        "retention, a notice day (1% of images)",
    )
    .await;
    // Anniversaries: the photos of 1 March + 50 days (20 April), noticed
    // a week ahead.
    let noticed = date!(2027 - 04 - 13);
    let anniversary = measure(
        &env,
        Sweep::Anniversary,
        noticed,
        due_images,
        "anniversary, a week before a day 1% of photos were taken on",
    )
    .await;
    // The month closes: every meter is due, and each invoice is issued.
    let close = measure(
        &env,
        Sweep::Billing,
        date!(2027 - 02 - 01),
        customers.len() as u64 * 2,
        "billing, the 1st (every meter, and its invoice)",
    )
    .await;
    // All but 1% pay; the rest are reminded on the due date.
    let unpaid = (customers.len() / 100).max(1);
    for c in &customers[unpaid..] {
        let id = printvault_domain::billing::InvoiceId {
            month: jan,
            customer: c.clone(),
        };
        // Set-up, not measured: the invoice leaves the index as a payment
        // would. (BillingStore::pay is a transaction, and moto deep-copies
        // every table a transaction touches: 990 of them at 100,000 images
        // ran moto out of memory.)
        env.stack
            .clients
            .dynamodb
            .update_item()
            .table_name(&names.billing_table)
            .key("pk", printvault_adapters::dynamo::s(keys::customer_pk(c)))
            .key(
                "sk",
                printvault_adapters::dynamo::s(format!("INVOICE#{}", id.month)),
            )
            .update_expression("SET #st = :paid REMOVE next_step, next_on, due_pk, due_sk")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":paid", printvault_adapters::dynamo::s("paid"))
            .send()
            .await
            .unwrap();
    }
    let remind = measure(
        &env,
        Sweep::Billing,
        date!(2027 - 02 - 15),
        unpaid as u64,
        "billing, a due date (1% unpaid)",
    )
    .await;
    // Running the day again reads nothing due.
    let again = measure(
        &env,
        Sweep::Retention,
        day,
        0,
        "retention, the same day again (reads its watermark)",
    )
    .await;
    let anniversary_again = measure(
        &env,
        Sweep::Anniversary,
        noticed,
        0,
        "anniversary, the same day again (reads its watermark)",
    )
    .await;
    if !full {
        // Each run reads its sweep's watermark besides what is due: one
        // item (none on a sweep's first run).
        let within = |per: f64, due: u64| per * due as f64 <= 1.1 * due as f64 + WATERMARK;
        assert!(
            within(retention, due_images),
            "retention: {retention} items read per item due"
        );
        assert!(
            within(close, customers.len() as u64 * 2),
            "billing close: {close}"
        );
        // A reminder reads its invoice alone: the address is on it.
        assert!(within(remind, unpaid as u64), "billing reminders: {remind}");
        assert!(
            again <= WATERMARK,
            "a day run again reads only the watermark: {again}"
        );
        assert!(within(anniversary, due_images), "anniversary: {anniversary}");
        assert!(
            anniversary_again <= WATERMARK,
            "a finished day reads only the watermark"
        );
    }
}
