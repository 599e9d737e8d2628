#!/usr/bin/env python3
"""Checks two promises about the source tree, and says which file breaks one:

- no module imports a module that imports it (per crate, at file level:
  `use crate::a::b`, `use super::x` and inline `crate::a::b::` paths count;
  a parent's `mod child;` does not);
- no source file passes 300 lines, other than those listed in ALLOWED (with
  the reason).

Run by `make lint`. Exit 1 on a finding.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["shared/domain", "shared/usecases", "shared/adapters", "shared/imaging",
          "functions/api", "functions/upload-finalise", "functions/classify", "infra/local-runner", "tests"]
LIMIT = 300
# Files allowed past the limit, and why.
ALLOWED = {
    "tests/tests/template_names.rs": "one table-driven comparison of the template with the provisioning",
    "shared/imaging/src/decode/scans.rs": "one JPEG marker walk; its tests cut files at every byte",
    "shared/domain/src/settings.rs": "the settings with their defaults and validation, one struct per section",
}


def modules(src):
    """{module path tuple: file} for one crate's src/ (or tests/)."""
    out = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            out[tuple(parts)] = os.path.join(dirpath, f)
    return out


def resolve(path, mods):
    """The longest known module prefix of `path`."""
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in mods:
            return tuple(path[:n])
    return None


def edges(mod, file, mods):
    text = open(file).read()
    text = re.sub(r"//.*", "", text)
    # Tests of a module are a part of it, not a module importing it.
    text = re.split(r"#\[cfg\(test\)\]", text)[0]
    out = set()
    for m in re.finditer(r"\bcrate::((?:\w+::)*\w+)", text):
        t = resolve(m.group(1).split("::"), mods)
        if t is not None:
            out.add(t)
    for m in re.finditer(r"\b((?:super::)+)((?:\w+::)*\w+|\{[^}]*\}|\*)", text):
        ups = m.group(1).count("super::")
        base = list(mod)
        is_dir_mod = os.path.basename(file) in ("mod.rs", "lib.rs", "main.rs")
        # `super` of a file module is its parent; of a mod.rs, the parent's parent.
        base = base[: len(base) - ups] if not is_dir_mod else base[: len(base) - ups]
        rest = m.group(2)
        names = [rest] if not rest.startswith("{") else [x.strip() for x in rest[1:-1].split(",")]
        for name in names:
            path = base + [p for p in name.split("::") if p and p != "*" and p != "self"]
            t = resolve(path, mods) or (tuple(base) if tuple(base) in mods else None)
            if t is not None:
                out.add(t)
    out.discard(mod)
    return out


def main():
    bad = []
    for crate in CRATES:
        for src in [os.path.join(ROOT, crate, "src")] + ([os.path.join(ROOT, crate, "tests")] if crate != "tests" else []):
            if not os.path.isdir(src):
                continue
            mods = modules(src)
            graph = {m: edges(m, f, mods) for m, f in mods.items()}
            for a, outs in graph.items():
                for b in outs:
                    if a < b and a in graph.get(b, ()):
                        bad.append(f"{crate}: {'::'.join(a) or 'crate'} and {'::'.join(b) or 'crate'} import each other")
    for crate in CRATES:
        for dirpath, _, files in os.walk(os.path.join(ROOT, crate)):
            if "/target" in dirpath:
                continue
            for f in files:
                if f.endswith(".rs"):
                    p = os.path.join(dirpath, f)
                    rel = os.path.relpath(p, ROOT)
                    n = sum(1 for _ in open(p))
                    if n > LIMIT and rel not in ALLOWED:
                        bad.append(f"{rel}: {n} lines (split it, or add it to ALLOWED with the reason)")
    for b in bad:
        print(f"check-modules: {b}", file=sys.stderr)
    if bad:
        sys.exit(1)
    print("check-modules: ok (no module pair imports each other; files within 300 lines)")


if __name__ == "__main__":
    main()
