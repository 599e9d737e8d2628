#!/usr/bin/env bash
# Benchmarks printvault-imaging's upload pipeline against libvips on real photographs.
#
#   scripts/bench.sh              (RUNS=9 by default; RUNS=15 scripts/bench.sh for more)
#
# 1. installs build deps (scripts/install-deps.sh);
# 2. fetches wallpaper packages with `apt-get download` into bench-data/ (gitignored; never
#    commit images), extracts them with dpkg-deb, and keeps every JPEG and PNG of at least
#    2 MP and every WebP of at least 1 MP (KINDS="png webp" keeps only those kinds);
# 3. makes a 20 MP progressive JPEG from the largest baseline one;
# 4. for each file, single-threaded and pinned to one CPU: our release binary
#    (`imaging-bench time`: full process() = validate, decode, EXIF, orient, hash, preview,
#    thumbnail, encode) and libvips (scripts/bench_vips.py: thumbnail 1600 + 256, JPEG Q=82),
#    median of RUNS runs each, then the peak RSS of one upload in a fresh process for both;
# 5. prints a table per file and a summary; raw results go to bench-data/results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-9}"
DATA=bench-data
PACKAGES=(plasma-workspace-wallpapers lomiri-wallpapers mate-backgrounds)
SUBSTITUTES=(desktop-base xfce4-artwork budgie-backgrounds)
WANTED=3
# PNG photographs (lxqt-themes), lossy WebP wallpapers of 16.8 MP (gnome-backgrounds) and a
# WebP photograph (a Go library's test image); the JPEG packages above carry PNGs too.
OTHERS=(lxqt-themes gnome-backgrounds golang-github-bep-gowebp-dev)
KINDS="${KINDS:-baseline progressive png webp}"

echo "== dependencies"
scripts/install-deps.sh
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    scripts/install-deps.sh python3-venv
fi
if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
fi
if ! .venv-bench/bin/python -c 'import pyvips' 2>/dev/null; then
    .venv-bench/bin/pip install --quiet pyvips pyvips-binary
fi
PY=.venv-bench/bin/python

echo "== photographs"
mkdir -p "$DATA/debs" "$DATA/extract"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
has_candidate() {
    # (Not `| grep -q`: with pipefail, apt-cache's SIGPIPE would count as failure.)
    [[ "$(apt-cache policy "$1" 2>/dev/null)" == *"Candidate: "[0-9]* ]]
}
if ! has_candidate "${PACKAGES[0]}"; then
    "${sudo[@]}" apt-get update -qq
fi
apt_opts=()
# apt drops privileges to _apt, which cannot write into a root-owned work tree.
[ "$(id -u)" -eq 0 ] && apt_opts=(-o APT::Sandbox::User=root)
fetch() {
    if ! ls "$DATA/debs/${1}"_*.deb >/dev/null 2>&1; then
        (cd "$DATA/debs" && apt-get "${apt_opts[@]}" download -qq "$1")
    fi
    deb=$(ls "$DATA/debs/${1}"_*.deb | head -n1)
    dpkg-deb -x "$deb" "$DATA/extract"
    echo "   $1: $(basename "$deb")"
}
fetched=0
for package in "${PACKAGES[@]}" "${SUBSTITUTES[@]}"; do
    [ "$fetched" -ge "$WANTED" ] && break
    if ! has_candidate "$package"; then
        echo "   $package: not available here, trying a substitute"
        continue
    fi
    fetch "$package"
    fetched=$((fetched + 1))
done
for package in "${OTHERS[@]}"; do
    if has_candidate "$package"; then
        fetch "$package"
    else
        echo "   $package: not available here; its files are left out"
    fi
done

echo "== build"
cargo build --quiet --profile release -p printvault-imaging --bin imaging-bench
BIN=target/release/imaging-bench

# Every distinct JPEG and PNG of at least 2 MP and WebP of at least 1 MP (symlinks and tiny
# screenshots skipped), of the kinds asked for.
: > "$DATA/files.txt"
while IFS= read -r -d '' file; do
    read -r width height kind < <("$BIN" info "$file" 2>/dev/null || echo "0 0 none")
    least=2000000
    [ "$kind" = webp ] && least=1000000
    if [ "$((width * height))" -ge "$least" ] && [[ " $KINDS " == *" $kind "* ]]; then
        echo "$kind $file" >> "$DATA/files.txt"
    fi
done < <(find "$DATA/extract" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \
    -o -iname '*.webp' \) -print0 | sort -z)

# A 20 MP progressive JPEG, made from the largest baseline photograph.
if [[ " $KINDS " == *" progressive "* ]]; then
    largest=$(awk '$1 == "baseline" {print $2}' "$DATA/files.txt" | xargs ls -S | head -n1)
    progressive20="$DATA/progressive-20mp.jpg"
    if [ ! -f "$progressive20" ]; then
        "$BIN" progressive "$largest" "$progressive20" 20
    fi
    echo "progressive $progressive20" >> "$DATA/files.txt"
fi
for kind in $KINDS; do
    echo "   $kind: $(grep -c "^$kind " "$DATA/files.txt") files"
done

pin=()
if command -v taskset >/dev/null; then
    pin=(taskset -c "$(($(nproc) - 1))")
fi

# Ours runs with upload-finalise's allocator settings, as deployed (libvips gains
# nothing from them: measured in docs/benchmarks.md).
TUNABLES=$(sed -n 's/^ *GLIBC_TUNABLES: *//p' infra/template.yaml)
echo "== timing (median of $RUNS runs, single-threaded, ${pin[*]:-unpinned}; ours with GLIBC_TUNABLES=$TUNABLES)"
results="$DATA/results.jsonl"
: > "$results"
while read -r kind file; do
    ours=$(GLIBC_TUNABLES="$TUNABLES" "${pin[@]}" "$BIN" time "$file" "$RUNS")
    ours_rss=$(GLIBC_TUNABLES="$TUNABLES" "$BIN" rss "$file")
    vips=$(VIPS_CONCURRENCY=1 "${pin[@]}" "$PY" scripts/bench_vips.py time "$file" "$RUNS")
    vips_rss=$(VIPS_CONCURRENCY=1 "$PY" scripts/bench_vips.py rss "$file")
    # Progressive files again with every scan decoded, and the preview quality of both ways.
    exact=null
    quality=null
    if [ "$kind" = progressive ]; then
        exact=$(GLIBC_TUNABLES="$TUNABLES" "${pin[@]}" "$BIN" time "$file" "$RUNS" exact)
    fi
    if [ "$kind" != png ]; then
        quality=$("$BIN" quality "$file")
    fi
    printf '{"kind":"%s","ours":%s,"ours_rss":%s,"vips":%s,"vips_rss":%s,"exact":%s,"quality":%s}\n' \
        "$kind" "$ours" "$ours_rss" "$vips" "$vips_rss" "$exact" "$quality" >> "$results"
    echo "   $kind $file"
done < "$DATA/files.txt"

"$PY" - "$results" "$RUNS" "${pin[*]:-}" <<'EOF'
import json, os, platform, sys

rows = [json.loads(line) for line in open(sys.argv[1])]
runs, pin = sys.argv[2], sys.argv[3]

print()
print(f"| file | kind | MP | ours ms | ours MP/s | vips ms | vips MP/s | speed-up | ours peak RSS | vips peak RSS |")
print(f"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    o, v = r["ours"], r["vips"]
    name = o["file"].replace("bench-data/extract/usr/share/", "")
    print(f"| {name} | {r['kind']} | {o['megapixels']:.1f} | {o['median_ms']:.1f} | "
          f"{o['mp_per_s']:.1f} | {v['median_ms']:.1f} | {v['mp_per_s']:.1f} | "
          f"{v['median_ms'] / o['median_ms']:.2f}× | {r['ours_rss']['peak_rss_kib'] / 1024:.0f} MiB | "
          f"{r['vips_rss']['peak_rss_kib'] / 1024:.0f} MiB |")

print()
print("| set | files | MP | ours MP/s | vips MP/s | throughput ratio | median per-file ratio | minimum per-file ratio | ours max peak RSS | vips max peak RSS |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for kind in ("baseline", "progressive", "png", "webp"):
    subset = [r for r in rows if r["kind"] == kind]
    if not subset:
        continue
    mp = sum(r["ours"]["megapixels"] for r in subset)
    ours = mp / sum(r["ours"]["median_ms"] / 1000 for r in subset)
    vips = mp / sum(r["vips"]["median_ms"] / 1000 for r in subset)
    ratios = sorted(r["vips"]["median_ms"] / r["ours"]["median_ms"] for r in subset)
    rss = max(r["ours_rss"]["peak_rss_kib"] for r in subset) / 1024
    vrss = max(r["vips_rss"]["peak_rss_kib"] for r in subset) / 1024
    print(f"| {kind} | {len(subset)} | {mp:.0f} | {ours:.1f} | {vips:.1f} | {ours / vips:.2f}× | "
          f"{ratios[len(ratios) // 2]:.2f}× | {ratios[0]:.2f}× | {rss:.0f} MiB | {vrss:.0f} MiB |")
exacts = [r for r in rows if r.get("exact")]
if exacts:
    mp = sum(r["exact"]["megapixels"] for r in exacts)
    ours = mp / sum(r["exact"]["median_ms"] / 1000 for r in exacts)
    vips = mp / sum(r["vips"]["median_ms"] / 1000 for r in exacts)
    ratios = sorted(r["vips"]["median_ms"] / r["exact"]["median_ms"] for r in exacts)
    print(f"| progressive, every scan decoded | {len(exacts)} | {mp:.0f} | {ours:.1f} | {vips:.1f} | "
          f"{ours / vips:.2f}× | {ratios[len(ratios) // 2]:.2f}× | {ratios[0]:.2f}× | | |")
    print()
    print("Progressive files, fast (final AC refinement scans left out when shrunk ≥ 2×) against exact,"
          " with preview PSNR (dB; reference = full-size decode, Lanczos3 to the preview size):")
    print()
    print("| file | MP | fast ms | exact ms | vips ms | fast ratio | exact ratio | fast vs exact | exact vs ref | fast vs ref |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in exacts:
        o, e, v, q = r["ours"], r["exact"], r["vips"], r["quality"] or {}
        name = o["file"].replace("bench-data/extract/usr/share/", "")
        show = lambda x: "–" if x is None else f"{x:.1f}"
        print(f"| {name} | {o['megapixels']:.1f} | {o['median_ms']:.1f} | {e['median_ms']:.1f} | "
              f"{v['median_ms']:.1f} | {v['median_ms'] / o['median_ms']:.2f}× | "
              f"{v['median_ms'] / e['median_ms']:.2f}× | {show(q.get('fast_vs_exact_db'))} | "
              f"{show(q.get('exact_vs_reference_db'))} | {show(q.get('fast_vs_reference_db'))} |")
webps = [r for r in rows if r["kind"] == "webp" and r.get("quality")]
if webps:
    print()
    print("WebP preview PSNR (dB) against the reference (every pixel decoded, Lanczos3 to the preview size),"
          " scaled by libwebp / the reference through the same JPEG encode:")
    print()
    print("| file | scaled by libwebp | full decode |")
    print("|---|---:|---:|")
    for r in webps:
        q = r["quality"]
        print(f"| {os.path.basename(r['ours']['file'])} | {q['fast_vs_reference_db']} | {q['full_decode_vs_reference_db']} |")
jpegs = [r for r in rows if r["kind"] in ("baseline", "progressive")]
if jpegs:
    worst = min(jpegs, key=lambda r: r["vips"]["median_ms"] / r["ours"]["median_ms"])
    mp = sum(r["ours"]["megapixels"] for r in jpegs)
    ours = mp / sum(r["ours"]["median_ms"] / 1000 for r in jpegs)
    vips = mp / sum(r["vips"]["median_ms"] / 1000 for r in jpegs)
    print(f"\nEvery JPEG: {len(jpegs)} files, aggregate {ours / vips:.2f}×, minimum "
          f"{worst['vips']['median_ms'] / worst['ours']['median_ms']:.2f}× ({worst['ours']['file']})")
scaled = [r for r in rows if (r.get("quality") or {}).get("smallest_scale_vs_reference_db") is not None
          and (r.get("quality") or {}).get("fast_vs_reference_db") is not None]
if scaled:
    change = lambda r: r["quality"]["fast_vs_reference_db"] - r["quality"]["smallest_scale_vs_reference_db"]
    worst = min(scaled, key=change)
    print(f"\nPreview PSNR against the reference, the cheapest DCT scale against the smallest that fits"
          f" ({len(scaled)} JPEGs): worst change {change(worst):+.2f} dB ({worst['ours']['file']}), "
          f"mean {sum(map(change, scaled)) / len(scaled):+.2f} dB")
p20 = [r for r in rows if r["ours"]["file"].endswith("progressive-20mp.jpg")]
for r in p20:
    print(f"\n20 MP progressive: ours {r['ours']['median_ms']:.0f} ms, peak RSS "
          f"{r['ours_rss']['peak_rss_kib'] / 1024:.0f} MiB; vips {r['vips']['median_ms']:.0f} ms, "
          f"peak RSS {r['vips_rss']['peak_rss_kib'] / 1024:.0f} MiB")
print(f"\nmachine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
      f"load average {os.getloadavg()[0]:.2f}; pinned: {pin or 'no'}; runs per file: {runs}")
print(f"command: RUNS={runs} scripts/bench.sh")
EOF
