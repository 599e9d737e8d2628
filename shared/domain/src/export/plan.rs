//! Where each image goes in an export (X3): `YYYY/MM/<name>` by the month
//! it was taken (else stored), named as on a disc (safe everywhere, unique
//! ignoring case, its XMP sidecar `<stem>.xmp` beside it), and which ZIP
//! part holds it. Parts are filled in order up to `part_bytes`, counting
//! each entry's ZIP records and a reserve for the part's `manifest.json`;
//! an image larger than a part alone gets a part of its own. The plan is a
//! pure function of the images, so an export resumed in another
//! invocation plans exactly the same parts.

use serde::{Deserialize, Serialize};

use super::records::{entry_overhead, END_OVERHEAD};
use crate::dispatch::disc::{named_paths, safe_month, sidecar_path, Named};
use crate::ids::ImageId;

/// The bytes a manifest takes per image, at most, reserved in every part
/// (each part holds the whole manifest).
pub const MANIFEST_BYTES_PER_IMAGE: u64 = 2048;
/// The bytes of a manifest's other sections (albums, orders, …) reserved.
pub const MANIFEST_RESERVE: u64 = 1 << 20;
/// The bytes reserved for an image's XMP sidecar.
pub const SIDECAR_BYTES: u64 = 8192;

/// One image to export.
#[derive(Debug, Clone)]
pub struct ToExport<'a> {
    pub image_id: &'a ImageId,
    pub file_name: Option<&'a str>,
    /// `jpeg`, `png` or `webp`.
    pub format: &'a str,
    /// `YYYY-MM`: when it was taken, else when it was stored.
    pub month: &'a str,
    /// Its original's size.
    pub bytes: u64,
}

/// Where one image goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub image_id: ImageId,
    pub path: String,
    pub sidecar: String,
    /// The part that holds it, from 1.
    pub part: u32,
}

/// `YYYY/MM` of a `YYYY-MM` month; `undated` for anything else.
fn folder(month: &str) -> String {
    match safe_month(month) {
        "undated" => "undated".to_owned(),
        m => m.replacen('-', "/", 1),
    }
}

/// The plan of `images`, in the order given, in parts of about
/// `part_bytes`; also the number of parts (at least 1: an export of
/// nothing is one part holding its manifest).
pub fn plan(images: &[ToExport<'_>], part_bytes: u64) -> (Vec<Placed>, u32) {
    let named: Vec<Named<'_>> = images
        .iter()
        .map(|i| Named {
            image_id: i.image_id,
            file_name: i.file_name,
            format: i.format,
            month: i.month,
        })
        .collect();
    let paths = named_paths(&named, folder);
    let fixed = END_OVERHEAD + MANIFEST_RESERVE + MANIFEST_BYTES_PER_IMAGE * images.len() as u64;
    let (mut part, mut used) = (1u32, fixed);
    let mut out = Vec::with_capacity(images.len());
    for (i, path) in images.iter().zip(paths) {
        let sidecar = sidecar_path(&path);
        let cost = i.bytes + SIDECAR_BYTES + entry_overhead(&path) + entry_overhead(&sidecar);
        if used > fixed && used + cost > part_bytes {
            part += 1;
            used = fixed;
        }
        used += cost;
        out.push(Placed {
            image_id: i.image_id.clone(),
            path,
            sidecar,
            part,
        });
    }
    (out, part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_go_by_month_with_safe_unique_names_and_fill_parts_in_order() {
        let ids: Vec<ImageId> = (0..5).map(|_| ImageId::generate()).collect();
        let mib = 1 << 20;
        let images = [
            ToExport {
                image_id: &ids[0],
                file_name: Some("Kyoto.JPG"),
                format: "jpeg",
                month: "2024-05",
                bytes: 3 * mib,
            },
            ToExport {
                image_id: &ids[1],
                file_name: Some("kyoto.png"),
                format: "png",
                month: "2024-05",
                bytes: 3 * mib,
            },
            ToExport {
                image_id: &ids[2],
                file_name: Some("../../etc/passwd"),
                format: "jpeg",
                month: "bad",
                bytes: mib,
            },
            ToExport {
                image_id: &ids[3],
                file_name: None,
                format: "webp",
                month: "2023-12",
                bytes: 20 * mib,
            },
            ToExport {
                image_id: &ids[4],
                file_name: Some("a:b?.jpg"),
                format: "jpeg",
                month: "2023-12",
                bytes: mib,
            },
        ];
        let (placed, parts) = plan(&images, 10 * mib);
        let paths: Vec<(&str, &str, u32)> = placed
            .iter()
            .map(|p| (p.path.as_str(), p.sidecar.as_str(), p.part))
            .collect();
        let fourth = format!("2023/12/{}.webp", ids[3]);
        let fourth_xmp = format!("2023/12/{}.xmp", ids[3]);
        assert_eq!(
            paths,
            [
                ("2024/05/Kyoto.jpg", "2024/05/Kyoto.xmp", 1),
                ("2024/05/kyoto_2.png", "2024/05/kyoto_2.xmp", 1),
                ("undated/passwd.jpg", "undated/passwd.xmp", 1),
                (fourth.as_str(), fourth_xmp.as_str(), 2),
                ("2023/12/a_b_.jpg", "2023/12/a_b_.xmp", 3),
            ],
            "a part takes what fits; an image larger than a part gets its own"
        );
        assert_eq!(parts, 3);
        assert_eq!(plan(&images, 10 * mib), (placed, 3), "the same plan every time");
        assert_eq!(plan(&[], 10 * mib), (vec![], 1), "nothing to export is one part");
    }
}
