//! The index sheet (M31): A4 pages listing every image on a disc, each with
//! its thumbnail, file name, the date it was taken and its size, under the
//! disc's ID and the customer's name, each page numbered "n of N". One
//! layout, drawn twice: a PDF (text as text, in the shipped font, embedded
//! as a subset) and a PNG of each page at 150 dpi.

mod pdf;
mod raster;

use crate::font::fit;
use crate::Thumb;

pub use pdf::sheet_pdf;
pub use raster::sheet_pngs;

/// A4, in millimetres.
pub const PAGE_MM: (f64, f64) = (210.0, 297.0);
const MARGIN_MM: f64 = 12.0;
const COLUMNS: usize = 5;
const ROWS: usize = 6;
/// Images a page lists.
pub const PER_PAGE: usize = COLUMNS * ROWS;
const HEADER_MM: f64 = 16.0;
const FOOTER_MM: f64 = 8.0;

/// One image of the disc.
pub struct Entry<'a> {
    pub file_name: &'a str,
    /// When it was taken, as its attributes say; `None`: unknown.
    pub taken: Option<&'a str>,
    pub bytes: u64,
    pub thumb: Option<&'a Thumb>,
}

/// What the sheet lists.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub disc_id: &'a str,
    pub entries: &'a [Entry<'a>],
}

/// A line of text, centred on `cx`, its baseline at `y` (mm from the top).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub size_mm: f64,
    pub cx: f64,
    pub y: f64,
}

/// A thumbnail's box (mm from the top left), and which entry it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub entry: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// One page, laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub lines: Vec<Line>,
    pub frames: Vec<Frame>,
}

/// The pages of `s`: at least one, [`PER_PAGE`] images each.
pub fn layout(s: &Sheet<'_>) -> Vec<Page> {
    let (w, h) = PAGE_MM;
    let pages = s.entries.len().div_ceil(PER_PAGE).max(1);
    let cell_w = (w - 2.0 * MARGIN_MM) / COLUMNS as f64;
    let cell_h = (h - 2.0 * MARGIN_MM - HEADER_MM - FOOTER_MM) / ROWS as f64;
    let mut out = Vec::with_capacity(pages);
    for p in 0..pages {
        let mut lines = Vec::new();
        let heading = format!("Archive disc {}", s.disc_id);
        let (text, size_mm) = fit_mm(&heading, 4.2, 3.0, w - 2.0 * MARGIN_MM);
        lines.push(Line {
            text,
            size_mm,
            cx: w / 2.0,
            y: MARGIN_MM + 5.0,
        });
        let (text, size_mm) = fit_mm(s.name, 3.6, 2.6, w - 2.0 * MARGIN_MM);
        lines.push(Line {
            text,
            size_mm,
            cx: w / 2.0,
            y: MARGIN_MM + 11.0,
        });
        lines.push(Line {
            text: format!("Page {} of {pages}", p + 1),
            size_mm: 2.8,
            cx: w / 2.0,
            y: h - MARGIN_MM - 1.0,
        });
        let mut frames = Vec::new();
        let first = p * PER_PAGE;
        for (i, e) in s.entries.iter().enumerate().skip(first).take(PER_PAGE) {
            let k = i - first;
            let (col, row) = (k % COLUMNS, k / COLUMNS);
            let x = MARGIN_MM + col as f64 * cell_w;
            let y = MARGIN_MM + HEADER_MM + row as f64 * cell_h;
            let cx = x + cell_w / 2.0;
            let (fw, fh) = (cell_w - 6.0, cell_h - 17.0);
            frames.push(Frame {
                entry: i,
                x: x + 3.0,
                y: y + 1.0,
                w: fw,
                h: fh,
            });
            let text_w = cell_w - 2.0;
            let (name, size) = fit_mm(e.file_name, 2.4, 1.8, text_w);
            lines.push(Line {
                text: name,
                size_mm: size,
                cx,
                y: y + fh + 5.0,
            });
            let taken = e
                .taken
                .map_or_else(|| "date taken unknown".to_owned(), |t| format!("taken {t}"));
            let (taken, size) = fit_mm(&taken, 2.1, 1.6, text_w);
            lines.push(Line {
                text: taken,
                size_mm: size,
                cx,
                y: y + fh + 9.0,
            });
            lines.push(Line {
                text: size_text(e.bytes),
                size_mm: 2.1,
                cx,
                y: y + fh + 13.0,
            });
        }
        out.push(Page { lines, frames });
    }
    out
}

fn fit_mm(text: &str, mm: f64, min_mm: f64, max_mm: f64) -> (String, f64) {
    let (t, size) = fit(text, mm as f32, min_mm as f32, max_mm as f32);
    (t, f64::from(size))
}

pub use printvault_domain::archive::size_text;

#[cfg(test)]
mod tests;
