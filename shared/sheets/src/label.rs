//! The disc label (M31): a 120 mm square at 300 dpi (1,417 dots), for a
//! printable disc. Outside the printable ring (58 mm from the centre) and
//! inside the hub's clear area (22 mm: the 15 mm hole and the clamping
//! ring around it) the label is transparent, so nothing is printed there.
//! The upper half of the ring is a mosaic of the disc's thumbnails; the
//! lower half names the customer, the disc's ID, the dates its photos were
//! stored from and to, and how many there are, each line shrunk (then cut
//! short) to fit the ring at its height.

use crate::canvas::Fit;
use crate::font::{draw_centred, fit};
use crate::{dots, Canvas, DPI};

/// The label's side.
pub const SIZE_MM: f64 = 120.0;
/// The printable ring's outer radius.
pub const OUTER_MM: f64 = 58.0;
/// The hub's clear radius: nothing is printed nearer the centre.
pub const CLEAR_MM: f64 = 22.0;
const CELL_MM: f64 = 9.0;
const GAP_MM: f64 = 0.6;
/// Text and thumbnails keep this far from the ring's edges.
const MARGIN_MM: f64 = 1.5;
const INK: [u8; 3] = [0x1a, 0x1a, 0x1a];

pub use crate::canvas::Thumb;

/// What a label shows.
pub struct Label<'a> {
    /// The customer's name, in any script the font has.
    pub name: &'a str,
    pub disc_id: &'a str,
    /// The days its oldest and newest photos were stored (`YYYY-MM-DD`).
    pub from: &'a str,
    pub to: &'a str,
    pub photos: usize,
    /// As many as the mosaic has room for are shown, in order.
    pub thumbs: &'a [Thumb],
}

/// What was drawn, for the tests and the logs.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// Mosaic cells filled with a thumbnail, and the cells there are.
    pub thumbs: usize,
    pub cells: usize,
    /// Each text line as set (cut short if need be), and its size in dots.
    pub lines: Vec<(String, f32)>,
}

/// The label as a PNG at 300 dpi.
pub fn render_label(l: &Label<'_>) -> Vec<u8> {
    draw_label(l).0.png(DPI)
}

/// The label drawn on a canvas.
pub fn draw_label(l: &Label<'_>) -> (Canvas, Drawn) {
    let size = dots(SIZE_MM).round() as u32;
    let c = f64::from(size) / 2.0;
    let (outer, clear) = (dots(OUTER_MM), dots(CLEAR_MM));
    let mut canvas = Canvas::new(size, size);
    ring(&mut canvas, c, outer, clear);
    let (thumbs, cells) = mosaic(&mut canvas, l.thumbs, c, outer, clear);
    let margin = dots(MARGIN_MM);
    let lines = [
        (l.name.to_owned(), 6.0, 3.0),
        (format!("Disc {}", l.disc_id), 3.6, 2.4),
        (format!("{} – {}", l.from, l.to), 3.6, 2.4),
        (
            format!("{} photo{}", l.photos, if l.photos == 1 { "" } else { "s" }),
            3.2,
            2.4,
        ),
    ];
    let mut y = c + clear + dots(8.0);
    let mut set = Vec::new();
    for (n, (text, mm, min_mm)) in lines.into_iter().enumerate() {
        if n > 0 {
            y += dots(mm + 2.6);
        }
        // The ring is narrowest at the line's lowest point.
        let dy = y + dots(1.0) - c;
        let chord = 2.0 * (outer * outer - dy * dy).max(0.0).sqrt() - 2.0 * margin;
        let (shown, px) = fit(&text, dots(mm) as f32, dots(min_mm) as f32, chord as f32);
        draw_centred(&mut canvas, &shown, px, (c as f32, y as f32), INK);
        set.push((shown, px));
    }
    (
        canvas,
        Drawn {
            thumbs,
            cells,
            lines: set,
        },
    )
}

/// White between `clear` and `outer` from the centre, edges smoothed;
/// transparent elsewhere.
fn ring(canvas: &mut Canvas, c: f64, outer: f64, clear: f64) {
    const SUB: u32 = 4;
    for y in 0..canvas.height {
        for x in 0..canvas.width {
            let d = ((f64::from(x) + 0.5 - c).powi(2) + (f64::from(y) + 0.5 - c).powi(2)).sqrt();
            let coverage = if d < clear - 1.0 || d > outer + 1.0 {
                0.0
            } else if d > clear + 1.0 && d < outer - 1.0 {
                1.0
            } else {
                let mut inside = 0;
                for sy in 0..SUB {
                    for sx in 0..SUB {
                        let px = f64::from(x) + (f64::from(sx) + 0.5) / f64::from(SUB) - c;
                        let py = f64::from(y) + (f64::from(sy) + 0.5) / f64::from(SUB) - c;
                        let r = (px * px + py * py).sqrt();
                        inside += u32::from(r >= clear && r <= outer);
                    }
                }
                f64::from(inside) / f64::from(SUB * SUB)
            };
            if coverage > 0.0 {
                canvas.set(x, y, [255, 255, 255, (coverage * 255.0).round() as u8]);
            }
        }
    }
}

/// Fills the cells of the ring's upper half, each wholly inside it, with
/// the thumbnails in order; returns how many were filled, of how many.
fn mosaic(canvas: &mut Canvas, thumbs: &[Thumb], c: f64, outer: f64, clear: f64) -> (usize, usize) {
    let (cell, gap, margin) = (dots(CELL_MM), dots(GAP_MM), dots(MARGIN_MM));
    let pitch = cell + gap;
    let fits = |x: f64, y: f64| {
        let d = ((x - c).powi(2) + (y - c).powi(2)).sqrt();
        d >= clear + margin && d <= outer - margin
    };
    let mut cells = Vec::new();
    let across = (outer / pitch).ceil() as i64;
    for row in 1..=across {
        let top = c - dots(2.0) - row as f64 * pitch;
        for col in -across..across {
            let left = c + col as f64 * pitch + gap / 2.0;
            let corners = [
                (left, top),
                (left + cell, top),
                (left, top + cell),
                (left + cell, top + cell),
            ];
            if corners.iter().all(|(x, y)| fits(*x, *y)) {
                cells.push((left, top));
            }
        }
    }
    // Nearest the middle first, so a few thumbnails sit above the hub.
    cells.sort_by(|a, b| {
        let d = |p: &(f64, f64)| (p.0 + cell / 2.0 - c).powi(2) + (p.1 + cell / 2.0 - c).powi(2);
        d(a).total_cmp(&d(b))
    });
    let filled = cells.len().min(thumbs.len());
    for ((left, top), t) in cells.iter().zip(thumbs) {
        let side = cell.round() as u32;
        canvas.draw_thumb(
            t,
            (left.round() as i64, top.round() as i64, side, side),
            Fit::Cover,
        );
    }
    (filled, cells.len())
}

#[cfg(test)]
mod tests;
