//! An RGBA canvas: blending with coverage, and PNG with its resolution.

/// A thumbnail, decoded: `rgba` is `width` × `height` × 4 bytes.
pub struct Thumb {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// How a thumbnail fills its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Cropped to fill it.
    Cover,
    /// Whole, centred in it.
    Contain,
}

/// Straight (not premultiplied) RGBA, row by row.
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<[u8; 4]>,
}

impl Canvas {
    /// Transparent.
    pub fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            pixels: vec![[0, 0, 0, 0]; width as usize * height as usize],
        }
    }

    pub fn get(&self, x: u32, y: u32) -> [u8; 4] {
        self.pixels[(y * self.width + x) as usize]
    }

    pub fn set(&mut self, x: u32, y: u32, p: [u8; 4]) {
        let i = (y * self.width + x) as usize;
        self.pixels[i] = p;
    }

    /// Paints `rgb` over pixel (`x`, `y`) with `coverage` (0 to 1); off the
    /// canvas, nothing.
    pub fn blend(&mut self, x: i64, y: i64, rgb: [u8; 3], coverage: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let a = coverage.clamp(0.0, 1.0);
        if a <= 0.0 {
            return;
        }
        let i = (y as u64 * u64::from(self.width) + x as u64) as usize;
        let [r, g, b, da] = self.pixels[i];
        let da = f32::from(da) / 255.0;
        let out_a = a + da * (1.0 - a);
        let mix = |src: u8, dst: u8| {
            if out_a == 0.0 {
                0
            } else {
                ((f32::from(src) * a + f32::from(dst) * da * (1.0 - a)) / out_a).round() as u8
            }
        };
        self.pixels[i] = [
            mix(rgb[0], r),
            mix(rgb[1], g),
            mix(rgb[2], b),
            (out_a * 255.0).round() as u8,
        ];
    }

    /// Draws `t` in the box `(x, y, w, h)` as `fit` says, each dot the mean
    /// of the thumbnail's pixels under it. A malformed thumbnail draws
    /// nothing.
    pub fn draw_thumb(&mut self, t: &Thumb, (x, y, w, h): (i64, i64, u32, u32), fit: Fit) {
        if t.width == 0
            || t.height == 0
            || w == 0
            || h == 0
            || t.rgba.len() < (t.width * t.height * 4) as usize
        {
            return;
        }
        let (tw, th) = (f64::from(t.width), f64::from(t.height));
        let scale = match fit {
            Fit::Cover => (f64::from(w) / tw).max(f64::from(h) / th),
            Fit::Contain => (f64::from(w) / tw).min(f64::from(h) / th),
        };
        let (dw, dh) = ((tw * scale).round() as i64, (th * scale).round() as i64);
        // The drawn area, and where the thumbnail's origin falls.
        let (ox, oy) = (x + (i64::from(w) - dw) / 2, y + (i64::from(h) - dh) / 2);
        let step = 1.0 / scale;
        for py in y.max(oy)..(y + i64::from(h)).min(oy + dh) {
            for px in x.max(ox)..(x + i64::from(w)).min(ox + dw) {
                let (x0, y0) = ((px - ox) as f64 * step, (py - oy) as f64 * step);
                let (x1, y1) = ((x0 + step).ceil().max(x0 + 1.0), (y0 + step).ceil().max(y0 + 1.0));
                let mut sum = [0u64; 3];
                let mut n = 0u64;
                for sy in (y0 as u32)..(y1 as u32).min(t.height) {
                    for sx in (x0 as u32)..(x1 as u32).min(t.width) {
                        let i = ((sy * t.width + sx) * 4) as usize;
                        for (k, s) in sum.iter_mut().enumerate() {
                            *s += u64::from(t.rgba[i + k]);
                        }
                        n += 1;
                    }
                }
                let mean = |k: usize| sum[k].checked_div(n).map(|v| v as u8);
                if let (Some(r), Some(g), Some(b)) = (mean(0), mean(1), mean(2)) {
                    self.blend(px, py, [r, g, b], 1.0);
                }
            }
        }
    }

    /// The canvas as a PNG that says it is `dpi` dots per inch.
    pub fn png(&self, dpi: f64) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut e = png::Encoder::new(&mut out, self.width, self.height);
            e.set_color(png::ColorType::Rgba);
            e.set_depth(png::BitDepth::Eight);
            let per_metre = (dpi / 0.0254).round() as u32;
            e.set_pixel_dims(Some(png::PixelDimensions {
                xppu: per_metre,
                yppu: per_metre,
                unit: png::Unit::Meter,
            }));
            let mut w = e.write_header().expect("writing to memory");
            let bytes: Vec<u8> = self.pixels.iter().flatten().copied().collect();
            w.write_image_data(&bytes).expect("writing to memory");
        }
        out
    }
}
