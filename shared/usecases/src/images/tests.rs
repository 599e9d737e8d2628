//! Deletion order and change retries, over in-memory ports.

use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::{AttributesPatch, ImageStatus};
use printvault_domain::Error;
use printvault_domain::Thing;

use crate::images::memory::{ready_image, store_with, Memory};
use crate::images::{change_image, delete_image, CHANGE_ATTEMPTS};

#[tokio::test]
async fn a_delete_marks_first_cleans_every_part_and_removes_the_record_last() {
    let album = AlbumId::generate();
    let image = ready_image(vec![album.clone()]);
    let m = store_with(&image);
    delete_image(&m, &image.owner, &image.id, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let id = image.id.to_string();
    assert_eq!(
        m.steps(),
        vec![
            format!("mark {id}"),
            "delete-object incoming".into(),
            "delete-object originals".into(),
            "delete-object thumbs".into(),
            "delete-object previews".into(),
            "delete-object marked".into(),
            "delete-object shared-originals".into(),
            "release-hash ab12".into(),
            "revoke true".into(),
            format!("unindex {id}"),
            format!("unfile {album}"),
            format!("meter-out {id}"),
            format!("delete-record {id}"),
        ]
    );
    assert!(m.images.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_delete_cut_short_at_any_step_keeps_the_record_and_a_retry_finishes() {
    for failing in [
        "delete-object",
        "release-hash",
        "revoke",
        "unindex",
        "unfile",
        "meter-out",
        "delete-record",
    ] {
        let image = ready_image(vec![AlbumId::generate()]);
        let m = store_with(&image);
        *m.fail_once.lock().unwrap() = Some(failing);
        assert!(
            delete_image(&m, &image.owner, &image.id, time::OffsetDateTime::now_utc())
                .await
                .is_err(),
            "{failing}"
        );
        let kept = m.images.lock().unwrap().get(&image.id).cloned();
        let kept = kept.unwrap_or_else(|| panic!("record lost after {failing} failed"));
        assert!(kept.deleting, "the mark stays after {failing} failed");
        m.steps();
        delete_image(&m, &image.owner, &image.id, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        assert!(m.steps().last().unwrap().starts_with("delete-record"));
        assert!(m.images.lock().unwrap().is_empty(), "{failing}");
    }
}

#[tokio::test]
async fn deleting_an_image_that_is_gone_is_not_found() {
    let m = Memory::default();
    let r = delete_image(
        &m,
        &CustomerId::generate(),
        &ImageId::generate(),
        time::OffsetDateTime::now_utc(),
    )
    .await;
    assert!(matches!(r, Err(Error::NotFound(Thing::Image))));
}

#[tokio::test]
async fn a_stale_save_is_reapplied_to_a_fresh_read() {
    let image = ready_image(vec![]);
    let m = store_with(&image);
    *m.stale_saves.lock().unwrap() = CHANGE_ATTEMPTS - 1;
    let changed = change_image(&m, &image.owner, &image.id, None, |i| {
        i.selected = true;
        Ok(())
    })
    .await
    .unwrap();
    assert!(changed.selected);
    assert_eq!(changed.rev, image.rev + 1);
    assert_eq!(m.images.lock().unwrap()[&image.id].rev, image.rev + 1);
}

#[tokio::test]
async fn a_change_that_keeps_losing_is_a_conflict_and_writes_nothing() {
    let image = ready_image(vec![]);
    let m = store_with(&image);
    *m.stale_saves.lock().unwrap() = CHANGE_ATTEMPTS;
    let r = change_image(&m, &image.owner, &image.id, None, |i| {
        i.selected = true;
        Ok(())
    })
    .await;
    assert!(matches!(r, Err(Error::Conflict(_))));
    assert_eq!(m.images.lock().unwrap()[&image.id], image);
}

#[tokio::test]
async fn changing_the_event_asks_classify_to_file_again_and_selection_does_not() {
    let image = ready_image(vec![]);
    let m = store_with(&image);
    let patch: AttributesPatch = serde_json::from_str(r#"{"event":"Wedding"}"#).unwrap();
    change_image(&m, &image.owner, &image.id, Some(&patch), |i| {
        i.attributes.apply(patch.clone())
    })
    .await
    .unwrap();
    assert_eq!(m.steps(), vec!["announce image.attributes_changed".to_owned()]);
    change_image(&m, &image.owner, &image.id, None, |i| {
        i.selected = true;
        Ok(())
    })
    .await
    .unwrap();
    assert!(m.steps().is_empty());
}

#[tokio::test]
async fn an_image_being_deleted_or_not_ready_cannot_change() {
    let mut image = ready_image(vec![]);
    image.deleting = true;
    let m = store_with(&image);
    let r = change_image(&m, &image.owner, &image.id, None, |_| Ok(())).await;
    assert!(matches!(r, Err(Error::NotFound(_))));
    let mut pending = ready_image(vec![]);
    pending.status = ImageStatus::Pending;
    let m = store_with(&pending);
    let r = change_image(&m, &pending.owner, &pending.id, None, |_| Ok(())).await;
    assert!(matches!(r, Err(Error::Conflict(_))));
}
