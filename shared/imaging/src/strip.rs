//! A copy of an original without where it was taken (issue 7, item 5): the
//! EXIF block (which holds the GPS tags), XMP packets (which can hold them
//! too) and JPEG's Photoshop/IPTC block are taken out, byte for byte around
//! the untouched image data. The one EXIF field that changes how the image
//! looks, its orientation, is put back in a minimal EXIF block of its own.

use crate::exif;

/// Why a file could not be stripped.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StripError {
    #[error("not a JPEG, PNG or WebP file")]
    UnknownFormat,
    #[error("the file's structure is broken: {0}")]
    Malformed(&'static str),
}

/// `bytes` (JPEG, PNG or WebP) without GPS or other location metadata.
pub fn strip_location(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes)
    } else {
        Err(StripError::UnknownFormat)
    }
}

/// A big-endian TIFF block with one entry, Orientation; `None` for 1 (the
/// default, which needs no block).
fn orientation_tiff(orientation: u16) -> Option<Vec<u8>> {
    if orientation == 1 || !(1..=8).contains(&orientation) {
        return None;
    }
    let mut t = b"MM\x00\x2a".to_vec();
    t.extend(8u32.to_be_bytes()); // the IFD follows the header
    t.extend(1u16.to_be_bytes()); // one entry
    t.extend(0x0112u16.to_be_bytes()); // Orientation
    t.extend(3u16.to_be_bytes()); // SHORT
    t.extend(1u32.to_be_bytes()); // one value
    t.extend(orientation.to_be_bytes());
    t.extend([0, 0]); // value padding
    t.extend(0u32.to_be_bytes()); // no next IFD
    Some(t)
}

fn orientation_of(tiff: &[u8]) -> u16 {
    exif::parse(tiff).orientation
}

const XMP_PREFIXES: [&[u8]; 2] = [
    b"http://ns.adobe.com/xap/1.0/\0",
    b"http://ns.adobe.com/xmp/extension/\0",
];

fn jpeg(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    let broken = || StripError::Malformed("a JPEG segment runs past the end");
    let mut kept: Vec<&[u8]> = Vec::new();
    let mut orientation = 1;
    let mut at = 2;
    loop {
        let marker = *bytes.get(at + 1).ok_or_else(broken)?;
        if bytes[at] != 0xFF {
            return Err(StripError::Malformed("a JPEG marker is missing"));
        }
        if marker == 0xFF {
            at += 1;
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            break; // the image data, copied as it is
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            kept.push(&bytes[at..at + 2]);
            at += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2).ok_or_else(broken)?,
            *bytes.get(at + 3).ok_or_else(broken)?,
        ]));
        let segment = bytes.get(at..at + 2 + len).ok_or_else(broken)?;
        let payload = &segment[4.min(segment.len())..];
        let drop = match marker {
            0xE1 => {
                if let Some(tiff) = payload.strip_prefix(b"Exif\0\0") {
                    orientation = orientation_of(tiff);
                    true
                } else {
                    XMP_PREFIXES.iter().any(|p| payload.starts_with(p))
                }
            }
            0xED => true, // Photoshop resources: IPTC names places
            _ => false,
        };
        if !drop {
            kept.push(segment);
        }
        at += 2 + len;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut segments = kept.into_iter().peekable();
    // JFIF wants its APP0 first; the new EXIF block goes after it.
    if let Some(app0) = segments.next_if(|s| s.get(1) == Some(&0xE0)) {
        out.extend_from_slice(app0);
    }
    if let Some(tiff) = orientation_tiff(orientation) {
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend(tiff);
        out.extend([0xFF, 0xE1]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend(payload);
    }
    for s in segments {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(&bytes[at..]);
    Ok(out)
}

/// One PNG chunk with its length and CRC.
pub(crate) fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = Vec::with_capacity(12 + data.len());
    c.extend((data.len() as u32).to_be_bytes());
    c.extend(kind);
    c.extend(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    c.extend(crc.finalize().to_be_bytes());
    c
}

fn png(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    let broken = || StripError::Malformed("a PNG chunk runs past the end");
    let mut out = bytes[..8].to_vec();
    let mut orientation = 1;
    let mut chunks = Vec::new();
    let mut at = 8;
    while at < bytes.len() {
        let len = u32::from_be_bytes(
            bytes
                .get(at..at + 4)
                .ok_or_else(broken)?
                .try_into()
                .map_err(|_| broken())?,
        ) as usize;
        let chunk = bytes.get(at..at + 12 + len).ok_or_else(broken)?;
        let (kind, data) = (&chunk[4..8], &chunk[8..8 + len]);
        let keyword = data.split(|b| *b == 0).next().unwrap_or_default();
        let drop = match kind {
            b"eXIf" => {
                orientation = orientation_of(data.strip_prefix(b"Exif\0\0").unwrap_or(data));
                true
            }
            b"iTXt" | b"tEXt" | b"zTXt" => keyword == b"XML:com.adobe.xmp",
            _ => false,
        };
        if !drop {
            chunks.push(chunk);
        }
        at += 12 + len;
    }
    let mut chunks = chunks.into_iter();
    // IHDR first; eXIf must come before the image data.
    out.extend_from_slice(chunks.next().ok_or(StripError::Malformed("a PNG without IHDR"))?);
    if let Some(tiff) = orientation_tiff(orientation) {
        out.extend(png_chunk(b"eXIf", &tiff));
    }
    for c in chunks {
        out.extend_from_slice(c);
    }
    Ok(out)
}

fn webp(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    let mut orientation = 1;
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    for chunk in crate::riff::chunks(bytes) {
        let chunk = chunk.map_err(|_| StripError::Malformed("a WebP chunk runs past the end"))?;
        match &chunk.kind {
            b"EXIF" => {
                orientation = orientation_of(chunk.data.strip_prefix(b"Exif\0\0").unwrap_or(chunk.data))
            }
            b"XMP " => {}
            _ => chunks.push(chunk.whole.to_vec()),
        }
    }
    let tiff = orientation_tiff(orientation);
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    for mut c in chunks {
        if &c[..4] == b"VP8X" && c.len() > 8 {
            // Flags: EXIF 0x08 (kept only for the orientation), XMP 0x04 (never).
            c[8] &= !0x0C;
            if tiff.is_some() {
                c[8] |= 0x08;
            }
        }
        out.extend(c);
    }
    // EXIF is only allowed in the extended format, which has a VP8X chunk.
    if let (Some(t), true) = (tiff, out[12..].starts_with(b"VP8X")) {
        out.extend(b"EXIF");
        out.extend((t.len() as u32).to_le_bytes());
        out.extend(t); // even length: no padding
    }
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_orientation_block_parses_back() {
        for o in 2..=8 {
            let t = orientation_tiff(o).unwrap();
            let e = exif::parse(&t);
            assert_eq!((e.orientation, e.gps), (o, None));
        }
        assert_eq!(orientation_tiff(1), None);
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(strip_location(b"GIF89a...."), Err(StripError::UnknownFormat));
        assert!(matches!(
            strip_location(&[0xFF, 0xD8, 0xFF]),
            Err(StripError::Malformed(_))
        ));
    }
}
