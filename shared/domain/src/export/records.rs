//! The ZIP format's records, byte by byte (APPNOTE 6.3.10): the central
//! directory headers and the end records, DOS times, names allowed.

use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;

pub(super) const LOCAL: u32 = 0x0403_4b50;
pub(super) const DESCRIPTOR: u32 = 0x0807_4b50;
pub(super) const CENTRAL: u32 = 0x0201_4b50;
pub(super) const END: u32 = 0x0605_4b50;
pub(super) const END64: u32 = 0x0606_4b50;
pub(super) const LOCATOR64: u32 = 0x0706_4b50;
pub(super) const ZIP64_EXTRA: u16 = 0x0001;
/// General purpose flags: sizes in a data descriptor (bit 3), UTF-8 names
/// (bit 11).
pub(super) const FLAGS: u16 = 0x0008 | 0x0800;
pub(super) const MAX32: u64 = 0xFFFF_FFFF;
pub(super) const MAX16: u64 = 0xFFFF;

/// Why an entry cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    #[error("an entry is open: end it first")]
    EntryOpen,
    #[error("no entry is open")]
    NoEntry,
    #[error(
        "an entry name must be 1 to 65535 bytes, relative, without `..`, `\\` or control characters: {0:?}"
    )]
    BadName(String),
}

/// One entry written, as the central directory lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub name: String,
    pub crc32: u32,
    pub size: u64,
    /// Offset of its local header from the start of the file.
    pub offset: u64,
    pub dos_time: u16,
    pub dos_date: u16,
    /// Its local header and data descriptor are ZIP64's.
    pub zip64: bool,
}

/// The end records after a central directory of `count` entries, `cd_size`
/// bytes at `cd_offset`: ZIP64's record and locator first when a value
/// needs them (or `force`).
pub(super) fn end_records(b: &mut Vec<u8>, cd_offset: u64, cd_size: u64, count: u64, force: bool) {
    let zip64 = force || count >= MAX16 || cd_size >= MAX32 || cd_offset >= MAX32;
    if zip64 {
        let end64 = cd_offset + cd_size;
        put32(b, END64);
        put64(b, 44);
        put16(b, 45);
        put16(b, 45);
        put32(b, 0);
        put32(b, 0);
        put64(b, count);
        put64(b, count);
        put64(b, cd_size);
        put64(b, cd_offset);
        put32(b, LOCATOR64);
        put32(b, 0);
        put64(b, end64);
        put32(b, 1);
    }
    put32(b, END);
    put16(b, 0);
    put16(b, 0);
    let n = if zip64 { MAX16 } else { count } as u16;
    put16(b, n);
    put16(b, n);
    put32(b, if zip64 { MAX32 } else { cd_size } as u32);
    put32(b, if zip64 { MAX32 } else { cd_offset } as u32);
    put16(b, 0);
}

/// The central directory header of `e`, with a ZIP64 extra holding each
/// field too large for its 4 bytes (in the order the format fixes:
/// uncompressed size, compressed size, offset).
pub(super) fn central(b: &mut Vec<u8>, e: &Written, force: bool) {
    let big_size = force || e.size >= MAX32;
    let big_offset = force || e.offset >= MAX32;
    let mut extra = Vec::new();
    if big_size {
        put64(&mut extra, e.size);
        put64(&mut extra, e.size);
    }
    if big_offset {
        put64(&mut extra, e.offset);
    }
    let zip64 = !extra.is_empty() || e.zip64;
    put32(b, CENTRAL);
    put16(b, 45);
    put16(b, if zip64 { 45 } else { 20 });
    put16(b, FLAGS);
    put16(b, 0);
    put16(b, e.dos_time);
    put16(b, e.dos_date);
    put32(b, e.crc32);
    let size = if big_size { MAX32 } else { e.size } as u32;
    put32(b, size);
    put32(b, size);
    put16(b, e.name.len() as u16);
    put16(
        b,
        if extra.is_empty() {
            0
        } else {
            4 + extra.len() as u16
        },
    );
    put16(b, 0);
    put16(b, 0);
    put16(b, 0);
    put32(b, 0);
    put32(b, if big_offset { MAX32 } else { e.offset } as u32);
    b.extend_from_slice(e.name.as_bytes());
    if !extra.is_empty() {
        put16(b, ZIP64_EXTRA);
        put16(b, extra.len() as u16);
        b.extend_from_slice(&extra);
    }
}

/// Bytes an entry named `name` adds around its content, at most: local
/// header, descriptor and central directory header, all in ZIP64 form.
pub fn entry_overhead(name: &str) -> u64 {
    (30 + 20 + 24 + 46 + 28) as u64 + 2 * name.len() as u64
}

/// Bytes [`ZipWriter::finish`] adds besides the central headers, at most.
pub const END_OVERHEAD: u64 = 56 + 20 + 22;

pub(super) fn check_name(name: &str) -> Result<(), ZipError> {
    let bad = name.is_empty()
        || name.len() > MAX16 as usize
        || name.starts_with('/')
        || name.contains('\\')
        || name.chars().any(char::is_control)
        || name.split('/').any(|p| p == ".." || p == ".");
    if bad {
        return Err(ZipError::BadName(name.to_owned()));
    }
    Ok(())
}

/// MS-DOS time and date of `t`, clamped to what they can say (1980-2107).
pub(super) fn dos_time(t: PrimitiveDateTime) -> (u16, u16) {
    let year = t.year().clamp(1980, 2107);
    let (t, year) = if year == t.year() {
        (t, year)
    } else if year == 1980 {
        (time::macros::datetime!(1980-01-01 0:00), 1980)
    } else {
        (time::macros::datetime!(2107-12-31 23:59:58), 2107)
    };
    let time = (u16::from(t.hour()) << 11) | (u16::from(t.minute()) << 5) | u16::from(t.second() / 2);
    let date = (((year - 1980) as u16) << 9) | (u16::from(u8::from(t.month())) << 5) | u16::from(t.day());
    (time, date)
}

pub(super) fn put16(b: &mut Vec<u8>, v: u16) {
    b.extend_from_slice(&v.to_le_bytes());
}
pub(super) fn put32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}
pub(super) fn put64(b: &mut Vec<u8>, v: u64) {
    b.extend_from_slice(&v.to_le_bytes());
}
