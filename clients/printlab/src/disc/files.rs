//! The files printlab writes onto a disc besides what it fetched: an XMP
//! sidecar beside each original with its attributes, and `index.html`,
//! a page that lists every photo. Both are made from the manifest alone,
//! so a job built again makes the same bytes.

use printvault_domain::dispatch::disc::{DiscFile, DiscJob};
pub use printvault_domain::xmp::esc;
use printvault_domain::xmp::Sidecar;

/// The most bytes a sidecar takes (the disc's budget allows two sectors,
/// `archive::PER_IMAGE_SECTORS`): the lists are cut short to fit.
pub const MAX_SIDECAR_BYTES: usize = 4096;

/// The XMP sidecar of `f` (`printvault_domain::xmp`), within the disc's
/// budget for it.
pub fn sidecar(f: &DiscFile) -> String {
    Sidecar {
        image_id: f.image_id.as_str(),
        stored_at: f.stored_at,
        attributes: &f.attributes,
        class: None,
    }
    .within(MAX_SIDECAR_BYTES)
}

/// `index.html`: every photo on the disc, oldest first, with its picture,
/// name, date taken and size, and the index sheet.
pub fn index_html(job: &DiscJob, files: &[DiscFile], pages: usize) -> String {
    let mut rows = String::new();
    for f in files {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        let taken = f.attributes.taken_at.as_deref().unwrap_or("date taken unknown");
        let href = href(&f.path);
        rows.push_str(&format!(
            "<figure><a href=\"{href}\"><img src=\"{href}\" loading=\"lazy\" alt=\"{n}\"></a>\
             <figcaption>{n}<br>{t}<br>{b}</figcaption></figure>\n",
            n = esc(name),
            t = esc(taken),
            b = printvault_domain::archive::size_text(f.fetch.bytes),
        ));
    }
    let pages: String = (1..=pages)
        .map(|n| format!(" <a href=\"index-sheet/page-{n:02}.png\">page {n}</a>"))
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Archive disc {id}</title>\n<style>body{{font-family:sans-serif;margin:2em}}\
         main{{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:1em}}\
         figure{{margin:0}}img{{width:100%;height:160px;object-fit:contain;background:#eee}}\
         figcaption{{font-size:.85em;overflow-wrap:anywhere}}</style></head>\n<body>\n\
         <h1>Archive disc {id}</h1>\n<p>{count} photos for {who}. The index sheet: \
         <a href=\"index-sheet.pdf\">PDF</a>;{pages}.</p>\n<main>\n{rows}</main>\n</body></html>\n",
        id = esc(&job.disc.disc_id),
        count = files.len(),
        who = esc(&job.recipient.name),
    )
}

/// A relative link to `path`, each part percent-encoded.
fn href(path: &str) -> String {
    path.split('/')
        .map(|part| {
            part.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}
