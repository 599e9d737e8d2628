use super::*;
use crate::export::entry_overhead;
use crate::export::records::{CENTRAL, END, END64, LOCATOR64, ZIP64_EXTRA};
use time::macros::datetime;

const WHEN: PrimitiveDateTime = datetime!(2024-05-03 10:00:07);

/// Writes `entries` in one go, or stopping after each entry and resuming
/// from the saved state (through JSON, as a hand-over does).
fn write(entries: &[(&str, &[u8])], handed_over: bool, zip64: bool) -> Vec<u8> {
    let mut w = if zip64 {
        ZipWriter::zip64_always()
    } else {
        ZipWriter::new()
    };
    let mut out = Vec::new();
    for (name, content) in entries {
        if handed_over {
            let saved = serde_json::to_string(w.state().expect("between entries")).unwrap();
            w = ZipWriter::resume(serde_json::from_str(&saved).unwrap());
        }
        out.extend(w.start(name, WHEN, Some(content.len() as u64)).unwrap());
        for chunk in content.chunks(3) {
            w.data(chunk).unwrap();
            out.extend_from_slice(chunk);
        }
        out.extend(w.end().unwrap());
        assert_eq!(w.offset(), out.len() as u64, "the offset counts every byte");
    }
    out.extend(w.finish().unwrap());
    out
}

const FILES: [(&str, &[u8]); 3] = [
    ("2024/05/kyoto.jpg", b"not really a jpeg"),
    ("2024/05/kyoto.xmp", b"<x:xmpmeta/>"),
    ("manifest.json", b"{}"),
];

#[test]
fn a_writer_resumed_between_entries_writes_the_same_bytes() {
    for zip64 in [false, true] {
        assert_eq!(write(&FILES, false, zip64), write(&FILES, true, zip64));
    }
}

#[test]
fn the_end_record_names_the_central_directory() {
    let zip = write(&FILES, false, false);
    let end = &zip[zip.len() - 22..];
    assert_eq!(&end[..4], &END.to_le_bytes());
    let count = u16::from_le_bytes([end[10], end[11]]);
    let size = u32::from_le_bytes(end[12..16].try_into().unwrap()) as usize;
    let offset = u32::from_le_bytes(end[16..20].try_into().unwrap()) as usize;
    assert_eq!(count, 3);
    assert_eq!(offset + size, zip.len() - 22);
    assert_eq!(&zip[offset..offset + 4], &CENTRAL.to_le_bytes());
}

#[test]
fn zip64_end_records_come_when_forced_or_needed() {
    let zip = write(&FILES, false, true);
    let locator = &zip[zip.len() - 22 - 20..zip.len() - 22];
    assert_eq!(&locator[..4], &LOCATOR64.to_le_bytes());
    let end64 = u64::from_le_bytes(locator[8..16].try_into().unwrap()) as usize;
    assert_eq!(&zip[end64..end64 + 4], &END64.to_le_bytes());
    // Past 4 GiB of offset, an entry's central header carries it in ZIP64.
    let far = Written {
        name: "a".into(),
        crc32: 0,
        size: 1,
        offset: 5 << 30,
        dos_time: 0,
        dos_date: 0,
        zip64: false,
    };
    let mut b = Vec::new();
    central(&mut b, &far, false);
    assert_eq!(
        &b[42..46],
        &u32::MAX.to_le_bytes(),
        "offset deferred to the extra"
    );
    assert_eq!(&b[47..49], &ZIP64_EXTRA.to_le_bytes());
    assert_eq!(u64::from_le_bytes(b[51..59].try_into().unwrap()), 5 << 30);
    assert!(b.len() as u64 <= entry_overhead("a") + 1);
}

#[test]
fn an_entry_without_a_size_hint_is_zip64_and_the_writer_refuses_misuse() {
    let mut w = ZipWriter::new();
    let header = w.start("big.bin", WHEN, None).unwrap();
    assert_eq!(u16::from_le_bytes([header[4], header[5]]), 45);
    assert_eq!(w.start("other", WHEN, Some(1)), Err(ZipError::EntryOpen));
    assert!(w.state().is_none(), "no state to save mid-entry");
    assert_eq!(w.end().unwrap().len(), 24);
    assert_eq!(w.end(), Err(ZipError::NoEntry));
    for bad in ["", "/etc/passwd", "a/../b", "a\\b", "./a", "a\u{0}b"] {
        assert!(
            matches!(w.start(bad, WHEN, Some(1)), Err(ZipError::BadName(_))),
            "{bad:?}"
        );
    }
    assert!(w.start("写真/2024/猫.jpg", WHEN, Some(1)).is_ok(), "UTF-8 names");
}

#[test]
fn dos_times_are_clamped_to_what_they_can_say() {
    assert_eq!(dos_time(WHEN), ((10 << 11) | 3, (44 << 9) | (5 << 5) | 3));
    assert_eq!(dos_time(datetime!(1970-01-01 0:00)), (0, (1 << 5) | 1));
    assert_eq!(dos_time(datetime!(2200-01-01 0:00)).1 >> 9, 127);
}
