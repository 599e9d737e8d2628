//! EXIF orientation, applied to the small renditions only (it is a plain pixel shuffle).

/// Dimensions after applying `orientation`: 5–8 swap width and height.
pub(crate) fn oriented_size(width: u32, height: u32, orientation: u16) -> (u32, u32) {
    if (5..=8).contains(&orientation) {
        (height, width)
    } else {
        (width, height)
    }
}

/// Returns `data` (`width`×`height` pixels of `channels` values each) as it should be
/// displayed under EXIF `orientation`, with its new width and height.
pub(crate) fn orient<T: Copy + Default>(
    data: &[T],
    width: usize,
    height: usize,
    channels: usize,
    orientation: u16,
) -> (Vec<T>, usize, usize) {
    if !(2..=8).contains(&orientation) || width == 0 || height == 0 || data.len() < width * height * channels
    {
        return (data.to_vec(), width, height);
    }
    let (out_w, out_h) = if orientation >= 5 {
        (height, width)
    } else {
        (width, height)
    };
    let (last_x, last_y) = (width - 1, height - 1);
    let mut out = vec![T::default(); out_w * out_h * channels];
    for y in 0..out_h {
        for x in 0..out_w {
            // Source pixel shown at display position (x, y).
            let (sx, sy) = match orientation {
                2 => (last_x - x, y),          // mirrored horizontally
                3 => (last_x - x, last_y - y), // rotated 180°
                4 => (x, last_y - y),          // mirrored vertically
                5 => (y, x),                   // transposed
                6 => (y, last_y - x),          // rotated 90° clockwise
                7 => (last_x - y, last_y - x), // transversed
                _ => (last_x - y, x),          // 8: rotated 90° anticlockwise
            };
            let from = (sy * width + sx) * channels;
            let to = (y * out_w + x) * channels;
            out[to..to + channels].copy_from_slice(&data[from..from + channels]);
        }
    }
    (out, out_w, out_h)
}
