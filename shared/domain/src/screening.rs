//! Upload screening (M6): exact and perceptual matches against the blocklist.
//!
//! Perceptual matches use multi-index hashing: the 64-bit hash is cut into
//! eight 8-bit bands, and each blocklist entry is indexed under each of its
//! bands. If two hashes differ in at most 7 bits, at least one band is equal
//! (pigeonhole), so looking up the eight bands of an upload finds every entry
//! within distance 7, without scanning the blocklist.

/// Number of bands, and so the largest distance the index can guarantee + 1.
pub const BANDS: usize = 8;
/// The largest Hamming distance the band index finds every match for.
pub const MAX_SUPPORTED_DISTANCE: u32 = BANDS as u32 - 1;

/// The `(band, value)` pairs a hash is indexed under.
pub fn bands(phash: u64) -> [(u8, u8); BANDS] {
    let mut out = [(0u8, 0u8); BANDS];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = (i as u8, (phash >> (i * 8)) as u8);
    }
    out
}

/// A perceptual hash as records keep it: 16 hex digits.
pub fn phash_hex(p: u64) -> String {
    format!("{p:016x}")
}

pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// How an upload matched the blocklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockMatch {
    /// The same bytes.
    Exact,
    /// A visually similar image (resized, re-encoded) at this distance.
    Similar { distance: u32 },
}

impl BlockMatch {
    /// The sentence the customer is shown.
    pub fn reason(self) -> String {
        match self {
            Self::Exact => "this image is on the screening blocklist of images that offend public order or copyright".into(),
            Self::Similar { .. } => "this image matches an image on the screening blocklist of images that offend public order or copyright".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every hash within the supported distance shares a band.
        #[test]
        fn close_hashes_share_a_band(a in any::<u64>(), flips in proptest::collection::vec(0u32..64, 0..=7)) {
            let mut b = a;
            for f in flips { b ^= 1u64 << f; }
            prop_assume!(hamming(a, b) <= MAX_SUPPORTED_DISTANCE);
            let (ba, bb) = (bands(a), bands(b));
            prop_assert!(ba.iter().zip(bb.iter()).any(|(x, y)| x == y));
        }
    }

    #[test]
    fn bands_cover_all_bits() {
        let b = bands(0x0102_0304_0506_0708);
        assert_eq!(b[0], (0, 0x08));
        assert_eq!(b[7], (7, 0x01));
    }
}
