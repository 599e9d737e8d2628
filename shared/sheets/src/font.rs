//! The shipped font: measuring and drawing a line of text.

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use std::sync::OnceLock;

use crate::Canvas;

/// VL PGothic Regular: proportional Latin, kana and kanji.
pub(crate) static BYTES: &[u8] = include_bytes!("../fonts/VL-PGothic-Regular.ttf");

/// The font, parsed once.
pub fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(BYTES).expect("the shipped font parses"))
}

/// Whether the font draws `c` (else it would be a blank box).
pub fn has_glyph(c: char) -> bool {
    c.is_whitespace() || font().glyph_id(c) != GlyphId(0)
}

/// The width of `text` set `px` dots high.
pub fn width(text: &str, px: f32) -> f32 {
    let f = font().as_scaled(PxScale::from(px));
    let mut w = 0.0;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            w += f.kern(p, id);
        }
        w += f.h_advance(id);
        prev = Some(id);
    }
    w
}

/// `text` at most `max_width` wide at `px`: shrunk to as small as `min_px`
/// first, then cut short with an ellipsis. Returns the text and its size.
pub fn fit(text: &str, px: f32, min_px: f32, max_width: f32) -> (String, f32) {
    let mut size = px;
    while size > min_px && width(text, size) > max_width {
        size = (size - 1.0).max(min_px);
    }
    if width(text, size) <= max_width {
        return (text.to_owned(), size);
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>() + "…";
        if width(&cut, size) <= max_width {
            return (cut, size);
        }
    }
    ("…".to_owned(), size)
}

/// Draws `text` `px` high in `rgb`, centred on `cx`, its baseline at `y`.
pub fn draw_centred(canvas: &mut Canvas, text: &str, px: f32, (cx, y): (f32, f32), rgb: [u8; 3]) {
    let f = font().as_scaled(PxScale::from(px));
    let mut x = cx - width(text, px) / 2.0;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            x += f.kern(p, id);
        }
        let glyph = id.with_scale_and_position(PxScale::from(px), point(x, y));
        if let Some(outlined) = font().outline_glyph(glyph) {
            let b = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                canvas.blend(
                    b.min.x as i64 + i64::from(gx),
                    b.min.y as i64 + i64::from(gy),
                    rgb,
                    coverage,
                );
            });
        }
        x += f.h_advance(id);
        prev = Some(id);
    }
}
