use super::{accepted, jpeg_size, run};
use crate::testkit::*;
use crate::{process, sniff, Format, Limits, Rejection, Renditions};

#[test]
fn sniff_reads_magic_bytes_only() {
    assert_eq!(sniff(&photo_jpeg(8, 8, 1)), Some(Format::Jpeg));
    assert_eq!(sniff(&photo_png(8, 8, 1)), Some(Format::Png));
    assert_eq!(sniff(&photo_webp(8, 8, 1)), Some(Format::WebP));
    assert_eq!(sniff(&not_an_image()), None);
    // A name or extension inside the bytes changes nothing.
    assert_eq!(sniff(b"holiday.jpg"), None);
    assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
    assert_eq!(Format::WebP.mime(), "image/webp");
    assert_eq!(Format::Jpeg.as_str(), "jpeg");
    assert_eq!(serde_json_like(Format::Png), "png");
}

fn serde_json_like(format: Format) -> String {
    // Serde's lowercase renaming must agree with as_str().
    format!("{:?}", format).to_lowercase()
}

#[test]
fn renditions_have_the_configured_long_edges() {
    for (w, h) in [(2000, 1250), (1000, 1800)] {
        let processed = accepted(&photo_jpeg(w, h, 7));
        assert_eq!((processed.width, processed.height), (w, h));
        let (pw, ph) = jpeg_size(&processed.preview);
        let (tw, th) = jpeg_size(&processed.thumbnail);
        assert_eq!(pw.max(ph), 1600);
        assert_eq!(tw.max(th), 256);
        let aspect = w as f64 / h as f64;
        assert!((pw as f64 / ph as f64 - aspect).abs() < 0.01);
        assert!((tw as f64 / th as f64 - aspect).abs() < 0.02);
    }
}

#[test]
fn small_images_are_not_upscaled() {
    for bytes in [
        photo_jpeg(120, 80, 1),
        photo_png(120, 80, 1),
        photo_webp(120, 80, 1),
    ] {
        let processed = accepted(&bytes);
        assert_eq!(jpeg_size(&processed.preview), (120, 80));
        assert_eq!(jpeg_size(&processed.thumbnail), (120, 80));
    }
    let medium = accepted(&photo_png(1000, 500, 2));
    assert_eq!(jpeg_size(&medium.preview), (1000, 500));
    assert_eq!(jpeg_size(&medium.thumbnail), (256, 128));
}

#[test]
fn png_and_webp_are_processed() {
    let png = accepted(&photo_png(800, 600, 3));
    assert_eq!(png.format, Format::Png);
    assert_eq!((png.width, png.height), (800, 600));
    let webp = accepted(&photo_webp(800, 600, 3));
    assert_eq!(webp.format, Format::WebP);
    assert_eq!(jpeg_size(&webp.thumbnail), (256, 192));
}

#[test]
fn custom_renditions_and_quality_are_honoured() {
    let renditions = Renditions {
        thumb_long_edge: 100,
        preview_long_edge: 500,
        jpeg_quality: 40,
        ..Renditions::default()
    };
    let bytes = photo_jpeg(2000, 1000, 5);
    let processed = process(&bytes, &Limits::default(), &renditions).expect("accepted");
    assert_eq!(jpeg_size(&processed.preview), (500, 250));
    assert_eq!(jpeg_size(&processed.thumbnail), (100, 50));
    let high = process(
        &bytes,
        &Limits::default(),
        &Renditions {
            jpeg_quality: 95,
            ..renditions
        },
    )
    .expect("accepted");
    assert!(high.preview.len() > processed.preview.len());
}

#[test]
fn data_after_the_end_of_image_is_accepted() {
    // Phones append MPF pictures and vendor blobs after EOI.
    let mut jpeg = photo_jpeg(300, 200, 8);
    jpeg.extend_from_slice(&[0u8; 512]);
    assert_eq!(accepted(&jpeg).width, 300);
}

#[test]
fn transparency_is_flattened_onto_white() {
    use image::{ExtendedColorType, ImageEncoder};
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&[0u8; 40 * 30 * 4], 40, 30, ExtendedColorType::Rgba8)
        .expect("encode");
    let preview = accepted(&png).preview;
    let decoded = turbojpeg::decompress(&preview, turbojpeg::PixelFormat::RGB).expect("decode");
    assert!(decoded.pixels.iter().all(|&v| v >= 250));
}

/// Decoded RGB pixels of a rendition.
fn pixels(jpeg: &[u8]) -> Vec<u8> {
    turbojpeg::decompress(jpeg, turbojpeg::PixelFormat::RGB)
        .expect("rendition decodes")
        .pixels
}

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    let squared: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    let mse = (squared / a.len() as f64).max(1e-9);
    10.0 * (255.0f64 * 255.0 / mse).log10()
}

fn exact() -> Renditions {
    Renditions {
        fast_progressive: false,
        ..Renditions::default()
    }
}

#[test]
fn large_progressive_files_skip_their_last_bit_and_the_preview_barely_moves() {
    // 3400 px: shrunk 1/2 in the DCT to 1700, then to the 1600 px preview.
    let bytes = photo_progressive_jpeg(3400, 2000, 21);
    let fast = accepted(&bytes);
    let full = process(&bytes, &Limits::default(), &exact()).expect("accepted");
    assert_eq!((fast.width, fast.height), (full.width, full.height));
    assert_eq!(jpeg_size(&fast.preview), jpeg_size(&full.preview));
    assert_ne!(fast.preview, full.preview, "the fast path was taken");
    let db = psnr(&pixels(&fast.preview), &pixels(&full.preview));
    assert!(db > 40.0, "preview PSNR {db:.1} dB");
    assert!(
        crate::hamming(fast.fingerprint.phash, full.fingerprint.phash) <= 2,
        "screening sees the same picture"
    );
    assert_eq!(fast.fingerprint.sha256, full.fingerprint.sha256);
}

#[test]
fn small_progressive_and_baseline_files_decode_every_scan() {
    // 2000 px is shrunk less than 2× in the DCT, so the last bit still shows.
    for bytes in [
        photo_progressive_jpeg(2000, 1200, 22),
        photo_progressive_jpeg(1200, 800, 23),
        photo_jpeg(3400, 2000, 24),
    ] {
        let fast = accepted(&bytes);
        let full = process(&bytes, &Limits::default(), &exact()).expect("accepted");
        assert_eq!(fast, full);
    }
}

#[test]
fn a_large_progressive_file_cut_in_its_last_scan_is_still_truncated() {
    let bytes = photo_progressive_jpeg(3400, 2000, 25);
    for cut in [bytes.len() - 2, bytes.len() - 1000, bytes.len() * 9 / 10] {
        assert_eq!(run(&bytes[..cut]), Err(Rejection::Truncated), "cut at {cut}");
    }
}

#[test]
fn a_rendition_decodes_to_rgb_for_drawing_elsewhere() {
    let thumb = accepted(&photo_jpeg(640, 480, 7)).thumbnail;
    let (w, h, rgb) = crate::decode_rgb(&thumb, &Limits::default(), 512).unwrap();
    assert_eq!((w, h), (256, 192), "the thumbnail whole, not shrunk below 512");
    assert_eq!(rgb.len(), (w * h * 3) as usize);
    let (w, h, _) = crate::decode_rgb(&photo_png(40, 30, 1), &Limits::default(), 512).unwrap();
    assert_eq!((w, h), (40, 30));
    for bad in [not_an_image(), truncated(&thumb), corrupt_jpeg(3)] {
        assert!(crate::decode_rgb(&bad, &Limits::default(), 512).is_err());
    }
}
