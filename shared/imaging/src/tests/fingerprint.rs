use sha2::{Digest, Sha256};

use super::accepted;
use crate::testkit::*;
use crate::{fingerprint, hamming, Limits};

#[test]
fn fingerprint_matches_process() {
    for bytes in [
        photo_jpeg(1800, 1200, 11),
        with_exif(
            &photo_jpeg(900, 600, 12),
            &TestExif {
                orientation: Some(6),
                ..TestExif::default()
            },
        ),
        photo_png(640, 480, 13),
        photo_webp(300, 200, 14),
    ] {
        let processed = accepted(&bytes);
        let alone = fingerprint(&bytes, &Limits::default()).expect("accepted");
        assert_eq!(alone, processed.fingerprint);
        let expected: [u8; 32] = Sha256::digest(&bytes).into();
        assert_eq!(alone.sha256, expected);
    }
    assert!(fingerprint(&not_an_image(), &Limits::default()).is_err());
}

#[test]
fn phash_survives_resizing_and_reencoding() {
    for seed in 0..4 {
        let original = photo_jpeg(1200, 900, seed);
        let copy = resized_copy(&original, 0.5, 70);
        let a = accepted(&original).fingerprint;
        let b = accepted(&copy).fingerprint;
        assert_ne!(a.sha256, b.sha256);
        let distance = hamming(a.phash, b.phash);
        assert!(distance <= 6, "seed {seed}: distance {distance}");
    }
}

#[test]
fn phash_tells_unrelated_photos_apart() {
    let hashes: Vec<u64> = (100..110)
        .map(|seed| accepted(&photo_jpeg(400, 300, seed)).fingerprint.phash)
        .collect();
    let mut distances = Vec::new();
    for (i, a) in hashes.iter().enumerate() {
        for b in &hashes[i + 1..] {
            distances.push(hamming(*a, *b));
        }
    }
    distances.sort_unstable();
    let median = distances[distances.len() / 2];
    assert!(median > 20, "median distance {median}: {distances:?}");
    assert!(distances[0] > 10, "closest pair {}", distances[0]);
}

#[test]
fn phash_follows_orientation() {
    let plain = photo_jpeg(600, 400, 21);
    let rotated = with_exif(
        &plain,
        &TestExif {
            orientation: Some(6),
            ..TestExif::default()
        },
    );
    let a = accepted(&plain).fingerprint.phash;
    let b = accepted(&rotated).fingerprint.phash;
    assert!(hamming(a, b) > 10, "rotation must change the hash");
}

#[test]
fn hamming_counts_bits() {
    assert_eq!(hamming(0, 0), 0);
    assert_eq!(hamming(0, u64::MAX), 64);
    assert_eq!(hamming(0b1011, 0b0001), 2);
}
