use super::*;
use crate::font::{has_glyph, width};
use crate::samples::{gradients, solid};

fn label<'a>(name: &'a str, thumbs: &'a [Thumb]) -> Label<'a> {
    Label {
        name,
        disc_id: "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
        from: "2023-01-02",
        to: "2024-05-06",
        photos: thumbs.len(),
        thumbs,
    }
}

fn distance(x: u32, y: u32, c: f64) -> f64 {
    ((f64::from(x) + 0.5 - c).powi(2) + (f64::from(y) + 0.5 - c).powi(2)).sqrt()
}

#[test]
fn it_is_a_120_mm_square_at_300_dpi_with_the_hub_and_the_outside_left_clear() {
    let thumbs: Vec<Thumb> = (0..40)
        .map(|n| solid([200, (n * 5) as u8, 40], 256, 192))
        .collect();
    let png = render_label(&label("Ann Example", &thumbs));
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().unwrap();
    let info = reader.info();
    assert_eq!((info.width, info.height), (1417, 1417));
    let dims = info.pixel_dims.expect("a resolution");
    assert_eq!(
        (dims.xppu, dims.yppu, dims.unit),
        (11811, 11811, png::Unit::Meter)
    );
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut buf).unwrap();
    let c = 1417.0 / 2.0;
    let (outer, clear) = (dots(OUTER_MM), dots(CLEAR_MM));
    for y in 0..1417u32 {
        for x in 0..1417u32 {
            let alpha = buf[((y * 1417 + x) * 4 + 3) as usize];
            let d = distance(x, y, c);
            if d < clear - 1.0 || d > outer + 1.0 {
                assert_eq!(
                    alpha, 0,
                    "({x}, {y}) at {d:.0} dots from the centre is printed on"
                );
            }
            if d > clear + 1.0 && d < outer - 1.0 {
                assert_eq!(alpha, 255, "({x}, {y}) inside the ring is not opaque");
            }
        }
    }
}

#[test]
fn the_mosaic_fills_the_upper_half_with_the_thumbnails_in_order() {
    let thumbs = vec![solid([220, 20, 20], 256, 256), solid([20, 20, 220], 300, 200)];
    let (canvas, drawn) = draw_label(&label("Ann", &thumbs));
    assert_eq!(drawn.thumbs, 2);
    assert!(drawn.cells >= 20, "room for {} thumbnails", drawn.cells);
    let c = canvas.width / 2;
    let (mut red, mut blue, mut low) = (0, 0, 0);
    for y in 0..canvas.height {
        for x in 0..canvas.width {
            let [r, g, b, a] = canvas.get(x, y);
            let coloured = a == 255 && g < 40;
            red += u32::from(coloured && r > 200 && b < 40);
            blue += u32::from(coloured && b > 200 && r < 40);
            low += u32::from(coloured && (r > 200 || b > 200) && y > c);
        }
    }
    let cell = dots(CELL_MM).round() as u32;
    assert_eq!(red, cell * cell, "one cell of the first");
    assert_eq!(blue, cell * cell, "one cell of the second, cropped square");
    assert_eq!(low, 0, "nothing of the mosaic in the lower half");
    // Many thumbnails: as many as there are cells.
    let many: Vec<Thumb> = (0..500).map(|_| solid([10, 200, 10], 64, 64)).collect();
    let (_, drawn) = draw_label(&label("Ann", &many));
    assert_eq!(drawn.thumbs, drawn.cells);
}

#[test]
fn a_japanese_name_is_set_in_the_shipped_font() {
    let name = "山田 花子（写真アーカイブ）";
    assert!(name.chars().all(has_glyph), "every character has a glyph");
    let (canvas, drawn) = draw_label(&label(name, &[]));
    assert_eq!(drawn.lines[0].0, name, "shown whole");
    assert_eq!(drawn.lines[1].0, "Disc ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T");
    assert_eq!(drawn.lines[2].0, "2023-01-02 – 2024-05-06");
    assert_eq!(drawn.lines[3].0, "0 photos");
    // The name's line has ink, in the lower half, left of and right of the
    // centre (it is centred), and none over the hub.
    let c = f64::from(canvas.width) / 2.0;
    let (mut left, mut right, mut hub) = (0, 0, 0);
    for y in 0..canvas.height {
        for x in 0..canvas.width {
            let [r, _, _, a] = canvas.get(x, y);
            if a > 0 && r < 100 {
                if distance(x, y, c) < dots(CLEAR_MM) {
                    hub += 1;
                } else if f64::from(x) < c {
                    left += 1;
                } else {
                    right += 1;
                }
            }
        }
    }
    assert_eq!(hub, 0);
    assert!(left > 2_000 && right > 2_000, "ink left {left}, right {right}");
}

#[test]
fn a_long_name_is_shrunk_then_cut_short_to_fit_the_ring() {
    let long = "Maximiliana Wilhelmina von Hohenzollern-Sigmaringen und Württemberg-Teck";
    let (_, drawn) = draw_label(&label(long, &[]));
    let (shown, px) = &drawn.lines[0];
    assert!(shown.ends_with('…'), "{shown}");
    assert_eq!(*px, dots(3.0) as f32, "shrunk to the smallest size first");
    let c = dots(SIZE_MM).round() / 2.0;
    let y = c + dots(CLEAR_MM) + dots(8.0) + dots(1.0) - c;
    let chord = 2.0 * (dots(OUTER_MM).powi(2) - y * y).sqrt();
    assert!(f64::from(width(shown, *px)) <= chord, "fits the ring");
    let (_, drawn) = draw_label(&label("Ann", &[]));
    assert_eq!(
        drawn.lines[0],
        ("Ann".to_owned(), dots(6.0) as f32),
        "a short name at full size"
    );
}

/// `PRINTVAULT_SAMPLES=dir cargo test -p printvault-sheets` writes a sample
/// label there (docs/archive/label.png is one).
#[test]
fn a_sample_label_can_be_written() {
    let thumbs = gradients(60, 96, 72);
    let png = render_label(&Label {
        name: "山田 花子",
        disc_id: "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
        from: "2021-04-01",
        to: "2023-03-31",
        photos: 812,
        thumbs: &thumbs,
    });
    assert!(png.len() > 10_000);
    if let Some(dir) = std::env::var_os("PRINTVAULT_SAMPLES") {
        std::fs::write(std::path::Path::new(&dir).join("label.png"), &png).unwrap();
    }
}
