//! A scanner's file read into a [`Frame`] of linear light: TIFF (8 or 16
//! bits, RGB, or RGB with an infrared fourth channel as film scanners
//! write it), PNG (8 or 16 bits) and JPEG; and a developed frame written
//! as the JPEG the service stores.
//!
//! Anything else, a file cut short, or one that says it is larger than
//! [`MAX_PIXELS`] is refused with the reason, before its pixels are
//! allocated: a shop's folder may hold anything.

use std::io::Cursor;

use crate::develop::colour::{srgb_decode, srgb_encode, to_u16, unit};
use crate::develop::Frame;

/// The most pixels a scan may have: a 6 × 17 cm panorama at 4,000 dpi is
/// about 70 million.
pub const MAX_PIXELS: u64 = 120_000_000;

/// How a scan's values are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// sRGB's curve, as scanners write by default.
    Srgb,
    /// Linear light, as a scanner's "raw" output is.
    Linear,
}

/// One scanned frame.
#[derive(Debug, Clone)]
pub struct Scan {
    pub frame: Frame,
    /// The infrared channel, pixel for pixel (linear), if the scanner gave one.
    pub infrared: Option<Vec<u16>>,
    /// The EXIF or TIFF orientation tag, if any.
    pub orientation: Option<u16>,
}

/// Why a file is not a scan the terminal reads.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScanError {
    #[error("not a TIFF, PNG or JPEG file")]
    UnknownFormat,
    #[error("{0} × {1} pixels is more than the {MAX_PIXELS} a scan may have")]
    TooLarge(u64, u64),
    #[error("only RGB scans (8 or 16 bits, with or without an infrared channel) are read, not {0}")]
    Unsupported(String),
    #[error("the file is damaged or cut short: {0}")]
    Damaged(String),
}

fn damaged(e: impl std::fmt::Display) -> ScanError {
    ScanError::Damaged(e.to_string())
}

fn check_size(w: u64, h: u64) -> Result<(), ScanError> {
    if w == 0 || h == 0 || w.saturating_mul(h) > MAX_PIXELS {
        return Err(ScanError::TooLarge(w, h));
    }
    Ok(())
}

/// Reads `bytes`, whose values are encoded as `encoding`.
pub fn read(bytes: &[u8], encoding: Encoding) -> Result<Scan, ScanError> {
    let to_linear = |v: u16| match encoding {
        Encoding::Linear => v,
        Encoding::Srgb => to_u16(srgb_decode(unit(v))),
    };
    let (w, h, channels, values, orientation) = match bytes {
        [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => tiff(bytes)?,
        [0x89, b'P', b'N', b'G', ..] => png(bytes)?,
        [0xFF, 0xD8, 0xFF, ..] => jpeg(bytes)?,
        _ => return Err(ScanError::UnknownFormat),
    };
    let n = w * h;
    if values.len() < n * channels {
        return Err(damaged("fewer pixels than the header says"));
    }
    let pixels = (0..n)
        .map(|i| [0, 1, 2].map(|c| to_linear(values[i * channels + c])))
        .collect();
    let infrared = (channels == 4).then(|| (0..n).map(|i| values[i * 4 + 3]).collect());
    let frame = Frame::new(w, h, pixels).ok_or_else(|| damaged("sizes disagree"))?;
    Ok(Scan {
        frame,
        infrared,
        orientation,
    })
}

type Read = (usize, usize, usize, Vec<u16>, Option<u16>);

fn tiff(bytes: &[u8]) -> Result<Read, ScanError> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::ColorType;
    let mut d = Decoder::new(Cursor::new(bytes)).map_err(damaged)?;
    let (w, h) = d.dimensions().map_err(damaged)?;
    check_size(u64::from(w), u64::from(h))?;
    let channels = match d.colortype().map_err(damaged)? {
        ColorType::RGB(8 | 16) => 3,
        ColorType::RGBA(8 | 16) => 4,
        other => return Err(ScanError::Unsupported(format!("{other:?}"))),
    };
    let orientation = d
        .get_tag_u32(tiff::tags::Tag::Orientation)
        .ok()
        .and_then(|v| u16::try_from(v).ok());
    let values = match d.read_image().map_err(damaged)? {
        DecodingResult::U8(v) => v.into_iter().map(|b| u16::from(b) * 257).collect(),
        DecodingResult::U16(v) => v,
        _ => {
            return Err(ScanError::Unsupported(
                "a sample format other than 8 or 16 bits".into(),
            ))
        }
    };
    Ok((w as usize, h as usize, channels, values, orientation))
}

fn png(bytes: &[u8]) -> Result<Read, ScanError> {
    use image::ImageDecoder;
    let d = image::codecs::png::PngDecoder::new(Cursor::new(bytes)).map_err(damaged)?;
    let (w, h) = d.dimensions();
    check_size(u64::from(w), u64::from(h))?;
    let img = image::DynamicImage::from_decoder(d).map_err(damaged)?;
    Ok((w as usize, h as usize, 3, img.into_rgb16().into_raw(), None))
}

fn jpeg(bytes: &[u8]) -> Result<Read, ScanError> {
    let header = turbojpeg::read_header(bytes).map_err(damaged)?;
    check_size(header.width as u64, header.height as u64)?;
    let img = turbojpeg::decompress(bytes, turbojpeg::PixelFormat::RGB).map_err(damaged)?;
    let (w, h) = (img.width, img.height);
    let mut values = Vec::with_capacity(w * h * 3);
    for row in img.pixels.chunks(img.pitch).take(h) {
        values.extend(row[..w * 3].iter().map(|b| u16::from(*b) * 257));
    }
    Ok((w, h, 3, values, None))
}

/// The developed frame as the JPEG the service stores: sRGB, 8 bits, at
/// `quality` (1 to 100).
pub fn jpeg_of(f: &Frame, quality: i32) -> Result<Vec<u8>, ScanError> {
    let pixels: Vec<u8> = f
        .pixels
        .iter()
        .flat_map(|p| p.map(|v| (srgb_encode(unit(v)) * 255.0).round() as u8))
        .collect();
    let image = turbojpeg::Image {
        pixels: pixels.as_slice(),
        width: f.width,
        pitch: f.width * 3,
        height: f.height,
        format: turbojpeg::PixelFormat::RGB,
    };
    turbojpeg::compress(image, quality.clamp(1, 100), turbojpeg::Subsamp::Sub2x2)
        .map(|b| b.to_vec())
        .map_err(damaged)
}
