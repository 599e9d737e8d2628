//! WebP through libwebp: scaled straight to the renditions' size, transparency, damage,
//! animation.

use super::{accepted, jpeg_size, run};
use crate::decode::{decode, fit, Rgb, Target};
use crate::render::resize;
use crate::testkit::*;
use crate::{hamming, DctScale, Format, Limits, Rejection};

fn target(long_edge: u32) -> Target {
    Target {
        long_edge,
        fast_progressive: true,
        dct_scale: DctScale::Cheapest,
    }
}

fn psnr(a: &Rgb, b: &Rgb) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let squared: f64 = a
        .data
        .iter()
        .zip(&b.data)
        .map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2))
        .sum();
    let mse = squared / a.data.len() as f64;
    10.0 * (255.0 * 255.0 / mse.max(1e-9)).log10()
}

#[test]
fn a_large_webp_decodes_straight_to_the_preview_size_and_looks_like_the_full_decode_resized() {
    let (width, height) = (3200, 2000);
    for bytes in [photo_webp_lossy(width, height, 21), photo_webp(width, height, 22)] {
        let limits = Limits::default();
        let scaled = decode(&bytes, Format::WebP, &limits, target(1600)).unwrap();
        assert_eq!((scaled.width, scaled.height), (width, height), "the stored size");
        assert_eq!(
            (scaled.image.width, scaled.image.height),
            fit(width, height, 1600)
        );

        let full = decode(&bytes, Format::WebP, &limits, target(width))
            .unwrap()
            .image;
        assert_eq!((full.width, full.height), (width, height));
        let reference = resize(&full, scaled.image.width, scaled.image.height).unwrap();
        let db = psnr(&scaled.image, &reference);
        assert!(db > 35.0, "libwebp's scaling is {db:.1} dB from Lanczos3");

        let processed = accepted(&bytes);
        assert_eq!((processed.width, processed.height), (width, height));
        assert_eq!(jpeg_size(&processed.preview), (1600, 1000));
        assert_eq!(jpeg_size(&processed.thumbnail), (256, 160));
    }
}

#[test]
fn transparency_is_composited_over_white_after_scaling() {
    let bytes = photo_webp_transparent(2400, 1200, 23);
    let decoded = decode(&bytes, Format::WebP, &Limits::default(), target(1600)).unwrap();
    let image = decoded.image;
    assert_eq!((image.width, image.height), (1600, 800));
    let pixel = |x: u32, y: u32| {
        let at = 3 * (y * image.width + x) as usize;
        [image.data[at], image.data[at + 1], image.data[at + 2]]
    };
    for y in [0, 400, 799] {
        assert_eq!(pixel(1599, y), [255, 255, 255], "the transparent half is white");
        assert_eq!(pixel(1000, y), [255, 255, 255]);
    }
    let opaque_white = (0..800).filter(|&x| pixel(x, 400) == [255, 255, 255]).count();
    assert!(opaque_white < 80, "the opaque half keeps its picture");
}

#[test]
fn a_cut_or_damaged_lossy_webp_is_refused_without_a_panic() {
    let bytes = photo_webp_lossy(1800, 1200, 24);
    for cut in [13, 40, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
        assert_eq!(run(&bytes[..cut]), Err(Rejection::Truncated), "cut at {cut}");
    }
    // A file that says it is shorter than the VP8 data within it.
    let mut short = bytes.clone();
    short.truncate(bytes.len() / 2);
    let declared = (short.len() - 8) as u32;
    short[4..8].copy_from_slice(&declared.to_le_bytes());
    assert!(run(&short).is_err());

    for start in [30, bytes.len() / 4, bytes.len() / 2] {
        let mut damaged = bytes.clone();
        damaged[start..start + 256].fill(0xA5);
        // Damage inside the coefficient data may still decode to a picture; it must never
        // panic or come back the wrong size.
        if let Ok(processed) = run(&damaged) {
            assert_eq!(jpeg_size(&processed.preview), (1600, 1067));
        }
    }
}

#[test]
fn an_animated_webp_is_its_first_frame() {
    let bytes = animated_webp(2000, 1000, &[31, 32]);
    let processed = accepted(&bytes);
    assert_eq!(processed.format, Format::WebP);
    assert_eq!((processed.width, processed.height), (2000, 1000));
    assert_eq!(jpeg_size(&processed.preview), (1600, 800));
    let first = accepted(&photo_webp_lossy(2000, 1000, 31)).fingerprint.phash;
    let second = accepted(&photo_webp_lossy(2000, 1000, 32)).fingerprint.phash;
    let phash = processed.fingerprint.phash;
    assert!(hamming(phash, first) <= 6, "{}", hamming(phash, first));
    assert!(hamming(phash, second) > hamming(phash, first));
}
