//! M23-M25 storage billing, end to end against moto: each image's bytes are
//! metered from its upload to its deletion; the billing sweep, run for a
//! chosen day as its schedule would, closes months into invoices (byte-
//! hours, priced and rounded up as S3 bills), credits storage points,
//! emails, reminds, and puts an unpaying customer in arrears, where the api
//! answers 402 except for invoices, and their shares, grants and public
//! images stop serving others (search included); paying through the
//! webhook unlocks at once. Running any day again changes nothing.

mod arrears;
mod catch_up;
mod invoices;
mod second_payment;
mod standing;

use integration_tests::{Customer, TestEnv};
use printvault_adapters::billing::{BillingStore, MeterRecord};
use printvault_domain::billing::{Meter, Month};
use printvault_domain::ids::CustomerId;
use reqwest::StatusCode;
use serde_json::Value;
use sweeps::Sweep;
use time::OffsetDateTime;

/// Five past midnight UTC of `day` (`YYYY-MM-DD`), as the schedule fires.
fn at(day: &str) -> OffsetDateTime {
    local_runner::schedule::day_time(day).expect("a day")
}

/// The billing table, as the sweep sees it.
fn billing(env: &TestEnv) -> BillingStore {
    let names = &env.stack.resources.names;
    BillingStore::new(
        env.stack.clients.dynamodb.clone(),
        &names.billing_table,
        &names.images_table,
        &Default::default(),
    )
}

/// Runs the billing sweep for `day`; returns its counts.
async fn sweep(env: &TestEnv, day: &str) -> sweeps::Report {
    env.stack
        .sweep(Sweep::Billing, at(day))
        .await
        .expect("the sweep runs")
}

/// Gives `c` a meter storing `bytes` since the start of `month`, as if
/// they had uploaded that much then (a GiB cannot be uploaded in a test).
async fn store_since(env: &TestEnv, c: &CustomerId, month: &str, bytes: u64) {
    let m = Month::parse(month).unwrap();
    let mut meter = Meter::starting(m.start());
    meter.change(m.start(), bytes as i64).unwrap();
    let rec = MeterRecord {
        customer: c.clone(),
        meter,
        rev: 0,
    };
    // The same item the store writes, index keys included.
    let store = billing(env);
    let closed = store.seed_meter(&rec).await.expect("seeding a meter");
    assert!(closed);
}

async fn invoices(env: &TestEnv, who: &Customer) -> Vec<Value> {
    let (s, list) = env.get("/v1/invoices", who).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list["invoices"].as_array().unwrap().clone()
}
