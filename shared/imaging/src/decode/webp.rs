//! WebP through libwebp (the `webpx` bindings), decoded straight to the size asked for.
//!
//! libwebp's decoder scales while it converts each decoded row from YUV, so a 16.8 MP
//! wallpaper becomes a 1600 px preview without a full-size RGB image ever existing. That is
//! what libvips does too (its `thumbnail` asks libwebp for the target size), and what the
//! pure-Rust decoder could not: see `docs/benchmarks.md`, "WebP through libwebp".
//!
//! An animated WebP decodes to its first frame, at full size (libwebp's animation decoder
//! does not scale); the renditions are resized from it.

use webpx::{BitstreamFormat, DecoderConfig, DecodingError, Error, ImageInfo};

use super::{check_alloc, check_dimensions, fit, flatten_rgba, Decoded, Need, Rgb, Target};
use crate::{exif, riff, ExifData, Limits, Rejection};

pub(super) fn decode(bytes: &[u8], limits: &Limits, target: Target) -> Result<Decoded, Rejection> {
    let (info, need) = plan(bytes, limits, target)?;
    let (width, height) = (info.width, info.height);
    check_alloc(width, height, need.bytes, limits)?;

    // Our checks above are the limits; webpx's defaults would only repeat them.
    let config = DecoderConfig::new().limits(webpx::Limits::none());
    let mut decoder = webpx::Decoder::new(bytes).map_err(webp_error)?.config(config);
    if need.decoded != (width, height) {
        decoder = decoder.scale(need.decoded.0, need.decoded.1);
    }
    let (data, out_width, out_height) = if info.has_alpha {
        let (rgba, w, h) = decoder.decode_rgba_raw().map_err(webp_error)?;
        (flatten_rgba(rgba), w, h)
    } else {
        decoder.decode_rgb_raw().map_err(webp_error)?
    };
    if data.len() as u64 != u64::from(out_width) * u64::from(out_height) * 3 {
        return Err(Rejection::Corrupt(
            "the WebP decoder returned a short image".into(),
        ));
    }
    Ok(Decoded {
        width,
        height,
        exif: exif_of(bytes),
        image: Rgb {
            width: out_width,
            height: out_height,
            data,
        },
    })
}

/// [`decode`]'s memory, from the headers alone. Besides the output (held twice: libwebp's
/// buffer and its copy) a lossy still keeps only a few rows of macroblocks; a lossless one
/// keeps the whole image as 32-bit ARGB and its Huffman tables (see [`huffman_tables`]), a
/// lossy one with alpha its alpha plane; an animation keeps two RGBA canvases and converts
/// its first frame to RGB.
pub(super) fn need(bytes: &[u8], limits: &Limits, target: Target) -> Result<Need, Rejection> {
    plan(bytes, limits, target).map(|(_, need)| need)
}

fn plan(bytes: &[u8], limits: &Limits, target: Target) -> Result<(ImageInfo, Need), Rejection> {
    check_riff_length(bytes)?;
    let info = ImageInfo::from_webp(bytes).map_err(webp_error)?;
    let (width, height) = (info.width, info.height);
    check_dimensions(width, height, limits)?;
    let pixels = u64::from(width) * u64::from(height);
    let decoded = if info.has_animation {
        (width, height)
    } else {
        fit(width, height, target.long_edge)
    };
    let channels = if info.has_alpha { 4 } else { 3 };
    let output = u64::from(decoded.0) * u64::from(decoded.1) * channels;
    // libwebp's row caches, rescaler and per-macroblock state: a few hundred bytes a column.
    let rows = u64::from(width) * 512 + (2 << 20);
    let whole_image = if info.has_animation {
        pixels * (4 + 4 + 4 + 3)
    } else if info.format == BitstreamFormat::Lossless {
        // The ARGB image, its transforms' and entropy images, and the Huffman tables.
        pixels * 5 + huffman_tables(width, height, bytes.len())
    } else if info.has_alpha {
        // A lossy image's alpha plane is decoded whole.
        pixels
    } else {
        0
    };
    Ok((
        info,
        Need {
            bytes: 2 * output + whole_image + rows,
            decoded,
            stored: (width, height),
        },
    ))
}

/// The most memory the Huffman tables of a lossless file can make libwebp fill. The file's
/// entropy image may give every 4×4 block its own group of five codes, up to 65,536 groups,
/// and each group libwebp builds fills about 6 KiB (a 256-entry root table per code, and its
/// packed table); a group's codes take at least 20 bits of the file. A photograph uses a
/// few hundred groups; this bound is for a file crafted to use them all (about 160 KB for
/// 390 MiB), so that the uploads in flight still fit in memory when one is.
fn huffman_tables(width: u32, height: u32, file_bytes: usize) -> u64 {
    let blocks = u64::from(width.div_ceil(4)) * u64::from(height.div_ceil(4));
    let by_bits = file_bytes as u64 * 8 / 20;
    blocks.min(65_536).min(by_bits) * 6 * 1024
}

/// The RIFF header states the file's length; a shorter file was cut off.
fn check_riff_length(bytes: &[u8]) -> Result<(), Rejection> {
    let declared = bytes
        .get(4..8)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
        .ok_or(Rejection::Truncated)?;
    if (bytes.len() as u64) < u64::from(declared) + 8 {
        return Err(Rejection::Truncated);
    }
    Ok(())
}

/// The `EXIF` chunk's metadata; none when the file has no such chunk or it cannot be read.
fn exif_of(bytes: &[u8]) -> ExifData {
    riff::chunks(bytes)
        .map_while(Result::ok)
        .find(|chunk| &chunk.kind == b"EXIF")
        .map(|chunk| exif::parse(chunk.data.strip_prefix(b"Exif\0\0").unwrap_or(chunk.data)))
        .unwrap_or_default()
}

fn webp_error(error: webpx::At<Error>) -> Rejection {
    match error.decompose().0 {
        Error::DecodeFailed(DecodingError::NotEnoughData | DecodingError::Suspended)
        | Error::NeedMoreData => Rejection::Truncated,
        Error::InvalidWebP => Rejection::Corrupt("the WebP headers are invalid".into()),
        Error::DecodeFailed(DecodingError::OutOfMemory) | Error::OutOfMemory => {
            Rejection::Corrupt("not enough memory to decode the image".into())
        }
        Error::DecodeFailed(reason) => Rejection::Corrupt(format!("WebP {reason}")),
        other => Rejection::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::huffman_tables;

    #[test]
    fn huffman_tables_are_bounded_by_blocks_by_the_file_and_by_the_format() {
        // 65,536 groups at most, however large the image and the file.
        assert_eq!(huffman_tables(16_000, 16_000, 50 << 20), 65_536 * 6 * 1024);
        // One group per 4×4 block: a 64×64 image has 256.
        assert_eq!(huffman_tables(64, 64, 1 << 20), 256 * 6 * 1024);
        // Each group takes at least 20 bits: a 1,000-byte file holds 400.
        assert_eq!(huffman_tables(4000, 3000, 1000), 400 * 6 * 1024);
    }
}
