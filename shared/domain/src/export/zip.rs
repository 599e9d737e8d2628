//! A streaming ZIP writer for the export (X3): entries are stored as they
//! are (method 0: an original is never recompressed), each followed by a
//! data descriptor, so the writer never needs to go back (it writes into
//! an S3 multipart upload, which cannot). ZIP64 records are written where
//! a size, an offset or the entry count needs them (a part of about 4 GiB
//! has offsets past 2³² − 1).
//!
//! The writer only makes bytes; the caller sends them on. Between entries
//! its [`ZipState`] is plain data, so a writer can stop, be saved, and be
//! resumed by another invocation ([`ZipWriter::resume`]), producing exactly
//! the bytes an uninterrupted one would.

use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;

const LOCAL: u32 = 0x0403_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const END64: u32 = 0x0606_4b50;
const LOCATOR64: u32 = 0x0706_4b50;
const ZIP64_EXTRA: u16 = 0x0001;
/// General purpose flags: sizes in a data descriptor (bit 3), UTF-8 names
/// (bit 11).
const FLAGS: u16 = 0x0008 | 0x0800;
const MAX32: u64 = 0xFFFF_FFFF;
const MAX16: u64 = 0xFFFF;

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

/// The writer between entries: what it wrote, and where it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZipState {
    /// Bytes written so far.
    pub offset: u64,
    pub entries: Vec<Written>,
    /// Every record in ZIP64 form, needed or not (tests of the ZIP64 path).
    #[serde(default)]
    pub force_zip64: bool,
}

struct Open {
    name: String,
    offset: u64,
    crc: crc32fast::Hasher,
    size: u64,
    dos: (u16, u16),
    zip64: bool,
}

/// See the module's documentation.
pub struct ZipWriter {
    state: ZipState,
    open: Option<Open>,
}

impl Default for ZipWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ZipWriter {
    pub fn new() -> Self {
        Self::resume(ZipState::default())
    }

    /// A writer that writes every record in ZIP64 form.
    pub fn zip64_always() -> Self {
        Self::resume(ZipState {
            force_zip64: true,
            ..ZipState::default()
        })
    }

    /// Carries on from `state`, saved between entries.
    pub fn resume(state: ZipState) -> Self {
        Self { state, open: None }
    }

    /// The state to save; `None` while an entry is open.
    pub fn state(&self) -> Option<&ZipState> {
        self.open.is_none().then_some(&self.state)
    }

    /// Bytes written so far, the open entry's included.
    pub fn offset(&self) -> u64 {
        self.state.offset
    }

    /// Opens an entry `name` last modified at `modified`: its local header.
    /// `size_hint` is its size if known; an entry that may reach 4 GiB is
    /// written in ZIP64 form.
    pub fn start(
        &mut self,
        name: &str,
        modified: PrimitiveDateTime,
        size_hint: Option<u64>,
    ) -> Result<Vec<u8>, ZipError> {
        if self.open.is_some() {
            return Err(ZipError::EntryOpen);
        }
        check_name(name)?;
        let zip64 = self.state.force_zip64 || size_hint.is_none_or(|s| s >= MAX32);
        let dos = dos_time(modified);
        let mut b = Vec::with_capacity(30 + name.len() + 20);
        put32(&mut b, LOCAL);
        put16(&mut b, if zip64 { 45 } else { 20 });
        put16(&mut b, FLAGS);
        put16(&mut b, 0);
        put16(&mut b, dos.0);
        put16(&mut b, dos.1);
        put32(&mut b, 0);
        let unknown = if zip64 { MAX32 as u32 } else { 0 };
        put32(&mut b, unknown);
        put32(&mut b, unknown);
        put16(&mut b, name.len() as u16);
        put16(&mut b, if zip64 { 20 } else { 0 });
        b.extend_from_slice(name.as_bytes());
        if zip64 {
            put16(&mut b, ZIP64_EXTRA);
            put16(&mut b, 16);
            put64(&mut b, 0);
            put64(&mut b, 0);
        }
        self.open = Some(Open {
            name: name.to_owned(),
            offset: self.state.offset,
            crc: crc32fast::Hasher::new(),
            size: 0,
            dos,
            zip64,
        });
        self.state.offset += b.len() as u64;
        Ok(b)
    }

    /// Counts `chunk` of the open entry's content (the caller sends it).
    pub fn data(&mut self, chunk: &[u8]) -> Result<(), ZipError> {
        let open = self.open.as_mut().ok_or(ZipError::NoEntry)?;
        open.crc.update(chunk);
        open.size += chunk.len() as u64;
        self.state.offset += chunk.len() as u64;
        Ok(())
    }

    /// Closes the open entry: its data descriptor.
    pub fn end(&mut self) -> Result<Vec<u8>, ZipError> {
        let open = self.open.take().ok_or(ZipError::NoEntry)?;
        let crc = open.crc.finalize();
        let mut b = Vec::with_capacity(24);
        put32(&mut b, DESCRIPTOR);
        put32(&mut b, crc);
        if open.zip64 {
            put64(&mut b, open.size);
            put64(&mut b, open.size);
        } else {
            put32(&mut b, open.size as u32);
            put32(&mut b, open.size as u32);
        }
        self.state.offset += b.len() as u64;
        self.state.entries.push(Written {
            name: open.name,
            crc32: crc,
            size: open.size,
            offset: open.offset,
            dos_time: open.dos.0,
            dos_date: open.dos.1,
            zip64: open.zip64,
        });
        Ok(b)
    }

    /// A whole small entry: header, `content` and descriptor.
    pub fn entry(
        &mut self,
        name: &str,
        modified: PrimitiveDateTime,
        content: &[u8],
    ) -> Result<Vec<u8>, ZipError> {
        let mut b = self.start(name, modified, Some(content.len() as u64))?;
        self.data(content)?;
        b.extend_from_slice(content);
        b.extend_from_slice(&self.end()?);
        Ok(b)
    }

    /// The central directory and the end records: the file's last bytes.
    pub fn finish(self) -> Result<Vec<u8>, ZipError> {
        if self.open.is_some() {
            return Err(ZipError::EntryOpen);
        }
        let s = self.state;
        let mut b = Vec::new();
        for e in &s.entries {
            central(&mut b, e, s.force_zip64);
        }
        let (cd_offset, cd_size, count) = (s.offset, b.len() as u64, s.entries.len() as u64);
        let zip64 = s.force_zip64 || count >= MAX16 || cd_size >= MAX32 || cd_offset >= MAX32;
        if zip64 {
            let end64 = cd_offset + cd_size;
            put32(&mut b, END64);
            put64(&mut b, 44);
            put16(&mut b, 45);
            put16(&mut b, 45);
            put32(&mut b, 0);
            put32(&mut b, 0);
            put64(&mut b, count);
            put64(&mut b, count);
            put64(&mut b, cd_size);
            put64(&mut b, cd_offset);
            put32(&mut b, LOCATOR64);
            put32(&mut b, 0);
            put64(&mut b, end64);
            put32(&mut b, 1);
        }
        put32(&mut b, END);
        put16(&mut b, 0);
        put16(&mut b, 0);
        let n = if zip64 { MAX16 } else { count } as u16;
        put16(&mut b, n);
        put16(&mut b, n);
        put32(&mut b, if zip64 { MAX32 } else { cd_size } as u32);
        put32(&mut b, if zip64 { MAX32 } else { cd_offset } as u32);
        put16(&mut b, 0);
        Ok(b)
    }
}

/// The central directory header of `e`, with a ZIP64 extra holding each
/// field too large for its 4 bytes (in the order the format fixes:
/// uncompressed size, compressed size, offset).
fn central(b: &mut Vec<u8>, e: &Written, force: bool) {
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

fn check_name(name: &str) -> Result<(), ZipError> {
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
fn dos_time(t: PrimitiveDateTime) -> (u16, u16) {
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

fn put16(b: &mut Vec<u8>, v: u16) {
    b.extend_from_slice(&v.to_le_bytes());
}
fn put32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}
fn put64(b: &mut Vec<u8>, v: u64) {
    b.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
#[path = "zip_tests.rs"]
mod tests;
