//! The sheet as a PDF: A4 pages whose text is text, set in a subset of the
//! shipped font embedded as a CIDFont (Identity-H, with a ToUnicode map, so
//! file names in any script the font has can be searched and copied), and
//! the thumbnails as images.

use ab_glyph::{Font, GlyphId};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeMap;

use super::{layout, Sheet, PAGE_MM};
use crate::font::{font, width, BYTES};

const FONT: Name<'static> = Name(b"F1");

fn pt(mm: f64) -> f32 {
    (mm * 72.0 / 25.4) as f32
}

/// `s` as a PDF.
pub fn sheet_pdf(s: &Sheet<'_>) -> Vec<u8> {
    let pages = layout(s);
    // The glyphs used, numbered afresh in the subset.
    let mut remap = subsetter::GlyphRemapper::new();
    let mut unicode: BTreeMap<u16, char> = BTreeMap::new();
    for l in pages.iter().flat_map(|p| &p.lines) {
        for c in l.text.chars() {
            let GlyphId(old) = font().glyph_id(c);
            unicode.entry(remap.remap(old)).or_insert(c);
        }
    }
    let encode = |text: &str| -> Vec<u8> {
        text.chars()
            .flat_map(|c| remap.get(font().glyph_id(c).0).unwrap_or(0).to_be_bytes())
            .collect()
    };

    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut id = || {
        next += 1;
        Ref::new(next)
    };
    let (catalog, tree) = (id(), id());
    let (type0, cid, descriptor, file, cmap) = (id(), id(), id(), id(), id());
    pdf.catalog(catalog).pages(tree);
    let mut page_ids = Vec::new();
    let (w, h) = (pt(PAGE_MM.0), pt(PAGE_MM.1));
    for page in &pages {
        let (page_id, content_id) = (id(), id());
        page_ids.push(page_id);
        let mut content = Content::new();
        let mut images = Vec::new();
        for f in &page.frames {
            let Some(t) = s.entries[f.entry].thumb else {
                continue;
            };
            if t.width == 0 || t.height == 0 || t.rgba.len() < (t.width * t.height * 4) as usize {
                continue;
            }
            let image = id();
            let name = format!("Im{}", images.len() + 1);
            let rgb: Vec<u8> = t.rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
            let packed = miniz_oxide::deflate::compress_to_vec_zlib(&rgb, 6);
            let mut x = pdf.image_xobject(image, &packed);
            x.filter(Filter::FlateDecode);
            x.width(t.width as i32)
                .height(t.height as i32)
                .bits_per_component(8);
            x.color_space().device_rgb();
            x.finish();
            // Whole, centred in its frame.
            let scale = (f.w / f64::from(t.width)).min(f.h / f64::from(t.height));
            let (dw, dh) = (f64::from(t.width) * scale, f64::from(t.height) * scale);
            let (x0, top) = (f.x + (f.w - dw) / 2.0, f.y + (f.h - dh) / 2.0);
            content.save_state();
            content.transform([pt(dw), 0.0, 0.0, pt(dh), pt(x0), h - pt(top + dh)]);
            content.x_object(Name(name.as_bytes()));
            content.restore_state();
            images.push((name, image));
        }
        for l in &page.lines {
            let size = pt(l.size_mm);
            let x = pt(l.cx) - width(&l.text, size) / 2.0;
            content.begin_text();
            content.set_font(FONT, size);
            content.next_line(x, h - pt(l.y));
            content.show(Str(&encode(&l.text)));
            content.end_text();
        }
        pdf.stream(content_id, &content.finish());
        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, w, h))
            .parent(tree)
            .contents(content_id);
        let mut resources = p.resources();
        resources.fonts().pair(FONT, type0);
        let mut xs = resources.x_objects();
        for (name, image) in &images {
            xs.pair(Name(name.as_bytes()), *image);
        }
        xs.finish();
        resources.finish();
        p.finish();
    }
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);

    let base = Name(b"VLPGothic-Regular");
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    let em = font().units_per_em().unwrap_or(1000.0);
    let per_mille = |v: f32| v * 1000.0 / em;
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(info)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    // In the subset's order: new glyph n is the n-th remapped.
    let widths: Vec<f32> = remap
        .remapped_gids()
        .map(|old| per_mille(font().h_advance_unscaled(GlyphId(old))))
        .collect();
    c.widths().consecutive(0, widths);
    c.finish();
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            0.0,
            per_mille(font().descent_unscaled()),
            1000.0,
            per_mille(font().ascent_unscaled()),
        ))
        .italic_angle(0.0)
        .ascent(per_mille(font().ascent_unscaled()))
        .descent(per_mille(font().descent_unscaled()))
        .cap_height(per_mille(font().ascent_unscaled()) * 0.7)
        .stem_v(80.0)
        .font_file2(file);
    let subset = subsetter::subset(BYTES, 0, &remap).expect("the shipped font subsets");
    pdf.stream(file, &subset)
        .pair(Name(b"Length1"), subset.len() as i32);
    let mut map = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), info);
    for (gid, c) in unicode {
        map.pair(gid, c);
    }
    pdf.cmap(cmap, &map.finish());
    pdf.finish()
}
