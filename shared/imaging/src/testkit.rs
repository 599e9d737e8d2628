//! Deterministic test images (feature `testkit`). Every generator is a pure function of its
//! arguments, so tests can regenerate the same bytes instead of storing fixtures.
//!
//! Generators panic on internal encoder failure: they are for tests only.

mod tiff;
mod webp;

use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

use crate::decode::Rgb;
use crate::render;

pub use tiff::TestExif;
pub use webp::{animated_webp, photo_webp, photo_webp_lossy, photo_webp_transparent, webp_huffman_groups};

/// A photo-like RGB JPEG (quality 90): a smooth two-colour gradient, soft low-frequency
/// waves, a handful of shapes and mild noise. Different seeds differ perceptually.
pub fn photo_jpeg(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let rgb = photo_rgb(width, height, seed);
    render::encode(&rgb.data, width as usize, height as usize, 90).expect("encode test JPEG")
}

/// `photo_jpeg`'s picture as a progressive JPEG (quality 90, 4:2:0, libjpeg's standard scan
/// script: ten scans, the last three of them final AC refinements).
pub fn photo_progressive_jpeg(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let rgb = photo_rgb(width, height, seed);
    let mut compressor = turbojpeg::Compressor::new().expect("compressor");
    compressor.set_quality(90).expect("quality");
    compressor
        .set_subsamp(turbojpeg::Subsamp::Sub2x2)
        .expect("subsampling");
    compressor.set_progressive(true).expect("progressive");
    compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: rgb.data.as_slice(),
            width: width as usize,
            pitch: width as usize * 3,
            height: height as usize,
            format: turbojpeg::PixelFormat::RGB,
        })
        .expect("encode progressive test JPEG")
}

/// `photo_jpeg`'s picture as an RGB PNG.
pub fn photo_png(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let rgb = photo_rgb(width, height, seed);
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(&rgb.data, width, height, ExtendedColorType::Rgb8)
        .expect("encode test PNG");
    out
}

/// `exif` as a raw TIFF block (what PNG's `eXIf` and WebP's `EXIF` chunks hold).
pub fn exif_tiff(exif: &TestExif) -> Vec<u8> {
    tiff::write(exif)
}

/// Inserts an APP1 Exif segment holding `exif` right after the JPEG's SOI marker.
pub fn with_exif(jpeg: &[u8], exif: &TestExif) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff::write(exif));
    insert_app1(jpeg, &payload)
}

/// Inserts an APP1 segment with an arbitrary payload (e.g. `b"Exif\0\0"` + garbage) after SOI.
pub fn insert_app1(jpeg: &[u8], payload: &[u8]) -> Vec<u8> {
    let length = u16::try_from(payload.len() + 2).expect("APP1 payload fits a segment");
    let mut out = Vec::with_capacity(jpeg.len() + payload.len() + 4);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A re-encoded and resized copy of a JPEG, as a customer's second upload of the same photo.
pub fn resized_copy(jpeg: &[u8], scale: f32, quality: u8) -> Vec<u8> {
    let decoded = turbojpeg::decompress(jpeg, turbojpeg::PixelFormat::RGB).expect("decode JPEG");
    let source = Rgb {
        width: decoded.width as u32,
        height: decoded.height as u32,
        data: decoded.pixels,
    };
    let width = ((source.width as f32 * scale).round() as u32).max(1);
    let height = ((source.height as f32 * scale).round() as u32).max(1);
    let resized = render::resize(&source, width, height).expect("resize");
    render::encode(&resized.data, width as usize, height as usize, quality).expect("encode")
}

/// The first 60% of the file.
pub fn truncated(bytes: &[u8]) -> Vec<u8> {
    bytes[..bytes.len() * 6 / 10].to_vec()
}

/// A JPEG with valid headers whose entropy-coded data is replaced by noise.
pub fn corrupt_jpeg(seed: u64) -> Vec<u8> {
    let mut jpeg = photo_jpeg(256, 256, seed);
    let sos = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xDA])
        .expect("JPEG has a start of scan");
    let header_len = usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]));
    let start = sos + 2 + header_len + 16;
    let end = jpeg.len() - 2; // keep EOI
    let mut rng = Rng::new(seed ^ 0xC0DE);
    for byte in &mut jpeg[start..end] {
        // No 0xFF, so the noise never forms markers.
        *byte = (rng.next() % 255) as u8;
    }
    jpeg
}

/// A tiny PNG whose header claims `width`×`height` 8-bit grayscale pixels, followed by 1 KiB of
/// (validly compressed) zero rows. Only a decoder that trusts the header allocates much.
pub fn bomb_png(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grayscale, deflate, no interlace
    let zeros = [0u8; 1024];
    let mut zlib = vec![0x78, 0x01, 0x01]; // zlib header, final stored block
    zlib.extend_from_slice(&(zeros.len() as u16).to_le_bytes());
    zlib.extend_from_slice(&(!(zeros.len() as u16)).to_le_bytes());
    zlib.extend_from_slice(&zeros);
    zlib.extend_from_slice(&adler32(&zeros).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(&mut png, b"IDAT", &zlib);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// A small, otherwise valid JPEG whose frame header claims `width`×`height`.
/// JPEG dimensions are 16-bit, so larger values are a caller bug and panic.
pub fn jpeg_header_claiming(width: u32, height: u32) -> Vec<u8> {
    let width = u16::try_from(width).expect("JPEG width fits 16 bits");
    let height = u16::try_from(height).expect("JPEG height fits 16 bits");
    let mut jpeg = photo_jpeg(16, 16, 1);
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("baseline JPEG has SOF0");
    jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

/// A PDF, which must never pass as an image.
pub fn not_an_image() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
        .to_vec()
}

pub(crate) fn photo_rgb(width: u32, height: u32, seed: u64) -> Rgb {
    let mut rng = Rng::new(seed);
    let mut colour = || [rng.unit() * 255.0, rng.unit() * 255.0, rng.unit() * 255.0];
    let (from, to) = (colour(), colour());
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(7));
    let angle = rng.unit() * std::f32::consts::TAU;
    let (dx, dy) = (angle.cos(), angle.sin());
    let (wave_x, wave_y, wave_phase) = (1.0 + rng.unit() * 4.0, 1.0 + rng.unit() * 4.0, rng.unit() * 6.0);
    let shapes: Vec<Shape> = (0..8).map(|_| Shape::random(&mut rng)).collect();

    let (w, h) = (width as f32, height as f32);
    let mut data = Vec::with_capacity(width as usize * height as usize * 3);
    let mut noise = Rng::new(seed ^ 0x5EED);
    let tau = std::f32::consts::TAU;
    let wave_columns: Vec<f32> = (0..width)
        .map(|x| 20.0 * ((x as f32 / w * wave_x + wave_phase) * tau).sin())
        .collect();
    for y in 0..height {
        let v = y as f32 / h;
        let wave_row = ((v * wave_y) * tau).cos();
        for (x, wave_column) in wave_columns.iter().enumerate() {
            let u = x as f32 / w;
            let t = (((u - 0.5) * dx + (v - 0.5) * dy) + 0.75).clamp(0.0, 1.5) / 1.5;
            let wave = wave_column * wave_row;
            let mut pixel: [f32; 3] = std::array::from_fn(|c| from[c] + (to[c] - from[c]) * t + wave);
            for shape in &shapes {
                let cover = shape.coverage(u, v, w / h);
                if cover <= 0.0 {
                    continue;
                }
                for (p, target) in pixel.iter_mut().zip(shape.colour) {
                    *p += (target - *p) * cover;
                }
            }
            let grain = (noise.unit() - 0.5) * 10.0;
            data.extend(pixel.iter().map(|p| (p + grain).clamp(0.0, 255.0) as u8));
        }
    }
    Rgb { width, height, data }
}

struct Shape {
    centre: (f32, f32),
    radius: (f32, f32),
    round: bool,
    colour: [f32; 3],
}

impl Shape {
    fn random(rng: &mut Rng) -> Shape {
        Shape {
            centre: (rng.unit(), rng.unit()),
            radius: (0.05 + rng.unit() * 0.2, 0.05 + rng.unit() * 0.2),
            round: rng.unit() < 0.5,
            colour: [rng.unit() * 255.0, rng.unit() * 255.0, rng.unit() * 255.0],
        }
    }

    /// 0..=1 with a soft edge, in aspect-corrected unit coordinates.
    fn coverage(&self, u: f32, v: f32, aspect: f32) -> f32 {
        let dx = (u - self.centre.0) * aspect / self.radius.0;
        let dy = (v - self.centre.1) / self.radius.1;
        let d = if self.round {
            (dx * dx + dy * dy).sqrt()
        } else {
            dx.abs().max(dy.abs())
        };
        ((1.0 - d) * 8.0).clamp(0.0, 1.0)
    }
}

/// SplitMix64: tiny, fast and good enough for test pictures.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}
