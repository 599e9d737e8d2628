//! `memory_needed` bounds what `process` really takes: each test image is processed in a
//! fresh `imaging-bench memory` process, which reports how far the resident set grew
//! (glibc and libjpeg-turbo allocations included, which a Rust allocator would not see).
//! upload-finalise reserves this estimate for every upload in flight, so an estimate
//! below the truth could let a batch exceed the function's memory.

use printvault_imaging::testkit;
use std::process::Command;

struct Measured {
    need: u64,
    grew: u64,
}

fn measure(name: &str, bytes: &[u8], exact: bool) -> Measured {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_imaging-bench"));
    command.arg("memory").arg(&file);
    if exact {
        command.arg("exact");
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let line = String::from_utf8(out.stdout).unwrap();
    let field = |key: &str| -> u64 {
        let at = line.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
        line[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    Measured {
        need: field("need_bytes"),
        grew: field("grew_bytes"),
    }
}

#[test]
fn the_estimate_covers_what_processing_takes_and_is_not_wildly_over() {
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("baseline-12mp.jpg", testkit::photo_jpeg(4000, 3000, 1), false),
        ("baseline-2mp.jpg", testkit::photo_jpeg(1800, 1200, 2), false),
        (
            "progressive-12mp.jpg",
            testkit::photo_progressive_jpeg(4000, 3000, 3),
            false,
        ),
        (
            "progressive-12mp-exact.jpg",
            testkit::photo_progressive_jpeg(4000, 3000, 3),
            true,
        ),
        ("small.jpg", testkit::photo_jpeg(1200, 900, 4), false),
        ("rgb-4mp.png", testkit::photo_png(2400, 1600, 5), false),
        ("lossless-4mp.webp", testkit::photo_webp(2400, 1600, 6), false),
        ("lossy-12mp.webp", testkit::photo_webp_lossy(4000, 3000, 7), false),
        (
            "lossy-alpha-8mp.webp",
            testkit::photo_webp_transparent(3600, 2400, 8),
            false,
        ),
        (
            "lossless-huffman-groups.webp",
            testkit::webp_huffman_groups(),
            false,
        ),
        (
            "animated-4mp.webp",
            testkit::animated_webp(2400, 1600, &[9, 10]),
            false,
        ),
    ];
    let mut report = Vec::new();
    for (name, bytes, exact) in &cases {
        let m = measure(name, bytes, *exact);
        report.push(format!(
            "{name}: need {:.1} MiB, grew {:.1} MiB",
            m.need as f64 / 1048576.0,
            m.grew as f64 / 1048576.0
        ));
        assert!(m.grew <= m.need, "{name} took more than estimated: {report:?}");
        // A lossless WebP also reserves what a crafted file's Huffman tables could fill
        // (65,536 groups of 6 KiB, `decode/webp.rs`), which an honest file never uses.
        let huffman = if name.starts_with("lossless") {
            65_536 * (6 << 10)
        } else {
            0
        };
        assert!(
            m.need <= 4 * m.grew + (16 << 20) + huffman,
            "{name}'s estimate is far above the truth, which would hold back other uploads: {report:?}"
        );
    }
    println!("{}", report.join("\n"));
}
