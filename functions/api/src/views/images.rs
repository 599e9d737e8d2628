//! Images (M5, M7-M11): what the owner sees, what others see, and URLs.

use printvault_adapters::objects::Presigned;
use printvault_adapters::Page;
use printvault_domain::access::{Access, Class};
use printvault_domain::archive::ArchiveState;
use printvault_domain::classification::Prices;
use printvault_domain::ids::ImageId;
use printvault_domain::image::{Attributes, Image, ImageStatus, Rejection};
use printvault_usecases::images::{SignedUrls, UploadTicket};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What the owner sees of an image.
#[derive(Serialize, ToSchema)]
pub struct OwnImage {
    pub image_id: ImageId,
    pub status: ImageStatus,
    pub created_at: String,
    pub declared_type: String,
    pub declared_bytes: u64,
    pub attributes: Attributes,
    pub selected: bool,
    /// Others who may see the image also see the place's coordinates.
    pub location_shared: bool,
    pub class: Class,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<ImageId>,
    /// `jpeg`, `png` or `webp`, read from the bytes (once ready).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finalised_at: Option<String>,
    /// Where the original is once its archive disc is written (M32): on
    /// that disc, and moving to (or in) cold storage. It cannot be printed
    /// from until it is restored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveView>,
}

/// An image's archive disc (M32).
#[derive(Serialize, ToSchema)]
pub struct ArchiveView {
    /// The disc: its archive order's ID, printed on its label.
    pub disc_id: String,
    pub state: ArchiveState,
    /// Since when.
    pub at: String,
    /// The owner's last ask for the original back, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore: Option<super::archive::RestoreAsk>,
}

impl From<&Image> for OwnImage {
    fn from(i: &Image) -> Self {
        let f = i.finalised.as_ref();
        Self {
            image_id: i.id.clone(),
            status: i.status,
            created_at: i.created_at.to_string(),
            declared_type: i.declared_type.clone(),
            declared_bytes: i.declared_bytes,
            attributes: i.attributes.clone(),
            selected: i.selected,
            location_shared: i.location_shared,
            class: i.class,
            prices: i.prices,
            file_name: i.file_name.clone(),
            rejection: i.rejection.clone(),
            duplicate_of: i.duplicate_of.clone(),
            format: f.map(|f| f.format.clone()),
            bytes: f.map(|f| f.bytes),
            width: f.map(|f| f.width),
            height: f.map(|f| f.height),
            sha256: f.map(|f| f.sha256.clone()),
            finalised_at: f.map(|f| f.finalised_at).map(|t| t.to_string()),
            archive: i.archive.as_ref().map(|a| ArchiveView {
                disc_id: a.disc_id.to_string(),
                state: a.state,
                at: a.at.to_string(),
                restore: a.restore.as_ref().map(Into::into),
            }),
        }
    }
}

/// What someone other than the owner sees: no file name, hashes or owner.
#[derive(Serialize, ToSchema)]
pub struct SharedImage {
    pub image_id: ImageId,
    pub class: Class,
    pub attributes: Attributes,
    pub original_available: bool,
    pub printable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The owner's prices, for a printable image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
}

impl SharedImage {
    pub fn new(i: &Image, a: &Access) -> Self {
        Self {
            image_id: i.id.clone(),
            class: i.class,
            attributes: i.attributes.seen_by_others(i.location_shared),
            original_available: a.original,
            printable: a.print.is_some(),
            width: i.finalised.as_ref().map(|f| f.width),
            height: i.finalised.as_ref().map(|f| f.height),
            prices: i.prices.filter(|_| i.class == Class::Printable),
        }
    }
}

/// An image as the caller may see it: all of it for its owner.
// A response body, made and serialised once: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum ImageView {
    Own(OwnImage),
    Shared(SharedImage),
}

/// A page of the caller's images, newest first.
#[derive(Serialize, ToSchema)]
pub struct ImagePage {
    pub images: Vec<OwnImage>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<&Page<Image>> for ImagePage {
    fn from(p: &Page<Image>) -> Self {
        Self {
            images: p.items.iter().map(OwnImage::from).collect(),
            next_cursor: p.next_cursor.clone(),
        }
    }
}

/// Short-lived URLs for what the caller may fetch.
#[derive(Serialize, ToSchema)]
pub struct ImageUrls {
    pub image_id: ImageId,
    pub expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// Present (true) when the preview carries the "cannot print" mark.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub preview_marked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
}

impl From<SignedUrls> for ImageUrls {
    fn from(u: SignedUrls) -> Self {
        Self {
            image_id: u.image_id,
            expires_at: u.expires_at.to_string(),
            thumbnail: u.thumbnail,
            preview: u.preview,
            preview_marked: u.preview_marked,
            original: u.original,
        }
    }
}

/// A presigned PUT: send exactly these headers with the bytes.
#[derive(Serialize, ToSchema)]
pub struct PresignedPut {
    #[schema(example = "PUT")]
    pub method: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
}

/// Where to PUT the bytes of a new image, and until when.
#[derive(Serialize, ToSchema)]
pub struct UploadView {
    pub image_id: ImageId,
    pub status: ImageStatus,
    pub upload: PresignedPut,
    pub expires_at: String,
}

impl From<UploadTicket> for UploadView {
    fn from(t: UploadTicket) -> Self {
        let Presigned { method, url, headers } = t.upload;
        Self {
            image_id: t.image.id,
            status: t.image.status,
            upload: PresignedPut { method, url, headers },
            expires_at: t.expires_at.to_string(),
        }
    }
}
