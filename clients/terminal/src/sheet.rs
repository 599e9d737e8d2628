//! The roll's contact sheet: each frame before and after developing, side
//! by side, a row a frame, as one PNG the shop can check at a glance.

use crate::develop::colour::{srgb_encode, unit};
use crate::develop::Frame;

/// The gap around and between pictures, in pixels.
const GAP: u32 = 8;
/// The sheet's background: a light grey, so white frames show their edge.
const PAPER: [u8; 3] = [230, 230, 230];

/// `f` shrunk (by box averaging) to fit `size × size`, as sRGB 8-bit.
fn thumbnail(f: &Frame, size: u32) -> (u32, u32, Vec<[u8; 3]>) {
    let (w, h) = (f.width.max(1) as f64, f.height.max(1) as f64);
    let scale = (f64::from(size) / w.max(h)).min(1.0);
    let (tw, th) = (
        ((w * scale).round() as u32).max(1),
        ((h * scale).round() as u32).max(1),
    );
    let mut out = Vec::with_capacity((tw * th) as usize);
    for ty in 0..th {
        for tx in 0..tw {
            let x0 = (f64::from(tx) / scale) as usize;
            let y0 = (f64::from(ty) / scale) as usize;
            let x1 = ((f64::from(tx + 1) / scale) as usize).clamp(x0 + 1, f.width);
            let y1 = ((f64::from(ty + 1) / scale) as usize).clamp(y0 + 1, f.height);
            let mut sum = [0f64; 3];
            for y in y0..y1 {
                for x in x0..x1 {
                    let p = f.at(x, y);
                    for c in 0..3 {
                        sum[c] += unit(p[c]);
                    }
                }
            }
            let n = ((x1 - x0) * (y1 - y0)) as f64;
            out.push(sum.map(|s| (srgb_encode(s / n) * 255.0).round() as u8));
        }
    }
    (tw, th, out)
}

/// The contact sheet of `frames` (each before and after), thumbnails at
/// most `size` pixels on their longer side, as PNG bytes.
pub fn contact_sheet(frames: &[(&Frame, &Frame)], size: u32) -> Vec<u8> {
    let cell = size + GAP;
    let (w, h) = (GAP + 2 * cell, GAP + cell * frames.len().max(1) as u32);
    let mut sheet = image::RgbImage::from_pixel(w, h, image::Rgb(PAPER));
    for (row, (before, after)) in frames.iter().enumerate() {
        for (col, f) in [before, after].into_iter().enumerate() {
            let (tw, th, px) = thumbnail(f, size);
            let (ox, oy) = (GAP + col as u32 * cell, GAP + row as u32 * cell);
            for y in 0..th {
                for x in 0..tw {
                    sheet.put_pixel(ox + x, oy + y, image::Rgb(px[(y * tw + x) as usize]));
                }
            }
        }
    }
    let mut png = std::io::Cursor::new(Vec::new());
    // Writing an in-memory RGB image as PNG cannot fail.
    let _ = sheet.write_to(&mut png, image::ImageFormat::Png);
    png.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(w: usize, h: usize, v: [u16; 3]) -> Frame {
        Frame::new(w, h, vec![v; w * h]).unwrap()
    }

    #[test]
    fn each_frame_sits_beside_its_developed_self_a_row_a_frame() {
        let (neg, pos) = (
            flat(300, 200, [50_000, 30_000, 15_000]),
            flat(300, 200, [10_000, 20_000, 40_000]),
        );
        let tall = flat(100, 400, [u16::MAX; 3]);
        let png = contact_sheet(&[(&neg, &pos), (&tall, &tall)], 120);
        let img = image::load_from_memory(&png).unwrap().into_rgb8();
        assert_eq!(img.dimensions(), (GAP + 2 * (120 + GAP), GAP + 2 * (120 + GAP)));
        let at = |x: u32, y: u32| img.get_pixel(x, y).0;
        let enc = |v: u16| (srgb_encode(unit(v)) * 255.0).round() as u8;
        assert_eq!(
            at(GAP + 5, GAP + 5),
            [enc(50_000), enc(30_000), enc(15_000)],
            "before"
        );
        assert_eq!(
            at(GAP + 128 + 5, GAP + 5),
            [enc(10_000), enc(20_000), enc(40_000)],
            "after"
        );
        // 300 × 200 fits as 120 × 80; below it, paper.
        assert_eq!(at(GAP + 5, GAP + 85), PAPER);
        // The tall frame: 30 × 120, white.
        assert_eq!(at(GAP + 5, GAP + 128 + 100), [255; 3]);
        assert_eq!(at(GAP + 40, GAP + 128 + 100), PAPER);
    }

    #[test]
    fn a_frame_smaller_than_a_thumbnail_is_not_enlarged() {
        let (tw, th, px) = thumbnail(&flat(4, 2, [0; 3]), 120);
        assert_eq!((tw, th, px.len()), (4, 2, 8));
        assert!(!contact_sheet(&[], 64).is_empty());
    }
}
