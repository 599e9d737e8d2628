//! Developing one scanned frame, step by step, in this order:
//!
//! 1. [`orient`]: turn it upright (EXIF orientation, or the operator's);
//! 2. [`negative::invert`]: for colour negative film, the film base as
//!    Dmin, then per-channel density back to scene light (as darktable's
//!    negadoctor does);
//! 3. [`levels::stretch`]: black and white points per channel, at 0.1 %
//!    and 99.9 %;
//! 4. [`cast::grey_world`]: a gentle cast removal, bounded;
//! 5. [`dust::clean`]: if the scanner gives an infrared channel, dust and
//!    scratches filled from their surroundings.
//!
//! Every step works on a [`Frame`] of linear-light RGB, 16 bits a channel,
//! and returns a new one: no I/O, no state. [`colour`] converts to and
//! from sRGB and measures differences (ΔE2000).

pub mod cast;
pub mod colour;
pub mod dust;
pub mod levels;
pub mod negative;

/// One frame: `width × height` pixels of linear-light RGB, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<[u16; 3]>,
}

impl Frame {
    /// A frame of `width × height` from `pixels`; `None` when the sizes disagree.
    pub fn new(width: usize, height: usize, pixels: Vec<[u16; 3]>) -> Option<Self> {
        (width.checked_mul(height)? == pixels.len()).then_some(Self {
            width,
            height,
            pixels,
        })
    }

    /// The pixel at column `x`, row `y`.
    pub fn at(&self, x: usize, y: usize) -> [u16; 3] {
        self.pixels[y * self.width + x]
    }
}

/// How a frame lies: the EXIF orientation tag's values, 1 to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// 1: as stored.
    Upright,
    /// 2: mirrored left to right.
    Mirrored,
    /// 3: turned half a circle.
    UpsideDown,
    /// 4: mirrored top to bottom.
    Flipped,
    /// 5: mirrored along the main diagonal.
    Transposed,
    /// 6: turned a quarter clockwise to be upright.
    TurnRight,
    /// 7: mirrored along the other diagonal.
    Transversed,
    /// 8: turned a quarter anticlockwise to be upright.
    TurnLeft,
}

impl Orientation {
    /// From the EXIF tag's value; anything else is taken as upright.
    pub fn from_exif(v: u16) -> Self {
        match v {
            2 => Self::Mirrored,
            3 => Self::UpsideDown,
            4 => Self::Flipped,
            5 => Self::Transposed,
            6 => Self::TurnRight,
            7 => Self::Transversed,
            8 => Self::TurnLeft,
            _ => Self::Upright,
        }
    }
}

/// Step 1: the frame turned upright, as `o` says it lies.
pub fn orient(f: &Frame, o: Orientation) -> Frame {
    let (w, h) = (f.width, f.height);
    let swaps = matches!(
        o,
        Orientation::Transposed | Orientation::TurnRight | Orientation::Transversed | Orientation::TurnLeft
    );
    let (nw, nh) = if swaps { (h, w) } else { (w, h) };
    let mut pixels = Vec::with_capacity(f.pixels.len());
    for y in 0..nh {
        for x in 0..nw {
            // Where the output pixel (x, y) comes from in the stored frame.
            let (sx, sy) = match o {
                Orientation::Upright => (x, y),
                Orientation::Mirrored => (w - 1 - x, y),
                Orientation::UpsideDown => (w - 1 - x, h - 1 - y),
                Orientation::Flipped => (x, h - 1 - y),
                Orientation::Transposed => (y, x),
                Orientation::TurnRight => (y, h - 1 - x),
                Orientation::Transversed => (w - 1 - y, h - 1 - x),
                Orientation::TurnLeft => (w - 1 - y, x),
            };
            pixels.push(f.at(sx, sy));
        }
    }
    Frame {
        width: nw,
        height: nh,
        pixels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 × 2 frame whose pixels say where they were: [x, y, 0].
    fn marked() -> Frame {
        let mut p = Vec::new();
        for y in 0..2u16 {
            for x in 0..3u16 {
                p.push([x, y, 0]);
            }
        }
        Frame::new(3, 2, p).unwrap()
    }

    #[test]
    fn sizes_must_agree() {
        assert!(Frame::new(3, 2, vec![[0; 3]; 5]).is_none());
        assert!(Frame::new(usize::MAX, 2, vec![]).is_none());
    }

    #[test]
    fn each_orientation_puts_the_stored_top_left_where_it_belongs() {
        let f = marked();
        // The stored top-left pixel [0,0] ends at these places, and the size.
        let cases = [
            (1, (0, 0), (3, 2)),
            (2, (2, 0), (3, 2)),
            (3, (2, 1), (3, 2)),
            (4, (0, 1), (3, 2)),
            (5, (0, 0), (2, 3)),
            (6, (1, 0), (2, 3)),
            (7, (1, 2), (2, 3)),
            (8, (0, 2), (2, 3)),
        ];
        for (tag, (x, y), (w, h)) in cases {
            let o = orient(&f, Orientation::from_exif(tag));
            assert_eq!((o.width, o.height), (w, h), "tag {tag}");
            assert_eq!(o.at(x, y), [0, 0, 0], "tag {tag}");
        }
    }

    #[test]
    fn turning_right_four_times_is_the_frame_again() {
        let f = marked();
        let mut o = f.clone();
        for _ in 0..4 {
            o = orient(&o, Orientation::TurnRight);
        }
        assert_eq!(o, f);
        assert_eq!(
            orient(&orient(&f, Orientation::Mirrored), Orientation::Mirrored),
            f
        );
    }
}
