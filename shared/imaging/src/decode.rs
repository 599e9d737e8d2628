//! Header checks and decoding to packed RGB.
//!
//! JPEG goes through libjpeg-turbo with DCT-domain downscaling, WebP through libwebp with
//! its scaling, PNG through the `image` crate. Either way the dimensions and the memory the decode will need are checked
//! against [`Limits`] from the header alone, before any image-sized allocation.

mod jpeg;
mod other;
mod scans;
mod webp;

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{DctScale, ExifData, Format, Limits, Rejection};

/// Packed 8-bit RGB pixels, row-major, no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rgb {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// A decoded upload. `image` may be smaller than `width`×`height` (JPEG's DCT scaling,
/// libwebp's scaling) but never smaller than the requested long edge.
pub(crate) struct Decoded {
    /// Stored (unoriented) dimensions of the original.
    pub width: u32,
    pub height: u32,
    pub exif: ExifData,
    pub image: Rgb,
}

/// What a decode is for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    /// The decoded image is at least this long on its long side (unless the original is not).
    pub long_edge: u32,
    /// [`crate::Renditions::fast_progressive`].
    pub fast_progressive: bool,
    /// [`crate::Renditions::dct_scale`].
    pub dct_scale: DctScale,
}

/// The size that fits `width`×`height` within `long_edge` on its long side, never larger
/// than the original: the renditions' sizes, and the size WebP decodes to for a [`Target`].
pub(crate) fn fit(width: u32, height: u32, long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(long_edge) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(long_edge).clamp(1, long_edge)
    };
    if width >= height {
        (long_edge, scale(height))
    } else {
        (scale(width), long_edge)
    }
}

/// Decodes `bytes` (already sniffed as `format`) for `target`.
pub(crate) fn decode(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    target: Target,
) -> Result<Decoded, Rejection> {
    // The decoders are validated-input code, but a panic in them must still only refuse
    // this upload, never take the process (and its batch) down: every profile unwinds.
    // The checks before it are the first defence.
    catch_unwind(AssertUnwindSafe(|| match format {
        Format::Jpeg => jpeg::decode(bytes, limits, target),
        Format::Png => other::decode(bytes, limits),
        Format::WebP => webp::decode(bytes, limits, target),
    }))
    .unwrap_or_else(|_| Err(Rejection::Corrupt("the decoder failed".into())))
}

/// What a decode takes, from the header alone.
pub(crate) struct Need {
    /// Bytes the decode allocates at most, besides the encoded bytes themselves.
    pub bytes: u64,
    /// The size it decodes to.
    pub decoded: (u32, u32),
    /// The stored size of the image.
    pub stored: (u32, u32),
}

/// [`decode`]'s memory, without decoding: see [`Need`].
pub(crate) fn need(bytes: &[u8], format: Format, limits: &Limits, target: Target) -> Result<Need, Rejection> {
    catch_unwind(AssertUnwindSafe(|| match format {
        Format::Jpeg => jpeg::need(bytes, limits, target),
        Format::Png => other::need(bytes, limits),
        Format::WebP => webp::need(bytes, limits, target),
    }))
    .unwrap_or_else(|_| Err(Rejection::Corrupt("the decoder failed".into())))
}

/// Refuses dimensions over the limits. Pixel count first: it is the clearer message.
pub(crate) fn check_dimensions(width: u32, height: u32, limits: &Limits) -> Result<(), Rejection> {
    if width == 0 || height == 0 {
        return Err(Rejection::Corrupt("the image has no pixels".into()));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(Rejection::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    if width > limits.max_width || height > limits.max_height {
        return Err(Rejection::DimensionsTooLarge { width, height });
    }
    Ok(())
}

/// Refuses a decode that would need more than `max_alloc` bytes, reporting the pixel count
/// that would have fitted.
pub(crate) fn check_alloc(width: u32, height: u32, needed: u64, limits: &Limits) -> Result<(), Rejection> {
    if needed <= limits.max_alloc {
        return Ok(());
    }
    let pixels = u128::from(width) * u128::from(height);
    let fits = u128::from(limits.max_alloc) * pixels / u128::from(needed.max(1));
    Err(Rejection::TooManyPixels {
        width,
        height,
        limit: u64::try_from(fits).unwrap_or(u64::MAX),
    })
}

pub(crate) fn zeroed(len: u64, width: u32, height: u32, limits: &Limits) -> Result<Vec<u8>, Rejection> {
    check_alloc(width, height, len, limits)?;
    let len = usize::try_from(len).map_err(|_| Rejection::TooManyPixels {
        width,
        height,
        limit: limits.max_pixels,
    })?;
    let mut data = Vec::new();
    data.try_reserve_exact(len)
        .map_err(|_| Rejection::Corrupt("not enough memory to decode the image".into()))?;
    data.resize(len, 0);
    Ok(data)
}

/// Packed RGBA8 to packed RGB8, compositing any transparency over white, in place.
pub(crate) fn flatten_rgba(mut data: Vec<u8>) -> Vec<u8> {
    let pixels = data.len() / 4;
    // Forward in-place compaction: pixel i is written at 3i, read from 4i >= 3i.
    for i in 0..pixels {
        let alpha = u32::from(data[4 * i + 3]);
        for c in 0..3 {
            let value = u32::from(data[4 * i + c]);
            data[3 * i + c] = ((value * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
        }
    }
    data.truncate(pixels * 3);
    data
}
