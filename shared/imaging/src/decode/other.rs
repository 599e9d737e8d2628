//! PNG and WebP through the `image` crate, under `image::Limits`.

use std::io::{Cursor, ErrorKind};

use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::{DynamicImage, ImageDecoder, ImageError};

use super::{check_alloc, check_dimensions, Decoded, Rgb};
use crate::{exif, ExifData, Format, Limits, Rejection};

pub(super) fn decode(bytes: &[u8], format: Format, limits: &Limits) -> Result<Decoded, Rejection> {
    let reader = Cursor::new(bytes);
    match format {
        Format::Png => {
            let decoder = PngDecoder::with_limits(reader, image::Limits::no_limits()).map_err(image_error)?;
            finish_image(decoder, limits)
        }
        _ => {
            check_riff_length(bytes)?;
            finish_image(WebPDecoder::new(reader).map_err(image_error)?, limits)
        }
    }
}

/// [`decode`]'s memory, from the header alone: the decoded pixels, their conversion to
/// RGB, and the decoder's own buffers (PNG's rows and inflate window; a lossy WebP's
/// YUV planes, half again the pixels).
pub(super) fn need(bytes: &[u8], format: Format, limits: &Limits) -> Result<super::Need, Rejection> {
    let reader = Cursor::new(bytes);
    let (decoder, own): (Box<dyn ImageDecoder>, u64) = match format {
        Format::Png => (
            Box::new(PngDecoder::with_limits(reader, image::Limits::no_limits()).map_err(image_error)?),
            0,
        ),
        _ => {
            check_riff_length(bytes)?;
            (Box::new(WebPDecoder::new(reader).map_err(image_error)?), 2)
        }
    };
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
        bytes: decoder.total_bytes() + conversion + pixels * own + rows,
        decoded: (width, height),
        stored: (width, height),
    })
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
        let mut data = image.into_rgba8().into_raw();
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
