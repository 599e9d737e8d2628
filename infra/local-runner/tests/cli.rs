//! The operator's `local-runner blocklist add` command, run as a real
//! process against a stack on moto.

use local_runner::moto::{default_python, MotoServer};
use local_runner::{Stack, StackOptions};
use printvault_adapters::blocklist::BlocklistStore;
use printvault_domain::screening::BlockMatch;
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
