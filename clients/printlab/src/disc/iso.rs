//! The disc image: ISO 9660 with Joliet (what Windows reads) and Rock Ridge
//! (full names, POSIX modes), built by `hadris-iso` from a folder, and read
//! back with its reader.
//!
//! Why `hadris-iso`: it is pure Rust (no `xorriso` or `genisoimage` for a
//! lab to install), writes all three trees, plans an image's exact size
//! before writing a byte (so an image larger than the disc is refused
//! first), streams each file's content in 64 KiB pieces (a 4.7 GB DVD
//! image takes a few MB of memory), reads no clock (every date is the
//! job's, so the same job builds the same bytes, and a rebuilt image has
//! the SHA-256 reported before), and has an allocation-free reader for the
//! check. It is a release candidate (`=3.0.0-rc.2`, pinned); the tests
//! list every image it builds with `xorriso`, an independent reader.

use anyhow::{bail, Context};
use hadris_fs::sync::Volume;
use hadris_fs::{DateTime, MountOptions, Node, OpenOptions, Tree};
use hadris_iso::sync::IsoFs;
use hadris_iso::{IsoId, IsoLevel, IsoOptions, NameCase};
use hadris_storage::host::FileDevice;
use printvault_domain::when::Timestamp;
use sha2::{Digest, Sha256};
use std::path::Path;

/// One file on the disc: its path, bytes and SHA-256 (hex).
pub type Listed = (String, u64, String);

const READ_CHUNK: usize = 1 << 20;

/// The files under `root`, as `hadris-fs` host-file references (a path and
/// a length; nothing is read until the image is written), in name order.
fn tree_of(root: &Path) -> anyhow::Result<Tree> {
    fn walk(tree: &mut Tree, dir: &Path, prefix: &str) -> anyhow::Result<()> {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("listing {}", dir.display()))?
            .collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let name = name
                .to_str()
                .with_context(|| format!("a name that is not UTF-8 in {}", dir.display()))?;
            let host = entry.path();
            let path = format!("{prefix}/{name}");
            let meta = std::fs::symlink_metadata(&host)?;
            if meta.is_dir() {
                tree.insert(&path, Node::dir())?;
                walk(tree, &host, &path)?;
            } else if meta.is_file() {
                tree.insert(&path, Node::file(hadris_fs::host::file(&host)?))?;
            } else {
                bail!("{} is not a file or a folder", host.display());
            }
        }
        Ok(())
    }
    let mut tree = Tree::new();
    walk(&mut tree, root, "")?;
    Ok(tree)
}

fn options(volume_id: &str, at: Timestamp) -> anyhow::Result<IsoOptions> {
    Ok(IsoOptions::new()
        .with_id(IsoId::Volume, volume_id)
        .with_id(IsoId::Publisher, "printvault")
        // Level 3: a file of 4 GiB or more is stored in several extents.
        .with_level(IsoLevel::L3)
        // The primary tree's names as ECMA-119 has them; the real names are
        // in the Rock Ridge and Joliet trees.
        .with_name_case(NameCase::Upper)
        .with_joliet()
        .with_rock_ridge()
        .with_time(DateTime::from_unix_seconds(at.unix())?))
}

/// Builds the image of everything under `root` at `iso`, volume
/// `volume_id`, dated `at`, unless it would be larger than
/// `capacity_bytes`. Returns its size.
pub fn build(
    root: &Path,
    iso: &Path,
    volume_id: &str,
    at: Timestamp,
    capacity_bytes: u64,
) -> anyhow::Result<u64> {
    let tree = tree_of(root)?;
    let opts = options(volume_id, at)?;
    let planned = hadris_iso::plan(&tree, &opts).context("planning the disc image")?;
    if planned.size() > capacity_bytes {
        bail!(
            "the disc image would be {} bytes; the disc holds {capacity_bytes}",
            planned.size()
        );
    }
    for w in planned.warnings() {
        tracing::warn!(warning = %w, "disc image");
    }
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(iso)
        .with_context(|| format!("writing {}", iso.display()))?;
    let report = hadris_iso::sync::write(FileDevice::new(file)?, &tree, &opts)
        .with_context(|| format!("writing {}", iso.display()))?;
    let on_disk = std::fs::metadata(iso)?.len();
    if report.size() != planned.size() || on_disk != planned.size() {
        bail!(
            "{} is {on_disk} bytes; {} were planned",
            iso.display(),
            planned.size()
        );
    }
    Ok(on_disk)
}

/// Every file in the image at `iso` (its Rock Ridge tree, else Joliet), as
/// read back: path (from `/`), bytes and SHA-256, in path order.
pub fn list(iso: &Path) -> anyhow::Result<Vec<Listed>> {
    let fs = IsoFs::mount(FileDevice::open(iso)?, MountOptions::new())
        .with_context(|| format!("reading {} back", iso.display()))?;
    let vol = Volume::new(fs);
    let mut out = Vec::new();
    let mut buf = vec![0u8; READ_CHUNK];
    for entry in vol.walk("/")? {
        let entry = entry?;
        if !entry.entry().file_type().is_file() {
            continue;
        }
        let path =
            String::from_utf8(entry.path().to_vec()).context("a name in the image that is not UTF-8")?;
        let mut file = vol.open_node(entry.dir(), entry.entry(), OpenOptions::new().read())?;
        let mut hash = Sha256::new();
        let mut total = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
            total += n as u64;
        }
        out.push((path, total, hex::encode(hash.finalize())));
    }
    out.sort();
    Ok(out)
}

/// Every file under `root` as [`list`] lists the image: path from `/`,
/// bytes, SHA-256.
pub fn list_folder(root: &Path) -> anyhow::Result<Vec<Listed>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<Listed>) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}/{name}");
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &path, out)?;
            } else {
                let len = entry.metadata()?.len();
                out.push((path, len, crate::fetch::sha256_of(&entry.path())?));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, "", &mut out)?;
    out.sort();
    Ok(out)
}
