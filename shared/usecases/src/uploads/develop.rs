//! Between the imaging pipeline and the records: its limits from the
//! settings, and the attributes EXIF gives (M8's defaults).

use printvault_domain::image::{Attributes, Place};
use printvault_domain::settings::UploadSettings;
use printvault_imaging::{Limits, Processed, Renditions};

pub(crate) fn limits(u: &UploadSettings) -> (Limits, Renditions) {
    (
        Limits {
            max_bytes: u.max_bytes,
            max_pixels: u.max_pixels,
            max_width: u.max_width,
            max_height: u.max_height,
            max_alloc: u.max_alloc_bytes,
        },
        Renditions {
            thumb_long_edge: u.thumb_long_edge,
            preview_long_edge: u.preview_long_edge,
            jpeg_quality: u.jpeg_quality,
            fast_progressive: u.fast_progressive_previews,
            ..Renditions::default()
        },
    )
}

/// Default attributes (M8) from EXIF.
pub(crate) fn exif_attributes(p: &Processed) -> Attributes {
    let e = &p.exif;
    let camera = match (&e.camera_make, &e.camera_model) {
        (Some(make), Some(model)) if model.starts_with(make.as_str()) => Some(model.clone()),
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (a, b) => a.clone().or_else(|| b.clone()),
    };
    Attributes {
        taken_at: e
            .taken_at
            .as_deref()
            .and_then(|t| printvault_domain::image::parse_taken_at(t).ok()),
        place: e.gps.map(|g| Place {
            name: None,
            latitude: Some(g.latitude),
            longitude: Some(g.longitude),
        }),
        camera,
        ..Default::default()
    }
}
