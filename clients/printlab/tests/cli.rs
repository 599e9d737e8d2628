//! `printlab --help` explains the whole job cycle; a missing key is a clear
//! error, not a panic. The api must be `https://` unless `--insecure-http`
//! is given, and an `http://` api is refused before any connection.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::process::Command;

const ORDER: &str = "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T";

fn printlab() -> Command {
    Command::new(env!("CARGO_BIN_EXE_printlab"))
}

#[test]
fn help_explains_the_job_cycle() {
    let out = printlab().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for says in [
        "hot folder",
        "SHA-256",
        "JOB.txt",
        "accepted",
        "deletes the message",
        "printlab report",
        "HTTPS",
        "--insecure-http",
        "--ca-cert",
    ] {
        assert!(help.contains(says), "--help should say {says:?}:\n{help}");
    }
    let run = String::from_utf8(printlab().args(["run", "--help"]).output().unwrap().stdout).unwrap();
    assert!(
        run.contains("--queue-url") && run.contains("--hot-folder") && run.contains("--once"),
        "{run}"
    );
}

#[test]
fn a_missing_key_is_refused_with_what_to_do() {
    let out = printlab()
        .args(["report", "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T", "1", "printed"])
        .env_remove("PRINTLAB_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PRINTLAB_KEY"));
}

/// A printlab `report` of line 1 `printed` to `api`, with a key, the
/// environment's printlab settings cleared.
fn report_to(api: &str) -> Command {
    let mut c = printlab();
    c.args(["--api", api, "--key", "lab-key", "report", ORDER, "1", "printed"])
        .env_remove("PRINTLAB_API")
        .env_remove("PRINTLAB_CA_CERT");
    c
}

/// Whether anything connected to `listener` (a connection waits in its
/// backlog even after the client is gone).
fn connected(listener: &TcpListener) -> bool {
    listener.set_nonblocking(true).unwrap();
    match listener.accept() {
        Ok(_) => true,
        Err(e) if e.kind() == ErrorKind::WouldBlock => false,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn an_http_api_is_refused_without_insecure_http_before_connecting() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let out = report_to(&api).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("HTTPS") && err.contains("--insecure-http") && !err.contains("panicked"),
        "{err}"
    );
    assert!(!connected(&listener), "nothing was sent to {api}");
}

#[test]
fn with_insecure_http_an_http_api_is_used() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    // One request, answered 200 with a JSON body.
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = conn.read(&mut buf).unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= end + 4 + length || n == 0 {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        let body = br#"{"stage":"printed"}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(body).unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    let out = report_to(&api).arg("--insecure-http").output().unwrap();
    let request = server.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        request.starts_with(&format!("POST /v1/lab/orders/{ORDER}/lines/1/reports ")),
        "{request}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("printed"));
}

#[test]
fn a_missing_api_or_an_unusable_ca_file_is_a_clear_error() {
    let out = printlab()
        .args(["--key", "lab-key", "report", ORDER, "1", "printed"])
        .env_remove("PRINTLAB_API")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PRINTLAB_API"));

    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("ca.pem");
    std::fs::write(&not_pem, "this is not a certificate").unwrap();
    for ca in [not_pem, dir.path().join("missing.pem")] {
        let out = report_to("https://127.0.0.1:9")
            .arg("--ca-cert")
            .arg(&ca)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--ca-cert") && !err.contains("panicked"), "{err}");
    }
}

#[test]
fn an_order_that_is_not_an_order_id_is_refused() {
    let out = printlab()
        .args([
            "--api",
            "https://127.0.0.1:9",
            "--key",
            "k",
            "report",
            "../../v1/operator",
            "1",
            "printed",
        ])
        .env_remove("PRINTLAB_CA_CERT")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not an order ID"), "{err}");
}
