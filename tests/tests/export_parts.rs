//! An export's ZIP part (X3) written into S3 (moto) as a stream, through
//! a multipart upload: originals as stored with their sidecars, then the
//! manifest. A part paused between entries and resumed (as by another
//! invocation, from plain data and the carry) is byte for byte the part
//! written in one go, and Python's `zipfile` reads it: every SHA-256
//! matches.

use integration_tests::{image_id, TestEnv};
use printvault_adapters::keys;
use printvault_domain::ids::ImageId;
use printvault_usecases::export::part::{write_part, Checkpoint, Entry, Part, PartError, Written};
use sha2::{Digest, Sha256};
use std::io::Write;
use time::macros::datetime;

async fn read(env: &TestEnv, key: &str) -> Vec<u8> {
    let out = env
        .stack
        .clients
        .s3
        .get_object()
        .bucket(&env.stack.resources.names.photos_bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    out.body.collect().await.unwrap().into_bytes().to_vec()
}

const CHECK: &str = r#"
import hashlib, json, sys, zipfile
path, expected = sys.argv[1], json.loads(sys.argv[2])
with zipfile.ZipFile(path) as z:
    assert z.testzip() is None
    got = {i.filename: hashlib.sha256(z.read(i.filename)).hexdigest() for i in z.infolist()}
    for name, sha in expected.items():
        assert got.get(name) == sha, (name, got.get(name), sha)
    print(len(got))
"#;

#[tokio::test]
async fn a_part_paused_between_entries_and_resumed_is_the_part_written_in_one_go() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let owner = ann.customer_id();
    let objects = &env.stack.api_state.stores.objects;
    let mut entries = Vec::new();
    // Two photos uploaded as anyone does, and a 20 MiB original (more than
    // two upload parts) put in place as the bucket would hold it.
    for seed in [9501, 9502] {
        let id = env.ready_image(&ann, seed).await;
        let f = env
            .record(&owner, &image_id(&id))
            .await
            .unwrap()
            .finalised
            .unwrap();
        entries.push(Entry {
            image_id: image_id(&id),
            path: format!("2024/05/photo-{seed}.jpg"),
            sidecar: format!("2024/05/photo-{seed}.xmp"),
            xmp: format!("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><!-- {seed} --></x:xmpmeta>"),
            bytes: f.bytes,
            sha256: f.sha256,
            modified: datetime!(2024-05-03 10:00),
        });
    }
    let big: Vec<u8> = (0..20u32 << 20).map(|i| (i % 253) as u8).collect();
    let big_id = ImageId::generate();
    objects
        .put(&keys::original_key(&owner, &big_id), big.clone(), "image/jpeg")
        .await
        .unwrap();
    entries.insert(
        1,
        Entry {
            image_id: big_id,
            path: "2023/12/big.jpg".into(),
            sidecar: "2023/12/big.xmp".into(),
            xmp: "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>".into(),
            bytes: big.len() as u64,
            sha256: hex::encode(Sha256::digest(&big)),
            modified: datetime!(2023-12-24 18:00),
        },
    );
    let manifest = br#"{"format": "printvault-export/1"}"#;
    let part = |key: &'static str| Part {
        owner: &owner,
        key,
        entries: &entries,
        manifest,
        made: datetime!(2026-12-07 20:00),
    };

    let whole = match write_part(objects, part("exports/t/whole.zip"), None, || true)
        .await
        .unwrap()
    {
        Written::Done { bytes } => bytes,
        other => panic!("{other:?}"),
    };
    // Paused before every entry but the first, each time resumed from the
    // checkpoint as JSON and the carry, as another invocation would.
    let mut from: Option<(Checkpoint, Vec<u8>)> = None;
    let mut pauses = 0;
    let resumed = loop {
        let mut asked = false;
        let go_on = || std::mem::replace(&mut asked, true);
        match write_part(objects, part("exports/t/resumed.zip"), from.take(), go_on)
            .await
            .unwrap()
        {
            Written::Done { bytes } => break bytes,
            Written::Paused { checkpoint, carry } => {
                pauses += 1;
                assert!(carry.len() < 8 << 20, "less than a part is carried");
                let json = serde_json::to_string(&checkpoint).unwrap();
                from = Some((serde_json::from_str(&json).unwrap(), carry));
            }
        }
    };
    assert_eq!(pauses, 2);
    assert_eq!(whole, resumed);
    let zip = read(&env, "exports/t/whole.zip").await;
    assert_eq!(zip.len() as u64, whole);
    assert!(zip == read(&env, "exports/t/resumed.zip").await, "byte for byte");

    let mut expected: std::collections::BTreeMap<String, String> = entries
        .iter()
        .map(|e| (e.path.clone(), e.sha256.clone()))
        .collect();
    expected.insert("manifest.json".into(), hex::encode(Sha256::digest(manifest)));
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(&zip).unwrap();
    let out = std::process::Command::new(local_runner::moto::default_python())
        .args(["-c", CHECK])
        .arg(f.path())
        .arg(serde_json::to_string(&expected).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "7",
        "3 originals, 3 sidecars, the manifest"
    );

    // An original whose bytes are not the ones recorded stops the part.
    let mut wrong = entries[..1].to_vec();
    wrong[0].sha256 = "00".repeat(32);
    let bad = Part {
        entries: &wrong,
        ..part("exports/t/bad.zip")
    };
    match write_part(objects, bad, None, || true).await {
        Err(PartError::Original { why, .. }) => assert_eq!(why, "not the bytes recorded"),
        other => panic!("{other:?}"),
    }
    // Its upload is abandoned, not left open.
    let open = env
        .stack
        .clients
        .s3
        .list_multipart_uploads()
        .bucket(&env.stack.resources.names.photos_bucket)
        .prefix("exports/t/")
        .send()
        .await
        .unwrap();
    assert!(open.uploads.unwrap_or_default().is_empty(), "no upload left open");
}
