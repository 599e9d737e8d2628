//! Step 4: a gentle cast removal. Grey world: the frame's average is taken
//! for grey, and each channel's gain brings its mean to the others',
//! bounded so a scene that really is warm (a sunset, candle light) keeps
//! most of its colour.

use super::Frame;

/// The most a channel's gain moves from 1, either way.
pub const MAX_CORRECTION: f64 = 0.15;

/// The gains grey world gives `f`, each within `1 ± bound`.
pub fn gains(f: &Frame, bound: f64) -> [f64; 3] {
    let mut sums = [0f64; 3];
    for p in &f.pixels {
        for c in 0..3 {
            sums[c] += f64::from(p[c]);
        }
    }
    let grey = sums.iter().sum::<f64>() / 3.0;
    sums.map(|s| {
        if s <= 0.0 {
            1.0
        } else {
            (grey / s).clamp(1.0 - bound, 1.0 + bound)
        }
    })
}

/// The frame with grey world's gains (within [`MAX_CORRECTION`]) applied.
pub fn grey_world(f: &Frame) -> Frame {
    let g = gains(f, MAX_CORRECTION);
    let pixels = f
        .pixels
        .iter()
        .map(|p| {
            let mut out = *p;
            for c in 0..3 {
                out[c] = super::colour::to_u16(super::colour::unit(p[c]) * g[c]);
            }
            out
        })
        .collect();
    Frame { pixels, ..f.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greys(cast: [f64; 3]) -> Frame {
        let px = (0..100u32)
            .map(|i| {
                let v = 5_000.0 + f64::from(i) * 400.0;
                [v * cast[0], v * cast[1], v * cast[2]].map(|x| x as u16)
            })
            .collect();
        Frame::new(100, 1, px).unwrap()
    }

    #[test]
    fn a_slight_cast_on_greys_is_removed() {
        let f = grey_world(&greys([1.08, 1.0, 0.95]));
        for p in &f.pixels {
            let (lo, hi) = (p.iter().min().unwrap(), p.iter().max().unwrap());
            assert!(f64::from(hi - lo) <= f64::from(*hi) * 0.005 + 2.0, "{p:?}");
        }
    }

    #[test]
    fn a_strongly_coloured_scene_is_corrected_only_within_the_bound() {
        let g = gains(&greys([2.0, 1.0, 0.5]), MAX_CORRECTION);
        assert_eq!(g[0], 1.0 - MAX_CORRECTION);
        assert_eq!(g[2], 1.0 + MAX_CORRECTION);
        assert_eq!(gains(&Frame::new(1, 1, vec![[0, 0, 0]]).unwrap(), 0.15), [1.0; 3]);
    }
}
