//! From validated bytes to renditions: decode once, resize to the preview, resize the
//! preview to the thumbnail, orient and encode the two small images.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use turbojpeg::{Compressor, PixelFormat, Subsamp};

use crate::decode::{self, fit, Rgb, Target};
use crate::orient::orient;
use crate::{sniff, ExifData, Format, Limits, Rejection, Renditions};

/// The decoded upload and its unoriented renditions.
pub(crate) struct Work {
    /// Stored (unoriented) dimensions of the original.
    pub width: u32,
    pub height: u32,
    pub exif: ExifData,
    pub preview: Rgb,
    pub thumbnail: Rgb,
}

/// The checks before any decoding: the file's size and its format; and the long edges of
/// the preview and the thumbnail.
fn check(
    bytes: &[u8],
    limits: &Limits,
    renditions: &Renditions,
) -> Result<(Format, u32, u32, Target), Rejection> {
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(Rejection::TooLarge {
            bytes: size,
            limit: limits.max_bytes,
        });
    }
    let format = sniff(bytes).ok_or(Rejection::NotAnImage)?;
    let (preview_edge, thumb_edge) = (
        renditions.preview_long_edge.max(1),
        renditions.thumb_long_edge.max(1),
    );
    let target = Target {
        long_edge: preview_edge.max(thumb_edge),
        fast_progressive: renditions.fast_progressive,
        dct_scale: renditions.dct_scale,
    };
    Ok((format, preview_edge, thumb_edge, target))
}

/// Validates `bytes` and makes the unoriented preview and thumbnail.
pub(crate) fn prepare(
    bytes: &[u8],
    limits: &Limits,
    renditions: &Renditions,
) -> Result<(Format, Work), Rejection> {
    let (format, preview_edge, thumb_edge, target) = check(bytes, limits, renditions)?;
    let decoded = decode::decode(bytes, format, limits, target)?;
    let (width, height) = (decoded.width, decoded.height);

    let (pw, ph) = fit(width, height, preview_edge);
    let (tw, th) = fit(width, height, thumb_edge);
    // The thumbnail comes from the preview, unless someone configured it to be larger.
    let early_thumbnail = if tw > pw || th > ph {
        Some(resize(&decoded.image, tw, th)?)
    } else {
        None
    };
    let preview = if (decoded.image.width, decoded.image.height) == (pw, ph) {
        decoded.image
    } else {
        resize(&decoded.image, pw, ph)?
    };
    let thumbnail = match early_thumbnail {
        Some(thumbnail) => thumbnail,
        None if (tw, th) == (pw, ph) => preview.clone(),
        None => resize(&preview, tw, th)?,
    };
    Ok((
        format,
        Work {
            width,
            height,
            exif: decoded.exif,
            preview,
            thumbnail,
        },
    ))
}

/// The memory [`crate::process`] takes for `bytes`, besides `bytes` themselves, from the
/// header alone: the decode's (see `decode::need`) and the renditions' — each resize's
/// intermediate (the target width by the source height) and result, the oriented copy,
/// and the encoder's output, counted at their largest.
pub(crate) fn need(bytes: &[u8], limits: &Limits, renditions: &Renditions) -> Result<u64, Rejection> {
    let (format, preview_edge, thumb_edge, target) = check(bytes, limits, renditions)?;
    let need = decode::need(bytes, format, limits, target)?;
    let (width, height) = need.stored;
    let rgb = |(w, h): (u32, u32)| u64::from(w) * u64::from(h) * 3;
    let (pw, ph) = fit(width, height, preview_edge);
    let (tw, th) = fit(width, height, thumb_edge);
    let preview_pass = rgb((pw.max(tw), need.decoded.1));
    let thumb_pass = rgb((tw, ph.max(th)));
    let renditions = 4 * rgb((pw, ph)) + 2 * rgb((tw, th));
    Ok(need.bytes + preview_pass.max(thumb_pass) + renditions + (1 << 20))
}

/// Lanczos3 resampling in the sRGB-encoded values (like libvips' default thumbnailing).
pub(crate) fn resize(source: &Rgb, width: u32, height: u32) -> Result<Rgb, Rejection> {
    let failed = |e: &dyn std::fmt::Display| Rejection::Corrupt(format!("resize failed: {e}"));
    let src =
        ImageRef::new(source.width, source.height, &source.data, PixelType::U8x3).map_err(|e| failed(&e))?;
    let mut dst = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| failed(&e))?;
    Ok(Rgb {
        width,
        height,
        data: dst.into_vec(),
    })
}

/// Orients `image` and encodes it as a baseline 4:2:0 JPEG.
pub(crate) fn encode_oriented(image: &Rgb, orientation: u16, quality: u8) -> Result<Vec<u8>, Rejection> {
    if !(2..=8).contains(&orientation) {
        let (width, height) = (image.width as usize, image.height as usize);
        return encode(&image.data, width, height, quality);
    }
    let (data, width, height) = orient(
        &image.data,
        image.width as usize,
        image.height as usize,
        3,
        orientation,
    );
    encode(&data, width, height, quality)
}

pub(crate) fn encode(data: &[u8], width: usize, height: usize, quality: u8) -> Result<Vec<u8>, Rejection> {
    let failed = |e: turbojpeg::Error| Rejection::Corrupt(format!("encoding failed: {e}"));
    let mut compressor = Compressor::new().map_err(failed)?;
    compressor
        .set_quality(i32::from(quality.clamp(1, 100)))
        .map_err(failed)?;
    compressor.set_subsamp(Subsamp::Sub2x2).map_err(failed)?;
    compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: data,
            width,
            pitch: width * 3,
            height,
            format: PixelFormat::RGB,
        })
        .map_err(failed)
}
