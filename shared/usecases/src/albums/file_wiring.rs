//! Filing's ports, served by DynamoDB.

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::albums::AlbumStore;
use printvault_adapters::images::ImageStore;
use printvault_adapters::search::SearchIndex;
use printvault_domain::album::{Album, AlbumKind};
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::profile::Profile;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use time::OffsetDateTime;

use super::file::{Filed, FilingPorts};

/// Everything classify reaches.
#[derive(Clone)]
pub struct FilingStorage {
    pub images: ImageStore,
    pub albums: AlbumStore,
    pub search: SearchIndex,
    pub accounts: AccountStore,
}

impl FilingPorts for FilingStorage {
    async fn image(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        self.images.get(owner, id).await
    }
    async fn profile(&self, owner: &CustomerId) -> Result<Profile, Error> {
        Ok(self
            .accounts
            .customer(owner)
            .await?
            .map(|c| c.profile)
            .unwrap_or_default())
    }
    async fn index(&self, image: &Image) -> Result<bool, Error> {
        self.search.add(image).await
    }
    async fn memberships(&self, image: &Image) -> Result<Vec<(AlbumId, Option<String>)>, Error> {
        let mut out = Vec::with_capacity(image.albums.len());
        for album in &image.albums {
            let key = self
                .albums
                .membership(album, &image.id)
                .await?
                .and_then(|m| m.auto_key);
            out.push((album.clone(), key));
        }
        Ok(out)
    }
    async fn auto_album(
        &self,
        owner: &CustomerId,
        key: &str,
        name: &str,
        now: OffsetDateTime,
    ) -> Result<Option<AlbumId>, Error> {
        let candidate = Album {
            album_id: AlbumId::generate(),
            owner: owner.clone(),
            name: name.to_owned(),
            kind: AlbumKind::Auto,
            auto_key: Some(key.to_owned()),
            created_at: Timestamp::at(now),
        };
        Ok(self.albums.auto_album(&candidate, key).await?.map(|a| a.album_id))
    }
    async fn file(
        &self,
        image: &Image,
        album: &AlbumId,
        key: &str,
        now: OffsetDateTime,
    ) -> Result<Filed, Error> {
        match self
            .albums
            .add(&image.owner, album, &image.id, Timestamp::at(now), Some(key))
            .await
        {
            Ok(()) => Ok(Filed::Done),
            // Deleted by its owner since we read it.
            Err(Error::NotFound(_)) => Ok(Filed::ImageGone),
            Err(e) => Err(e),
        }
    }
    async fn unfile(&self, image: &Image, album: &AlbumId) -> Result<(), Error> {
        self.albums.remove(&image.owner, album, &image.id).await
    }
}
