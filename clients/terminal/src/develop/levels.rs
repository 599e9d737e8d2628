//! Step 3: black and white points per channel, from the frame's own
//! histogram: the value below which 0.1 % of its pixels lie becomes black,
//! the one above which 0.1 % lie becomes white, linearly between.

use super::Frame;

/// The share of pixels clipped at each end.
pub const CLIP: f64 = 0.001;

/// Channel `c`'s `k`th smallest value (from 0), by its histogram.
fn nth(f: &Frame, c: usize, k: usize) -> u16 {
    let mut counts = vec![0u32; 1 << 16];
    for p in &f.pixels {
        counts[usize::from(p[c])] += 1;
    }
    let mut seen = 0usize;
    for (v, n) in counts.iter().enumerate() {
        seen += *n as usize;
        if seen > k {
            return v as u16;
        }
    }
    u16::MAX
}

/// The frame with each channel stretched so its `CLIP` darkest pixels are
/// black and its `CLIP` brightest white. A channel with no spread is left
/// as it is.
pub fn stretch(f: &Frame) -> Frame {
    let n = f.pixels.len();
    let clipped = (CLIP * n as f64).floor() as usize;
    let mut ends = [(0u16, u16::MAX); 3];
    if n > 0 {
        for (c, e) in ends.iter_mut().enumerate() {
            *e = (nth(f, c, clipped), nth(f, c, n - 1 - clipped));
        }
    }
    let pixels = f
        .pixels
        .iter()
        .map(|p| {
            let mut out = *p;
            for (c, (lo, hi)) in ends.iter().enumerate() {
                if hi > lo {
                    let v = (f64::from(p[c]) - f64::from(*lo)) / f64::from(hi - lo);
                    out[c] = super::colour::to_u16(v);
                }
            }
            out
        })
        .collect();
    Frame { pixels, ..f.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dull_channel_is_stretched_to_the_full_range_past_its_outliers() {
        // Red from 10,000 to 20,000 (and two outliers), green full, blue flat.
        let mut px: Vec<[u16; 3]> = (0..1000u32)
            .map(|i| [10_000 + (i * 10) as u16, (i * 65) as u16, 500])
            .collect();
        px[0][0] = 0;
        px[1][0] = u16::MAX;
        let f = Frame::new(1000, 1, px).unwrap();
        let s = stretch(&f);
        let reds: Vec<u16> = s.pixels.iter().map(|p| p[0]).collect();
        assert_eq!((reds[0], reds[1]), (0, u16::MAX), "the outliers clip");
        assert!(reds[2] < 200 && reds[998] > 65_300, "{} {}", reds[2], reds[998]);
        assert!(reds[2..].windows(2).all(|w| w[0] <= w[1]), "order kept");
        assert!(s.pixels.iter().all(|p| p[2] == 500), "no spread, left alone");
    }
}
