//! Perceptual hash.
//!
//! We use the classic DCT pHash (as in phash.org) because it survives exactly what
//! duplicates of a photo go through — resizing, re-encoding, mild colour shifts — while
//! unrelated photos land about 32 bits apart:
//!
//! 1. take the thumbnail (already area-filtered from the decode), reduce it to a 32×32
//!    grayscale (BT.601 luma) grid by exact area averaging, and apply the EXIF orientation,
//!    so the hash describes the picture as the customer sees it;
//! 2. take the 2-D DCT-II of the grid;
//! 3. keep the 8×8 lowest frequencies after dropping row 0 and column 0 (DC and the
//!    pure-horizontal/vertical averages, which mostly say "brightness");
//! 4. set bit `i` when coefficient `i` is above the median of the 64.
//!
//! Everything is computed in `f64` from the same thumbnail pixels, so the result is fully
//! deterministic for the same input bytes.

use std::f64::consts::PI;

use crate::decode::Rgb;
use crate::orient::orient;

const GRID: usize = 32;
const KEEP: usize = 8;

pub(crate) fn phash(image: &Rgb, orientation: u16) -> u64 {
    let grid = luma_grid(image);
    let (grid, _, _) = orient(&grid, GRID, GRID, 1, orientation);
    let cosines = cosine_table();
    // Rows then columns of the DCT, restricted to the frequencies we keep (1..=KEEP).
    let mut rows = vec![0.0f64; KEEP * GRID]; // rows[u][x] = sum_y C[u][y] * grid[y][x]
    for u in 0..KEEP {
        for y in 0..GRID {
            let c = cosines[(u + 1) * GRID + y];
            for x in 0..GRID {
                rows[u * GRID + x] += c * grid[y * GRID + x];
            }
        }
    }
    let mut block = [0.0f64; KEEP * KEEP];
    for u in 0..KEEP {
        for v in 0..KEEP {
            block[u * KEEP + v] = (0..GRID)
                .map(|x| cosines[(v + 1) * GRID + x] * rows[u * GRID + x])
                .sum();
        }
    }
    let mut sorted = block;
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[KEEP * KEEP / 2 - 1] + sorted[KEEP * KEEP / 2]) / 2.0;
    block
        .iter()
        .enumerate()
        .fold(0u64, |hash, (i, &c)| hash | (u64::from(c > median) << i))
}

/// cos(π(2n+1)k / 2N) for k, n in 0..N.
fn cosine_table() -> Vec<f64> {
    let n = GRID as f64;
    (0..GRID * GRID)
        .map(|i| {
            let (k, x) = ((i / GRID) as f64, (i % GRID) as f64);
            (PI * (2.0 * x + 1.0) * k / (2.0 * n)).cos()
        })
        .collect()
}

/// Area-averages the image's luma onto a GRID×GRID grid (works for up- and downscaling).
fn luma_grid(image: &Rgb) -> Vec<f64> {
    let (w, h) = (image.width as usize, image.height as usize);
    let mut grid = vec![0.0f64; GRID * GRID];
    if w == 0 || h == 0 || image.data.len() < w * h * 3 {
        return grid;
    }
    let columns = coverage(w);
    let rows = coverage(h);
    let mut row_sums = vec![0.0f64; GRID];
    for (gy, row_weights) in rows.iter().enumerate() {
        for &(y, wy) in row_weights {
            row_sums.iter_mut().for_each(|s| *s = 0.0);
            let line = &image.data[y * w * 3..(y + 1) * w * 3];
            for (gx, column_weights) in columns.iter().enumerate() {
                for &(x, wx) in column_weights {
                    let p = &line[x * 3..x * 3 + 3];
                    let luma = 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]);
                    row_sums[gx] += wx * luma;
                }
            }
            for gx in 0..GRID {
                grid[gy * GRID + gx] += wy * row_sums[gx];
            }
        }
    }
    grid
}

/// For each of the GRID cells along an axis of `len` pixels, the pixels it covers and the
/// fraction of the cell each one fills (weights of a cell sum to 1).
fn coverage(len: usize) -> Vec<Vec<(usize, f64)>> {
    let step = len as f64 / GRID as f64;
    (0..GRID)
        .map(|cell| {
            let (start, end) = (cell as f64 * step, (cell + 1) as f64 * step);
            let first = start.floor() as usize;
            let last = (end.ceil() as usize).min(len);
            (first..last)
                .filter_map(|p| {
                    let overlap = (end.min(p as f64 + 1.0) - start.max(p as f64)) / step;
                    (overlap > 0.0).then_some((p, overlap))
                })
                .collect()
        })
        .collect()
}
