//! The sheet's pages as PNGs, at 150 dpi (1,240 × 1,754 dots).

use super::{layout, Sheet, PAGE_MM};
use crate::font::draw_centred;
use crate::{Canvas, Fit};

/// Dots per inch of the pages' PNGs.
pub const PAGE_DPI: f64 = 150.0;

fn px(mm: f64) -> f64 {
    mm / 25.4 * PAGE_DPI
}

/// Each page of `s` as a PNG.
pub fn sheet_pngs(s: &Sheet<'_>) -> Vec<Vec<u8>> {
    layout(s)
        .iter()
        .map(|page| {
            let (w, h) = (px(PAGE_MM.0).round() as u32, px(PAGE_MM.1).round() as u32);
            let mut canvas = Canvas::new(w, h);
            canvas.pixels.fill([255, 255, 255, 255]);
            for f in &page.frames {
                if let Some(t) = s.entries[f.entry].thumb {
                    let frame = (
                        px(f.x).round() as i64,
                        px(f.y).round() as i64,
                        px(f.w).round() as u32,
                        px(f.h).round() as u32,
                    );
                    canvas.draw_thumb(t, frame, Fit::Contain);
                }
            }
            for l in &page.lines {
                draw_centred(
                    &mut canvas,
                    &l.text,
                    px(l.size_mm) as f32,
                    (px(l.cx) as f32, px(l.y) as f32),
                    [0x1a; 3],
                );
            }
            canvas.png(PAGE_DPI)
        })
        .collect()
}
