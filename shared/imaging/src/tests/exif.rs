use super::{accepted, jpeg_size};
use crate::testkit::*;
use crate::{ExifData, GpsPosition};

fn camera_exif(orientation: u16) -> TestExif {
    TestExif {
        taken_at: Some("2024:07:14 18:30:05".into()),
        make: Some("FUJIFILM".into()),
        model: Some("X-T5".into()),
        gps: Some((35.658_581, -139.745_433)),
        orientation: Some(orientation),
    }
}

#[test]
fn exif_is_read_from_a_jpeg() {
    let jpeg = with_exif(&photo_jpeg(400, 300, 1), &camera_exif(1));
    let exif = accepted(&jpeg).exif;
    assert_eq!(exif.taken_at.as_deref(), Some("2024-07-14T18:30:05"));
    assert_eq!(exif.camera_make.as_deref(), Some("FUJIFILM"));
    assert_eq!(exif.camera_model.as_deref(), Some("X-T5"));
    let GpsPosition { latitude, longitude } = exif.gps.expect("GPS position");
    assert!((latitude - 35.658_581).abs() < 1e-6, "{latitude}");
    assert!((longitude + 139.745_433).abs() < 1e-6, "{longitude}");
    assert_eq!(exif.orientation, 1);
}

#[test]
fn orientation_6_swaps_dimensions_and_rotates_renditions() {
    let jpeg = with_exif(&photo_jpeg(400, 300, 1), &camera_exif(6));
    let processed = accepted(&jpeg);
    assert_eq!(processed.exif.orientation, 6);
    assert_eq!((processed.width, processed.height), (300, 400));
    assert_eq!(jpeg_size(&processed.preview), (300, 400));
    assert_eq!(jpeg_size(&processed.thumbnail), (192, 256));
}

#[test]
fn every_orientation_gives_the_displayed_shape() {
    let plain = photo_jpeg(64, 32, 2);
    for orientation in 1..=8u16 {
        let exif = TestExif {
            orientation: Some(orientation),
            ..TestExif::default()
        };
        let processed = accepted(&with_exif(&plain, &exif));
        let expected = if orientation >= 5 { (32, 64) } else { (64, 32) };
        assert_eq!((processed.width, processed.height), expected);
        assert_eq!(
            jpeg_size(&processed.thumbnail),
            (expected.0 as usize, expected.1 as usize)
        );
    }
}

#[test]
fn orientation_moves_pixels_the_right_way() {
    use crate::orient::orient;
    // 3×2 image, one channel: [a b c / d e f].
    let data = [1, 2, 3, 4, 5, 6];
    assert_eq!(orient(&data, 3, 2, 1, 6), (vec![4, 1, 5, 2, 6, 3], 2, 3));
    assert_eq!(orient(&data, 3, 2, 1, 8), (vec![3, 6, 2, 5, 1, 4], 2, 3));
    assert_eq!(orient(&data, 3, 2, 1, 3), (vec![6, 5, 4, 3, 2, 1], 3, 2));
    assert_eq!(orient(&data, 3, 2, 1, 2), (vec![3, 2, 1, 6, 5, 4], 3, 2));
    assert_eq!(orient(&data, 3, 2, 1, 4), (vec![4, 5, 6, 1, 2, 3], 3, 2));
    assert_eq!(orient(&data, 3, 2, 1, 5), (vec![1, 4, 2, 5, 3, 6], 2, 3));
    assert_eq!(orient(&data, 3, 2, 1, 7), (vec![6, 3, 5, 2, 4, 1], 2, 3));
}

#[test]
fn malformed_exif_is_ignored() {
    let plain = photo_jpeg(200, 100, 4);
    let garbage: Vec<u8> = b"Exif\0\0MM\0\x2a\0\0\xff\xf0"
        .iter()
        .copied()
        .chain((0..200u8).map(|i| i.wrapping_mul(37)))
        .collect();
    for payload in [&garbage[..], b"Exif\0\0", b"Exif\0\0II*\0\x08\0\0\0\xff\xff"] {
        let processed = accepted(&insert_app1(&plain, payload));
        assert_eq!(processed.exif, ExifData::default());
        assert_eq!((processed.width, processed.height), (200, 100));
    }
    // Out-of-range values are dropped field by field.
    let odd = TestExif {
        taken_at: Some("0000:00:00 00:00:00".into()),
        orientation: Some(42),
        make: Some("   ".into()),
        ..TestExif::default()
    };
    assert_eq!(accepted(&with_exif(&plain, &odd)).exif, ExifData::default());
}

#[test]
fn png_and_webp_without_exif_get_defaults() {
    assert_eq!(accepted(&photo_png(50, 40, 1)).exif, ExifData::default());
    assert_eq!(accepted(&photo_webp(50, 40, 1)).exif, ExifData::default());
}
