//! In-memory ports for the unit tests of deleting, trashing and changing
//! images:
//! one image table, a log of every step taken, a step to fail once, and a
//! number of saves to answer `Stale`.

use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::Saved;
use printvault_domain::image::{Finalised, Image, ImageStatus};
use printvault_domain::image_event::ImageEvent;
use printvault_domain::retention::DeletionAudit;
use printvault_domain::sharing::Target;
use printvault_domain::trash::Trashed;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use std::collections::HashMap;
use std::sync::Mutex;

use crate::ports::{ImageAnnouncer, ImageParts, ImageRecords};

/// One image table, a log of every step taken, a step to fail once, and a
/// number of saves to answer `Stale` (as if another change had just won).
#[derive(Default)]
pub(crate) struct Memory {
    pub(crate) images: Mutex<HashMap<ImageId, Image>>,
    pub(crate) log: Mutex<Vec<String>>,
    pub(crate) fail_once: Mutex<Option<&'static str>>,
    pub(crate) stale_saves: Mutex<usize>,
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

    pub(crate) fn steps(&self) -> Vec<String> {
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
        let current = images.get(&before.id).ok_or(Error::NotFound(Thing::Image))?;
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
    async fn mark_trashed(&self, read: &Image, t: &Trashed, audit: &DeletionAudit) -> Result<bool, Error> {
        let mut images = self.images.lock().unwrap();
        let Some(current) = images.get_mut(&read.id) else {
            return Ok(false);
        };
        if current.deleting
            || current.trashed.is_some()
            || current.rev != read.rev
            || current.retention != read.retention
        {
            return Ok(false);
        }
        // The mark and the audit entry land together.
        self.step("trash-mark", format!("{} {}", read.id, audit.cause.as_str()))?;
        current.trashed = Some(t.clone());
        current.retention = None;
        current.rev += 1;
        Ok(true)
    }
    async fn trash_now(
        &self,
        _owner: &CustomerId,
        id: &ImageId,
        t: &Trashed,
    ) -> Result<Option<Image>, Error> {
        let mut images = self.images.lock().unwrap();
        let Some(current) = images.get_mut(id) else {
            return Ok(None);
        };
        if current.deleting || current.trashed.is_some() || current.status != ImageStatus::Ready {
            return Ok(None);
        }
        self.step("trash-mark", format!("{id} owner"))?;
        current.trashed = Some(t.clone());
        current.retention = None;
        current.rev += 1;
        Ok(Some(current.clone()))
    }
    async fn trash_started(&self, image: &Image, t: &Trashed, albums: &[AlbumId]) -> Result<bool, Error> {
        let mut images = self.images.lock().unwrap();
        let Some(current) = images.get_mut(&image.id) else {
            return Ok(false);
        };
        match current.trashed.as_mut() {
            Some(now) if now.at == t.at && !current.deleting => {
                self.step("trash-listed", format!("{} {}", image.id, albums.len()))?;
                now.albums = albums.to_vec();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    async fn unmark_trashed(&self, read: &Image, t: &Trashed) -> Result<(), Error> {
        let mut images = self.images.lock().unwrap();
        if let Some(current) = images.get_mut(&read.id) {
            if current.trashed.as_ref() == Some(t) && !current.deleting && current.rev == read.rev + 1 {
                self.step("trash-unmark", &read.id)?;
                current.trashed = None;
                current.retention = read.retention.clone();
                current.rev += 1;
            }
        }
        Ok(())
    }
    async fn tidied(&self, image: &Image, t: &Trashed) -> Result<bool, Error> {
        let mut images = self.images.lock().unwrap();
        let Some(current) = images.get_mut(&image.id) else {
            return Ok(false);
        };
        match current.trashed.as_mut() {
            Some(now) if now.at == t.at && !current.deleting => {
                self.step("tidied", &image.id)?;
                now.tidy = true;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    async fn release_hash(&self, _owner: &CustomerId, sha256: &str, _id: &ImageId) -> Result<(), Error> {
        self.step("release-hash", sha256)
    }
    async fn delete(&self, image: &Image) -> Result<(), Error> {
        self.step("delete-record", &image.id)?;
        self.images.lock().unwrap().remove(&image.id);
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

pub(crate) fn ready_image(albums: Vec<AlbumId>) -> Image {
    let mut i = Image::pending(CustomerId::generate(), None, "image/jpeg", 10, Timestamp::EPOCH);
    i.status = ImageStatus::Ready;
    i.albums = albums;
    i.finalised = Some(Finalised {
        format: "jpeg".into(),
        bytes: 10,
        width: 4,
        height: 3,
        sha256: "ab12".into(),
        phash: String::new(),
        finalised_at: Timestamp::EPOCH,
    });
    i
}

pub(crate) fn store_with(image: &Image) -> Memory {
    let m = Memory::default();
    m.images.lock().unwrap().insert(image.id.clone(), image.clone());
    m
}
