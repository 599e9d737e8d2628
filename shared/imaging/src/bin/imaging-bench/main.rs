//! Single-threaded benchmark of the full upload pipeline (`process`: validate, decode, EXIF,
//! orient, hash, preview, thumbnail, encode). Driven by `scripts/bench.sh`.
//!
//! ```text
//! imaging-bench time <file> [runs] [exact]
//!                                      one JSON line: median ms and MP/s over `runs`;
//!                                      `exact` decodes every scan of a progressive file
//!                                      (`Renditions::fast_progressive` off)
//! imaging-bench quality <file>         one JSON line: PSNR of the preview with and without
//!                                      `fast_progressive`, against each other and against
//!                                      a reference (full-size decode, Lanczos3 to the same size)
//! imaging-bench scales <file> <runs> one JSON line: for a JPEG, the median ms and the preview's
//!                                      PSNR against the reference at every DCT scale N/8 at
//!                                      least the preview, and for the `smallest` and
//!                                      `cheapest` rules (`Renditions::dct_scale`)
//! imaging-bench rss <file>             one process() call, then this process's peak RSS
//! imaging-bench memory <file> [exact]  one JSON line: `memory_needed` for the file, and
//!                                      what one process() call grew the resident set by
//! imaging-bench info <file>            "<width> <height> baseline|progressive|png|webp"
//! imaging-bench progressive <in> <out> <megapixels>
//!                                      re-encodes <in> as a progressive JPEG of about
//!                                      <megapixels> MP (upscaled if needed), quality 90
//! ```

mod quality;

use std::process::ExitCode;
use std::time::Instant;

use printvault_imaging::{process, Limits, Renditions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["time", file] => time(file, 15, Renditions::default()),
        ["time", file, runs] => runs
            .parse()
            .map_err(|e| format!("runs: {e}"))
            .and_then(|runs| time(file, runs, Renditions::default())),
        ["time", file, runs, "exact"] => runs
            .parse()
            .map_err(|e| format!("runs: {e}"))
            .and_then(|runs| time(file, runs, exact())),
        ["quality", file] => quality::quality(file),
        ["scales", file, runs] => runs
            .parse()
            .map_err(|e| format!("runs: {e}"))
            .and_then(|runs| quality::scales(file, runs)),
        ["memory", file] => memory(file, Renditions::default()),
        ["memory", file, "exact"] => memory(file, exact()),
        ["rss", file] => rss(file),
        ["info", file] => info(file),
        ["progressive", input, output, megapixels] => megapixels
            .parse()
            .map_err(|e| format!("megapixels: {e}"))
            .and_then(|mp| progressive(input, output, mp)),
        _ => Err(
            "usage: imaging-bench time <file> [runs] [exact] | quality <file> | scales <file> <runs> | rss <file> | memory <file> [exact] | \
                  info <file> | progressive <in> <out> <megapixels>"
                .to_string(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("imaging-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn read(file: &str) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| format!("{file}: {e}"))
}

pub(crate) fn exact() -> Renditions {
    Renditions {
        fast_progressive: false,
        ..Renditions::default()
    }
}

fn time(file: &str, runs: usize, renditions: Renditions) -> Result<(), String> {
    let bytes = read(file)?;
    // One warm-up run, also the correctness check.
    let processed = process(&bytes, &Limits::default(), &renditions).map_err(|e| format!("{file}: {e}"))?;
    let (median, min) = timings(&bytes, &renditions, runs);
    let progressive = turbojpeg::read_header(&bytes).is_ok_and(|h| h.is_progressive);
    let megapixels = f64::from(processed.width) * f64::from(processed.height) / 1e6;
    println!(
        "{{\"file\":{:?},\"format\":\"{}\",\"width\":{},\"height\":{},\"progressive\":{},\"bytes\":{},\
         \"megapixels\":{:.2},\"median_ms\":{:.2},\"min_ms\":{:.2},\"mp_per_s\":{:.1},\
         \"preview_bytes\":{},\"thumbnail_bytes\":{}}}",
        file,
        processed.format.as_str(),
        processed.width,
        processed.height,
        progressive,
        bytes.len(),
        megapixels,
        median,
        min,
        megapixels / (median / 1000.0),
        processed.preview.len(),
        processed.thumbnail.len(),
    );
    Ok(())
}

/// The median and the fastest of `runs` process() calls, in ms.
fn timings(bytes: &[u8], renditions: &Renditions, runs: usize) -> (f64, f64) {
    let limits = Limits::default();
    let mut samples: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            let result = process(bytes, &limits, renditions);
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(result.is_ok());
            elapsed
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[0])
}

/// The median of `runs` process() calls, in ms.
pub(crate) fn median_ms(bytes: &[u8], renditions: &Renditions, runs: usize) -> f64 {
    timings(bytes, renditions, runs).0
}

/// "<width> <height> <kind>": baseline or progressive for a JPEG, else png or webp.
fn info(file: &str) -> Result<(), String> {
    let bytes = read(file)?;
    if let Ok(header) = turbojpeg::read_header(&bytes) {
        let kind = if header.is_progressive {
            "progressive"
        } else {
            "baseline"
        };
        println!("{} {} {kind}", header.width, header.height);
        return Ok(());
    }
    let kind = match printvault_imaging::sniff(&bytes) {
        Some(format) => format.as_str(),
        None => return Err(format!("{file}: not a JPEG, PNG or WebP")),
    };
    if let Ok(webp) = webpx::ImageInfo::from_webp(&bytes) {
        println!("{} {} {kind}", webp.width, webp.height);
        return Ok(());
    }
    let (width, height) = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| format!("{file}: {e}"))?
        .into_dimensions()
        .map_err(|e| format!("{file}: {e}"))?;
    println!("{width} {height} {kind}");
    Ok(())
}

/// Peak resident set of this process (VmHWM), after one upload: the per-upload footprint
/// including the input bytes held in memory, as in the Lambda.
fn rss(file: &str) -> Result<(), String> {
    let bytes = read(file)?;
    process(&bytes, &Limits::default(), &Renditions::default()).map_err(|e| format!("{file}: {e}"))?;
    let kib = status_kib("VmHWM:")?;
    println!("{{\"file\":{file:?},\"peak_rss_kib\":{kib}}}");
    Ok(())
}

fn memory(file: &str, renditions: Renditions) -> Result<(), String> {
    let bytes = read(file)?;
    let limits = Limits::default();
    let need = printvault_imaging::memory_needed(&bytes, &limits, &renditions)
        .map_err(|e| format!("{file}: {e}"))?;
    // Writing 5 to clear_refs resets the peak (VmHWM) to the resident set now.
    std::fs::write("/proc/self/clear_refs", "5").map_err(|e| format!("clear_refs: {e}"))?;
    let before = status_kib("VmRSS:")?;
    process(&bytes, &limits, &renditions).map_err(|e| format!("{file}: {e}"))?;
    let peak = status_kib("VmHWM:")?;
    println!(
        "{{\"file\":{file:?},\"need_bytes\":{need},\"grew_bytes\":{}}}",
        peak.saturating_sub(before) * 1024
    );
    Ok(())
}

/// A `/proc/self/status` value in KiB.
fn status_kib(field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .ok_or(format!("no {field} in /proc/self/status"))
}

fn progressive(input: &str, output: &str, megapixels: f64) -> Result<(), String> {
    let bytes = read(input)?;
    let image =
        turbojpeg::decompress(&bytes, turbojpeg::PixelFormat::RGB).map_err(|e| format!("{input}: {e}"))?;
    let scale = (megapixels * 1e6 / (image.width * image.height) as f64).sqrt();
    let width = (image.width as f64 * scale).round() as u32;
    let height = (image.height as f64 * scale).round() as u32;
    let src = fast_image_resize::images::ImageRef::new(
        image.width as u32,
        image.height as u32,
        &image.pixels,
        fast_image_resize::PixelType::U8x3,
    )
    .map_err(|e| e.to_string())?;
    let mut dst = fast_image_resize::images::Image::new(width, height, fast_image_resize::PixelType::U8x3);
    fast_image_resize::Resizer::new()
        .resize(&src, &mut dst, None)
        .map_err(|e| e.to_string())?;
    let mut compressor = turbojpeg::Compressor::new().map_err(|e| e.to_string())?;
    compressor.set_quality(90).map_err(|e| e.to_string())?;
    compressor
        .set_subsamp(turbojpeg::Subsamp::Sub2x2)
        .map_err(|e| e.to_string())?;
    compressor.set_progressive(true).map_err(|e| e.to_string())?;
    let jpeg = compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: dst.buffer(),
            width: width as usize,
            pitch: width as usize * 3,
            height: height as usize,
            format: turbojpeg::PixelFormat::RGB,
        })
        .map_err(|e| e.to_string())?;
    std::fs::write(output, jpeg).map_err(|e| format!("{output}: {e}"))?;
    Ok(())
}
