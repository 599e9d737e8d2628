use super::*;
use crate::font::has_glyph;
use crate::samples::{gradients, solid};

const JAPANESE: &str = "京都の写真・桜.jpg";

fn entries(n: usize, thumb: &Thumb) -> Vec<Entry<'_>> {
    (0..n)
        .map(|i| Entry {
            file_name: if i == 0 { JAPANESE } else { "IMG_0001.JPG" },
            taken: (i % 2 == 0).then_some("2021-04-05"),
            bytes: 3_400_000 + i as u64,
            thumb: Some(thumb),
        })
        .collect()
}

fn sheet<'a>(e: &'a [Entry<'a>]) -> Sheet<'a> {
    Sheet {
        name: "山田 花子",
        disc_id: "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
        entries: e,
    }
}

#[test]
fn thirty_images_a_page_each_page_numbered_of_all() {
    let t = solid([200, 30, 30], 256, 192);
    let e = entries(65, &t);
    let pages = layout(&sheet(&e));
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages.iter().map(|p| p.frames.len()).collect::<Vec<_>>(),
        [30, 30, 5]
    );
    let texts = |p: &Page| p.lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
    assert!(texts(&pages[2]).contains(&"Page 3 of 3".to_owned()));
    assert!(texts(&pages[0]).contains(&"Archive disc ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T".to_owned()));
    assert!(
        texts(&pages[0]).contains(&JAPANESE.to_owned()),
        "the file name whole"
    );
    assert!(texts(&pages[0]).contains(&"taken 2021-04-05".to_owned()));
    assert!(texts(&pages[0]).contains(&"date taken unknown".to_owned()));
    assert!(texts(&pages[0]).contains(&"3.4 MB".to_owned()));
    // Every frame and every line is on the page.
    for p in &pages {
        for f in &p.frames {
            assert!(
                f.x >= 0.0 && f.y >= 0.0 && f.x + f.w <= PAGE_MM.0 && f.y + f.h <= PAGE_MM.1,
                "{f:?}"
            );
        }
        for l in &p.lines {
            assert!(l.y > 0.0 && l.y < PAGE_MM.1, "{l:?}");
        }
    }
    assert_eq!(layout(&sheet(&[])).len(), 1, "an empty sheet is one page");
}

#[test]
fn the_pdf_has_a_page_each_and_the_font_embedded_with_its_unicode_map() {
    let t = solid([30, 30, 200], 120, 90);
    let e = entries(31, &t);
    let pdf = sheet_pdf(&sheet(&e));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.starts_with("%PDF-"));
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(pages, 2);
    for want in [
        "/FontFile2",
        "/ToUnicode",
        "/Identity-H",
        "/CIDFontType2",
        "/MediaBox [0 0 595.27",
        "/FlateDecode",
    ] {
        assert!(text.contains(want), "{want} missing");
    }
    assert_eq!(text.matches("/Subtype /Image").count(), 31, "a thumbnail each");
    // The Japanese file name maps back to its characters: 京 is U+4EAC.
    assert!(JAPANESE.chars().all(has_glyph));
    for c in JAPANESE.chars().filter(|c| !c.is_ascii()) {
        let code = format!("<{:04X}>", c as u32);
        assert!(text.contains(&code), "{c} ({code}) not in the ToUnicode map");
    }
    // The embedded subset is far smaller than the whole font.
    assert!(pdf.len() < 1_000_000, "{} bytes", pdf.len());
}

#[test]
fn a_png_of_each_page_at_150_dpi_with_the_thumbnails_and_the_text() {
    let t = solid([30, 160, 30], 200, 200);
    let e = entries(31, &t);
    let pngs = sheet_pngs(&sheet(&e));
    assert_eq!(pngs.len(), 2);
    for png in &pngs {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (1240, 1754));
        assert_eq!(info.pixel_dims.unwrap().xppu, 5906);
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        let px: Vec<&[u8]> = buf.chunks_exact(4).collect();
        let green = px.iter().filter(|p| p[1] == 160 && p[0] == 30).count();
        let ink = px
            .iter()
            .filter(|p| p[0] < 100 && p[1] < 100 && p[2] < 100)
            .count();
        assert!(green > 10_000, "thumbnails drawn: {green}");
        assert!(ink > 1_000, "text drawn: {ink}");
    }
}

/// `PRINTVAULT_SAMPLES=dir cargo test -p printvault-sheets` writes a sample
/// sheet there (docs/archive/ has one).
#[test]
fn a_sample_sheet_can_be_written() {
    let thumbs = gradients(12, 160, 120);
    let e: Vec<Entry<'_>> = thumbs
        .iter()
        .enumerate()
        .map(|(i, t)| Entry {
            file_name: [
                "京都の写真・桜.jpg",
                "IMG_2041.JPG",
                "family picnic, Shinjuku Gyoen.jpeg",
            ][i % 3],
            taken: Some("2021-04-05"),
            bytes: 2_000_000 + i as u64 * 310_000,
            thumb: Some(t),
        })
        .collect();
    let s = sheet(&e);
    let (pdf, pngs) = (sheet_pdf(&s), sheet_pngs(&s));
    assert_eq!(pngs.len(), 1);
    if let Some(dir) = std::env::var_os("PRINTVAULT_SAMPLES") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("sheet.pdf"), &pdf).unwrap();
        std::fs::write(dir.join("sheet-1.png"), &pngs[0]).unwrap();
    }
}
