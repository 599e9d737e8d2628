//! The local runner's commands, each run as a real process: `blocklist
//! add` and `pay` against a stack on moto, `openapi`, `run` (and its
//! simulated clock, `sim_clock`), and `sweep` (`sweep`).

// In cli/, so that cargo does not take them for test targets of their own.
#[path = "cli/running.rs"]
mod running;
#[path = "cli/sim_clock.rs"]
mod sim_clock;
#[path = "cli/sweep.rs"]
mod sweep;

use local_runner::moto::{default_python, MotoServer};
use local_runner::{Stack, StackOptions};
use printvault_adapters::blocklist::BlocklistStore;
use printvault_domain::screening::BlockMatch;
use running::Running;
use std::process::Command;

fn runner() -> Command {
    Command::new(env!("CARGO_BIN_EXE_local-runner"))
}

#[tokio::test]
async fn blocklist_add_command() {
    let moto = MotoServer::start(&default_python()).unwrap();
    let stage = format!("cli{}", std::process::id());
    let mut opts = StackOptions::new(&moto.endpoint, &stage);
    opts.run_pollers = false;
    let stack = Stack::start(opts).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("banned.jpg");
    let jpeg = printvault_imaging::testkit::photo_jpeg(500, 400, 77);
    std::fs::write(&image, &jpeg).unwrap();

    let out = runner()
        .args(["--stage", &stage, "blocklist", "add"])
        .arg(&image)
        .args(["--reason", "court order", "--endpoint", &moto.endpoint])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entry: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entry["reason"], "court order");

    let store = BlocklistStore::new(
        stack.clients.dynamodb.clone(),
        &stack.resources.names.blocklist_table,
    );
    let fp = printvault_imaging::fingerprint(&jpeg, &Default::default()).unwrap();
    let found = store
        .find_match(&hex::encode(fp.sha256), fp.phash, 6)
        .await
        .unwrap();
    assert_eq!(found, Some(BlockMatch::Exact));

    // Clear refusals for a file that is not an image and one that is missing.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    for (file, says) in [
        (text, "not a JPEG, PNG or WebP"),
        (dir.path().join("missing.jpg"), "reading"),
    ] {
        let out = runner()
            .args(["--stage", &stage, "blocklist", "add"])
            .arg(&file)
            .args(["--endpoint", &moto.endpoint])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }
}

/// `local-runner openapi` prints the committed document.
#[test]
fn openapi_prints_the_committed_document() {
    let out = runner().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json")).unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "local-runner openapi differs from docs/openapi.json; run `make openapi`"
    );
}

/// `make run` is `local-runner run`: it starts moto, makes the resources,
/// serves the api and says where; Ctrl-C (SIGINT) stops all of it.
#[test]
fn run_serves_the_api_and_ctrl_c_stops_everything() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    let stage = format!("run{}", std::process::id());
    let running = Running::start(&stage, &[]);
    let (moto, api) = running.addresses();

    let mut conn = TcpStream::connect(&api).unwrap();
    conn.write_all(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""status":"ok""#), "{response}");
    // The contract, browsable without a network: Swagger UI at /docs/,
    // reading /v1/openapi.json.
    for (path, says) in [
        ("/docs/", "swagger-ui"),
        ("/docs/swagger-initializer.js", "/v1/openapi.json"),
    ] {
        let mut conn = TcpStream::connect(&api).unwrap();
        write!(
            conn,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        conn.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{path}: {response}");
        assert!(response.contains(says), "{path}: {response}");
    }
    assert!(TcpStream::connect(&moto).is_ok(), "moto is up");

    // Registering sends an email; the runner's log shows it, with the
    // verification link on this api, so a person can follow it.
    let email = format!("{stage}@example.com");
    let body = format!(r#"{{"email":"{email}","password":"correct horse battery"}}"#);
    let mut conn = TcpStream::connect(&api).unwrap();
    write!(
        conn,
        "POST /v1/accounts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 202"), "{response}");
    let link = format!("http://{api}/v1/accounts/verify?code=");
    running.wait_log(30, &[&link]);
    running.wait_log(30, &[&format!("email to {email}")]);

    let status = running.interrupt();
    assert!(status.success(), "{status}");
    // Everything it started is gone: the api and the moto server.
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(&moto).is_ok() || TcpStream::connect(&api).is_ok() {
        assert!(Instant::now() < deadline, "moto or the api outlived Ctrl-C");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `local-runner pay ORDER` plays the payment provider: it signs the
/// order's `payment.succeeded` webhook with the stack's secret and sends it;
/// the same webhook ID again is a replay; a wrong amount is refused. (On
/// worker threads: the api serves from this runtime while the command runs.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pay_command() {
    use printvault_adapters::orders::{Claim, KeyRef, Placement};
    use printvault_domain::order::IdempotencyKey;

    let moto = MotoServer::start_serialised(&default_python()).unwrap();
    let stage = format!("pay{}", std::process::id());
    let mut opts = StackOptions::new(&moto.endpoint, &stage);
    opts.run_pollers = false;
    let stack = Stack::start(opts).await.unwrap();
    let orders = &stack.api_state.stores.orders;
    // An order as placing one writes it (images and points play no part here).
    let order: printvault_domain::order::Order = serde_json::from_value(serde_json::json!({
        "order_id": "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T", "quote_id": "quo_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
        "buyer": {"kind": "customer", "customer_id": "cus_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"},
        "email": "ann@example.com",
        "address": {"name": "Ann", "postal_code": "1", "region": "Tokyo", "locality": "Chiyoda", "street": "1-1"},
        "location": "tokyo", "lab_id": "lab", "medium": "photo_paper", "lines": [], "medium_fee": 0,
        "total": 640, "points_earned": 0, "points_redeemed": 0, "amount_due": 640, "status": "placed",
        "created_at": "2026-11-29T00:00:00Z"
    }))
    .unwrap();
    let key = IdempotencyKey::from_header(Some("cli")).unwrap();
    let k = KeyRef {
        scope: "cli",
        key: &key,
    };
    let Claim::Fresh { token } = orders.claim_key(&k, "f", 0, 60, 86_400).await.unwrap() else {
        panic!("a fresh key")
    };
    let placement = Placement {
        order: &order,
        key: k,
        token: &token,
        redemption: None,
        checks: vec![],
        guest_token: None,
    };
    orders.place(placement).await.unwrap().unwrap();

    let pay = |extra: &[&str]| {
        runner()
            .args([
                "--stage",
                &stage,
                "pay",
                order.order_id.as_str(),
                "--endpoint",
                &moto.endpoint,
            ])
            .args(["--api", &stack.api_url])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = pay(&["--webhook-id", "msg_cli"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"paid\""));
    let again = pay(&["--webhook-id", "msg_cli"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("\"replayed\""));
    // The wrong amount is received and owed back (issue 18), not refused.
    let wrong = pay(&["--amount", "1"]);
    assert!(
        wrong.status.success(),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    assert!(String::from_utf8_lossy(&wrong.stdout).contains("\"refund_due\""));
    let usd = pay(&["--currency", "USD"]);
    assert!(!usd.status.success(), "a payment in another currency is refused");
    let paid = orders.get(&order.order_id).await.unwrap().unwrap();
    assert_eq!(paid.status, printvault_domain::order::OrderStatus::Paid);
}
