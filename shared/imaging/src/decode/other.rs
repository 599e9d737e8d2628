//! PNG through the `image` crate, under `image::Limits`.

use std::io::{Cursor, ErrorKind};

use image::codecs::png::PngDecoder;
use image::{DynamicImage, ImageDecoder, ImageError};

use super::{check_alloc, check_dimensions, flatten_rgba, Decoded, Rgb};
use crate::{exif, ExifData, Limits, Rejection};

pub(super) fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, Rejection> {
    let decoder =
        PngDecoder::with_limits(Cursor::new(bytes), image::Limits::no_limits()).map_err(image_error)?;
    finish_image(decoder, limits)
}

/// [`decode`]'s memory, from the header alone: the decoded pixels, their conversion to
/// RGB, and the decoder's rows and inflate window.
pub(super) fn need(bytes: &[u8], limits: &Limits) -> Result<super::Need, Rejection> {
    let decoder =
        PngDecoder::with_limits(Cursor::new(bytes), image::Limits::no_limits()).map_err(image_error)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    let pixels = u64::from(width) * u64::from(height);
    // RGB8 is taken as it is and RGBA8 flattened in place; anything else is converted
    // to RGBA8 first.
    let conversion = match decoder.color_type() {
        image::ColorType::Rgb8 | image::ColorType::Rgba8 => 0,
        _ => pixels * 4,
    };
    let rows = u64::from(width) * 8 * 2 + (1 << 20);
    Ok(super::Need {
        bytes: decoder.total_bytes() + conversion + rows,
        decoded: (width, height),
        stored: (width, height),
    })
}

fn finish_image(mut decoder: impl ImageDecoder, limits: &Limits) -> Result<Decoded, Rejection> {
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    let pixels = u64::from(width) * u64::from(height);
    let conversion = if decoder.color_type() == image::ColorType::Rgb8 {
        0
    } else {
        pixels * 3
    };
    check_alloc(width, height, decoder.total_bytes() + conversion, limits)?;

    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_width);
    image_limits.max_image_height = Some(limits.max_height);
    image_limits.max_alloc = Some(limits.max_alloc);
    decoder.set_limits(image_limits).map_err(image_error)?;

    let exif = match decoder.exif_metadata() {
        Ok(Some(raw)) => exif::parse(raw.strip_prefix(b"Exif\0\0").unwrap_or(&raw)),
        _ => ExifData::default(),
    };
    let image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    Ok(Decoded {
        width,
        height,
        exif,
        image: to_rgb(image),
    })
}

/// Flattens to RGB8, compositing any transparency over white.
fn to_rgb(image: DynamicImage) -> Rgb {
    let (width, height) = (image.width(), image.height());
    let data = if image.color().has_alpha() {
        flatten_rgba(image.into_rgba8().into_raw())
    } else {
        image.into_rgb8().into_raw()
    };
    Rgb { width, height, data }
}

fn image_error(error: ImageError) -> Rejection {
    match error {
        ImageError::IoError(io) if io.kind() == ErrorKind::UnexpectedEof => Rejection::Truncated,
        ImageError::Decoding(decoding) => {
            let message = decoding.to_string();
            let lower = message.to_ascii_lowercase();
            if lower.contains("eof") || lower.contains("end of") || lower.contains("truncat") {
                Rejection::Truncated
            } else {
                Rejection::Corrupt(message)
            }
        }
        other => Rejection::Corrupt(other.to_string()),
    }
}
