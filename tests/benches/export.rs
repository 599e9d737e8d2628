//! Export benchmark (issue 22, X3): a customer with 2 GiB of originals in
//! moto (200 of 10 MiB, put in place as the bucket would hold them, with
//! their records), exported in 4 GiB parts by the `export` function driven
//! from its queue as Lambda would. It prints the throughput (bytes of
//! originals per second, through moto on this machine) and the peak
//! resident memory of this process while the export ran (`VmHWM`, reset
//! just before), which holds the export function, its SDK clients and the
//! test's own stack: the function streams each original into an 8 MiB
//! upload part and never holds a part.
//!
//! `make bench-export` (`cargo bench -p integration-tests --bench export`)
//! runs it at full size and prints the row recorded in
//! docs/benchmarks.md. Under `cargo test` it runs with 4 originals of
//! 1 MiB and checks the export is whole. `EXPORT_BENCH_IMAGES=N` and
//! `EXPORT_BENCH_MIB=M` override the size.

use integration_tests::{account_item, bench_size, ready_image_record, TestEnv};
use printvault_adapters::dynamo::item_with_key;
use printvault_adapters::keys;
use printvault_domain::access::Class;
use printvault_domain::ids::CustomerId;
use printvault_domain::order::IdempotencyKey;
use printvault_usecases::export::jobs;
use sha2::{Digest, Sha256};
use std::time::Instant;

/// This process's peak resident set, in MiB, since the last reset.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// Starts the peak over from the current resident set (Linux: 5 to
/// `clear_refs` resets `VmHWM`).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Original `n`'s bytes: `mib` MiB, different for every `n`.
fn original(n: usize, mib: usize) -> Vec<u8> {
    let seed = Sha256::digest(n.to_le_bytes());
    let mut out = Vec::with_capacity(mib << 20);
    while out.len() < mib << 20 {
        out.extend_from_slice(&seed);
        out.extend_from_slice(&(out.len() as u64).to_le_bytes());
    }
    out.truncate(mib << 20);
    out
}

#[tokio::main]
async fn main() {
    let images = bench_size("EXPORT_BENCH_IMAGES", 200, 4);
    let mib = bench_size("EXPORT_BENCH_MIB", 10, 1);
    let env = TestEnv::with(|o| o.run_exporter = false).await;
    let stores = &env.stack.api_state.stores;
    let names = &env.stack.resources.names;
    let owner = CustomerId::generate();
    env.load_items(&names.accounts_table, vec![account_item(&owner)], "the account")
        .await;
    let t0 = Instant::now();
    let mut records = Vec::with_capacity(images);
    for n in 0..images {
        let bytes = original(n, mib);
        let mut image = ready_image_record(&owner, Class::Private, Default::default());
        if let Some(f) = image.finalised.as_mut() {
            f.bytes = bytes.len() as u64;
            f.sha256 = hex::encode(Sha256::digest(&bytes));
        }
        stores
            .objects
            .put(&keys::original_key(&owner, &image.id), bytes, "image/jpeg")
            .await
            .expect("an original");
        records.push(item_with_key(&image, keys::customer_pk(&owner), keys::image_sk(&image.id)).unwrap());
    }
    env.load_items(&names.images_table, records, "the images").await;
    eprintln!(
        "{images} originals of {mib} MiB in place in {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    let key = IdempotencyKey::from_header(Some("bench")).unwrap();
    let settings = &env.stack.api_state.settings;
    let now = time::OffsetDateTime::now_utc();
    let job = match jobs::start(stores, settings, &owner, &key, "http://127.0.0.1", now)
        .await
        .expect("the export starts")
    {
        jobs::Begun::New(job) => job,
        other => panic!("{other:?}"),
    };
    reset_peak();
    let t0 = Instant::now();
    let mut batches = 0;
    let done = loop {
        let j = jobs::get(stores, &owner, &job.export_id).await.unwrap();
        if j.state.is_final() {
            break j;
        }
        batches += env.stack.export_once(1).await.expect("the function runs");
    };
    let secs = t0.elapsed().as_secs_f64();
    let peak = peak_rss_mib();
    let total: u64 = (images * (mib << 20)) as u64;
    let written: u64 = done.parts_written().map(|p| p.bytes).sum();
    assert_eq!(done.state.as_str(), "done", "{:?}", done.reason);
    assert_eq!(done.images_done as usize, images);
    assert!(written > total, "every original is in the parts");
    println!("| originals | parts | bytes written | seconds | MiB/s | peak RSS (MiB) | batches |");
    println!(
        "| {images} × {mib} MiB | {} | {written} | {secs:.1} | {:.1} | {peak} | {batches} |",
        done.parts.len(),
        total as f64 / (1 << 20) as f64 / secs,
    );
}
