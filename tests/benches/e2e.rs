//! End-to-end upload benchmark (issue 10): uploads through the local stack
//! as a client makes them — `POST /v1/uploads`, a PUT to the presigned URL,
//! then `GET /v1/images/{id}` every 200 ms until the image is `ready` — with
//! upload-finalise fed by its poller (batches of up to 10, up to
//! `uploads.finalise_in_flight` at once), as Lambda's event source mapping
//! would.
//!
//! It reports the latency from the end of the PUT to `ready` (p50, p95),
//! images per second, the peak resident set the upload phase added to the
//! process that runs the stack (the api, upload-finalise and the other
//! functions; the images being finalised dominate it), and moto's share:
//! the seconds the serialised moto server spent serving requests
//! (`/_printvault/busy`), against the phase's wall time.
//!
//! Photos: the JPEGs `make bench-imaging` fetched (`bench-data/files.txt`),
//! cycled over several customers so that none is a duplicate; without
//! them, generated 12 MP photos.
//!
//! Then one invocation's throughput: batches of 10 of the same photos handed
//! to upload-finalise directly (its poller off), with
//! `uploads.finalise_in_flight` 1 and 4.
//!
//! `make bench-e2e` (`cargo bench -p integration-tests --bench e2e`) uploads
//! 200 (`E2E_UPLOADS=N`), 8 at a time (`E2E_CLIENTS=N`), once with the
//! stack's process on one CPU (`E2E_CPUS=1`: `taskset` after moto started,
//! so moto keeps both) and once on two. Under `cargo test` it uploads 6
//! generated photos and checks they all become ready.

use futures::stream::{self, StreamExt};
use integration_tests::{testkit, Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The benchmark photos, or generated ones.
fn photos(full: bool) -> (Vec<Vec<u8>>, String) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let listed = std::fs::read_to_string(format!("{root}/bench-data/files.txt")).unwrap_or_default();
    let files: Vec<Vec<u8>> = listed
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(kind, _)| *kind == "baseline" || *kind == "progressive")
        .filter_map(|(_, path)| std::fs::read(format!("{root}/{path}")).ok())
        .collect();
    if full && !files.is_empty() {
        let n = files.len();
        return (files, format!("the {n} JPEGs of bench-data/files.txt"));
    }
    let (n, w, h) = if full { (20, 4000, 3000) } else { (6, 1600, 1200) };
    let generated = (0..n).map(|i| testkit::photo_jpeg(w, h, 9900 + i)).collect();
    (generated, format!("{n} generated {w}×{h} JPEGs"))
}

/// How often a client asks whether its upload is ready: latencies are
/// measured to within this, and each ask costs moto a few requests.
const POLL: Duration = Duration::from_millis(200);
static POLLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One upload as a client makes it: seconds from the end of the PUT to `ready`.
async fn upload(env: &TestEnv, who: &Customer, bytes: &[u8]) -> f64 {
    let (s, b) = env
        .post(
            "/v1/uploads",
            who.token.as_str(),
            json!({"file_name": "photo.jpg", "content_type": "image/jpeg", "content_length": bytes.len()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    env.put_presigned(&b["upload"], bytes).await;
    let put_done = Instant::now();
    let id = b["image_id"].as_str().expect("an image ID");
    loop {
        let (s, image): (StatusCode, Value) = env.get(&format!("/v1/images/{id}"), who.token.as_str()).await;
        assert_eq!(s, StatusCode::OK, "{image}");
        match image["status"].as_str() {
            Some("pending") => {}
            Some("ready") => return put_done.elapsed().as_secs_f64(),
            other => panic!("image {id} ended {other:?}: {image}"),
        }
        assert!(
            put_done.elapsed() < Duration::from_secs(300),
            "{id} pending for 5 minutes"
        );
        POLLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        tokio::time::sleep(POLL).await;
    }
}

async fn busy(env: &TestEnv, reset: bool) -> Value {
    env.moto_counter("busy", reset).await
}

/// A `/proc/self/status` value in KiB.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let setting = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let uploads = setting("E2E_UPLOADS", if full { 200 } else { 6 });
    let clients = setting("E2E_CLIENTS", if full { 8 } else { 3 }).max(1);
    let (photos, source) = photos(full);
    let env = TestEnv::start().await;
    let cpus = pin_to_cpus();
    // Each customer uploads each photo once: no duplicates.
    let mut customers = Vec::new();
    for _ in 0..uploads.div_ceil(photos.len()) {
        customers.push(env.new_customer().await);
    }
    let work: Vec<(&Customer, &[u8])> = (0..uploads)
        .map(|i| (&customers[i / photos.len()], photos[i % photos.len()].as_slice()))
        .collect();
    let megapixels: f64 = work
        .iter()
        .filter_map(|(_, b)| printvault_imaging::process(b, &Default::default(), &Default::default()).ok())
        .map(|p| f64::from(p.width) * f64::from(p.height) / 1e6)
        .sum();
    eprintln!(
        "{uploads} uploads of {source}, {clients} at a time, {} customers",
        customers.len()
    );

    busy(&env, true).await;
    // The peak from here on (writing 5 to clear_refs resets VmHWM).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = status_kib("VmRSS:");
    let t0 = Instant::now();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut latencies: Vec<f64> = stream::iter(work)
        .map(|(who, bytes)| {
            let (env, done) = (&env, &done);
            async move {
                let secs = upload(env, who, bytes).await;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                if n % 20 == 0 || n == uploads {
                    eprintln!("  {n}/{uploads} ready after {:.1} s", t0.elapsed().as_secs_f64());
                }
                secs
            }
        })
        .buffer_unordered(clients)
        .collect()
        .await;
    let wall = t0.elapsed().as_secs_f64();
    let peak_added = status_kib("VmHWM:").saturating_sub(rss_before);
    let moto = busy(&env, false).await;
    latencies.sort_by(f64::total_cmp);

    let moto_secs = moto["seconds"].as_f64().unwrap_or(0.0);
    println!("| uploads | clients | MP | wall s | images/s | MP/s | PUT→ready p50 | p95 | max | peak RSS added | moto busy s | moto requests | client polls |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {uploads} | {clients} | {megapixels:.0} | {wall:.1} | {:.2} | {:.1} | {:.2} s | {:.2} s | {:.2} s | {} MiB | {moto_secs:.1} ({:.0} % of wall) | {} | {} |",
        uploads as f64 / wall,
        megapixels / wall,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or(0.0),
        peak_added / 1024,
        100.0 * moto_secs / wall,
        moto["requests"],
        POLLS.load(std::sync::atomic::Ordering::SeqCst),
    );
    println!(
        "\nphotos: {source}; the stack's process on {cpus}; finalise_in_flight {}, memory budget {} MiB",
        printvault_domain::settings::Settings::default()
            .uploads
            .finalise_in_flight,
        env.stack.finaliser.budget().total_bytes() >> 20,
    );
    assert_eq!(latencies.len(), uploads, "every upload became ready");
    drop(env);
    per_invocation(&photos, if full { 3 } else { 1 }).await;
}

/// `E2E_CPUS=1` pins this process (every thread, and the threads they start
/// later) to CPU 0; moto, started before, keeps every CPU. Returns what it runs on.
fn pin_to_cpus() -> String {
    if std::env::var("E2E_CPUS").as_deref() != Ok("1") {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        return format!("{n} CPUs");
    }
    let pid = std::process::id().to_string();
    let ok = std::process::Command::new("taskset")
        .args(["-a", "-p", "-c", "0", &pid])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "taskset could not pin the process");
    "1 CPU (taskset -c 0)".into()
}

/// Images per second of one invocation: `rounds` batches of 10 handed to
/// upload-finalise, with 1 and then 4 messages in flight.
async fn per_invocation(photos: &[Vec<u8>], rounds: usize) {
    println!(
        "\n| finalise_in_flight | batches of 10 | images/s per invocation | batch p50 s | moto busy share |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for in_flight in [1u32, 4] {
        let env = TestEnv::with(|o| {
            o.run_pollers = false;
            o.settings.uploads.finalise_in_flight = in_flight;
        })
        .await;
        pin_to_cpus();
        env.drain(&env.stack.resources.uploads_queue_url).await;
        let mut secs = Vec::new();
        let mut moto = 0.0;
        for round in 0..rounds {
            let who = env.new_customer().await;
            let batch: Vec<&Vec<u8>> = photos
                .iter()
                .cycle()
                .skip(round * 10)
                .take(photos.len().min(10))
                .collect();
            for p in &batch {
                env.upload(who.token.as_str(), p, "image/jpeg").await;
            }
            let mut bodies = Vec::new();
            while bodies.len() < batch.len() {
                bodies.extend(env.drain(&env.stack.resources.uploads_queue_url).await);
            }
            let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
            busy(&env, true).await;
            let t0 = Instant::now();
            let r = env
                .stack
                .finaliser
                .handle_batch(integration_tests::sqs_event(&bodies))
                .await;
            secs.push(t0.elapsed().as_secs_f64());
            moto += busy(&env, false).await["seconds"].as_f64().unwrap_or(0.0);
            assert!(r.batch_item_failures.is_empty(), "{:?}", r.batch_item_failures);
        }
        let total: f64 = secs.iter().sum();
        secs.sort_by(f64::total_cmp);
        println!(
            "| {in_flight} | {rounds} | {:.2} | {:.2} | {:.0} % |",
            (rounds * 10) as f64 / total,
            percentile(&secs, 0.5),
            100.0 * moto / total
        );
    }
}
