//! The files printlab writes onto a disc besides what it fetched: an XMP
//! sidecar beside each original with its attributes, and `index.html`,
//! a page that lists every photo. Both are made from the manifest alone,
//! so a job built again makes the same bytes.

use printvault_domain::attributes::Attributes;
use printvault_domain::dispatch::disc::{DiscFile, DiscJob};

/// The most bytes a sidecar takes (the disc's budget allows two sectors,
/// `archive::PER_IMAGE_SECTORS`): the lists are cut short to fit.
pub const MAX_SIDECAR_BYTES: usize = 4096;

/// The XMP sidecar of `f`: its date taken, place, people, event, keywords
/// and camera, in the namespaces photo software reads (Dublin Core, EXIF,
/// TIFF, Photoshop, IPTC Extension), and printvault's own IDs.
pub fn sidecar(f: &DiscFile) -> String {
    let a = &f.attributes;
    let (mut people, mut keywords) = (a.people.len(), a.keywords.len());
    loop {
        let xmp = xmp(f, a, people, keywords);
        if xmp.len() <= MAX_SIDECAR_BYTES || (people == 0 && keywords == 0) {
            return xmp;
        }
        // Cut the longer list first.
        if keywords >= people {
            keywords -= 1;
        } else {
            people -= 1;
        }
    }
}

fn xmp(f: &DiscFile, a: &Attributes, people: usize, keywords: usize) -> String {
    let mut props = vec![
        format!("printvault:ImageId=\"{}\"", esc(f.image_id.as_str())),
        format!("printvault:StoredAt=\"{}\"", esc(&f.stored_at.to_string())),
    ];
    if let Some(t) = &a.taken_at {
        props.push(format!("exif:DateTimeOriginal=\"{}\"", esc(t)));
        props.push(format!("photoshop:DateCreated=\"{}\"", esc(t)));
    }
    if let Some(c) = &a.camera {
        props.push(format!("tiff:Model=\"{}\"", esc(c)));
    }
    if let Some(e) = &a.event {
        props.push(format!("Iptc4xmpExt:Event=\"{}\"", esc(e)));
    }
    if let Some(p) = &a.place {
        if let (Some(lat), Some(lon)) = (p.latitude, p.longitude) {
            props.push(format!("exif:GPSLatitude=\"{}\"", gps(lat, 'N', 'S')));
            props.push(format!("exif:GPSLongitude=\"{}\"", gps(lon, 'E', 'W')));
        }
    }
    let mut inner = String::new();
    if let Some(name) = a.place.as_ref().and_then(|p| p.name.as_ref()) {
        inner.push_str(&format!(
            "   <Iptc4xmpExt:LocationCreated><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\
             <Iptc4xmpExt:LocationName><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt>\
             </Iptc4xmpExt:LocationName></rdf:li></rdf:Bag></Iptc4xmpExt:LocationCreated>\n",
            esc(name)
        ));
    }
    inner.push_str(&bag("Iptc4xmpExt:PersonInImage", &a.people[..people]));
    inner.push_str(&bag("dc:subject", &a.keywords[..keywords]));
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         \x20 <rdf:Description rdf:about=\"\"\n\
         \x20   xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
         \x20   xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n\
         \x20   xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\"\n\
         \x20   xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"\n\
         \x20   xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"\n\
         \x20   xmlns:printvault=\"https://printvault.example/ns/xmp/1.0/\"\n\
         \x20   {}>\n{inner}  </rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n",
        props.join("\n    ")
    )
}

fn bag(name: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let lis: String = items
        .iter()
        .map(|i| format!("<rdf:li>{}</rdf:li>", esc(i)))
        .collect();
    format!("   <{name}><rdf:Bag>{lis}</rdf:Bag></{name}>\n")
}

/// XMP's GPS coordinate: `DDD,MM.mmmmmmR`.
fn gps(v: f64, positive: char, negative: char) -> String {
    let r = if v < 0.0 { negative } else { positive };
    let v = v.abs();
    let degrees = v.trunc();
    format!("{},{:.6}{r}", degrees as u32, (v - degrees) * 60.0)
}

/// Escapes text for XML and HTML, attributes included.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
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
