#!/usr/bin/env python3
"""libvips reference for scripts/bench.sh: the same renditions as printvault-imaging.

    bench_vips.py time <file> [runs]   one JSON line: median ms and MP/s over `runs`
    bench_vips.py rss <file>           one upload in a fresh child, its peak RSS

Per upload: pyvips.Image.thumbnail(path, 1600) written as JPEG Q=82, then a 256 px
thumbnail made from that preview, also written as JPEG Q=82. Single-threaded
(VIPS_CONCURRENCY=1) and with the operation cache off, so every run does the work.
"""

import json
import os
import resource
import subprocess
import sys
import time

os.environ["VIPS_CONCURRENCY"] = "1"

import pyvips  # noqa: E402  (must follow VIPS_CONCURRENCY)

pyvips.cache_set_max(0)
pyvips.cache_set_max_mem(0)
pyvips.cache_set_max_files(0)


def upload(path):
    # The loader streams, so the preview is rendered to memory once and both outputs are
    # made from it (as printvault-imaging keeps its preview in memory).
    preview = pyvips.Image.thumbnail(path, 1600).copy_memory()
    preview_jpeg = preview.write_to_buffer(".jpg[Q=82]")
    thumbnail = preview.thumbnail_image(256)
    thumbnail_jpeg = thumbnail.write_to_buffer(".jpg[Q=82]")
    return preview_jpeg, thumbnail_jpeg


def time_file(path, runs):
    header = pyvips.Image.new_from_file(path, access="sequential")
    megapixels = header.width * header.height / 1e6
    preview, thumbnail = upload(path)  # warm-up
    samples = []
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        upload(path)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    median = samples[len(samples) // 2]
    print(json.dumps({
        "file": path,
        "megapixels": round(megapixels, 2),
        "median_ms": round(median, 2),
        "min_ms": round(samples[0], 2),
        "mp_per_s": round(megapixels / (median / 1000), 1),
        "preview_bytes": len(preview),
        "thumbnail_bytes": len(thumbnail),
    }))


def rss(path):
    """Peak RSS of a fresh interpreter that imports pyvips and does one upload."""
    subprocess.run([sys.executable, __file__, "one", path], check=True)
    kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"file": path, "peak_rss_kib": kib}))


def main(argv):
    if len(argv) >= 2 and argv[0] == "time":
        time_file(argv[1], int(argv[2]) if len(argv) > 2 else 15)
    elif len(argv) == 2 and argv[0] == "rss":
        rss(argv[1])
    elif len(argv) == 2 and argv[0] == "one":
        upload(argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
