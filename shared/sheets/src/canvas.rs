//! An RGBA canvas: blending with coverage, and PNG with its resolution.

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
