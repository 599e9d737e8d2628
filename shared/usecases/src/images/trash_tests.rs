//! Moving an image to the trash, over in-memory ports: the retention
//! sweep's lands only on the record it was decided on, with its audit entry
//! first and once; the owner's lands on the record as it is; each is tidied
//! after the mark, and a trashing cut short is finished, not repeated.

use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::retention::DeletionAudit;
use printvault_domain::retention::{Cause, Schedule, Step};
use printvault_domain::trash::TrashedBy;
use printvault_domain::Error;

use crate::images::memory::{ready_image, store_with, Memory};
use crate::images::{change_image, trash_image, trash_unchanged};

/// A ready image warned of and due for deletion today.
fn due_image() -> Image {
    let mut image = ready_image(vec![]);
    image.retention = Some(Schedule {
        step: Step::Delete,
        on: time::macros::date!(2027 - 03 - 01),
        since: time::macros::date!(2026 - 09 - 01),
        cause: Some(Cause::StoragePeriod),
        notice_id: Some("retention:x:2027-02-01:ab".into()),
        warned_on: Some(time::macros::date!(2027 - 02 - 01)),
        warned_rev: 0,
    });
    image
}

fn audit() -> DeletionAudit {
    DeletionAudit {
        cause: Cause::StoragePeriod,
        warning: "retention:x:2027-02-01:ab".into(),
        at: "2027-03-01T00:05:00Z".parse().unwrap(),
    }
}

/// Nothing the decision counted moved since.
async fn due() -> Result<bool, Error> {
    Ok(true)
}

fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2027-03-01 00:05 UTC)
}

const KEEP: u32 = 30;

#[tokio::test]
async fn an_image_selected_after_the_sweeps_read_is_not_trashed() {
    let read = due_image();
    let m = store_with(&read);
    // The owner selects it between the sweep's read and its deletion.
    change_image(&m, &read.owner, &read.id, None, |i| {
        i.selected = true;
        Ok(())
    })
    .await
    .unwrap();
    m.steps();
    assert!(!trash_unchanged(&m, &read, &audit(), now(), KEEP, due)
        .await
        .unwrap());
    assert!(m.steps().is_empty(), "nothing marked, audited or removed");
    let kept = m.images.lock().unwrap()[&read.id].clone();
    assert!(kept.selected && kept.trashed.is_none(), "{kept:?}");
    // A schedule moved by another run (same revision) stops it too.
    let mut moved = read.clone();
    moved.rev = kept.rev;
    moved.retention.as_mut().unwrap().on = time::macros::date!(2027 - 02 - 28);
    assert!(!trash_unchanged(&m, &moved, &audit(), now(), KEEP, due)
        .await
        .unwrap());
    assert!(m.steps().is_empty());
}

#[tokio::test]
async fn an_unchanged_image_is_audited_with_its_trash_mark_then_tidied_and_kept() {
    let read = due_image();
    let m = store_with(&read);
    assert!(trash_unchanged(&m, &read, &audit(), now(), KEEP, due)
        .await
        .unwrap());
    let steps = m.steps();
    assert_eq!(
        steps,
        vec![
            format!("trash-mark {} storage_period", read.id),
            format!("trash-listed {} 0", read.id),
            "revoke true".to_owned(),
            format!("unindex {}", read.id),
            format!("tidied {}", read.id),
        ],
        "nothing of its bytes or record goes"
    );
    let trashed = m.images.lock().unwrap()[&read.id].clone();
    let t = trashed.trashed.clone().unwrap();
    assert_eq!((t.by, t.tidy), (TrashedBy::Retention, true));
    assert_eq!(
        t.purge_on,
        time::macros::date!(2027 - 04 - 01),
        "30 full days kept"
    );
    assert_eq!(trashed.retention, None, "out of retention while in the trash");
    // A second run with the same read does nothing.
    assert!(!trash_unchanged(&m, &read, &audit(), now(), KEEP, due)
        .await
        .unwrap());
    assert!(m.steps().is_empty());
}

#[tokio::test]
async fn a_trashing_cut_short_after_its_mark_is_finished_by_the_owners_delete_without_a_second_mark() {
    let read = due_image();
    let m: Memory = store_with(&read);
    *m.fail_once.lock().unwrap() = Some("revoke");
    assert!(trash_unchanged(&m, &read, &audit(), now(), KEEP, due)
        .await
        .is_err());
    let marked = m.images.lock().unwrap()[&read.id].clone();
    assert!(
        marked.trashed.as_ref().is_some_and(|t| !t.tidy),
        "the mark stays, untidy: the trash sweep finishes it"
    );
    m.steps();
    trash_image(&m, &read.owner, &read.id, now(), KEEP).await.unwrap();
    let steps = m.steps();
    assert!(!steps.iter().any(|s| s.starts_with("trash-mark")), "{steps:?}");
    assert_eq!(steps.last().unwrap(), &format!("tidied {}", read.id));
    // Tidy now: deleting again is not found, and changes nothing.
    assert!(matches!(
        trash_image(&m, &read.owner, &read.id, now(), KEEP).await,
        Err(Error::NotFound(_))
    ));
    assert!(m.steps().is_empty());
}

#[tokio::test]
async fn a_print_reported_before_the_mark_takes_the_mark_and_audit_back() {
    let read = due_image();
    let m = store_with(&read);
    let not_due = || async { Ok(false) };
    assert!(!trash_unchanged(&m, &read, &audit(), now(), KEEP, not_due)
        .await
        .unwrap());
    let steps = m.steps();
    assert_eq!(
        steps,
        vec![
            format!("trash-mark {} storage_period", read.id),
            format!("trash-unmark {}", read.id)
        ],
        "nothing removed"
    );
    let kept = m.images.lock().unwrap()[&read.id].clone();
    assert!(kept.trashed.is_none(), "{kept:?}");
    assert_eq!(kept.retention, read.retention, "its schedule is back as read");
}

#[tokio::test]
async fn the_owners_delete_trashes_a_ready_image_and_deletes_an_upload_that_never_became_one() {
    let album = printvault_domain::ids::AlbumId::generate();
    let image = ready_image(vec![album.clone()]);
    let m = store_with(&image);
    trash_image(&m, &image.owner, &image.id, now(), KEEP)
        .await
        .unwrap();
    let steps = m.steps();
    assert_eq!(steps[0], format!("trash-mark {} owner", image.id), "{steps:?}");
    assert_eq!(
        steps[1],
        format!("trash-listed {} 1", image.id),
        "its album noted first"
    );
    assert_eq!(steps[4], format!("unfile {album}"), "{steps:?}");
    assert!(!steps.iter().any(|s| s.starts_with("delete")), "{steps:?}");
    let t = m.images.lock().unwrap()[&image.id].trashed.clone().unwrap();
    assert_eq!((t.by, t.albums), (TrashedBy::Owner, vec![album]), "for a restore");

    let mut rejected = ready_image(vec![]);
    rejected.status = ImageStatus::Rejected;
    let m = store_with(&rejected);
    trash_image(&m, &rejected.owner, &rejected.id, now(), KEEP)
        .await
        .unwrap();
    assert!(m.images.lock().unwrap().is_empty(), "deleted at once");
    assert_eq!(
        m.steps().last().unwrap(),
        &format!("delete-record {}", rejected.id)
    );
}
