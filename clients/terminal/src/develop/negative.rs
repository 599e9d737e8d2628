//! Step 2, for colour negative film: back from the negative's densities to
//! the scene's light, as darktable's negadoctor does.
//!
//! The unexposed film base (the rebate, or the frame's border) lets the
//! most light through: its transmittance is the film's Dmin. Each pixel's
//! density above it, per channel, is `d = -log10(t / t_base)`; on the
//! straight part of the film's curve `d = γ · log10(exposure) + k`, so the
//! scene's linear light is `10^(d / γ)`, up to a scale the black and white
//! points then set ([`super::levels`]). All in floating point from 16-bit
//! linear values; the orange mask goes with the base, channel by channel.

use super::colour::{to_u16, unit};
use super::Frame;

/// A typical colour negative's contrast (its curve's slope), per channel.
pub const GAMMA: [f64; 3] = [0.6, 0.6, 0.6];
/// The densest a frame's shadows go above the base, per channel, before
/// they are taken for black: 3.0 is more than any negative holds.
const MAX_DENSITY: f64 = 3.0;

/// The film base, sampled from the `border` pixels nearest each edge of
/// the frame (the rebate, or the unexposed border around the picture):
/// each channel's median there. `None` when the frame is too small.
pub fn sample_base(f: &Frame, border: usize) -> Option<[f64; 3]> {
    if border == 0 || f.width <= 2 * border || f.height <= 2 * border {
        return None;
    }
    let mut chans: [Vec<u16>; 3] = Default::default();
    for y in 0..f.height {
        for x in 0..f.width {
            let edge = x < border || y < border || x >= f.width - border || y >= f.height - border;
            if edge {
                for (c, ch) in chans.iter_mut().enumerate() {
                    ch.push(f.at(x, y)[c]);
                }
            }
        }
    }
    Some(chans.map(|mut v| {
        v.sort_unstable();
        unit(v[v.len() / 2]).max(1.0 / 65_535.0)
    }))
}

/// The positive of negative `f`, given its film `base` (transmittance per
/// channel, 0 to 1) and its `gamma` per channel: linear light with the base
/// black and the densest part of the frame white.
pub fn invert(f: &Frame, base: [f64; 3], gamma: [f64; 3]) -> Frame {
    let light: Vec<[f64; 3]> = f
        .pixels
        .iter()
        .map(|p| {
            let mut out = [0f64; 3];
            for c in 0..3 {
                let t = (unit(p[c]) / base[c]).clamp(10f64.powf(-MAX_DENSITY), 1.0);
                let d = -t.log10();
                out[c] = 10f64.powf(d / gamma[c]) - 1.0;
            }
            out
        })
        .collect();
    let mut top = [f64::MIN_POSITIVE; 3];
    for p in &light {
        for c in 0..3 {
            top[c] = top[c].max(p[c]);
        }
    }
    let pixels = light
        .iter()
        .map(|p| [0, 1, 2].map(|c| to_u16(p[c] / top[c])))
        .collect();
    Frame { pixels, ..f.clone() }
}

/// A negative of the positive `f` (linear light), as a film with `base`
/// and `gamma` would record it: the inverse of [`invert`], up to scale.
/// `f`'s brightest light reaches density `gamma · log10(1 + range)`. For
/// tests and the quality benchmark (synthetic negatives of real photos).
pub fn expose(f: &Frame, base: [f64; 3], gamma: [f64; 3], range: f64) -> Frame {
    let pixels = f
        .pixels
        .iter()
        .map(|p| {
            [0, 1, 2].map(|c| {
                let d = gamma[c] * (1.0 + range * unit(p[c])).log10();
                to_u16(base[c] * 10f64.powf(-d))
            })
        })
        .collect();
    Frame { pixels, ..f.clone() }
}

#[cfg(test)]
mod tests {
    use super::super::colour::pixel_delta;
    use super::super::levels::stretch;
    use super::*;

    /// A positive with smooth colour ramps, framed by a black border `b`
    /// pixels wide (unexposed film: the base on the negative).
    fn scene(w: usize, h: usize, b: usize) -> Frame {
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let inside = x >= b && y >= b && x < w - b && y < h - b;
                let (u, v) = (x as f64 / w as f64, y as f64 / h as f64);
                let rgb = [u, v, 0.5 * (u + v)].map(|c| if inside { to_u16(0.02 + 0.96 * c) } else { 0 });
                px.push(rgb);
            }
        }
        Frame::new(w, h, px).unwrap()
    }

    #[test]
    fn the_base_is_found_in_the_border_despite_a_speck() {
        let base = [0.80, 0.45, 0.25];
        let mut neg = expose(&scene(64, 48, 4), base, GAMMA, 200.0);
        neg.pixels[0] = [0, 0, 0];
        let got = sample_base(&neg, 4).unwrap();
        for c in 0..3 {
            assert!((got[c] - base[c]).abs() < 1e-4, "{got:?}");
        }
        assert!(sample_base(&neg, 0).is_none() && sample_base(&neg, 40).is_none());
    }

    #[test]
    fn an_orange_masked_negative_comes_back_to_the_scene() {
        let positive = scene(96, 64, 4);
        let base = [0.82, 0.47, 0.28];
        let neg = expose(&positive, base, GAMMA, 300.0);
        let back = stretch(&invert(&neg, sample_base(&neg, 4).unwrap(), GAMMA));
        let want = stretch(&positive);
        let mut d: Vec<f64> = want
            .pixels
            .iter()
            .zip(&back.pixels)
            .map(|(a, b)| pixel_delta(*a, *b))
            .collect();
        d.sort_by(f64::total_cmp);
        let (median, p95) = (d[d.len() / 2], d[d.len() * 95 / 100]);
        assert!(
            median < 1.0 && p95 < 2.0,
            "ΔE2000 median {median:.3}, p95 {p95:.3}"
        );
    }

    #[test]
    fn the_base_itself_is_black_and_nothing_overflows() {
        let base = [0.8, 0.5, 0.3];
        let f = Frame::new(3, 1, vec![[52_428, 32_768, 19_661], [0, 0, 0], [u16::MAX; 3]]).unwrap();
        let p = invert(&f, base, GAMMA);
        assert_eq!(p.pixels[0], [0, 0, 0], "the base");
        assert_eq!(p.pixels[1], [u16::MAX; 3], "the densest");
        assert_eq!(p.pixels[2], [0, 0, 0], "brighter than the base clips to it");
    }
}
