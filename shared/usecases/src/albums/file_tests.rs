//! Filing over in-memory ports.

use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::image_event::ImageEvent;
use printvault_domain::profile::Profile;
use printvault_domain::Error;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use time::macros::datetime;
use time::OffsetDateTime;

use super::file::{file, Classified, Filed, FilingPorts};

const NOW: OffsetDateTime = datetime!(2026-12-07 06:00:00 UTC);

#[derive(Default)]
struct World {
    images: HashMap<ImageId, Image>,
    /// (album, image) → the automatic key it was filed under.
    members: BTreeMap<(AlbumId, ImageId), Option<String>>,
    /// key → its album, and whether its owner deleted it.
    autos: BTreeMap<String, (AlbumId, bool)>,
    indexed: BTreeSet<ImageId>,
}

#[derive(Default)]
struct Fake(Mutex<World>);

impl FilingPorts for Fake {
    async fn image(&self, _o: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        let w = self.0.lock().unwrap();
        Ok(w.images.get(id).map(|i| {
            let mut i = i.clone();
            i.albums = w
                .members
                .keys()
                .filter(|(_, m)| m == id)
                .map(|(a, _)| a.clone())
                .collect();
            i
        }))
    }
    async fn profile(&self, _o: &CustomerId) -> Result<Profile, Error> {
        Ok(Profile::default())
    }
    async fn index(&self, image: &Image) -> Result<bool, Error> {
        self.0.lock().unwrap().indexed.insert(image.id.clone());
        Ok(true)
    }
    async fn memberships(&self, image: &Image) -> Result<Vec<(AlbumId, Option<String>)>, Error> {
        let w = self.0.lock().unwrap();
        Ok(image
            .albums
            .iter()
            .map(|a| {
                (
                    a.clone(),
                    w.members.get(&(a.clone(), image.id.clone())).cloned().flatten(),
                )
            })
            .collect())
    }
    async fn auto_album(
        &self,
        _o: &CustomerId,
        key: &str,
        _n: &str,
        _t: OffsetDateTime,
    ) -> Result<Option<AlbumId>, Error> {
        let mut w = self.0.lock().unwrap();
        let (album, dismissed) = w
            .autos
            .entry(key.into())
            .or_insert_with(|| (AlbumId::generate(), false));
        Ok((!*dismissed).then(|| album.clone()))
    }
    async fn file(
        &self,
        image: &Image,
        album: &AlbumId,
        key: &str,
        _t: OffsetDateTime,
    ) -> Result<Filed, Error> {
        let mut w = self.0.lock().unwrap();
        if !w.images.contains_key(&image.id) {
            return Ok(Filed::ImageGone);
        }
        w.members
            .insert((album.clone(), image.id.clone()), Some(key.into()));
        Ok(Filed::Done)
    }
    async fn unfile(&self, image: &Image, album: &AlbumId) -> Result<(), Error> {
        self.0
            .lock()
            .unwrap()
            .members
            .remove(&(album.clone(), image.id.clone()));
        Ok(())
    }
}

fn ready(fake: &Fake, taken_at: &str, event: Option<&str>) -> Image {
    let mut image = Image::pending(
        CustomerId::generate(),
        None,
        "image/jpeg",
        1,
        "2026-12-07T05:00:00Z".parse().unwrap(),
    );
    image.status = ImageStatus::Ready;
    image.attributes.taken_at = Some(taken_at.into());
    image.attributes.event = event.map(Into::into);
    fake.0
        .lock()
        .unwrap()
        .images
        .insert(image.id.clone(), image.clone());
    image
}

fn albums_of(fake: &Fake, image: &Image) -> BTreeSet<String> {
    let w = fake.0.lock().unwrap();
    w.members
        .iter()
        .filter(|((_, i), _)| *i == image.id)
        .map(|(_, key)| key.clone().unwrap_or_else(|| "manual".into()))
        .collect()
}

#[tokio::test]
async fn a_ready_image_is_indexed_and_filed_once_however_often_it_is_announced() {
    let fake = Fake::default();
    let image = ready(&fake, "2024-08-10T06:30:00", Some("Summer trip"));
    let event = ImageEvent::ready(&image.owner, &image.id);
    let first = file(&fake, &event, NOW).await.unwrap();
    assert_eq!(
        first,
        Classified::Filed {
            albums: 2,
            added: 2,
            removed: 0
        }
    );
    assert!(fake.0.lock().unwrap().indexed.contains(&image.id));
    let want: BTreeSet<String> = ["event:summer trip".into(), "month:2024-08".into()].into();
    assert_eq!(albums_of(&fake, &image), want);
    let again = file(&fake, &event, NOW).await.unwrap();
    assert_eq!(
        again,
        Classified::Filed {
            albums: 2,
            added: 0,
            removed: 0
        }
    );
    assert_eq!(albums_of(&fake, &image), want);
    assert_eq!(fake.0.lock().unwrap().autos.len(), 2, "one album per key");
}

#[tokio::test]
async fn an_edit_moves_it_between_automatic_albums_and_keeps_the_owners_own() {
    let fake = Fake::default();
    let image = ready(&fake, "2024-08-10T06:30:00", None);
    file(&fake, &ImageEvent::ready(&image.owner, &image.id), NOW)
        .await
        .unwrap();
    let manual = AlbumId::generate();
    {
        let mut w = fake.0.lock().unwrap();
        w.members.insert((manual, image.id.clone()), None);
        w.images.get_mut(&image.id).unwrap().attributes.taken_at = Some("2025-01-02T00:00:00".into());
    }
    let moved = file(
        &fake,
        &ImageEvent::attributes_changed(&image.owner, &image.id),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        moved,
        Classified::Filed {
            albums: 1,
            added: 1,
            removed: 1
        }
    );
    assert_eq!(
        albums_of(&fake, &image),
        ["manual".to_string(), "month:2025-01".into()].into()
    );
}

#[tokio::test]
async fn gone_unready_and_dismissed_are_left_alone() {
    let fake = Fake::default();
    let image = ready(&fake, "2024-08-10T06:30:00", None);
    let event = ImageEvent::ready(&image.owner, &image.id);
    fake.0.lock().unwrap().images.get_mut(&image.id).unwrap().status = ImageStatus::Pending;
    assert_eq!(
        file(&fake, &event, NOW).await.unwrap(),
        Classified::Skipped("not ready")
    );
    fake.0.lock().unwrap().images.get_mut(&image.id).unwrap().deleting = true;
    assert_eq!(
        file(&fake, &event, NOW).await.unwrap(),
        Classified::Skipped("gone")
    );
    let other = ready(&fake, "2024-08-11T00:00:00", None);
    fake.0
        .lock()
        .unwrap()
        .autos
        .insert("month:2024-08".into(), (AlbumId::generate(), true));
    let r = file(&fake, &ImageEvent::ready(&other.owner, &other.id), NOW)
        .await
        .unwrap();
    assert_eq!(
        r,
        Classified::Filed {
            albums: 1,
            added: 0,
            removed: 0
        },
        "its owner deleted that album"
    );
    assert!(albums_of(&fake, &other).is_empty());
}
