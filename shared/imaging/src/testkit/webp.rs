//! WebP test images, encoded by libwebp.

use super::photo_rgb;

/// `photo_jpeg`'s picture as a lossless WebP.
pub fn photo_webp(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let rgb = photo_rgb(width, height, seed);
    webp(
        webpx::Encoder::new_rgb(&rgb.data, width, height)
            .lossless(true)
            .method(0),
    )
}

/// `photo_jpeg`'s picture as a lossy WebP (quality 85), the kind cameras and phones write.
pub fn photo_webp_lossy(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let rgb = photo_rgb(width, height, seed);
    webp(
        webpx::Encoder::new_rgb(&rgb.data, width, height)
            .quality(85.0)
            .method(0),
    )
}

/// `photo_jpeg`'s picture as a lossy WebP with an alpha channel: the left half opaque,
/// the right half fully transparent (so its renditions show white there).
pub fn photo_webp_transparent(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let rgb = photo_rgb(width, height, seed);
    let rgba: Vec<u8> = rgb
        .data
        .chunks_exact(3)
        .enumerate()
        .flat_map(|(i, p)| {
            let alpha = if (i as u32 % width) < width / 2 { 255 } else { 0 };
            [p[0], p[1], p[2], alpha]
        })
        .collect();
    webp(
        webpx::Encoder::new_rgba(&rgba, width, height)
            .quality(85.0)
            .method(0),
    )
}

/// An animated lossy WebP of `photo_jpeg`'s pictures for `seeds`, one frame each.
pub fn animated_webp(width: u32, height: u32, seeds: &[u64]) -> Vec<u8> {
    let mut encoder = webpx::AnimationEncoder::new(width, height).expect("animation encoder");
    encoder.set_quality(85.0);
    let mut at = 0;
    for &seed in seeds {
        let rgb = photo_rgb(width, height, seed);
        encoder.add_frame_rgb(&rgb.data, at).expect("add a frame");
        at += 100;
    }
    encoder.finish(at).expect("encode test animation")
}

fn webp(encoder: webpx::Encoder<'_>) -> Vec<u8> {
    encoder.encode(webpx::Unstoppable).expect("encode test WebP")
}

/// A lossless WebP crafted to make a decoder build as many Huffman tables as the format
/// allows: a 1024×1024 image whose entropy image gives each 4×4 block its own group of
/// codes, 65,536 groups in about 295 KB. Every code has one symbol, so the pixels take no
/// bits at all: the picture is black.
pub fn webp_huffman_groups() -> Vec<u8> {
    const SIDE: u32 = 1024;
    let mut bits = BitWriter::default();
    bits.put(0x2f, 8); // VP8L signature
    bits.put(SIDE - 1, 14);
    bits.put(SIDE - 1, 14);
    bits.put(0, 1); // no alpha
    bits.put(0, 3); // version 0
    bits.put(0, 1); // no transforms
    bits.put(0, 1); // no colour cache
    bits.put(1, 1); // meta Huffman codes...
    bits.put(0, 3); // ...one group per 4×4 block: a 256×256 entropy image

    // The entropy image: no colour cache; green and red spend 8 bits on any value,
    // blue, alpha and distances are single-symbol codes.
    bits.put(0, 1);
    bits.eight_bit_code(280);
    bits.eight_bit_code(256);
    for _ in 0..3 {
        bits.single_symbol_code();
    }
    // Group i sits in the green (low byte) and red (high byte) channels.
    for group in 0..65_536u32 {
        bits.msb_first(group & 0xff, 8);
        bits.msb_first(group >> 8, 8);
    }
    // Each group: five single-symbol codes.
    for _ in 0..65_536 * 5 {
        bits.single_symbol_code();
    }
    let mut vp8l = bits.bytes;
    vp8l.extend([0; 8]);
    if vp8l.len() % 2 == 1 {
        vp8l.push(0);
    }
    let mut out = b"RIFF".to_vec();
    out.extend((4 + 8 + vp8l.len() as u32).to_le_bytes());
    out.extend(b"WEBPVP8L");
    out.extend((vp8l.len() as u32).to_le_bytes());
    out.extend(vp8l);
    out
}

/// VP8L's bit order: values least significant bit first, Huffman codes most significant
/// bit first.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    used: u32,
}

impl BitWriter {
    fn bit(&mut self, bit: u32) {
        if self.used % 8 == 0 {
            self.bytes.push(0);
        }
        if bit & 1 == 1 {
            *self.bytes.last_mut().expect("a byte") |= 1 << (self.used % 8);
        }
        self.used += 1;
    }

    fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            self.bit(value >> i);
        }
    }

    fn msb_first(&mut self, code: u32, n: u32) {
        for i in (0..n).rev() {
            self.bit(code >> i);
        }
    }

    /// A simple code with the one symbol 0.
    fn single_symbol_code(&mut self) {
        self.put(1, 1); // simple
        self.put(0, 1); // one symbol
        self.put(0, 1); // of 1 bit
        self.put(0, 1); // symbol 0
    }

    /// A normal code giving symbols 0-255 eight bits each and any others none.
    fn eight_bit_code(&mut self, alphabet: u32) {
        self.put(0, 1); // normal
                        // Code-length code: lengths 0 and 8 take one bit each. In the order 17, 18, 0, 1,
                        // 2, 3, 4, 5, 16, 6, 7, 8, length 8 is the twelfth.
        self.put(12 - 4, 4);
        for length_of in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1] {
            self.put(length_of, 3);
        }
        self.put(0, 1); // every symbol's length follows
        for symbol in 0..alphabet {
            // Canonical codes: length 0 is code 0, length 8 is code 1.
            self.msb_first(u32::from(symbol < 256), 1);
        }
    }
}
