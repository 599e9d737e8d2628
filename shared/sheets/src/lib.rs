//! The printed matter of an archive disc (M31), drawn here without any
//! system library: the disc label as a PNG at 300 dpi. Text is set in the
//! font this crate ships (`fonts/VL-PGothic-Regular.ttf`, Latin and
//! Japanese, from Debian's `fonts-vlgothic`, BSD-3-Clause and the M+ and
//! Sazanami licences in `fonts/VL-PGothic.LICENSE`), compiled into the
//! binary, so the fonts travel with the function; and the index sheet, an
//! A4 PDF with a PNG of each page.

mod canvas;
pub mod font;
pub mod label;
#[cfg(test)]
mod samples;
pub mod sheet;

pub use canvas::{Canvas, Fit, Thumb};
pub use label::{render_label, Label};
pub use sheet::{sheet_pdf, sheet_pngs, Entry, Sheet};

/// Dots per inch of everything drawn here.
pub const DPI: f64 = 300.0;

/// `mm` millimetres in dots at [`DPI`].
pub fn dots(mm: f64) -> f64 {
    mm / 25.4 * DPI
}
