//! The disc builder's benchmark (issue 21, `make bench-archive`): a DVD's
//! worth of originals (1,000 files filling a 4.7 GB DVD+R less the room
//! the file system and the disc's own files take), built into an ISO 9660
//! image with Joliet and Rock Ridge, and read back with every file's
//! SHA-256 checked, as printlab does a disc job. Prints the time of each
//! step and the process's peak resident memory.
//!
//! `cargo run --release -p printlab --example disc_bench -- [DIR] [BYTES]`:
//! DIR (default: a temporary folder) must have room for twice BYTES
//! (default: the DVD's usable bytes); everything made is deleted after.

use printlab::disc::iso;
use printvault_domain::archive::{image_sectors, Disc, SECTOR};
use printvault_domain::when::Timestamp;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

const FILES: u64 = 1000;

/// Fills `path` with `len` bytes of a cheap PRNG (photos do not compress).
fn write_file(path: &Path, len: u64, seed: u64) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut left = len;
    let mut block = [0u8; 8192];
    while left > 0 {
        for chunk in block.chunks_exact_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.copy_from_slice(&x.to_le_bytes());
        }
        let n = left.min(block.len() as u64) as usize;
        f.write_all(&block[..n])?;
        left -= n as u64;
    }
    f.flush()
}

/// The process's peak resident memory, in MiB (`VmHWM`).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = match args.first() {
        Some(d) => tempfile::tempdir_in(d)?,
        None => tempfile::tempdir()?,
    };
    // The most 1,000 equal originals that the disc's budget takes.
    let usable = Disc::Dvd.usable_sectors();
    let per_file = args
        .get(1)
        .map(|b| b.parse::<u64>().map(|b| b / FILES))
        .transpose()?
        .unwrap_or_else(|| {
            let mut bytes = usable / FILES * SECTOR;
            while image_sectors(bytes) * FILES > usable {
                bytes -= SECTOR;
            }
            bytes
        });
    let root = base.path().join("root");
    let t = Instant::now();
    for n in 0..FILES {
        let dir = root.join("photos").join(format!("2019-{:02}", n % 12 + 1));
        std::fs::create_dir_all(&dir)?;
        write_file(&dir.join(format!("IMG_{n:04}.jpg")), per_file, n + 1)?;
        std::fs::write(dir.join(format!("IMG_{n:04}.xmp")), vec![b' '; 1500])?;
    }
    std::fs::write(root.join("index.html"), vec![b' '; 400_000])?;
    let staged = t.elapsed().as_secs_f64();
    let total = per_file * FILES;
    eprintln!("staged {FILES} originals of {per_file} bytes ({total} bytes) in {staged:.1} s");

    let iso_path = base.path().join("disc.iso");
    let t = Instant::now();
    let bytes = iso::build(
        &root,
        &iso_path,
        "PV_BENCH",
        Timestamp::EPOCH,
        Disc::Dvd.sectors() * SECTOR,
    )?;
    let built = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let listed = iso::list(&iso_path)?;
    let read_back = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let staged_list = iso::list_folder(&root)?;
    let hashed = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        listed == staged_list,
        "the image read back differs from its files"
    );
    let dvd = Disc::Dvd.sectors() * SECTOR;
    println!("| step | result |");
    println!("|---|---|");
    println!("| originals | {FILES} of {per_file} bytes, {total} bytes in all |");
    println!(
        "| image | {bytes} bytes, {:.2} % of a DVD+R ({dvd} bytes), {} files |",
        bytes as f64 * 100.0 / dvd as f64,
        listed.len()
    );
    println!(
        "| build (plan, write, sync) | {built:.1} s, {:.0} MB/s |",
        bytes as f64 / built / 1e6
    );
    println!(
        "| read back and SHA-256 every file | {read_back:.1} s, {:.0} MB/s |",
        bytes as f64 / read_back / 1e6
    );
    println!("| SHA-256 of the staged files, to compare | {hashed:.1} s |");
    println!("| peak RSS of the process | {:.1} MiB |", peak_rss_mib());
    Ok(())
}
