//! The archive's index sheet (M31) read back by an independent PDF reader,
//! pypdf in strict mode (installed with moto by `make venv`): every page is
//! there at A4, and its text, a Japanese file name and name included,
//! extracts as it was set, through the embedded font's ToUnicode map.

use printvault_sheets::{sheet_pdf, Entry, Sheet, Thumb};

const READ: &str = r#"
import json, sys
from pypdf import PdfReader
r = PdfReader(sys.argv[1], strict=True)
print(json.dumps({"pages": len(r.pages),
                  "size": [float(r.pages[0].mediabox.width), float(r.pages[0].mediabox.height)],
                  "text": [p.extract_text() for p in r.pages]}))
"#;

#[test]
fn an_independent_reader_reads_every_page_and_the_japanese_text() {
    let thumb = Thumb {
        width: 64,
        height: 48,
        rgba: vec![128; 64 * 48 * 4],
    };
    let entries: Vec<Entry<'_>> = (0..31)
        .map(|i| Entry {
            file_name: if i == 30 {
                "京都の写真・桜.jpg"
            } else {
                "IMG_0001.JPG"
            },
            taken: Some("2021-04-05"),
            bytes: 3_400_000,
            thumb: Some(&thumb),
        })
        .collect();
    let pdf = sheet_pdf(&Sheet {
        name: "山田 花子",
        disc_id: "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
        entries: &entries,
    });
    let path = std::env::temp_dir().join(format!("printvault-sheet-{}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new(local_runner::moto::default_python())
        .args(["-c", READ])
        .arg(&path)
        .output()
        .expect("python runs (make venv)");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "pypdf refused it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["pages"], 2);
    let size: Vec<f64> = read["size"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        (size[0] - 595.28).abs() < 0.1 && (size[1] - 841.89).abs() < 0.1,
        "A4: {size:?}"
    );
    let first = read["text"][0].as_str().unwrap();
    let second = read["text"][1].as_str().unwrap();
    for want in [
        "Archive disc ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
        "山田 花子",
        "Page 1 of 2",
        "taken 2021-04-05",
        "3.4 MB",
    ] {
        assert!(
            first.contains(want),
            "{want:?} not read back from page 1: {first}"
        );
    }
    assert!(
        second.contains("京都の写真・桜.jpg") && second.contains("Page 2 of 2"),
        "{second}"
    );
}
