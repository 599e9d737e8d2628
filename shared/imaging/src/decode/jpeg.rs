//! JPEG through libjpeg-turbo, downscaled in the DCT while decoding.

use turbojpeg::{Colorspace, Decompressor, PixelFormat, ScalingFactor, Subsamp};

use super::{check_alloc, check_dimensions, scans, zeroed, Decoded, Rgb, Target};
use crate::{exif, DctScale, Limits, Rejection};

/// Progressive JPEGs have more scans than this only when crafted to burn CPU
/// (libjpeg-turbo's own advice for untrusted input).
const MAX_PROGRESSIVE_SCANS: u32 = 500;

/// What decoding one JPEG takes, worked out from its header alone.
struct Plan {
    width: u32,
    height: u32,
    scale: ScalingFactor,
    out_w: usize,
    out_h: usize,
    cmyk: bool,
    progressive: bool,
    arithmetic: bool,
    /// Bytes of the decoded pixels.
    out_len: u64,
    /// Bytes of the DCT coefficients a progressive file keeps in memory.
    coefficients: u64,
}

impl Plan {
    /// Shrunk at least 2× in the DCT, a progressive file's last bit of AC precision is
    /// averaged away, so its final refinement scans can be left out (see scans.rs).
    fn drops_refinements(&self, fast_progressive: bool) -> bool {
        fast_progressive && self.progressive && !self.arithmetic && self.scale.num() * 2 <= self.scale.denom()
    }
}

fn plan(
    decompressor: &mut Decompressor,
    bytes: &[u8],
    limits: &Limits,
    target: Target,
) -> Result<Plan, Rejection> {
    let header = decompressor.read_header(bytes).map_err(jpeg_error)?;
    let width = u32::try_from(header.width).map_err(|_| too_wide(&header))?;
    let height = u32::try_from(header.height).map_err(|_| too_wide(&header))?;
    check_dimensions(width, height, limits)?;

    // Huffman coding spends at least one bit per 8×8 luma block in the first (DC) scan, so
    // a file far smaller than that cannot hold the picture its header claims; refuse it
    // before libjpeg allocates anything image-sized. (Divided by 4 again for slack.)
    let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
    if !header.is_arithmetic && (bytes.len() as u64) < blocks / 32 {
        return Err(Rejection::Truncated);
    }

    let cmyk = matches!(header.colorspace, Colorspace::CMYK | Colorspace::YCCK);
    let scale = if header.is_lossless {
        ScalingFactor::ONE
    } else {
        scale_for(width.max(height), target.long_edge, target.dct_scale)
    };
    let (out_w, out_h) = (scale.scale(header.width), scale.scale(header.height));
    let bpp = if cmyk { 4 } else { 3 };
    // Progressive (and multi-scan) JPEGs keep every DCT coefficient of the full-size image
    // in memory: 2 bytes per sample of every component.
    let coefficients = if header.is_progressive {
        u64::from(width) * u64::from(height) * 2 * samples_per_pixel_x2(header.subsamp, cmyk) / 2
    } else {
        0
    };
    Ok(Plan {
        width,
        height,
        scale,
        out_w,
        out_h,
        cmyk,
        progressive: header.is_progressive,
        arithmetic: header.is_arithmetic,
        out_len: (out_w as u64) * (out_h as u64) * bpp,
        coefficients,
    })
}

/// The memory [`decode`] takes for `bytes` (besides `bytes`), and the decoded and the
/// stored size, from the header alone.
pub(super) fn need(bytes: &[u8], limits: &Limits, target: Target) -> Result<super::Need, Rejection> {
    let mut decompressor = Decompressor::new().map_err(jpeg_error)?;
    let p = plan(&mut decompressor, bytes, limits, target)?;
    // The copy without the final refinement scans, and libjpeg's own strips and tables
    // (a few rows of every component, at most 16 rows of 4 bytes per column each).
    let reduced = if p.drops_refinements(target.fast_progressive) {
        bytes.len() as u64
    } else {
        0
    };
    let working = u64::from(p.width) * 16 * 4 * 4 + (1 << 20);
    Ok(super::Need {
        bytes: p.out_len + p.coefficients + reduced + working,
        decoded: (p.out_w as u32, p.out_h as u32),
        stored: (p.width, p.height),
    })
}

pub(super) fn decode(bytes: &[u8], limits: &Limits, target: Target) -> Result<Decoded, Rejection> {
    let mut decompressor = Decompressor::new().map_err(jpeg_error)?;
    let plan = plan(&mut decompressor, bytes, limits, target)?;
    let Plan {
        width,
        height,
        scale,
        out_w,
        out_h,
        cmyk,
        out_len,
        coefficients,
        ..
    } = plan;
    let (format, bpp) = if cmyk {
        (PixelFormat::CMYK, 4)
    } else {
        (PixelFormat::RGB, 3)
    };
    check_alloc(width, height, out_len + coefficients, limits)?;
    let mut pixels = zeroed(out_len, width, height, limits)?;

    let reduced = if plan.drops_refinements(target.fast_progressive) {
        scans::walk(bytes, true, MAX_PROGRESSIVE_SCANS as usize)?.reduced
    } else {
        None
    };
    let source = reduced.as_deref().unwrap_or(bytes);

    decompressor.set_scaling_factor(scale).map_err(jpeg_error)?;
    decompressor
        .set_scan_limit(MAX_PROGRESSIVE_SCANS)
        .map_err(jpeg_error)?;
    // libjpeg-turbo completes a damaged or truncated image with grey and only warns; the
    // TurboJPEG API turns any warning into an error return, which we keep fatal.
    decompressor
        .decompress(
            source,
            turbojpeg::Image {
                pixels: pixels.as_mut_slice(),
                width: out_w,
                pitch: out_w * bpp as usize,
                height: out_h,
                format,
            },
        )
        .map_err(jpeg_error)?;
    if cmyk {
        pixels = cmyk_to_rgb(pixels);
    }
    let image = Rgb {
        // Never larger than the stored size, which fits in u32.
        width: out_w as u32,
        height: out_h as u32,
        data: pixels,
    };
    Ok(Decoded {
        width,
        height,
        exif: exif::jpeg_app1(bytes).map(exif::parse).unwrap_or_default(),
        image,
    })
}

fn too_wide(header: &turbojpeg::DecompressHeader) -> Rejection {
    Rejection::DimensionsTooLarge {
        width: u32::try_from(header.width).unwrap_or(u32::MAX),
        height: u32::try_from(header.height).unwrap_or(u32::MAX),
    }
}

/// Twice the number of stored samples per pixel, for the coefficient-memory estimate.
fn samples_per_pixel_x2(subsamp: Subsamp, cmyk: bool) -> u64 {
    if cmyk {
        return 8;
    }
    match subsamp {
        Subsamp::Gray => 2,
        Subsamp::Sub2x2 | Subsamp::Sub4x1 | Subsamp::Sub1x4 => 3,
        Subsamp::Sub2x1 | Subsamp::Sub1x2 => 4,
        _ => 6,
    }
}

/// The DCT scale for a stored long edge `long` and a rendition `target` long, as `choice` says.
fn scale_for(long: u32, target: u32, choice: DctScale) -> ScalingFactor {
    ScalingFactor::new(usize::from(eighths_for(long, target, choice)), 8)
}

/// N of the N/8 scale for a stored long edge `long` and a rendition `target` long.
fn eighths_for(long: u32, target: u32, choice: DctScale) -> u8 {
    let fits = |n: u8| (u64::from(long) * u64::from(n)).div_ceil(8) >= u64::from(target);
    let smallest = (1..=8).find(|&n| fits(n)).unwrap_or(8);
    match choice {
        DctScale::Smallest => smallest,
        DctScale::Eighths(n) => n.clamp(1, 8).max(smallest),
        DctScale::Cheapest => cheapest(smallest),
    }
}

/// The cheapest scale, given the smallest that fits. libjpeg-turbo's IDCT runs SIMD code at
/// 8/8, 4/8, 2/8 and 1/8 and plain C at the other scales; whatever the scale, the resize to
/// the preview follows. Measured on the benchmark photographs (`imaging-bench scales`,
/// `docs/benchmarks.md`), a C scale pays for its smaller output unless the SIMD scale above
/// it decodes under 1.5× its pixels: 7/8 loses to 8/8 (1.31× the pixels: 10–20 % slower),
/// while 5/8 and 6/8 beat 8/8 (2.56× and 1.78×) and 3/8 ties with 4/8 (1.78×).
fn cheapest(smallest: u8) -> u8 {
    let simd = smallest.next_power_of_two();
    if 2 * u32::from(simd).pow(2) <= 3 * u32::from(smallest).pow(2) {
        simd
    } else {
        smallest
    }
}

/// Adobe-style (inverted) CMYK to RGB, in place. Approximate, but CMYK uploads are rare and
/// only ever shown as previews.
fn cmyk_to_rgb(mut data: Vec<u8>) -> Vec<u8> {
    let pixels = data.len() / 4;
    for i in 0..pixels {
        let (c, m, y, k) = (
            u32::from(data[4 * i]),
            u32::from(data[4 * i + 1]),
            u32::from(data[4 * i + 2]),
            u32::from(data[4 * i + 3]),
        );
        data[3 * i] = ((c * k + 127) / 255) as u8;
        data[3 * i + 1] = ((m * k + 127) / 255) as u8;
        data[3 * i + 2] = ((y * k + 127) / 255) as u8;
    }
    data.truncate(pixels * 3);
    data
}

fn jpeg_error(error: turbojpeg::Error) -> Rejection {
    match error {
        turbojpeg::Error::TurboJpegError(message) => {
            // libjpeg's JWRN_JPEG_EOF; "premature end of data segment" is corruption.
            if message.contains("Premature end of JPEG file") {
                Rejection::Truncated
            } else {
                Rejection::Corrupt(message.trim().to_string())
            }
        }
        other => Rejection::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cheapest_scale_is_simd_only_where_it_decodes_few_more_pixels() {
        // Smallest fitting N/8 -> the one picked.
        let picked: Vec<u8> = (1..=8).map(cheapest).collect();
        assert_eq!(picked, [1, 2, 3, 4, 5, 6, 8, 8]);
        // A 1920 px photo for the 1600 px preview: 7/8 fits, 8/8 is cheaper.
        assert_eq!(eighths_for(1920, 1600, DctScale::Smallest), 7);
        assert_eq!(eighths_for(1920, 1600, DctScale::Cheapest), 8);
        // 2560 px: 5/8 makes the preview's size exactly, with no resize.
        assert_eq!(eighths_for(2560, 1600, DctScale::Cheapest), 5);
        // 5120 px: 3/8.
        assert_eq!(eighths_for(5120, 1600, DctScale::Cheapest), 3);
        // Never below the preview, whatever is asked.
        assert_eq!(eighths_for(2560, 1600, DctScale::Eighths(1)), 5);
        assert_eq!(eighths_for(1000, 1600, DctScale::Cheapest), 8);
    }
}
