//! Preview quality, and the DCT scales' cost and quality side by side.

use printvault_imaging::{process, DctScale, Limits, Renditions};

use crate::{exact, median_ms, read};

/// A decoded preview, and the reference for it: every pixel decoded, then Lanczos3
/// straight to the preview's size (`None` for an EXIF-rotated file, whose preview is
/// oriented and the reference not).
struct Reference {
    pixels: Option<Vec<u8>>,
}

impl Reference {
    fn new(bytes: &[u8], width: usize, height: usize) -> Result<Self, String> {
        let full = full_size(bytes)?;
        let same_shape = (full.width * height).abs_diff(full.height * width) <= full.width.max(full.height);
        if !same_shape {
            return Ok(Self { pixels: None });
        }
        let src = fast_image_resize::images::ImageRef::new(
            full.width as u32,
            full.height as u32,
            &full.pixels,
            fast_image_resize::PixelType::U8x3,
        )
        .map_err(|e| e.to_string())?;
        let mut reference = fast_image_resize::images::Image::new(
            width as u32,
            height as u32,
            fast_image_resize::PixelType::U8x3,
        );
        let lanczos = fast_image_resize::ResizeOptions::new().resize_alg(
            fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
        );
        fast_image_resize::Resizer::new()
            .resize(&src, &mut reference, &lanczos)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            pixels: Some(reference.into_vec()),
        })
    }

    /// PSNR of a decoded preview against the reference, as JSON (`null` without one).
    fn db(&self, preview: &[u8]) -> String {
        match &self.pixels {
            Some(reference) => format!("{:.2}", psnr(preview, reference)),
            None => "null".to_string(),
        }
    }
}

/// Every pixel of a JPEG or a WebP (without alpha), as RGB.
fn full_size(bytes: &[u8]) -> Result<turbojpeg::Image<Vec<u8>>, String> {
    if let Ok((pixels, width, height)) = webpx::decode_rgb(bytes) {
        return Ok(turbojpeg::Image {
            pixels,
            width: width as usize,
            pitch: width as usize * 3,
            height: height as usize,
            format: turbojpeg::PixelFormat::RGB,
        });
    }
    decode(bytes)
}

fn decode(jpeg: &[u8]) -> Result<turbojpeg::Image<Vec<u8>>, String> {
    turbojpeg::decompress(jpeg, turbojpeg::PixelFormat::RGB).map_err(|e| e.to_string())
}

/// How far the fast progressive preview is from the exact one, and how far both are, and
/// the preview at the smallest DCT scale (the rule before the cheapest), from the
/// reference. (The previews are compared as customers get them, after their JPEG encode.)
/// For a WebP, only the preview against the reference.
pub(crate) fn quality(file: &str) -> Result<(), String> {
    let bytes = read(file)?;
    let err = |e: String| format!("{file}: {e}");
    let preview = |renditions: &Renditions| -> Result<turbojpeg::Image<Vec<u8>>, String> {
        let processed = process(&bytes, &Limits::default(), renditions).map_err(|e| err(e.to_string()))?;
        decode(&processed.preview).map_err(err)
    };
    let fast = preview(&Renditions::default())?;
    if printvault_imaging::sniff(&bytes) == Some(printvault_imaging::Format::WebP) {
        // libwebp's scaling against a full decode resized with Lanczos3.
        // And the reference itself through the same JPEG encode: what a full-size decode
        // would have scored.
        let reference = Reference::new(&bytes, fast.width, fast.height).map_err(err)?;
        let encoded = match &reference.pixels {
            Some(pixels) => {
                let quality = Renditions::default().jpeg_quality;
                let jpeg = turbojpeg::compress(
                    turbojpeg::Image {
                        pixels: pixels.as_slice(),
                        width: fast.width,
                        pitch: fast.width * 3,
                        height: fast.height,
                        format: turbojpeg::PixelFormat::RGB,
                    },
                    i32::from(quality),
                    turbojpeg::Subsamp::Sub2x2,
                )
                .map_err(|e| err(e.to_string()))?;
                reference.db(&decode(&jpeg).map_err(err)?.pixels)
            }
            None => "null".to_string(),
        };
        println!(
            "{{\"file\":{file:?},\"fast_vs_reference_db\":{},\"full_decode_vs_reference_db\":{encoded}}}",
            reference.db(&fast.pixels)
        );
        return Ok(());
    }
    let exact = preview(&exact())?;
    let smallest = preview(&Renditions {
        dct_scale: DctScale::Smallest,
        ..Renditions::default()
    })?;
    let reference = Reference::new(&bytes, exact.width, exact.height).map_err(err)?;
    println!(
        "{{\"file\":{file:?},\"fast_vs_exact_db\":{:.1},\"exact_vs_reference_db\":{},\
         \"fast_vs_reference_db\":{},\"smallest_scale_vs_reference_db\":{}}}",
        psnr(&fast.pixels, &exact.pixels),
        reference.db(&exact.pixels),
        reference.db(&fast.pixels),
        reference.db(&smallest.pixels),
    );
    Ok(())
}

/// For a JPEG: the time and the preview's PSNR against the reference at every DCT scale
/// N/8 that is at least the preview, and for the `Smallest` and `Cheapest` rules.
/// One JSON line.
pub(crate) fn scales(file: &str, runs: usize) -> Result<(), String> {
    let bytes = read(file)?;
    let err = |e: String| format!("{file}: {e}");
    let header = turbojpeg::read_header(&bytes).map_err(|e| err(e.to_string()))?;
    let long = header.width.max(header.height);
    let preview = Renditions::default().preview_long_edge as usize;
    let mut rows = Vec::new();
    let mut reference = None;
    let mut choices: Vec<(String, DctScale)> = (1..=8u8)
        .filter(|&n| (long * usize::from(n)).div_ceil(8) >= preview || n == 8)
        .map(|n| (format!("\"{n}/8\""), DctScale::Eighths(n)))
        .collect();
    choices.push(("\"smallest\"".into(), DctScale::Smallest));
    choices.push(("\"cheapest\"".into(), DctScale::Cheapest));
    for (name, dct_scale) in choices {
        let renditions = Renditions {
            dct_scale,
            ..Renditions::default()
        };
        let processed = process(&bytes, &Limits::default(), &renditions).map_err(|e| err(e.to_string()))?;
        let preview = decode(&processed.preview).map_err(err)?;
        let reference =
            reference.get_or_insert(Reference::new(&bytes, preview.width, preview.height).map_err(err)?);
        let ms = median_ms(&bytes, &renditions, runs);
        rows.push(format!(
            "{{\"scale\":{name},\"ms\":{ms:.2},\"db\":{}}}",
            reference.db(&preview.pixels)
        ));
    }
    println!(
        "{{\"file\":{file:?},\"width\":{},\"height\":{},\"progressive\":{},\"scales\":[{}]}}",
        header.width,
        header.height,
        header.is_progressive,
        rows.join(",")
    );
    Ok(())
}

/// Peak signal-to-noise ratio of two same-sized 8-bit images, in dB (99 for identical ones).
fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let squared: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    if squared == 0.0 || a.len() != b.len() {
        return if a.len() == b.len() { 99.0 } else { 0.0 };
    }
    10.0 * (255.0f64 * 255.0 * a.len() as f64 / squared).log10()
}
