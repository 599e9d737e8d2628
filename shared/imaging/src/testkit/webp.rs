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
