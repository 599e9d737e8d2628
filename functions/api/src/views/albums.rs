//! M12 albums.

use printvault_adapters::Page;
use printvault_domain::album::{Album, AlbumKind};
use printvault_domain::ids::AlbumId;
use printvault_usecases::albums::AlbumImage;
use serde::Serialize;
use utoipa::ToSchema;

use super::images::{ImageView, OwnImage, SharedImage};

#[derive(Serialize, ToSchema)]
pub struct AlbumView {
    pub album_id: AlbumId,
    pub name: String,
    pub kind: AlbumKind,
    pub created_at: String,
}

impl From<&Album> for AlbumView {
    fn from(a: &Album) -> Self {
        Self {
            album_id: a.album_id.clone(),
            name: a.name.clone(),
            kind: a.kind,
            created_at: a.created_at.to_string(),
        }
    }
}

/// A page of the caller's albums.
#[derive(Serialize, ToSchema)]
pub struct AlbumList {
    pub albums: Vec<AlbumView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<&Page<Album>> for AlbumList {
    fn from(p: &Page<Album>) -> Self {
        Self {
            albums: p.items.iter().map(AlbumView::from).collect(),
            next_cursor: p.next_cursor.clone(),
        }
    }
}

/// An album and one page of the images in it the caller may see.
#[derive(Serialize, ToSchema)]
pub struct AlbumPage {
    #[serde(flatten)]
    pub album: AlbumView,
    pub images: Vec<ImageView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl AlbumPage {
    pub fn new(album: &Album, page: &Page<AlbumImage>) -> Self {
        Self {
            album: album.into(),
            images: page
                .items
                .iter()
                .map(|i| match i {
                    AlbumImage::Own(i) => ImageView::Own(OwnImage::from(i)),
                    AlbumImage::Shared(i, a) => ImageView::Shared(SharedImage::new(i, a)),
                })
                .collect(),
            next_cursor: page.next_cursor.clone(),
        }
    }
}

/// What happened to one image of a bulk edit.
#[derive(Serialize, ToSchema)]
pub struct BulkResult {
    pub image_id: String,
    pub status: BulkStatus,
    /// Why this image was not updated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `"updated"`, or the HTTP status the edit of this image alone would have had.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum BulkStatus {
    #[schema(value_type = String, example = "updated")]
    Updated(&'static str),
    #[schema(example = 404)]
    Failed(u16),
}

#[derive(Serialize, ToSchema)]
pub struct BulkResults {
    pub results: Vec<BulkResult>,
}
