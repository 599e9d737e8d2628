//! In-memory ports for the unit tests of `finalise`: the images table, the
//! bucket, the meters and the image-events queue, with a step to fail once
//! (a crash before that step's write).

use bytes::Bytes;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::image_event::ImageEvent;
use printvault_domain::retention::Schedule;
use printvault_domain::screening::BlockMatch;
use printvault_domain::upload::{HashClaim, Outcome, Settled};
use printvault_domain::Error;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use super::ports::{Blocklist, Files, Incoming, UploadFiles, UploadRecords};
use crate::ports::ImageAnnouncer;

#[derive(Default)]
pub(crate) struct World {
    pub images: HashMap<ImageId, Image>,
    pub hashes: HashMap<String, ImageId>,
    /// `incoming`, `original`, `thumb`, `preview` (and any other) per image.
    pub objects: BTreeMap<(ImageId, &'static str), Bytes>,
    /// Each image's bytes on its owner's meter, and from when: once.
    pub metered: HashMap<ImageId, (u64, i64)>,
    pub blocked: BTreeSet<String>,
    pub announced: Vec<ImageEvent>,
    /// Owners in the archive schedule, by the day they entered.
    pub archive_schedules: HashMap<CustomerId, time::Date>,
    /// The step that fails (once) before it writes anything.
    pub crash_at: Option<&'static str>,
    /// Its owner deletes the image just as it is settled.
    pub delete_at_settle: bool,
    /// Every step taken, in order.
    pub steps: Vec<&'static str>,
}

#[derive(Default)]
pub(crate) struct Fake(pub Mutex<World>);

impl Fake {
    pub fn with<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        f(&mut self.0.lock().unwrap())
    }

    /// Records `step`, or fails it if it is the one to crash at.
    fn step(&self, step: &'static str) -> Result<std::sync::MutexGuard<'_, World>, Error> {
        let mut w = self.0.lock().unwrap();
        if w.crash_at == Some(step) {
            w.crash_at = None;
            return Err(anyhow::anyhow!("crashed before {step}").into());
        }
        w.steps.push(step);
        Ok(w)
    }
}

impl UploadRecords for Fake {
    async fn get(&self, _owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        Ok(self.step("get")?.images.get(id).cloned())
    }
    async fn claim_hash(&self, _owner: &CustomerId, sha256: &str, id: &ImageId) -> Result<HashClaim, Error> {
        let mut w = self.step("claim_hash")?;
        let holder = w.hashes.entry(sha256.into()).or_insert_with(|| id.clone());
        Ok(if holder == id {
            HashClaim::Mine
        } else {
            HashClaim::Taken(holder.clone())
        })
    }
    async fn release_hash(&self, _owner: &CustomerId, sha256: &str, id: &ImageId) -> Result<(), Error> {
        let mut w = self.step("release_hash")?;
        if w.hashes.get(sha256) == Some(id) {
            w.hashes.remove(sha256);
        }
        Ok(())
    }
    async fn settle(&self, image: &Image, outcome: &Outcome, metered_from: i64) -> Result<Settled, Error> {
        let mut w = self.step("settle")?;
        let deleted_now = std::mem::take(&mut w.delete_at_settle);
        let Some(record) = w.images.get_mut(&image.id) else {
            return Ok(Settled::NotPending);
        };
        record.deleting |= deleted_now;
        let Some(record) = w.images.get_mut(&image.id) else {
            return Ok(Settled::NotPending);
        };
        if record.status != ImageStatus::Pending || record.deleting {
            return Ok(Settled::NotPending);
        }
        let mut metered = None;
        match outcome {
            Outcome::Ready {
                finalised,
                attributes,
            } => {
                record.status = ImageStatus::Ready;
                record.finalised = Some(finalised.clone());
                record.attributes = attributes.clone();
                metered = Some((finalised.bytes, metered_from));
            }
            Outcome::Rejected(r) => {
                record.status = ImageStatus::Rejected;
                record.rejection = Some(r.clone());
            }
            Outcome::Duplicate(of) => {
                record.status = ImageStatus::Duplicate;
                record.duplicate_of = Some(of.clone());
            }
        }
        if let Some(m) = metered {
            w.metered.insert(image.id.clone(), m);
        }
        Ok(Settled::Done)
    }
    async fn meter(&self, image: &Image, bytes: u64, from: i64) -> Result<(), Error> {
        self.step("meter")?
            .metered
            .entry(image.id.clone())
            .or_insert((bytes, from));
        Ok(())
    }
    async fn start_retention(&self, image: &Image, schedule: &Schedule) -> Result<(), Error> {
        let mut w = self.step("start_retention")?;
        if let Some(record) = w.images.get_mut(&image.id) {
            record.retention.get_or_insert_with(|| schedule.clone());
        }
        Ok(())
    }
    async fn enter_archive(&self, owner: &CustomerId, day: time::Date) -> Result<(), Error> {
        let mut w = self.step("enter_archive")?;
        w.archive_schedules.entry(owner.clone()).or_insert(day);
        Ok(())
    }
}

impl UploadFiles for Fake {
    async fn incoming(&self, _owner: &CustomerId, id: &ImageId, max_bytes: u64) -> Result<Incoming, Error> {
        let w = self.step("incoming")?;
        Ok(match w.objects.get(&(id.clone(), "incoming")) {
            None => Incoming::Missing,
            Some(b) if b.len() as u64 > max_bytes => Incoming::TooLarge(b.len() as u64),
            Some(b) => Incoming::Bytes(b.clone()),
        })
    }
    async fn store(&self, _owner: &CustomerId, id: &ImageId, files: &Files) -> Result<(), Error> {
        let mut w = self.step("store")?;
        w.objects.insert((id.clone(), "original"), files.original.clone());
        w.objects
            .insert((id.clone(), "thumb"), Bytes::from(files.thumbnail.clone()));
        w.objects
            .insert((id.clone(), "preview"), Bytes::from(files.preview.clone()));
        Ok(())
    }
    async fn drop_incoming(&self, _owner: &CustomerId, id: &ImageId) -> Result<(), Error> {
        self.step("drop_incoming")?
            .objects
            .remove(&(id.clone(), "incoming"));
        Ok(())
    }
    async fn remove_all(&self, _owner: &CustomerId, id: &ImageId) -> Result<(), Error> {
        self.step("remove_all")?.objects.retain(|(i, _), _| i != id);
        Ok(())
    }
}

impl Blocklist for Fake {
    async fn find_match(&self, sha256: &str, _phash: u64, _max: u32) -> Result<Option<BlockMatch>, Error> {
        let w = self.step("find_match")?;
        Ok(w.blocked.contains(sha256).then_some(BlockMatch::Exact))
    }
}

impl ImageAnnouncer for Fake {
    async fn announce(&self, event: &ImageEvent) -> Result<(), Error> {
        self.step("announce")?.announced.push(event.clone());
        Ok(())
    }
}
