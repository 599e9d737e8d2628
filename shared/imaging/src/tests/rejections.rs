use std::time::{Duration, Instant};

use super::run;
use crate::testkit::*;
use crate::{process, Limits, Rejection, Renditions};

#[test]
fn not_an_image_is_refused() {
    assert_eq!(run(&not_an_image()), Err(Rejection::NotAnImage));
    assert_eq!(run(b""), Err(Rejection::NotAnImage));
    assert_eq!(run(b"GIF89a\x01\x00\x01\x00"), Err(Rejection::NotAnImage));
    assert_eq!(Rejection::NotAnImage.code(), "not_an_image");
    assert_eq!(
        Rejection::NotAnImage.to_string(),
        "the file is not a JPEG, PNG or WebP image"
    );
}

#[test]
fn too_large_is_refused_before_reading() {
    let limits = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    let bytes = photo_jpeg(200, 200, 1);
    let rejection = process(&bytes, &limits, &Renditions::default()).expect_err("refused");
    assert_eq!(
        rejection,
        Rejection::TooLarge {
            bytes: bytes.len() as u64,
            limit: 1000
        }
    );
    assert_eq!(rejection.code(), "too_large");
    let message = Rejection::TooLarge {
        bytes: 60 * 1024 * 1024,
        limit: 50 * 1024 * 1024,
    }
    .to_string();
    assert_eq!(message, "the file is 60 MB; the limit is 50 MB");
}

#[test]
fn jpeg_header_claiming_12000_square_is_refused_fast() {
    let start = Instant::now();
    let rejection = run(&jpeg_header_claiming(12000, 12000)).expect_err("refused");
    assert!(
        start.elapsed() < Duration::from_millis(50),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(
        rejection,
        Rejection::TooManyPixels {
            width: 12000,
            height: 12000,
            limit: 100_000_000
        }
    );
    assert_eq!(rejection.code(), "too_many_pixels");
    assert_eq!(
        rejection.to_string(),
        "the image is 12000×12000 pixels (144 MP); the limit is 100 MP"
    );
}

#[test]
fn jpeg_header_claiming_more_than_its_data_is_refused_without_decoding() {
    // Within every limit, but 1 KB cannot hold 81 MP of Huffman-coded blocks.
    let start = Instant::now();
    assert_eq!(run(&jpeg_header_claiming(9000, 9000)), Err(Rejection::Truncated));
    assert!(start.elapsed() < Duration::from_millis(50));
}

#[test]
fn bomb_png_is_refused_without_allocating() {
    let bomb = bomb_png(60000, 60000);
    assert!(bomb.len() < 2000);
    let start = Instant::now();
    let rejection = run(&bomb).expect_err("refused");
    assert!(start.elapsed() < Duration::from_millis(50));
    assert!(matches!(
        rejection,
        Rejection::TooManyPixels {
            width: 60000,
            height: 60000,
            ..
        }
    ));

    let narrow = run(&bomb_png(30000, 100)).expect_err("refused");
    assert_eq!(
        narrow,
        Rejection::DimensionsTooLarge {
            width: 30000,
            height: 100
        }
    );
    assert_eq!(narrow.code(), "dimensions_too_large");
    assert!(narrow.to_string().contains("30000×100"));
}

#[test]
fn memory_limit_is_checked_before_decoding() {
    let limits = Limits {
        max_alloc: 1024 * 1024,
        ..Limits::default()
    };
    // 4000×4000 RGB PNG needs 48 MB of pixels.
    let rejection = process(&bomb_png(4000, 4000), &limits, &Renditions::default()).expect_err("refused");
    assert!(
        matches!(rejection, Rejection::TooManyPixels { limit, .. } if limit < 1_000_000),
        "{rejection:?}"
    );
}

#[test]
fn truncated_images_are_refused() {
    let jpeg = photo_jpeg(640, 480, 3);
    assert_eq!(run(&truncated(&jpeg)), Err(Rejection::Truncated));
    assert_eq!(Rejection::Truncated.code(), "truncated");
    assert_eq!(
        Rejection::Truncated.to_string(),
        "the image is truncated: the file ends before the image data does"
    );
    assert_eq!(
        run(&truncated(&photo_png(320, 240, 3))),
        Err(Rejection::Truncated)
    );
    assert_eq!(
        run(&truncated(&photo_webp(320, 240, 3))),
        Err(Rejection::Truncated)
    );
}

#[test]
fn corrupt_jpegs_are_refused_with_a_reason() {
    for seed in 0..8 {
        match run(&corrupt_jpeg(seed)) {
            Err(Rejection::Corrupt(reason)) => assert!(!reason.is_empty()),
            other => panic!("seed {seed}: {other:?}"),
        }
    }
    let corrupt = Rejection::Corrupt("bad Huffman code".into());
    assert_eq!(corrupt.code(), "corrupt");
    assert!(corrupt.to_string().contains("bad Huffman code"));
}

#[test]
fn corrupt_png_and_webp_are_refused() {
    let mut png = photo_png(64, 64, 5);
    let middle = png.len() / 2;
    png[middle..middle + 64].fill(0xAB);
    assert!(matches!(run(&png), Err(Rejection::Corrupt(_))), "{:?}", run(&png));
    let mut webp = photo_webp(64, 64, 5);
    let middle = webp.len() / 2;
    webp[middle..middle + 64].fill(0xAB);
    assert!(run(&webp).is_err());
}

#[test]
fn arbitrary_prefix_cuts_never_panic() {
    for bytes in [
        photo_jpeg(96, 64, 9),
        photo_progressive_jpeg(96, 64, 9),
        photo_png(96, 64, 9),
        photo_webp(96, 64, 9),
    ] {
        for cut in (0..bytes.len()).step_by(7) {
            no_decoder_panic(&bytes[..cut], &format!("cut at {cut}"));
        }
    }
}

/// `decode()` turns a decoder panic into this rejection; none may happen.
fn no_decoder_panic(bytes: &[u8], what: &str) {
    if let Err(Rejection::Corrupt(m)) = run(bytes) {
        assert_ne!(m, "the decoder failed", "{what}: a decoder panicked");
    }
}

#[test]
fn flipped_bytes_are_refused_or_decoded_never_a_panic() {
    for bytes in [
        photo_jpeg(96, 64, 10),
        photo_progressive_jpeg(96, 64, 10),
        photo_png(96, 64, 10),
        photo_webp(96, 64, 10),
    ] {
        for at in (2..bytes.len()).step_by(5) {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut broken = bytes.clone();
                broken[at] ^= flip;
                no_decoder_panic(&broken, &format!("byte {at} ^ {flip:#x}"));
            }
        }
    }
}
