//! Step 5, optional: dust and scratches, where the scanner gives an
//! infrared channel. Colour dyes are transparent to infrared, dust and
//! scratches are not: a pixel whose infrared falls well below the frame's
//! typical infrared is a defect, and takes the mean of the sound pixels
//! around it (looking further out until it finds some).

use super::Frame;

/// A pixel is a defect where its infrared is below this share of the
/// frame's median infrared.
pub const DEFECT_BELOW: f64 = 0.6;
/// The furthest out (in pixels) a defect looks for sound neighbours.
const MAX_RADIUS: usize = 16;

/// Which pixels of a frame with `infrared` are defects.
pub fn defects(infrared: &[u16]) -> Vec<bool> {
    let mut sorted = infrared.to_vec();
    sorted.sort_unstable();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
    let cut = f64::from(median) * DEFECT_BELOW;
    infrared.iter().map(|v| f64::from(*v) < cut).collect()
}

/// The frame with each defect the infrared shows filled from its sound
/// neighbours. `None` when the infrared is not pixel for pixel.
pub fn clean(f: &Frame, infrared: &[u16]) -> Option<Frame> {
    if infrared.len() != f.pixels.len() {
        return None;
    }
    let bad = defects(infrared);
    let mut out = f.clone();
    for y in 0..f.height {
        for x in 0..f.width {
            if !bad[y * f.width + x] {
                continue;
            }
            for r in 1..=MAX_RADIUS {
                let (mut sum, mut n) = ([0u64; 3], 0u64);
                let (x0, x1) = (x.saturating_sub(r), (x + r).min(f.width - 1));
                let (y0, y1) = (y.saturating_sub(r), (y + r).min(f.height - 1));
                for yy in y0..=y1 {
                    for xx in x0..=x1 {
                        if !bad[yy * f.width + xx] {
                            let p = f.at(xx, yy);
                            for c in 0..3 {
                                sum[c] += u64::from(p[c]);
                            }
                            n += 1;
                        }
                    }
                }
                if n > 0 {
                    out.pixels[y * f.width + x] = sum.map(|s| (s / n) as u16);
                    break;
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speck_and_a_scratch_are_filled_from_around_them_and_the_rest_is_untouched() {
        let (w, h) = (20, 10);
        let scene: Vec<[u16; 3]> = (0..w * h)
            .map(|i| [1_000 + (i % w) as u16 * 100, 20_000, 30_000])
            .collect();
        let mut dirty = scene.clone();
        let mut ir = vec![50_000u16; w * h];
        let speck = 5 * w + 7;
        dirty[speck] = [0, 0, 0];
        ir[speck] = 3_000;
        for x in 0..w {
            // A scratch along row 2.
            dirty[2 * w + x] = [60_000; 3];
            ir[2 * w + x] = 10_000;
        }
        let f = Frame::new(w, h, dirty).unwrap();
        let c = clean(&f, &ir).unwrap();
        let close = |a: [u16; 3], b: [u16; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 150);
        assert!(close(c.pixels[speck], scene[speck]), "{:?}", c.pixels[speck]);
        for x in 0..w {
            assert!(
                close(c.pixels[2 * w + x], scene[2 * w + x]),
                "{x}: {:?}",
                c.pixels[2 * w + x]
            );
        }
        let sound = (0..w * h).filter(|i| *i != speck && i / w != 2);
        assert!(sound.into_iter().all(|i| c.pixels[i] == scene[i]));
        assert!(clean(&f, &ir[1..]).is_none());
    }
}
