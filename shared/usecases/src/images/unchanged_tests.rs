//! The retention sweep's deletion over in-memory ports: it lands only on
//! the record it was decided on, and its audit entry comes first, once.

use printvault_domain::image::Image;
use printvault_domain::retention::DeletionAudit;
use printvault_domain::retention::{Cause, Schedule, Step};
use printvault_domain::Error;

use crate::images::memory::{ready_image, store_with, Memory};
use crate::images::{change_image, delete_image, delete_unchanged};

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
    time::OffsetDateTime::now_utc()
}

#[tokio::test]
async fn an_image_selected_after_the_sweeps_read_is_not_deleted() {
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
    assert!(!delete_unchanged(&m, &read, &audit(), now(), due).await.unwrap());
    assert!(m.steps().is_empty(), "nothing marked, audited or removed");
    let kept = m.images.lock().unwrap()[&read.id].clone();
    assert!(kept.selected && !kept.deleting, "{kept:?}");
    // A schedule moved by another run (same revision) stops it too.
    let mut moved = read.clone();
    moved.rev = kept.rev;
    moved.retention.as_mut().unwrap().on = time::macros::date!(2027 - 02 - 28);
    assert!(!delete_unchanged(&m, &moved, &audit(), now(), due).await.unwrap());
    assert!(m.steps().is_empty());
}

#[tokio::test]
async fn an_unchanged_image_is_audited_first_then_deleted_as_the_api_deletes() {
    let read = due_image();
    let m = store_with(&read);
    assert!(delete_unchanged(&m, &read, &audit(), now(), due).await.unwrap());
    let steps = m.steps();
    assert_eq!(
        steps[0],
        format!("mark-and-audit {} storage_period", read.id),
        "{steps:?}"
    );
    assert_eq!(steps[1], format!("mark {}", read.id), "then the api's delete");
    assert_eq!(steps.last().unwrap(), &format!("delete-record {}", read.id));
    assert!(m.images.lock().unwrap().is_empty());
    // Gone: a second run with the same read does nothing.
    assert!(!delete_unchanged(&m, &read, &audit(), now(), due).await.unwrap());
    assert!(m.steps().is_empty());
}

#[tokio::test]
async fn a_deletion_cut_short_after_its_mark_is_finished_without_a_second_audit() {
    let read = due_image();
    let m: Memory = store_with(&read);
    *m.fail_once.lock().unwrap() = Some("revoke");
    assert!(delete_unchanged(&m, &read, &audit(), now(), due).await.is_err());
    let audits = |steps: &[String]| steps.iter().filter(|s| s.starts_with("mark-and-audit")).count();
    assert_eq!(audits(&m.steps()), 1);
    let marked = m.images.lock().unwrap()[&read.id].clone();
    assert!(
        marked.deleting,
        "the mark stays: the record is there to finish from"
    );
    // The next run sees it marked: the conditional mark refuses, and the
    // api's delete finishes the job.
    assert!(!delete_unchanged(&m, &read, &audit(), now(), due).await.unwrap());
    match delete_image(&m, &read.owner, &read.id, now()).await {
        Ok(()) | Err(Error::NotFound(_)) => {}
        Err(e) => panic!("{e}"),
    }
    let steps = m.steps();
    assert_eq!(audits(&steps), 0, "{steps:?}");
    assert!(m.images.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_print_reported_before_the_mark_takes_the_mark_and_audit_back() {
    let read = due_image();
    let m = store_with(&read);
    let not_due = || async { Ok(false) };
    assert!(!delete_unchanged(&m, &read, &audit(), now(), not_due)
        .await
        .unwrap());
    let steps = m.steps();
    assert_eq!(
        steps,
        vec![
            format!("mark-and-audit {} storage_period", read.id),
            format!("unmark-and-unaudit {}", read.id)
        ],
        "nothing removed"
    );
    let kept = m.images.lock().unwrap()[&read.id].clone();
    assert!(!kept.deleting, "{kept:?}");
}
