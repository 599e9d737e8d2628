//! The images of an export: every ready image of the owner that is not in
//! the trash (nor being deleted), oldest first, each placed in a part
//! (`printvault_domain::export::plan`) with its manifest entry and its
//! XMP sidecar. The sidecar is the owner's own: it carries their GPS, class
//! and prices.

use anyhow::Context;
use printvault_domain::export::manifest::ManifestImage;
use printvault_domain::export::plan::{plan, ToExport, SIDECAR_BYTES};
use printvault_domain::ids::CustomerId;
use printvault_domain::image::{Finalised, Image, ImageStatus};
use printvault_domain::xmp::Sidecar;
use printvault_domain::Error;
use time::macros::format_description;
use time::PrimitiveDateTime;

use super::{every, PAGE};
use crate::export::part::Entry;
use crate::Stores;

/// The images' section and each part's entries (`parts[0]` is part 1).
pub(super) struct Planned {
    pub images: Vec<ManifestImage>,
    pub parts: Vec<Vec<Entry>>,
}

/// `owner`'s images that go in an export, oldest first (then by ID): ready,
/// with their bytes recorded, not in the trash and not being deleted.
/// Uploads that never became images (pending, rejected, duplicates) stay
/// out, and so do images archived to a disc (M32): their originals are in
/// the archive class, which S3 cannot stream, and the customer holds them
/// on the disc (`docs/export.md`).
pub(super) async fn exportable(st: &Stores, owner: &CustomerId) -> Result<Vec<Image>, Error> {
    let mut images =
        every(|cursor| async move { st.images.list(owner, PAGE, cursor.as_deref()).await }).await?;
    images.retain(|i| {
        i.status == ImageStatus::Ready
            && i.finalised.is_some()
            && i.trashed.is_none()
            && !i.deleting
            && i.archive.is_none()
    });
    images.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(images)
}

/// When the photo was taken, as its attributes say (`YYYY-MM-DDTHH:MM:SS`,
/// the camera's local time), if that can be read.
fn taken(i: &Image) -> Option<PrimitiveDateTime> {
    let raw = i.attributes.taken_at.as_deref()?;
    PrimitiveDateTime::parse(
        raw,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    )
    .ok()
}

/// The time the image's entries carry: taken, else stored (UTC).
fn modified(i: &Image) -> PrimitiveDateTime {
    taken(i).unwrap_or_else(|| {
        let t = i.created_at.time();
        PrimitiveDateTime::new(t.date(), t.time())
    })
}

/// `YYYY-MM` of `t`.
fn month(t: PrimitiveDateTime) -> String {
    format!("{:04}-{:02}", t.year(), u8::from(t.month()))
}

/// What finalisation recorded of a ready image's original.
fn finalised(i: &Image) -> Result<&Finalised, Error> {
    Ok(i.finalised.as_ref().context("an exported image is finalised")?)
}

/// Places `images` (as [`exportable`] gives them) in parts of about
/// `part_bytes`, and makes each one's manifest entry and part entry.
pub(super) fn planned(images: &[Image], part_bytes: u64) -> Result<Planned, Error> {
    let months: Vec<String> = images.iter().map(|i| month(modified(i))).collect();
    let mut to_export = Vec::with_capacity(images.len());
    for (i, m) in images.iter().zip(&months) {
        let f = finalised(i)?;
        to_export.push(ToExport {
            image_id: &i.id,
            file_name: i.file_name.as_deref(),
            format: &f.format,
            month: m,
            bytes: f.bytes,
        });
    }
    let (placed, parts) = plan(&to_export, part_bytes);
    let mut out = Planned {
        images: Vec::with_capacity(images.len()),
        parts: vec![Vec::new(); parts as usize],
    };
    for (i, p) in images.iter().zip(placed) {
        let f = finalised(i)?;
        let xmp = Sidecar {
            image_id: i.id.as_str(),
            stored_at: i.created_at,
            attributes: &i.attributes,
            class: Some((i.class, i.prices.as_ref())),
        }
        .within(SIDECAR_BYTES as usize);
        let part = p
            .part
            .checked_sub(1)
            .and_then(|n| out.parts.get_mut(n as usize))
            .context("the plan places each image in one of its parts")?;
        part.push(Entry {
            image_id: i.id.clone(),
            path: p.path.clone(),
            sidecar: p.sidecar.clone(),
            xmp,
            bytes: f.bytes,
            sha256: f.sha256.clone(),
            modified: modified(i),
        });
        out.images.push(ManifestImage {
            image_id: i.id.clone(),
            part: p.part,
            path: p.path,
            sidecar: p.sidecar,
            sha256: f.sha256.clone(),
            bytes: f.bytes,
            format: f.format.clone(),
            file_name: i.file_name.clone(),
            stored_at: i.created_at,
            selected: i.selected,
            class: i.class.as_str().to_owned(),
            prices: i.prices,
            location_shared: i.location_shared,
            attributes: i.attributes.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use printvault_domain::access::Class;
    use printvault_domain::attributes::Place;
    use printvault_domain::classification::Prices;
    use printvault_domain::money::Yen;
    use time::macros::datetime;

    fn image(created: &str, taken_at: Option<&str>, bytes: u64) -> Image {
        let mut i = Image::pending(
            CustomerId::generate(),
            Some("Kyoto.JPG".into()),
            "image/jpeg",
            bytes,
            created.parse().unwrap(),
        );
        i.status = ImageStatus::Ready;
        i.finalised = Some(Finalised {
            format: "jpeg".into(),
            bytes,
            width: 1,
            height: 1,
            sha256: "ab".repeat(32),
            phash: String::new(),
            finalised_at: i.created_at,
        });
        i.attributes.taken_at = taken_at.map(str::to_owned);
        i
    }

    #[test]
    fn images_go_by_the_month_taken_else_stored_with_the_owners_sidecar() {
        let mut a = image("2026-12-01T09:00:00Z", Some("2024-05-03T10:00:00"), 10);
        a.class = Class::Printable;
        a.prices = Some(Prices {
            l: Yen(150),
            two_l: Yen(400),
        });
        a.attributes.place = Some(Place {
            name: Some("Kyoto".into()),
            latitude: Some(35.0),
            longitude: Some(135.7),
        });
        let b = image("2026-12-02T09:00:00Z", Some("not a time"), 20);
        let c = image("2026-12-03T09:00:00Z", None, 30);
        let images = [a, b, c];
        let p = planned(&images, 4 << 30).unwrap();
        let paths: Vec<&str> = p.images.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            ["2024/05/Kyoto.jpg", "2026/12/Kyoto.jpg", "2026/12/Kyoto_2.jpg"]
        );
        assert_eq!(p.parts.len(), 1);
        let e = &p.parts[0];
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].modified, datetime!(2024-05-03 10:00:00));
        assert_eq!(
            e[2].modified,
            datetime!(2026-12-03 09:00:00),
            "stored, when not taken"
        );
        assert_eq!((e[1].bytes, e[1].sha256.as_str()), (20, "ab".repeat(32).as_str()));
        for want in [
            "exif:GPSLatitude",
            "printvault:Class=\"printable\"",
            "printvault:PriceL=\"150\"",
        ] {
            assert!(e[0].xmp.contains(want), "{want}: {}", e[0].xmp);
        }
        assert_eq!(p.images[0].prices, images[0].prices);
        assert_eq!(p.images[0].class, "printable");

        let tiny = planned(&images, 1).unwrap();
        assert_eq!(tiny.parts.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 1]);
        assert_eq!(tiny.images.iter().map(|i| i.part).collect::<Vec<_>>(), [1, 2, 3]);
        let none = planned(&[], 1).unwrap();
        assert_eq!(
            (none.parts.len(), none.images.len()),
            (1, 0),
            "an export of nothing is one part"
        );
    }
}
