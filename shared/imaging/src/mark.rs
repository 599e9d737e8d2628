//! The "cannot print" mark (M10): what a stranger sees of a viewable image.
//! It is drawn into the pixels (diagonal stripes over the whole picture and a
//! banner across the middle), so no client can hide it.

use turbojpeg::PixelFormat;

use crate::{render, Rejection};

const TEXT: &str = "CANNOT PRINT";

/// 5×7 glyphs, one byte per row, the low five bits from left to right.
fn glyph(c: char) -> [u8; 7] {
    match c {
        'C' => [0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110],
        'A' => [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001],
        'N' => [0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001, 0b10001],
        'O' => [0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110],
        'T' => [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100],
        'P' => [0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000],
        'R' => [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001],
        'I' => [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        _ => [0; 7],
    }
}

fn blend(px: &mut [u8], colour: [u8; 3], alpha: u16) {
    for (p, c) in px.iter_mut().zip(colour) {
        *p = ((u16::from(*p) * (256 - alpha) + u16::from(c) * alpha) / 256) as u8;
    }
}

/// Draws the mark on an RGB buffer.
fn draw(data: &mut [u8], width: usize, height: usize) {
    // Light diagonal stripes over everything.
    let period = (width.max(height) / 12).max(16);
    for y in 0..height {
        for x in 0..width {
            if (x + y) % period < period / 4 {
                let i = (y * width + x) * 3;
                blend(&mut data[i..i + 3], [255, 255, 255], 90);
            }
        }
    }
    // A dark red banner with the words, as wide as the picture allows.
    let cols = TEXT.chars().count() * 6 - 1;
    let scale = ((width * 8 / 10) / cols).max(1);
    let text_w = cols * scale;
    let text_h = 7 * scale;
    let pad = scale * 2;
    let top = height.saturating_sub(text_h + 2 * pad) / 2;
    let bottom = (top + text_h + 2 * pad).min(height);
    for y in top..bottom {
        for x in 0..width {
            let i = (y * width + x) * 3;
            blend(&mut data[i..i + 3], [150, 0, 0], 200);
        }
    }
    let left = width.saturating_sub(text_w) / 2;
    for (n, c) in TEXT.chars().enumerate() {
        let g = glyph(c);
        for (row, bits) in g.iter().enumerate() {
            for col in 0..5 {
                if bits & (1 << (4 - col)) == 0 {
                    continue;
                }
                let x0 = left + (n * 6 + col) * scale;
                let y0 = top + pad + row * scale;
                for y in y0..(y0 + scale).min(height) {
                    for x in x0..(x0 + scale).min(width) {
                        let i = (y * width + x) * 3;
                        data[i..i + 3].copy_from_slice(&[255, 255, 255]);
                    }
                }
            }
        }
    }
}

/// Returns `preview` (a JPEG, as `process` makes them) with the mark drawn in.
pub fn mark_cannot_print(preview: &[u8], quality: u8) -> Result<Vec<u8>, Rejection> {
    let img = turbojpeg::decompress(preview, PixelFormat::RGB)
        .map_err(|e| Rejection::Corrupt(format!("the preview could not be decoded: {e}")))?;
    let (w, h) = (img.width, img.height);
    let mut data = Vec::with_capacity(w * h * 3);
    for row in img.pixels.chunks(img.pitch).take(h) {
        data.extend_from_slice(&row[..w * 3]);
    }
    draw(&mut data, w, h);
    render::encode(&data, w, h, quality)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;

    fn rgb(jpeg: &[u8]) -> (usize, usize, Vec<u8>) {
        let i = turbojpeg::decompress(jpeg, PixelFormat::RGB).unwrap();
        (i.width, i.height, i.pixels)
    }

    #[test]
    fn the_mark_is_in_the_pixels() {
        let preview = testkit::photo_jpeg(800, 600, 3);
        let marked = mark_cannot_print(&preview, 82).unwrap();
        let (w, h, a) = rgb(&preview);
        let (w2, h2, b) = rgb(&marked);
        assert_eq!((w, h), (w2, h2));
        // The banner row through the middle is now mostly dark red or white text.
        let mid = h / 2;
        let row = |p: &[u8]| p[mid * w * 3..(mid + 1) * w * 3].to_vec();
        let changed = row(&a)
            .iter()
            .zip(row(&b))
            .filter(|(x, y)| (**x as i16 - *y as i16).abs() > 40)
            .count();
        assert!(changed > w, "banner drawn: {changed} channels changed");
        let reds = row(&b)
            .chunks(3)
            .filter(|p| p[0] > 100 && p[1] < 80 && p[2] < 80)
            .count();
        assert!(reds > w / 4, "banner is red: {reds}");
    }

    #[test]
    fn tiny_and_broken_previews() {
        assert!(mark_cannot_print(&testkit::photo_jpeg(8, 8, 1), 82).is_ok());
        assert!(mark_cannot_print(b"nope", 82).is_err());
    }
}
