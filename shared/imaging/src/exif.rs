//! The EXIF fields we keep. Anything malformed is ignored field by field: EXIF is never a
//! reason to refuse an upload.

use exif::{DateTime, Field, In, Reader, Tag, Value};

use crate::{ExifData, GpsPosition};

/// The TIFF payload of the first `APP1` "Exif" segment of a JPEG, found by walking the
/// marker segments up to the start of scan.
pub(crate) fn jpeg_app1(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 2; // after SOI
    loop {
        let marker_start = bytes.get(at..at + 2)?;
        if marker_start[0] != 0xFF {
            return None;
        }
        let marker = marker_start[1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            return None; // start of scan or end of image: no EXIF before the pixels
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]));
        if length < 2 {
            return None;
        }
        let payload = bytes.get(at + 4..at + 2 + length)?;
        if marker == 0xE1 {
            if let Some(tiff) = payload.strip_prefix(b"Exif\0\0") {
                return Some(tiff);
            }
        }
        at += 2 + length;
    }
}

/// Parses a raw TIFF-structured EXIF block.
pub(crate) fn parse(tiff: &[u8]) -> ExifData {
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let exif = match reader.read_raw(tiff.to_vec()) {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => partial.into_inner().0,
        Err(_) => return ExifData::default(),
    };
    let field = |tag| exif.get_field(tag, In::PRIMARY);
    ExifData {
        taken_at: field(Tag::DateTimeOriginal)
            .and_then(date_time)
            .or_else(|| field(Tag::DateTime).and_then(date_time)),
        camera_make: field(Tag::Make).and_then(text),
        camera_model: field(Tag::Model).and_then(text),
        gps: gps(
            field(Tag::GPSLatitude),
            field(Tag::GPSLatitudeRef),
            field(Tag::GPSLongitude),
            field(Tag::GPSLongitudeRef),
        ),
        orientation: field(Tag::Orientation)
            .and_then(|f| f.value.get_uint(0))
            .and_then(|o| u16::try_from(o).ok())
            .filter(|o| (1..=8).contains(o))
            .unwrap_or(1),
    }
}

fn ascii(field: &Field) -> Option<&[u8]> {
    match &field.value {
        Value::Ascii(parts) => parts.first().map(Vec::as_slice),
        _ => None,
    }
}

fn text(field: &Field) -> Option<String> {
    let raw = ascii(field)?;
    let text = String::from_utf8_lossy(raw);
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    let text: String = text.chars().filter(|c| !c.is_control()).take(128).collect();
    (!text.is_empty()).then_some(text)
}

/// "YYYY:MM:DD HH:MM:SS" → "YYYY-MM-DDTHH:MM:SS"; blank or impossible dates are dropped.
fn date_time(field: &Field) -> Option<String> {
    let t = DateTime::from_ascii(ascii(field)?).ok()?;
    let valid = (1..=9999).contains(&t.year)
        && (1..=12).contains(&t.month)
        && (1..=31).contains(&t.day)
        && t.hour < 24
        && t.minute < 60
        && t.second < 61;
    valid.then(|| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year,
            t.month,
            t.day,
            t.hour,
            t.minute,
            t.second.min(59)
        )
    })
}

fn gps(
    latitude: Option<&Field>,
    latitude_ref: Option<&Field>,
    longitude: Option<&Field>,
    longitude_ref: Option<&Field>,
) -> Option<GpsPosition> {
    let latitude = degrees(latitude?)? * sign(latitude_ref?, b'S')?;
    let longitude = degrees(longitude?)? * sign(longitude_ref?, b'W')?;
    let valid = latitude.abs() <= 90.0 && longitude.abs() <= 180.0;
    valid.then_some(GpsPosition { latitude, longitude })
}

/// Degrees, minutes and seconds (three rationals) to decimal degrees.
fn degrees(field: &Field) -> Option<f64> {
    let Value::Rational(parts) = &field.value else {
        return None;
    };
    let mut total = 0.0;
    for (part, divisor) in parts.iter().zip([1.0, 60.0, 3600.0]) {
        if part.denom == 0 {
            return None;
        }
        total += part.to_f64() / divisor;
    }
    (!parts.is_empty() && total.is_finite()).then_some(total)
}

fn sign(reference: &Field, negative: u8) -> Option<f64> {
    match ascii(reference)?.first()?.to_ascii_uppercase() {
        r if r == negative => Some(-1.0),
        b'N' | b'S' | b'E' | b'W' => Some(1.0),
        _ => None,
    }
}
