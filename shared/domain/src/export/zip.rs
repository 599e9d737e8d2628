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

use super::records::{
    central, check_name, dos_time, end_records, put16, put32, put64, DESCRIPTOR, FLAGS, LOCAL, MAX32,
    ZIP64_EXTRA,
};
pub use super::records::{Written, ZipError};

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
        end_records(&mut b, cd_offset, cd_size, count, s.force_zip64);
        Ok(b)
    }
}

#[cfg(test)]
#[path = "zip_tests.rs"]
mod tests;
