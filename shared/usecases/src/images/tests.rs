//! Deletion order and change retries, over in-memory ports.

use printvault_adapters::catalog::Saved;
use printvault_adapters::image_events::ImageEvent;
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::{AttributesPatch, Finalised, Image, ImageStatus};
use printvault_domain::sharing::Target;
use printvault_domain::Error;
use std::collections::HashMap;
use std::sync::Mutex;

use crate::images::{change_image, delete_image, CHANGE_ATTEMPTS};
use crate::ports::{ImageAnnouncer, ImageParts, ImageRecords};

/// One image table, a log of every step taken, a step to fail once, and a
/// number of saves to answer `Stale` (as if another change had just won).
#[derive(Default)]
struct Memory {
    images: Mutex<HashMap<ImageId, Image>>,
    log: Mutex<Vec<String>>,
    fail_once: Mutex<Option<&'static str>>,
    stale_saves: Mutex<usize>,
}

impl Memory {
    fn step(&self, name: &'static str, detail: impl std::fmt::Display) -> Result<(), Error> {
        let mut fail = self.fail_once.lock().unwrap();
        if *fail == Some(name) {
            *fail = None;
            return Err(anyhow::anyhow!("{name} failed").into());
        }
        self.log.lock().unwrap().push(format!("{name} {detail}"));
        Ok(())
    }

    fn steps(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl ImageRecords for Memory {
    async fn get(&self, _owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        Ok(self.images.lock().unwrap().get(id).cloned())
    }
    async fn save(&self, before: &Image, after: &Image) -> Result<Saved, Error> {
        let mut stale = self.stale_saves.lock().unwrap();
        if *stale > 0 {
            *stale -= 1;
            return Ok(Saved::Stale);
        }
        let mut images = self.images.lock().unwrap();
        let current = images.get(&before.id).ok_or(Error::NotFound("image"))?;
        if current.rev != before.rev || current.deleting {
            return Ok(Saved::Stale);
        }
        let mut saved = after.clone();
        saved.rev = before.rev + 1;
        images.insert(saved.id.clone(), saved);
        Ok(Saved::Done)
    }
    async fn mark_deleting(&self, _owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        self.step("mark", id)?;
        let mut images = self.images.lock().unwrap();
        Ok(images.get_mut(id).map(|i| {
            i.deleting = true;
            i.rev += 1;
            i.clone()
        }))
    }
    async fn release_hash(&self, _owner: &CustomerId, sha256: &str, _id: &ImageId) -> Result<(), Error> {
        self.step("release-hash", sha256)
    }
    async fn delete(&self, _owner: &CustomerId, id: &ImageId) -> Result<(), Error> {
        self.step("delete-record", id)?;
        self.images.lock().unwrap().remove(id);
        Ok(())
    }
}

impl ImageParts for Memory {
    async fn delete_object(&self, key: &str) -> Result<(), Error> {
        self.step("delete-object", key.split('/').next().unwrap_or(key))
    }
    async fn revoke_grants_and_links(&self, _owner: &CustomerId, target: &Target) -> Result<(), Error> {
        self.step("revoke", matches!(target, Target::Image(_)))
    }
    async fn remove_from_search(&self, image: &Image) -> Result<(), Error> {
        self.step("unindex", &image.id)
    }
    async fn remove_from_album(
        &self,
        _owner: &CustomerId,
        album: &AlbumId,
        _image: &ImageId,
    ) -> Result<(), Error> {
        self.step("unfile", album)
    }
    async fn meter_out(&self, image: &Image, _at: i64) -> Result<(), Error> {
        self.step("meter-out", &image.id)
    }
}

impl ImageAnnouncer for Memory {
    async fn announce(&self, event: &ImageEvent) -> Result<(), Error> {
        self.step("announce", event.kind.as_str())
    }
}

fn ready_image(albums: Vec<AlbumId>) -> Image {
    let mut i = Image::pending(CustomerId::generate(), None, "image/jpeg", 10, String::new());
    i.status = ImageStatus::Ready;
    i.albums = albums;
    i.finalised = Some(Finalised {
        format: "jpeg".into(),
        bytes: 10,
        width: 4,
        height: 3,
        sha256: "ab12".into(),
        phash: String::new(),
        finalised_at: String::new(),
    });
    i
}

fn store_with(image: &Image) -> Memory {
    let m = Memory::default();
    m.images.lock().unwrap().insert(image.id.clone(), image.clone());
    m
}

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
    assert!(matches!(r, Err(Error::NotFound("image"))));
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
