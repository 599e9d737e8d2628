//! Images (M5, M7-M9): the record that follows an upload from `pending` to
//! `ready`, `rejected` or `duplicate`, its attributes and its selection.

use crate::when::Timestamp;
use crate::{Clash, Problem, Thing};
use serde::{Deserialize, Serialize};

use crate::access::Class;
use crate::classification::Prices;
use crate::ids::{AlbumId, CustomerId, ImageId};
use crate::Error;

pub use crate::attributes::{
    parse_taken_at, Attributes, AttributesPatch, Place, MAX_LABEL_CHARS, MAX_LIST_ITEMS,
};

/// Where an upload stands. Transitions only leave `Pending`, by conditional
/// write, so a redelivered event changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImageStatus {
    /// Upload URL issued; bytes not yet finalised.
    Pending,
    /// Validated, screened and rendered; visible to its owner.
    Ready,
    /// Refused: not an image, too large, corrupt, or on the blocklist.
    Rejected,
    /// The same bytes as an image the customer already has.
    Duplicate,
}

impl ImageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Ready => "ready",
            Self::Rejected => "rejected",
            Self::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Error> {
        Ok(match s {
            "pending" => Self::Pending,
            "ready" => Self::Ready,
            "rejected" => Self::Rejected,
            "duplicate" => Self::Duplicate,
            _ => {
                return Err(Error::invalid(
                    "status",
                    Problem::one_of(s, &["pending", "ready", "rejected", "duplicate"]),
                ))
            }
        })
    }
}

/// Why an upload was refused: a stable code and a sentence for the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    pub code: String,
    pub reason: String,
}

/// What finalisation learnt about the bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finalised {
    /// `jpeg`, `png` or `webp`, from the bytes themselves.
    pub format: String,
    pub bytes: u64,
    /// Dimensions after EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// Hex SHA-256 of the original bytes.
    pub sha256: String,
    /// 64-bit perceptual hash, hex.
    pub phash: String,
    pub finalised_at: Timestamp,
}

/// What saving an owner's change to an image did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Saved; the record's `rev` is now one more than `before.rev`.
    Done,
    /// Another change was saved since `before` was read, so nothing was
    /// written: read the image again and apply the change to that.
    Stale,
}

/// One image of one customer, in any status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub id: ImageId,
    pub owner: CustomerId,
    pub status: ImageStatus,
    /// The name the client gave, for display only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Declared by the client when asking for the upload URL.
    pub declared_type: String,
    pub declared_bytes: u64,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<ImageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalised: Option<Finalised>,
    #[serde(default)]
    pub attributes: Attributes,
    /// M9: the customer keeps this one.
    #[serde(default)]
    pub selected: bool,
    /// The owner lets others see the coordinates of `attributes.place`
    /// (issue 7, item 5). Off by default: a photo's GPS position can say
    /// where someone lives.
    #[serde(default)]
    pub location_shared: bool,
    /// M10: who may see and print it. New images are private.
    #[serde(default)]
    pub class: Class,
    /// M11: the owner's prices, for printable images only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
    /// M12: the albums holding this image. Stored as a string set, changed
    /// only by set ADD and DELETE so concurrent changes never clash.
    #[serde(default, skip_serializing)]
    pub albums: Vec<AlbumId>,
    /// Bumped by every change its owner saves, and checked by the next: two
    /// concurrent changes can never overwrite each other.
    #[serde(default)]
    pub rev: u64,
    /// Set first when the image is deleted: from then on no change, filing
    /// or index write may land on it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleting: bool,
    /// Its retention schedule (M26, M27): what the retention sweep does
    /// next and when. Written only by `adapters::images::retention`, with
    /// the `due` index keys that put it in that day's bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<crate::retention::Schedule>,
    /// Its original's disc, once the disc is written (M32): moving to the
    /// archive class, or there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<crate::archive::Archived>,
    /// In the trash: hidden from everyone, restorable by its owner until
    /// it is purged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed: Option<crate::trash::Trashed>,
    /// A pending upload's record lapses then (unix seconds; the images
    /// table's TTL attribute) unless its bytes came: settling removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl Image {
    /// The record of an upload just asked for: pending, private, unselected.
    pub fn pending(
        owner: CustomerId,
        file_name: Option<String>,
        declared_type: impl Into<String>,
        declared_bytes: u64,
        created_at: Timestamp,
    ) -> Self {
        Self {
            id: ImageId::generate(),
            owner,
            status: ImageStatus::Pending,
            file_name,
            declared_type: declared_type.into(),
            declared_bytes,
            created_at,
            rejection: None,
            duplicate_of: None,
            finalised: None,
            attributes: Attributes::default(),
            selected: false,
            location_shared: false,
            class: Class::default(),
            prices: None,
            albums: Vec::new(),
            rev: 0,
            deleting: false,
            retention: None,
            archive: None,
            trashed: None,
            expires_at: None,
        }
    }

    /// A pending upload whose bytes never came, past its lapse: treated as
    /// gone (the table's TTL deletes it within a day or two).
    pub fn lapsed(&self, now: i64) -> bool {
        self.status == ImageStatus::Pending && self.expires_at.is_some_and(|t| t <= now)
    }

    /// M9: keeps the image or stops keeping it. One that stops being kept
    /// comes up for retention (M26, M27) again `today`, its keep period
    /// starting again from today.
    pub fn select(&mut self, selected: bool, today: time::Date) {
        if self.selected && !selected {
            self.retention = Some(crate::retention::Schedule::review_from(today));
        }
        self.selected = selected;
    }

    /// Whether its owner may change it now: ready, not in the trash and not
    /// being deleted.
    /// A duplicate points at the image to use instead.
    pub fn require_ready(&self) -> Result<(), Error> {
        if self.deleting || self.trashed.is_some() {
            return Err(Error::NotFound(Thing::Image));
        }
        match self.status {
            ImageStatus::Ready => Ok(()),
            ImageStatus::Duplicate => Err(Error::Conflict(Clash::DuplicateOf(self.duplicate_of.clone()))),
            s => Err(Error::Conflict(Clash::ImageNotReady(s))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn unselecting_brings_an_image_back_to_retention_today_and_selecting_does_not() {
        let mut image = Image::pending(
            CustomerId::generate(),
            None,
            "image/jpeg",
            1,
            "2026-01-01T00:00:00Z".parse().unwrap(),
        );
        image.select(true, date!(2026 - 12 - 07));
        assert_eq!(image.retention, None, "a kept image is left to the sweep");
        image.select(true, date!(2026 - 12 - 07));
        assert_eq!(image.retention, None);
        image.select(false, date!(2026 - 12 - 07));
        assert!(!image.selected);
        assert_eq!(
            image.retention,
            Some(crate::retention::Schedule::review_from(date!(2026 - 12 - 07)))
        );
        let mut never = Image::pending(
            CustomerId::generate(),
            None,
            "image/jpeg",
            1,
            "2026-01-01T00:00:00Z".parse().unwrap(),
        );
        never.select(false, date!(2026 - 12 - 07));
        assert_eq!(never.retention, None, "not kept before: nothing changes");
    }
}
