//! The export's format (X3), read by readers nobody here wrote: Python's
//! `zipfile` opens what `printvault_domain::export::zip` writes, streamed
//! in chunks and handed over between entries, in plain and in ZIP64 form,
//! and every entry's CRC and SHA-256 match; Python's XML parser reads the
//! sidecars ([`xmp`]); `jsonschema` checks the manifest ([`manifest`]).

mod manifest;
mod xmp;

use printvault_domain::export::zip::{ZipState, ZipWriter};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::process::Command;
use time::macros::datetime;

/// Writes `entries` streamed in 64 KiB chunks, handing the writer over
/// (through JSON) after every second entry.
fn zip(entries: &[(String, Vec<u8>)], zip64: bool) -> Vec<u8> {
    let mut w = if zip64 {
        ZipWriter::zip64_always()
    } else {
        ZipWriter::new()
    };
    let mut out = Vec::new();
    for (n, (name, content)) in entries.iter().enumerate() {
        if n % 2 == 1 {
            let saved = serde_json::to_vec(w.state().unwrap()).unwrap();
            w = ZipWriter::resume(serde_json::from_slice::<ZipState>(&saved).unwrap());
        }
        let when = datetime!(2024-05-03 10:00:00);
        out.extend(w.start(name, when, Some(content.len() as u64)).unwrap());
        for chunk in content.chunks(64 << 10) {
            w.data(chunk).unwrap();
            out.extend_from_slice(chunk);
        }
        out.extend(w.end().unwrap());
    }
    out.extend(w.finish().unwrap());
    out
}

const CHECK: &str = r#"
import hashlib, json, sys, zipfile
path, expected = sys.argv[1], json.loads(sys.argv[2])
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    assert bad is None, f"bad CRC: {bad}"
    names = [i.filename for i in z.infolist()]
    assert names == [e[0] for e in expected], names
    for (name, sha), info in zip(expected, z.infolist()):
        assert info.compress_type == zipfile.ZIP_STORED, info
        assert hashlib.sha256(z.read(name)).hexdigest() == sha, name
    print(len(names), "entries ok")
"#;

#[test]
fn pythons_zipfile_reads_every_entry_in_plain_and_zip64_form() {
    let mut photo = vec![0u8; 5 << 20];
    for (i, b) in photo.iter_mut().enumerate() {
        *b = (i * 31 % 251) as u8;
    }
    let entries = vec![
        ("2024/05/kyoto.jpg".to_owned(), photo),
        (
            "2024/05/kyoto.xmp".to_owned(),
            b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>".to_vec(),
        ),
        ("写真/猫 & <dog>.jpg".to_owned(), b"\xff\xd8 tiny".to_vec()),
        ("empty".to_owned(), Vec::new()),
        ("manifest.json".to_owned(), b"{\"images\": []}".to_vec()),
    ];
    let expected: Vec<(String, String)> = entries
        .iter()
        .map(|(n, c)| (n.clone(), hex::encode(Sha256::digest(c))))
        .collect();
    let python = local_runner::moto::default_python();
    for zip64 in [false, true] {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&zip(&entries, zip64)).unwrap();
        let out = Command::new(&python)
            .args(["-c", CHECK])
            .arg(f.path())
            .arg(serde_json::to_string(&expected).unwrap())
            .output()
            .expect("python runs");
        assert!(
            out.status.success(),
            "zip64 {zip64}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "5 entries ok");
    }
}
