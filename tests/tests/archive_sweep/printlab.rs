//! The archive end to end (issue 21), against the local stack with small
//! thresholds: photos uploaded, the archive sweep proposes, the proposal is
//! emailed and acknowledged, the CD ordered with one photo taken out, paid,
//! and dispatched (`disc::dispatched_disc`); then M32: printlab takes the
//! disc job from the lab's queue: it fetches and
//! checks every file, builds the ISO 9660 + Joliet + Rock Ridge image with
//! the originals, an XMP sidecar beside each, `index.html` and the index
//! sheet, reads it back, runs the lab's burn command once, and reports the
//! disc `written` with the image's SHA-256. `xorriso` (Debian's, installed
//! by scripts/install-deps.sh) lists the image independently: from its
//! Rock Ridge tree and from its Joliet tree, every file matches. Then
//! print-dispatch moves each original on the disc to Glacier Deep Archive
//! and the records name the disc. Built again, the image is the same bytes
//! and nothing is burnt twice.

use super::disc::dispatched_disc;
use super::*;
use ::printlab::tls::HttpOptions;
use ::printlab::{Handled, PrintLab};
use printvault_domain::archive::ArchiveState;
use printvault_domain::ids::{ImageId, OrderId};
use printvault_domain::lab_report::disc::DiscStage;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Every file under `root` with its SHA-256, by path from `root`.
fn files_under(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walk(root) {
        let rel = entry.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        out.push((
            rel,
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
                std::fs::read(&entry).unwrap(),
            )),
        ));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Extracts `iso` with xorriso reading `tree` (`any`: Rock Ridge first;
/// `norock`: Joliet) into a new folder.
fn xorriso_extract(iso: &Path, tree: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("x");
    let run = Command::new("xorriso")
        .args(["-osirrox", "on", "-read_fs", tree, "-indev"])
        .arg(iso)
        .args(["-extract", "/"])
        .arg(&target)
        .output()
        .expect("xorriso runs (scripts/install-deps.sh installs it)");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    out
}

#[tokio::test]
async fn printlab_builds_checks_burns_and_reports_the_disc_once_and_xorriso_reads_it() {
    let env = env().await;
    let (order, key, on_disc, ann) = dispatched_disc(&env, "burnlab", "burn-store").await;
    let hot = tempfile::tempdir().unwrap();
    let burns = hot.path().join("burns.txt");
    let lab = PrintLab {
        sqs: env.stack.clients.sqs.clone(),
        http: ::printlab::tls::http_client(&HttpOptions {
            insecure_http: true,
            ca_cert: None,
        })
        .unwrap(),
        insecure_http: true,
        queue_url: env.lab_queue_url("burnlab").await,
        api: env.stack.api_url.clone(),
        key,
        hot_folder: hot.path().to_owned(),
        progress: false,
        extend_every: ::printlab::EXTEND_EVERY,
        burn_command: Some(format!(
            "echo \"$PRINTLAB_VOLUME_ID $PRINTLAB_ISO_SHA256 $(basename \"$PRINTLAB_LABEL\")\" >> {}",
            burns.display()
        )),
    };
    let handled = lab.poll_once(1).await.unwrap().expect("the disc job");
    let Handled::Written {
        files,
        image_sha256,
        downloaded,
        ..
    } = handled.clone()
    else {
        panic!("{handled:?}")
    };
    // Two originals, their sidecars, index.html, the sheet and its page.
    assert_eq!(files, 7, "{handled:?}");
    assert_eq!(
        downloaded,
        2 + 2 + 1,
        "the originals, the sheet and its page, the label"
    );
    assert!(
        lab.poll_once(1).await.unwrap().is_none(),
        "the message is deleted"
    );

    let id = OrderId::parse(&order).unwrap();
    let record = env
        .stack
        .api_state
        .stores
        .orders
        .disc_record(&id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.stage, DiscStage::Written);
    assert_eq!(record.image_sha256.as_deref(), Some(image_sha256.as_str()));

    let dir = hot.path().join(&order).join("disc");
    let volume = format!("PV_{}", order.trim_start_matches("ord_").to_ascii_uppercase());
    let iso = dir.join(format!("{volume}.iso"));
    let bytes = std::fs::read(&iso).unwrap();
    assert_eq!(
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
        image_sha256
    );
    let burnt = std::fs::read_to_string(&burns).unwrap();
    assert_eq!(burnt, format!("{volume} {image_sha256} label.png\n"));
    assert!(dir.join("label.png").exists());

    // The disc's files, as printlab staged them.
    let root = dir.join("root");
    let staged = files_under(&root);
    let names: Vec<_> = staged.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(
        names.contains(&"index.html") && names.contains(&"index-sheet.pdf"),
        "{names:?}"
    );
    assert!(names.contains(&"index-sheet/page-01.png"), "{names:?}");
    let originals: Vec<_> = names.iter().filter(|n| n.ends_with(".jpg")).collect();
    let sidecars: Vec<_> = names.iter().filter(|n| n.ends_with(".xmp")).collect();
    assert_eq!((originals.len(), sidecars.len()), (2, 2), "{names:?}");
    let xmp = std::fs::read_to_string(root.join(sidecars[0])).unwrap();
    assert!(
        xmp.contains("exif:DateTimeOriginal=\"2020-05-01T10:00:00\""),
        "{xmp}"
    );
    assert!(
        xmp.contains(on_disc[0].as_str().unwrap()) || xmp.contains(on_disc[1].as_str().unwrap()),
        "{xmp}"
    );
    let html = std::fs::read_to_string(root.join("index.html")).unwrap();
    assert!(html.contains(&order) && html.contains("2 photos"), "{html}");

    // xorriso, an independent reader: both trees hold exactly these files.
    for tree in ["any", "norock"] {
        let out = xorriso_extract(&iso, tree);
        assert_eq!(
            files_under(&out.path().join("x")),
            staged,
            "read with -read_fs {tree}"
        );
    }
    let info = Command::new("xorriso")
        .args(["-indev"])
        .arg(&iso)
        .arg("-pvd_info")
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned() + &String::from_utf8_lossy(&info.stderr);
    assert!(info.contains(&volume), "{info}");

    // Written: print-dispatch moves each original on the disc to the
    // archive class, once, and the records name the disc.
    let owner = env.stored_order(&order).await.0.buyer.customer().unwrap().clone();
    let stores = &env.stack.api_state.stores;
    let class = |image: &str| {
        let key = printvault_adapters::keys::original_key(&owner, &ImageId::parse(image).unwrap());
        async move { stores.objects.storage_class(&key).await.unwrap() }
    };
    let mut archived_bytes = 0;
    for image in on_disc.as_array().unwrap() {
        let id = ImageId::parse(image.as_str().unwrap()).unwrap();
        let record = || async { stores.images.get(&owner, &id).await.unwrap().unwrap() };
        integration_tests::eventually(60, "the original moves to the archive class", || async {
            class(id.as_str()).await.as_deref() == Some("DEEP_ARCHIVE")
                && record()
                    .await
                    .archive
                    .is_some_and(|a| a.state == ArchiveState::Archived)
        })
        .await
        .unwrap();
        let record = record().await;
        archived_bytes += record.finalised.as_ref().unwrap().bytes;
        let a = record.archive.expect("the record names the disc");
        assert_eq!(
            (a.state, a.disc_id.as_str()),
            (ArchiveState::Archived, order.as_str())
        );
    }
    // From the move, their bytes count at the archive rate (M32).
    let meter = stores.billing.meter(&owner).await.unwrap().unwrap().meter;
    assert_eq!(meter.archived_bytes, archived_bytes);
    assert_eq!(meter.images, 2, "two photos stay online");
    let schedule = stores.archive.schedule(&owner).await.unwrap().unwrap();
    assert_eq!(schedule.open, None, "a new proposal may come at a later look");
    // An archived image shows its disc, has no link to its original, and
    // cannot be printed from it.
    let first = on_disc[0].as_str().unwrap();
    let (_, shown) = env.get(&format!("/v1/images/{first}"), &ann.token).await;
    assert_eq!(
        (&shown["archive"]["disc_id"], &shown["archive"]["state"]),
        (&json!(order), &json!("archived")),
        "{shown}"
    );
    let (_, urls) = env.get(&format!("/v1/images/{first}/urls"), &ann.token).await;
    assert!(
        urls["thumbnail"].is_string() && urls.get("original").is_none_or(Value::is_null),
        "{urls}"
    );
    let (s, q) = env.quote(&ann.token, &[(first, "L", 1)], "burn-store").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    assert!(
        q["error"]["message"]
            .as_str()
            .unwrap()
            .contains("archived on disc"),
        "{q}"
    );

    // Seen again: only deleted. Built again after a crash before DONE: the
    // same image, reported the same, and nothing burnt twice.
    let job: printvault_domain::dispatch::disc::DiscJob =
        serde_json::from_str(&std::fs::read_to_string(dir.join("job.json")).unwrap()).unwrap();
    assert!(matches!(
        lab.handle_disc(&job).await.unwrap(),
        Handled::Duplicate { .. }
    ));
    std::fs::remove_file(dir.join("DONE")).unwrap();
    let again = lab.handle_disc(&job).await.unwrap();
    assert!(
        matches!(&again, Handled::Written { image_sha256: s, downloaded: 0, .. } if *s == image_sha256),
        "{again:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&burns).unwrap().lines().count(),
        1,
        "burnt once"
    );
}
