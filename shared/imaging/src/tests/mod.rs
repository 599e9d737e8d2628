//! Unit tests, driven by the deterministic generators in `testkit`.

mod exif;
mod fingerprint;
mod rejections;
mod renditions;
mod strip;
mod webp;

use crate::{process, Limits, Processed, Rejection, Renditions};

fn run(bytes: &[u8]) -> Result<Processed, Rejection> {
    process(bytes, &Limits::default(), &Renditions::default())
}

fn accepted(bytes: &[u8]) -> Processed {
    match run(bytes) {
        Ok(processed) => processed,
        Err(rejection) => panic!("refused: {rejection:?}"),
    }
}

/// Width and height of a JPEG rendition.
fn jpeg_size(jpeg: &[u8]) -> (usize, usize) {
    let header = turbojpeg::read_header(jpeg).expect("rendition is a JPEG");
    (header.width, header.height)
}
