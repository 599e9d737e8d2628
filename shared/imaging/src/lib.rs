//! Image validation and rendition for uploads.
//!
//! [`process`] takes the exact bytes a customer uploaded and either refuses them with a
//! [`Rejection`] that can be shown to the customer, or returns the original's oriented
//! dimensions, its EXIF metadata, a [`Fingerprint`] (SHA-256 plus a perceptual hash) and two
//! oriented JPEG renditions (thumbnail and preview).
//!
//! Every size check happens on the header before any image-sized allocation, so a
//! decompression bomb costs microseconds, not gigabytes. JPEG, the format of almost every
//! upload, takes a fast path: libjpeg-turbo decodes once with DCT-domain downscaling,
//! `fast_image_resize` makes the preview and then the thumbnail from the preview, and
//! libjpeg-turbo encodes both. WebP is decoded by libwebp straight to the size the
//! renditions need; PNG by the `image` crate under [`image::Limits`].
//!
//! All functions are synchronous and CPU-bound; async callers should use `spawn_blocking`.

mod decode;
mod exif;
mod mark;
mod orient;
mod phash;
mod rejection;
mod render;
mod riff;
mod strip;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use mark::mark_cannot_print;
pub use rejection::Rejection;
pub use strip::{strip_location, StripError};

/// An accepted image format, identified from magic bytes by [`sniff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    /// The MIME type of the format, for `Content-Type` headers.
    pub fn mime(&self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }

    /// The lowercase name of the format, matching its serde form.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
}

/// What an upload may cost us. Every limit is checked against the header before decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: u64,
    /// Largest accepted pixel count (width × height).
    pub max_pixels: u64,
    /// Largest accepted width, in pixels.
    pub max_width: u32,
    /// Largest accepted height, in pixels.
    pub max_height: u32,
    /// Largest memory any one decode may allocate for pixels and coefficients.
    pub max_alloc: u64,
}

impl Default for Limits {
    /// 50 MiB, 100 MP, 20 000 px a side, and 512 MiB of decoder memory.
    ///
    /// 512 MiB lets a 100 MP 8-bit RGBA PNG (400 MB of pixels) through but refuses its 16-bit
    /// twin (800 MB). JPEG needs far less: baseline JPEGs are decoded in strips and
    /// downscaled in the DCT, and a 100 MP progressive 4:2:0 JPEG needs ~300 MB of
    /// coefficients. It also matches the `image` crate's own default.
    fn default() -> Self {
        Limits {
            max_bytes: 50 * 1024 * 1024,
            max_pixels: 100_000_000,
            max_width: 20_000,
            max_height: 20_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

/// The renditions [`process`] makes. Long edges are in pixels; renditions are never upscaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renditions {
    pub thumb_long_edge: u32,
    pub preview_long_edge: u32,
    /// libjpeg quality (1–100) for both renditions.
    pub jpeg_quality: u8,
    /// Leave out a progressive JPEG's final AC refinement scans when it is shrunk at least
    /// 2× in the DCT anyway: 35–50 % less decoding for a preview that moves by well under
    /// 1 dB PSNR in most cases (about 2 dB at worst measured). The checks for a truncated
    /// file still cover the whole file; the original is stored untouched either way.
    pub fast_progressive: bool,
    /// How a JPEG's DCT scale is picked. [`DctScale::Cheapest`] in production; the others
    /// are for benchmarks and tests.
    pub dct_scale: DctScale,
}

impl Default for Renditions {
    fn default() -> Self {
        Renditions {
            thumb_long_edge: 256,
            preview_long_edge: 1600,
            jpeg_quality: 82,
            fast_progressive: true,
            dct_scale: DctScale::Cheapest,
        }
    }
}

/// How the JPEG decoder picks its scale: libjpeg-turbo decodes at N/8 of the stored size
/// (N = 1–8), never below the rendition it is for. Its 8/8, 4/8, 2/8 and 1/8 scales run
/// SIMD code; the others run plain C, several times slower per pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DctScale {
    /// The path measured cheapest for the stored and preview sizes: the smallest SIMD scale
    /// and a longer resize, or a C scale and a shorter one (see `decode/jpeg.rs` and
    /// `docs/benchmarks.md`).
    #[default]
    Cheapest,
    /// The smallest scale whose output is at least the preview (the rule before issue 10).
    Smallest,
    /// N/8, or the smallest scale at least the preview if N/8 is smaller.
    Eighths(u8),
}

/// A position in signed decimal degrees (south and west are negative).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GpsPosition {
    pub latitude: f64,
    pub longitude: f64,
}

/// EXIF metadata we keep. Malformed or missing EXIF gives the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExifData {
    /// `DateTimeOriginal` (else `DateTime`) as `YYYY-MM-DDTHH:MM:SS`, camera-local time.
    pub taken_at: Option<String>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    pub gps: Option<GpsPosition>,
    /// EXIF orientation, 1..=8; 1 when absent or invalid.
    pub orientation: u16,
}

impl Default for ExifData {
    fn default() -> Self {
        ExifData {
            taken_at: None,
            camera_make: None,
            camera_model: None,
            gps: None,
            orientation: 1,
        }
    }
}

/// Identifies an upload exactly (`sha256`) and approximately (`phash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// SHA-256 of the exact uploaded bytes.
    pub sha256: [u8; 32],
    /// 64-bit perceptual hash of the oriented image; compare with [`hamming`].
    ///
    /// The classic DCT pHash: the thumbnail is area-averaged to a 32×32 luma grid and
    /// oriented, a 2-D DCT-II is taken, and of the 8×8 lowest frequencies (skipping row 0
    /// and column 0, i.e. DC and the plain brightness ramps) each bit says whether that
    /// coefficient is above the block's median. Resizing and re-encoding move it by 0–6
    /// bits; unrelated photos are typically 24–40 bits apart. Chosen over average/difference
    /// hashes because it ignores brightness and contrast changes and JPEG artefacts better.
    pub phash: u64,
}

/// A validated upload and its renditions.
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    pub format: Format,
    /// Original width after orientation (swapped for orientations 5–8).
    pub width: u32,
    /// Original height after orientation.
    pub height: u32,
    pub fingerprint: Fingerprint,
    pub exif: ExifData,
    /// Oriented JPEG, long edge `min(original long edge, thumb_long_edge)`.
    pub thumbnail: Vec<u8>,
    /// Oriented JPEG, long edge `min(original long edge, preview_long_edge)`.
    pub preview: Vec<u8>,
}

/// Identifies the format from magic bytes alone; names and `Content-Type` are never trusted.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(Format::WebP)
    } else {
        None
    }
}

/// Decodes a JPEG, PNG or WebP within `limits` to packed 8-bit RGB, at
/// least `long_edge` on its long side where the original is (JPEG and WebP
/// decode smaller when they can), as stored (no EXIF orientation): for
/// drawing a rendition elsewhere, such as an archive disc's index sheet.
/// Returns (width, height, pixels). Never panics.
pub fn decode_rgb(bytes: &[u8], limits: &Limits, long_edge: u32) -> Result<(u32, u32, Vec<u8>), Rejection> {
    let format = sniff(bytes).ok_or_else(|| Rejection::Corrupt("not a JPEG, PNG or WebP".into()))?;
    let target = decode::Target {
        long_edge,
        fast_progressive: false,
        dct_scale: DctScale::Cheapest,
    };
    let d = decode::decode(bytes, format, limits, target)?;
    Ok((d.image.width, d.image.height, d.image.data))
}

/// Validates an upload and makes its renditions.
///
/// Refuses anything that is not a complete JPEG, PNG or WebP within `limits`. Never panics.
pub fn process(bytes: &[u8], limits: &Limits, renditions: &Renditions) -> Result<Processed, Rejection> {
    let (format, work) = render::prepare(bytes, limits, renditions)?;
    let phash = phash::phash(&work.thumbnail, work.exif.orientation);
    let (width, height) = orient::oriented_size(work.width, work.height, work.exif.orientation);
    let thumbnail = render::encode_oriented(&work.thumbnail, work.exif.orientation, renditions.jpeg_quality)?;
    let preview = render::encode_oriented(&work.preview, work.exif.orientation, renditions.jpeg_quality)?;
    Ok(Processed {
        format,
        width,
        height,
        fingerprint: Fingerprint {
            sha256: sha256(bytes),
            phash,
        },
        exif: work.exif,
        thumbnail,
        preview,
    })
}

/// Validates an upload exactly as [`process`] does and returns only its fingerprint.
///
/// The perceptual hash is computed from the same decode and thumbnail that [`process`] makes
/// with [`Renditions::default()`], so the two agree bit for bit for the same bytes (the
/// renditions are what production uses; other rendition sizes can move a bit or two).
/// It skips only the JPEG encoding.
pub fn fingerprint(bytes: &[u8], limits: &Limits) -> Result<Fingerprint, Rejection> {
    let (_, work) = render::prepare(bytes, limits, &Renditions::default())?;
    Ok(Fingerprint {
        sha256: sha256(bytes),
        phash: phash::phash(&work.thumbnail, work.exif.orientation),
    })
}

/// The memory [`process`] will take for `bytes` at most, besides `bytes` themselves,
/// worked out from the header alone (microseconds): the decode's pixels, a progressive
/// JPEG's coefficients, the decoder's working buffers, and the renditions. Callers that
/// process several uploads at once reserve it, so that the uploads in flight fit in memory.
///
/// An upload [`process`] would refuse from its header is refused here the same way;
/// `process` may still refuse one that passes (a corrupt body).
pub fn memory_needed(bytes: &[u8], limits: &Limits, renditions: &Renditions) -> Result<u64, Rejection> {
    render::need(bytes, limits, renditions)
}

/// The number of differing bits between two perceptual hashes (0 = same picture,
/// ≤ 6 ≈ a resized or re-encoded copy, > 20 ≈ unrelated).
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}
