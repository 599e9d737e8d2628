//! The chunks of a WebP file's RIFF container.

/// One chunk: its FourCC, its payload, and the whole chunk (header, payload and the pad
/// byte after an odd-length payload, when the file has it).
pub(crate) struct Chunk<'a> {
    pub kind: [u8; 4],
    pub data: &'a [u8],
    pub whole: &'a [u8],
}

/// A chunk that runs past the end of the file.
#[derive(Debug)]
pub(crate) struct PastTheEnd;

/// The chunks after the 12-byte `RIFF….WEBP` header, in file order. A chunk that runs past
/// the end is the last item, as an error; a tail too short for a chunk header is ignored.
pub(crate) fn chunks(bytes: &[u8]) -> impl Iterator<Item = Result<Chunk<'_>, PastTheEnd>> {
    let mut at = 12usize;
    std::iter::from_fn(move || {
        let header = bytes.get(at..at.checked_add(8)?)?;
        let kind: [u8; 4] = header[..4].try_into().ok()?;
        let len = u32::from_le_bytes(header[4..].try_into().ok()?) as usize;
        let padded = len + (len & 1);
        let whole = bytes
            .get(at..at + 8 + padded)
            .or_else(|| bytes.get(at..at + 8 + len));
        let Some(whole) = whole else {
            at = bytes.len();
            return Some(Err(PastTheEnd));
        };
        at += 8 + padded;
        Some(Ok(Chunk {
            kind,
            data: &whole[8..8 + len],
            whole,
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(body: &[u8]) -> Vec<u8> {
        let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn chunks_are_read_with_their_padding_and_a_cut_one_is_an_error() {
        let bytes = file(b"ABCD\x03\0\0\0xyz\0EFGH\x02\0\0\0pq");
        let read: Vec<_> = chunks(&bytes).map(Result::unwrap).collect();
        assert_eq!(read.len(), 2);
        assert_eq!(
            (&read[0].kind, read[0].data, read[0].whole.len()),
            (b"ABCD", &b"xyz"[..], 12)
        );
        assert_eq!((&read[1].kind, read[1].data), (b"EFGH", &b"pq"[..]));

        // The last chunk may leave out its pad byte.
        let unpadded = file(b"ABCD\x03\0\0\0xyz");
        assert_eq!(chunks(&unpadded).next().unwrap().unwrap().data, b"xyz");

        let cut = file(b"ABCD\x09\0\0\0xyz");
        let mut it = chunks(&cut);
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());

        assert!(chunks(&file(b"ABC")).next().is_none());
    }
}
