//! A minimal big-endian TIFF/EXIF writer: IFD0 (Make, Model, Orientation, DateTime and the
//! Exif and GPS pointers), an Exif IFD (DateTimeOriginal) and a GPS IFD.

/// EXIF to embed with [`super::with_exif`]. `None` fields are omitted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestExif {
    /// "YYYY:MM:DD HH:MM:SS", written as both DateTimeOriginal and DateTime.
    pub taken_at: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    /// Signed decimal degrees (latitude, longitude).
    pub gps: Option<(f64, f64)>,
    pub orientation: Option<u16>,
}

const BYTE: u16 = 1;
const ASCII: u16 = 2;
const SHORT: u16 = 3;
const LONG: u16 = 4;
const RATIONAL: u16 = 5;

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

impl Entry {
    fn ascii(tag: u16, text: &str) -> Entry {
        let mut data = text.as_bytes().to_vec();
        data.push(0);
        Entry {
            tag,
            kind: ASCII,
            count: data.len() as u32,
            data,
        }
    }

    fn short(tag: u16, value: u16) -> Entry {
        Entry {
            tag,
            kind: SHORT,
            count: 1,
            data: value.to_be_bytes().to_vec(),
        }
    }

    fn long(tag: u16, value: u32) -> Entry {
        Entry {
            tag,
            kind: LONG,
            count: 1,
            data: value.to_be_bytes().to_vec(),
        }
    }

    fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
        let data = values
            .iter()
            .flat_map(|(n, d)| n.to_be_bytes().into_iter().chain(d.to_be_bytes()))
            .collect();
        Entry {
            tag,
            kind: RATIONAL,
            count: values.len() as u32,
            data,
        }
    }
}

/// Bytes an IFD with these entries occupies, including its out-of-line values.
fn ifd_len(entries: &[Entry]) -> usize {
    let overflow: usize = entries
        .iter()
        .filter(|e| e.data.len() > 4)
        .map(|e| e.data.len().next_multiple_of(2))
        .sum();
    2 + 12 * entries.len() + 4 + overflow
}

/// Appends an IFD that starts at TIFF offset `out.len()` (entries must be sorted by tag).
fn write_ifd(out: &mut Vec<u8>, entries: &[Entry]) {
    let start = out.len();
    let mut overflow_at = start + 2 + 12 * entries.len() + 4;
    let mut overflow = Vec::new();
    out.extend_from_slice(&(entries.len() as u16).to_be_bytes());
    for e in entries {
        out.extend_from_slice(&e.tag.to_be_bytes());
        out.extend_from_slice(&e.kind.to_be_bytes());
        out.extend_from_slice(&e.count.to_be_bytes());
        if e.data.len() <= 4 {
            let mut inline = e.data.clone();
            inline.resize(4, 0);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&(overflow_at as u32).to_be_bytes());
            overflow.extend_from_slice(&e.data);
            if e.data.len() % 2 == 1 {
                overflow.push(0);
            }
            overflow_at += e.data.len().next_multiple_of(2);
        }
    }
    out.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    out.extend_from_slice(&overflow);
}

fn dms(degrees: f64) -> [(u32, u32); 3] {
    let degrees = degrees.abs();
    let whole = degrees.floor();
    let minutes = ((degrees - whole) * 60.0).floor();
    let seconds = ((degrees - whole) * 60.0 - minutes) * 60.0;
    [
        (whole as u32, 1),
        (minutes as u32, 1),
        ((seconds * 10_000.0).round() as u32, 10_000),
    ]
}

/// The TIFF structure (what follows "Exif\0\0" in APP1).
pub(super) fn write(exif: &TestExif) -> Vec<u8> {
    let exif_ifd: Vec<Entry> = exif
        .taken_at
        .iter()
        .map(|t| Entry::ascii(0x9003, t)) // DateTimeOriginal
        .collect();
    let gps_ifd: Vec<Entry> = match exif.gps {
        Some((lat, lon)) => vec![
            Entry {
                tag: 0x0000,
                kind: BYTE,
                count: 4,
                data: vec![2, 3, 0, 0],
            },
            Entry::ascii(0x0001, if lat < 0.0 { "S" } else { "N" }),
            Entry::rationals(0x0002, &dms(lat)),
            Entry::ascii(0x0003, if lon < 0.0 { "W" } else { "E" }),
            Entry::rationals(0x0004, &dms(lon)),
        ],
        None => Vec::new(),
    };

    let mut ifd0 = Vec::new();
    if let Some(make) = &exif.make {
        ifd0.push(Entry::ascii(0x010F, make));
    }
    if let Some(model) = &exif.model {
        ifd0.push(Entry::ascii(0x0110, model));
    }
    if let Some(orientation) = exif.orientation {
        ifd0.push(Entry::short(0x0112, orientation));
    }
    if let Some(taken_at) = &exif.taken_at {
        ifd0.push(Entry::ascii(0x0132, taken_at)); // DateTime
    }
    // Pointers are placeholders until the IFD0 size is known (their size does not change).
    let has_exif = !exif_ifd.is_empty();
    let has_gps = !gps_ifd.is_empty();
    if has_exif {
        ifd0.push(Entry::long(0x8769, 0));
    }
    if has_gps {
        ifd0.push(Entry::long(0x8825, 0));
    }
    let exif_at = 8 + ifd_len(&ifd0);
    let gps_at = exif_at + if has_exif { ifd_len(&exif_ifd) } else { 0 };
    for entry in &mut ifd0 {
        match entry.tag {
            0x8769 => entry.data = (exif_at as u32).to_be_bytes().to_vec(),
            0x8825 => entry.data = (gps_at as u32).to_be_bytes().to_vec(),
            _ => {}
        }
    }

    let mut out = b"MM\0\x2a\0\0\0\x08".to_vec();
    write_ifd(&mut out, &ifd0);
    if has_exif {
        write_ifd(&mut out, &exif_ifd);
    }
    if has_gps {
        write_ifd(&mut out, &gps_ifd);
    }
    out
}
