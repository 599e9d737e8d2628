//! Thumbnails for the tests: one colour, or a sample's gradient.

use crate::Thumb;

/// `w` × `h` of one colour.
pub fn solid(rgb: [u8; 3], w: u32, h: u32) -> Thumb {
    Thumb {
        width: w,
        height: h,
        rgba: (0..w * h).flat_map(|_| [rgb[0], rgb[1], rgb[2], 255]).collect(),
    }
}

/// `count` gradients of `w` × `h`, each its own hue, for the samples.
pub fn gradients(count: u32, w: u32, h: u32) -> Vec<Thumb> {
    (0..count)
        .map(|n| Thumb {
            width: w,
            height: h,
            rgba: (0..w * h)
                .flat_map(|i| {
                    let (x, y) = (i % w, i / w);
                    let r = (40 + n * 255 / count.max(1) / 2 + x * 100 / w).min(255);
                    [
                        r as u8,
                        (90 + y * 120 / h) as u8,
                        (200 - n * 150 / count.max(1)) as u8,
                        255,
                    ]
                })
                .collect(),
        })
        .collect()
}
