//! Stripping location: the copy has no GPS (nor XMP), keeps its orientation
//! and its pixels, and is still accepted by the pipeline.

use super::accepted;
use crate::testkit::*;
use crate::{strip_location, GpsPosition};

fn gps_exif(orientation: u16) -> TestExif {
    TestExif {
        taken_at: Some("2024:07:14 18:30:05".into()),
        make: Some("FUJIFILM".into()),
        model: Some("X-T5".into()),
        gps: Some((35.658_581, 139.745_433)),
        orientation: Some(orientation),
    }
}

const XMP: &[u8] =
    b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>35,39.5N</exif:GPSLatitude></x:xmpmeta>";

#[test]
fn a_jpeg_loses_its_gps_and_xmp_but_keeps_orientation_and_pixels() {
    for orientation in [1, 6] {
        let original = insert_app1(&with_exif(&photo_jpeg(400, 300, 3), &gps_exif(orientation)), XMP);
        assert!(accepted(&original).exif.gps.is_some());
        let stripped = strip_location(&original).unwrap();
        let p = accepted(&stripped);
        assert_eq!((p.exif.gps, p.exif.orientation), (None, orientation));
        assert_eq!(p.exif.camera_make, None, "the whole EXIF block went");
        assert!(memchr::memmem::find(&stripped, b"GPSLatitude").is_none());
        assert_eq!(accepted(&original).thumbnail, p.thumbnail, "the same pixels");
        assert_eq!(
            strip_location(&stripped).unwrap(),
            stripped,
            "stripping again changes nothing"
        );
    }
}

/// A PNG with an `eXIf` chunk (and an XMP text chunk) after IHDR.
fn png_with_exif(exif: &TestExif) -> Vec<u8> {
    let png = photo_png(64, 48, 5);
    let ihdr_end = 8 + 12 + 13;
    let mut out = png[..ihdr_end].to_vec();
    out.extend(crate::strip::png_chunk(b"eXIf", &exif_tiff(exif)));
    out.extend(crate::strip::png_chunk(
        b"iTXt",
        b"XML:com.adobe.xmp\0\0\0\0\0<exif:GPSLatitude>35</exif:GPSLatitude>",
    ));
    out.extend_from_slice(&png[ihdr_end..]);
    out
}

#[test]
fn a_png_loses_its_gps_and_xmp_but_keeps_orientation() {
    let original = png_with_exif(&gps_exif(6));
    let before = accepted(&original).exif;
    assert!(matches!(before.gps, Some(GpsPosition { .. })), "{before:?}");
    let stripped = strip_location(&original).unwrap();
    let after = accepted(&stripped).exif;
    assert_eq!((after.gps, after.orientation), (None, 6));
    assert!(memchr::memmem::find(&stripped, b"GPSLatitude").is_none());
}

#[test]
fn a_webp_without_metadata_is_unchanged_and_a_broken_file_is_refused() {
    let webp = photo_webp(64, 48, 7);
    assert_eq!(strip_location(&webp).unwrap(), webp);
    let png = photo_png(64, 48, 5);
    assert!(strip_location(&png[..40]).is_err());
}

/// An extended WebP (`VP8X`) with EXIF (GPS, `orientation`) and XMP chunks.
fn webp_with_exif(exif: &TestExif) -> Vec<u8> {
    let (width, height) = (64u32, 48u32);
    let simple = photo_webp(width, height, 9);
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = kind.to_vec();
        c.extend((data.len() as u32).to_le_bytes());
        c.extend(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
    vp8x.extend(&(width - 1).to_le_bytes()[..3]);
    vp8x.extend(&(height - 1).to_le_bytes()[..3]);
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    out.extend(chunk(b"VP8X", &vp8x));
    out.extend(&simple[12..]);
    out.extend(chunk(b"EXIF", &exif_tiff(exif)));
    out.extend(chunk(
        b"XMP ",
        b"<x:xmpmeta><exif:GPSLatitude>35</exif:GPSLatitude></x:xmpmeta>",
    ));
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    out
}

#[test]
fn a_webp_loses_its_gps_and_xmp_but_keeps_orientation_and_pixels() {
    let original = webp_with_exif(&gps_exif(6));
    let before = accepted(&original);
    assert!(before.exif.gps.is_some(), "{:?}", before.exif);
    let stripped = strip_location(&original).unwrap();
    let after = accepted(&stripped);
    assert_eq!((after.exif.gps, after.exif.orientation), (None, 6));
    assert_eq!(after.exif.camera_make, None, "the whole EXIF block went");
    assert!(memchr::memmem::find(&stripped, b"GPSLatitude").is_none());
    assert!(memchr::memmem::find(&stripped, b"xmpmeta").is_none());
    assert_eq!(before.thumbnail, after.thumbnail, "the same pixels");
    assert_eq!(
        strip_location(&stripped).unwrap(),
        stripped,
        "stripping again changes nothing"
    );
}
