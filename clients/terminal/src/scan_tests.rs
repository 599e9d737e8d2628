//! Scans written by the `tiff` and `image` crates' encoders, read back.

use std::io::Cursor;

use crate::scan::{jpeg_of, read, Encoding, ScanError, MAX_PIXELS};

fn tiff16(w: u32, h: u32, samples: &[u16], ir: bool) -> Vec<u8> {
    use tiff::encoder::{colortype, TiffEncoder};
    let mut out = Cursor::new(Vec::new());
    let mut e = TiffEncoder::new(&mut out).unwrap();
    if ir {
        e.write_image::<colortype::RGBA16>(w, h, samples).unwrap();
    } else {
        e.write_image::<colortype::RGB16>(w, h, samples).unwrap();
    }
    out.into_inner()
}

#[test]
fn a_16_bit_tiff_with_infrared_is_read_as_it_was_written() {
    let samples: Vec<u16> = (0..4 * 3 * 2).map(|i| (i * 2_000) as u16).collect();
    let s = read(&tiff16(3, 2, &samples, true), Encoding::Linear).unwrap();
    assert_eq!((s.frame.width, s.frame.height), (3, 2));
    assert_eq!(s.frame.at(1, 0), [8_000, 10_000, 12_000]);
    assert_eq!(s.infrared.unwrap()[1], 14_000);
}

#[test]
fn an_srgb_scan_is_taken_to_linear_light() {
    let samples = vec![u16::MAX, 0, 32_768];
    let s = read(&tiff16(1, 1, &samples, false), Encoding::Srgb).unwrap();
    let [r, g, b] = s.frame.pixels[0];
    assert_eq!((r, g), (u16::MAX, 0));
    assert!(
        (13_900..14_100).contains(&b),
        "sRGB 0.5 is about 0.214 linear: {b}"
    );
    assert!(s.infrared.is_none());
}

#[test]
fn png_and_jpeg_scans_are_read_and_a_frame_round_trips_through_jpeg() {
    let img = image::RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 15, y as u8 * 30, 128]));
    let mut png = Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let s = read(png.get_ref(), Encoding::Srgb).unwrap();
    assert_eq!((s.frame.width, s.frame.height), (16, 8));
    let jpeg = jpeg_of(&s.frame, 92).unwrap();
    let back = read(&jpeg, Encoding::Srgb).unwrap();
    assert_eq!((back.frame.width, back.frame.height), (16, 8));
    let mut d: Vec<f64> = s
        .frame
        .pixels
        .iter()
        .zip(&back.frame.pixels)
        .map(|(a, b)| crate::develop::colour::pixel_delta(*a, *b))
        .collect();
    d.sort_by(f64::total_cmp);
    let (median, worst) = (d[d.len() / 2], d[d.len() - 1]);
    assert!(
        median < 2.0 && worst < 10.0,
        "ΔE2000 through JPEG 92: median {median}, worst {worst}"
    );
}

#[test]
fn hostile_files_are_refused_with_the_reason() {
    assert_eq!(
        read(b"hello", Encoding::Srgb).unwrap_err(),
        ScanError::UnknownFormat
    );
    let good = tiff16(3, 2, &[1; 18], false);
    assert!(matches!(
        read(&good[..good.len() - 10], Encoding::Srgb),
        Err(ScanError::Damaged(_))
    ));
    assert!(matches!(
        read(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], Encoding::Srgb),
        Err(ScanError::Damaged(_))
    ));
    // A header claiming 100,000 × 100,000 is refused before any pixel.
    let big = tiff16(1, 1, &[0; 3], false);
    let mut lie = big.clone();
    let at = |v: u32| v.to_le_bytes();
    let (w1, w2) = (at(1), at(100_000));
    // ImageWidth and ImageLength are the first two short/long entries: patch every 1 after the IFD.
    let ifd = u32::from_le_bytes([big[4], big[5], big[6], big[7]]) as usize;
    for e in 0..2 {
        let v = ifd + 2 + e * 12 + 8;
        if lie[v..v + 4] == w1 {
            lie[v..v + 4].copy_from_slice(&w2);
        }
    }
    assert!(matches!(
        read(&lie, Encoding::Srgb),
        Err(ScanError::TooLarge(100_000, 100_000))
    ));
    const { assert!(100_000u64 * 100_000 > MAX_PIXELS) };
    let gray = {
        use tiff::encoder::{colortype, TiffEncoder};
        let mut out = Cursor::new(Vec::new());
        TiffEncoder::new(&mut out)
            .unwrap()
            .write_image::<colortype::Gray8>(1, 1, &[0])
            .unwrap();
        out.into_inner()
    };
    assert!(matches!(
        read(&gray, Encoding::Srgb),
        Err(ScanError::Unsupported(_))
    ));
}
