#!/usr/bin/env python3
"""Checks two promises about the source tree, and says which file breaks one:

- no import cycle among a crate's modules, of any length (`a -> b -> c -> a`
  as much as `a -> b -> a`);
- no source file passes 300 lines, other than those listed in ALLOWED (with
  the reason).

The crates are the workspace's `members` (Cargo.toml), so a new crate is
covered without editing this file. Each crate target (the library, every
binary, test, bench and example) is read as the compiler reads it: from its
root file through its `mod` declarations (`#[path]` included), so `crate::`
means that target's root. An import of module `b` by module `a` is a path in
`a` (a `use` tree or a path in the code) that names `b` or an item of it:
`crate::b::…`, `super::…`, `self::…`, or a child module's own name (a
parent that calls `child::f` uses its child). What is not one:

- a module naming itself or one of its ancestors: what a parent shares with
  its children is a part of it, and the crate root is everyone's ancestor;
- a parent's `mod child;` alone;
- anything in an item under `#[cfg(test)]` (a module's tests are a part of
  it), in a comment or in a string.

Inline `mod m { … }` blocks are a part of the file that holds them.

Run by `make lint`, after its own self-test (`--self-test` runs that alone; it
builds small crates in a temporary directory, one with a cycle and one
without). Exit 1 on a finding.
"""
import glob
import os
import re
import sys
import tempfile
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT = 300
# Files allowed past the limit, and why.
ALLOWED = {
    "tests/tests/template_names.rs": "one table-driven comparison of the template with the provisioning",
    "shared/imaging/src/decode/scans.rs": "one JPEG marker walk; its tests cut files at every byte",
    "shared/domain/src/settings.rs": "the settings with their defaults and validation, one struct per section",
}


# --- The workspace and its targets -----------------------------------------------------


def members(root):
    """The workspace members, in the order of Cargo.toml's `members` (globs expanded)."""
    with open(os.path.join(root, "Cargo.toml"), "rb") as f:
        workspace = tomllib.load(f).get("workspace", {})
    excluded = {os.path.normpath(e) for e in workspace.get("exclude", [])}
    out = []
    for pattern in workspace.get("members", []):
        found = sorted(glob.glob(os.path.join(root, pattern))) if glob.has_magic(pattern) else [os.path.join(root, pattern)]
        for path in found:
            rel = os.path.normpath(os.path.relpath(path, root))
            if rel not in out and rel not in excluded and os.path.isfile(os.path.join(path, "Cargo.toml")):
                out.append(rel)
    return out


def targets(crate_dir):
    """[(label, root file)] for one crate: its library, binaries, tests, benches and examples,
    as cargo finds them, and those its Cargo.toml names with a `path`."""
    found = []

    def add(label, path):
        path = os.path.normpath(path)
        if os.path.isfile(path) and all(path != p for _, p in found):
            found.append((label, path))

    def discover(kind, folder):
        base = os.path.join(crate_dir, folder)
        for path in sorted(glob.glob(os.path.join(base, "*.rs"))):
            add(f"{kind} {os.path.basename(path)[:-3]}", path)
        for path in sorted(glob.glob(os.path.join(base, "*", "main.rs"))):
            add(f"{kind} {os.path.basename(os.path.dirname(path))}", path)

    with open(os.path.join(crate_dir, "Cargo.toml"), "rb") as f:
        manifest = tomllib.load(f)
    lib = manifest.get("lib", {})
    add("lib", os.path.join(crate_dir, lib.get("path", "src/lib.rs")))
    for key, kind in (("bin", "bin"), ("test", "test"), ("bench", "bench"), ("example", "example")):
        for target in manifest.get(key, []):
            if "path" in target:
                add(f"{kind} {target.get('name', '?')}", os.path.join(crate_dir, target["path"]))
    add(f"bin {manifest.get('package', {}).get('name', '?')}", os.path.join(crate_dir, "src", "main.rs"))
    discover("bin", os.path.join("src", "bin"))
    discover("test", "tests")
    discover("bench", "benches")
    discover("example", "examples")
    return found


# --- Reading Rust: tokens without comments, strings or lifetimes ----------------------

IDENT = re.compile(r"(?:r#)?([A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_\u0080-\U0010ffff]*)")
RAW_STRING = re.compile(r'(?:br|cr|r)(#*)"')
NUMBER = re.compile(r"[0-9][0-9A-Za-z_]*")


def lex(text):
    """[(kind, value, line)]: kind "id" (identifiers and keywords), "str" (a string's
    contents) or "p" (punctuation, `::` as one token). Comments, numbers, character
    literals and lifetimes are left out."""
    out = []
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            depth = 0
            while i < n:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                    if depth == 0:
                        break
                else:
                    line += text[i] == "\n"
                    i += 1
        elif (m := RAW_STRING.match(text, i)) is not None:
            end = text.find('"' + m.group(1), m.end())
            end = n if end < 0 else end
            value = text[m.end():end]
            out.append(("str", value, line))
            line += value.count("\n")
            i = end + 1 + len(m.group(1))
        elif c == '"' or (c in "bc" and text.startswith('"', i + 1)):
            j = start = i + (1 if c == '"' else 2)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            value = text[start:j]
            out.append(("str", value, line))
            line += value.count("\n")
            i = j + 1
        elif c == "'" or (c == "b" and text.startswith("'", i + 1)):
            j = i + (1 if c == "'" else 2)
            if text.startswith("\\", j):  # an escaped character: '\n', '\'', '\u{..}'
                end = text.find("'", j + 2)
                i = n if end < 0 else end + 1
            elif text.startswith("'", j + 1):  # a character: 'x'
                i = j + 2
            else:  # a lifetime or a label
                m = IDENT.match(text, j)
                i = m.end() if m else j
        elif (m := IDENT.match(text, i)) is not None:
            out.append(("id", m.group(1), line))
            i = m.end()
        elif c.isdigit():
            i = NUMBER.match(text, i).end()
        elif text.startswith("::", i):
            out.append(("p", "::", line))
            i += 2
        else:
            out.append(("p", c, line))
            i += 1
    return out


OPEN, CLOSE = "([{", ")]}"


def closing(toks, i):
    """The index of the bracket that closes the one at `i`."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][0] == "p" and toks[j][1] in OPEN:
            depth += 1
        elif toks[j][0] == "p" and toks[j][1] in CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def item_end(toks, i):
    """The index of the last token of the item (or statement) starting at `i`."""
    depth = 0
    for j in range(i, len(toks)):
        kind, v, _ = toks[j]
        if kind != "p":
            continue
        if v in OPEN:
            depth += 1
        elif v in CLOSE:
            depth -= 1
            if depth < 0:
                return j - 1
            if depth == 0 and v == "}":
                return j
        elif v == ";" and depth == 0:
            return j
    return len(toks) - 1


PATH_START = ("crate", "super", "self")


def use_tree(toks, i, prefix):
    """The paths of the use tree at `i`, below `prefix`; and the index after it."""
    segs, paths = list(prefix), []
    while i < len(toks):
        kind, v, _ = toks[i]
        if kind == "id":
            segs.append(v)
            i += 1
            if i < len(toks) and toks[i][1] == "::":
                i += 1
                continue
            if i < len(toks) and toks[i][1] == "as":
                i += 2
            paths.append(segs)
            return paths, i
        if v == "*":
            paths.append(segs)
            return paths, i + 1
        if v == "{":
            i += 1
            while i < len(toks) and toks[i][1] != "}":
                sub, i = use_tree(toks, i, segs)
                paths += sub
                if i < len(toks) and toks[i][1] == ",":
                    i += 1
            return paths, i + 1
        if v == "::":
            i += 1
            continue
        return paths, i
    return paths, i


def starts_path(toks, i):
    """Whether a path of two segments or more starts at `i` (`a::b`, not the `b` of it)."""
    return (
        toks[i][0] == "id"
        and i + 1 < len(toks)
        and toks[i + 1][1] == "::"
        and (i == 0 or toks[i - 1][1] != "::")
    )


def path_at(toks, i):
    """The segments of the path starting at `i`, and the index after it."""
    segs, j = [toks[i][1]], i + 1
    while j + 1 < len(toks) and toks[j][1] == "::" and toks[j + 1][0] == "id":
        segs.append(toks[j + 1][1])
        j += 2
    return segs, j


def code_paths(toks):
    """[(segments, line)] of the paths in `toks` (an attribute's)."""
    out, i = [], 0
    while i < len(toks):
        if starts_path(toks, i):
            segs, j = path_at(toks, i)
            out.append((segs, toks[i][2]))
            i = j
        else:
            i += 1
    return out


def parse(text):
    """What one file says about modules: its `mod name;` declarations
    [(inline path, name, #[path] or None, line)], its inline modules [inline path], and the
    paths it names outside `#[cfg(test)]` items [(inline path, segments, line)]. An inline
    path is the chain of inline `mod m { … }` blocks around a token, () at the file's top."""
    toks = lex(text)
    decls, inline, refs = [], [], []
    scopes = []  # [(name, brace depth inside it)]
    depth, gated_until = 0, -1
    pending_test, pending_path, pending_refs = False, None, []
    i = 0
    while i < len(toks):
        kind, v, line = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "", 0)
        scope = tuple(name for name, _ in scopes)
        if kind == "p" and v == "#":
            j = i + 1 + (nxt[1] == "!")
            if j < len(toks) and toks[j][1] == "[":
                k = closing(toks, j)
                body = toks[j + 1:k]
                if j == i + 1:  # an outer attribute: it is about the next item
                    if [t[1] for t in body] == ["cfg", "(", "test", ")"]:
                        pending_test = True
                    if len(body) == 3 and body[0][1] == "path" and body[1][1] == "=" and body[2][0] == "str":
                        pending_path = body[2][1]
                # Paths in an attribute's arguments (`#[utoipa::path(body = crate::views::X)]`)
                # are the code's: they count unless the item is only for tests.
                pending_refs += [(scope, segs, at) for segs, at in code_paths(body)]
                i = k + 1
                continue
        if pending_test:
            gated_until = max(gated_until, item_end(toks, i))
            pending_test = False
        gated = i <= gated_until
        if not gated:
            refs += pending_refs
        pending_refs = []
        if kind == "id" and v == "pub" and nxt[1] == "(":  # pub(crate), pub(in crate::a)
            i = closing(toks, i + 1) + 1
            continue
        if kind == "id" and v == "mod" and nxt[0] == "id" and i + 2 < len(toks):
            after = toks[i + 2][1]
            if after == ";":
                decls.append((scope, nxt[1], pending_path, line))
                pending_path = None
                i += 3
                continue
            if after == "{":
                inline.append(scope + (nxt[1],))
                depth += 1
                scopes.append((nxt[1], depth))
                pending_path = None
                i += 3
                continue
        if kind == "id" and v == "use":
            end = item_end(toks, i)
            paths, _ = use_tree(toks[:end], i + 1, [])
            if not gated:
                refs += [(scope, segs, line) for segs in paths if segs]
            i = end + 1
            continue
        if starts_path(toks, i):
            segs, j = path_at(toks, i)
            if not gated:
                refs.append((scope, segs, line))
            i = j
            continue
        if kind == "p" and v == "{":
            depth += 1
            pending_path = None
        elif kind == "p" and v == "}":
            if scopes and scopes[-1][1] == depth:
                scopes.pop()
            depth -= 1
            pending_path = None
        elif kind == "p" and v == ";":
            pending_path = None
        i += 1
    return decls, inline, refs


# --- Module trees, imports and cycles --------------------------------------------------


def module_tree(root_file):
    """{module path: file} from a target's root through its `mod` declarations; {module
    path, inline ones too: the file module it is in}; {file module: the paths it names}."""
    files, owner, named = {}, {}, {}
    queue = [((), root_file, os.path.dirname(root_file))]
    while queue:
        mod, file, child_dir = queue.pop(0)
        if mod in files or file in files.values():
            continue
        files[mod], owner[mod] = file, mod
        with open(file, encoding="utf-8") as f:
            decls, inline, refs = parse(f.read())
        for path in inline:
            owner[mod + path] = mod
        named[mod] = refs
        for path, name, path_attr, _ in decls:
            if path_attr is not None:
                base = os.path.join(child_dir, *path) if path else os.path.dirname(file)
                candidates = [os.path.normpath(os.path.join(base, path_attr))]
            else:
                base = os.path.join(child_dir, *path)
                candidates = [os.path.join(base, name + ".rs"), os.path.join(base, name, "mod.rs")]
            for candidate in candidates:
                if os.path.isfile(candidate):
                    # A mod.rs, or a file named by #[path], holds its children beside it.
                    own_dir = path_attr is not None or os.path.basename(candidate) == "mod.rs"
                    inner = os.path.dirname(candidate) if own_dir else os.path.join(os.path.dirname(candidate), name)
                    queue.append((mod + path + (name,), candidate, inner))
                    break
    return files, owner, named


def resolve(scope, segs, known):
    """The module (file or inline) that the path `segs`, written in module `scope`, names or
    names an item of; None when it is outside the crate."""
    first = segs[0]
    if first == "crate":
        base, rest = (), segs[1:]
    elif first == "super":
        ups = next((i for i, seg in enumerate(segs) if seg != "super"), len(segs))
        if ups > len(scope):
            return None
        base, rest = scope[: len(scope) - ups], segs[ups:]
    elif first == "self":
        base, rest = scope, segs[1:]
    elif scope + (first,) in known:
        base, rest = scope, segs
    else:
        return None
    mod = base
    for seg in rest:
        if seg == "self":
            continue
        if mod + (seg,) not in known:
            break
        mod += (seg,)
    return mod


def import_graph(root_file):
    """{file module: {imported file module: (file, line, path)}} for one target, and its files."""
    files, owner, named = module_tree(root_file)
    known = set(owner)
    graph = {mod: {} for mod in files}
    for mod, refs in named.items():
        for path, segs, line in refs:
            target = resolve(mod + path, segs, known)
            if target is None:
                continue
            target = owner[target]
            if mod[: len(target)] == target:  # itself, or an ancestor
                continue
            shown = "::".join(seg for k, seg in enumerate(segs) if k == 0 or seg != "self")
            graph[mod].setdefault(target, (files[mod], line, shown))
    return graph, files


def strongly_connected(graph):
    """Tarjan's strongly connected components with more than one module, each sorted."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def shortest_cycle(graph, start, component):
    """The shortest cycle from `start` back to it within `component`: [start, …, start]."""
    members = set(component)
    parents, frontier = {start: None}, [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v]):
                if w == start:
                    path = [v]
                    while parents[path[-1]] is not None:
                        path.append(parents[path[-1]])
                    return path[::-1] + [start]
                if w in members and w not in parents:
                    parents[w] = v
                    following.append(w)
        frontier = following
    return None


def cycles(graph):
    """Cycles that, together, pass through every module of every strongly connected
    component: the shortest through each module not yet on a reported one."""
    out = []
    for component in strongly_connected(graph):
        covered = set()
        for start in component:
            if start in covered:
                continue
            cycle = shortest_cycle(graph, start, component)
            covered.update(cycle)
            out.append(cycle)
    return out


def name(mod):
    return "::".join(mod) or "crate"


def cycle_findings(root, crates):
    findings, seen = [], set()
    for crate in crates:
        for label, root_file in targets(os.path.join(root, crate)):
            graph, files = import_graph(root_file)
            for cycle in cycles(graph):
                key = frozenset(files[m] for m in cycle)
                if key in seen:  # the same files in another target (a shared test module)
                    continue
                seen.add(key)
                lines = [f"{crate} ({label}): import cycle {' -> '.join(name(m) for m in cycle)}"]
                for a, b in zip(cycle, cycle[1:]):
                    file, line, path = graph[a][b]
                    lines.append(f"    {os.path.relpath(file, root)}:{line}: {name(a)} uses {name(b)} ({path})")
                findings.append("\n".join(lines))
    return findings


# --- File lengths ----------------------------------------------------------------------


def length_findings(root, crates, allowed):
    findings = []
    for crate in crates:
        for dirpath, _, files in sorted(os.walk(os.path.join(root, crate))):
            if "/target" in dirpath:
                continue
            for f in sorted(files):
                if f.endswith(".rs"):
                    p = os.path.join(dirpath, f)
                    rel = os.path.relpath(p, root)
                    with open(p, encoding="utf-8") as fh:
                        n = sum(1 for _ in fh)
                    if n > LIMIT and rel not in allowed:
                        findings.append(f"{rel}: {n} lines (split it, or add it to ALLOWED with the reason)")
    return findings


def check(root, allowed):
    crates = members(root)
    return cycle_findings(root, crates) + length_findings(root, crates, allowed)


# --- Self-test -------------------------------------------------------------------------

SELF_TEST = {
    "Cargo.toml": '[workspace]\nmembers = ["three", "nested/*"]\n',
    # a -> b -> c -> a, through `use crate::{…}`, a `super::` path in an attribute, and a
    # path after #[cfg(test)] items (which must not hide the rest of the file).
    "three/Cargo.toml": '[package]\nname = "three"\n',
    "three/src/lib.rs": "mod a;\nmod b;\nmod c;\n",
    "three/src/a.rs": "use crate::{b::{self, B}, Other};\npub fn a() -> B { b::B }\n",
    "three/src/b.rs": "pub struct B;\n#[attr(body = super::c::C)]\npub fn b() {}\n",
    "three/src/c.rs": (
        "pub struct C;\n"
        "#[cfg(test)]\nmod tests {\n    use super::*;\n}\n\n"
        "#[cfg(test)]\nfn only_in_tests() {}\n\n"
        "pub fn c() {\n    crate::a::a();\n}\n"
    ),
    # A parent dispatching to a child that reaches back to the parent's user:
    # render -> decode -> decode::webp -> render (the child's name alone, in `decode`).
    "nested/dispatch/Cargo.toml": '[package]\nname = "dispatch"\n',
    "nested/dispatch/src/lib.rs": "mod decode;\nmod render;\n",
    "nested/dispatch/src/render.rs": "use crate::decode::{self, Rgb};\npub fn fit() {}\n",
    "nested/dispatch/src/decode.rs": "mod webp;\npub struct Rgb;\npub fn decode() { webp::decode() }\n",
    "nested/dispatch/src/decode/webp.rs": "use super::Rgb;\nuse crate::render::fit;\npub fn decode() { fit() }\n",
    # No cycle, however much it looks like one to a reader of text.
    "nested/clean/Cargo.toml": '[package]\nname = "clean"\n\n[[bin]]\nname = "tool"\npath = "src/tool.rs"\n',
    "nested/clean/src/lib.rs": (
        "//! Links to [`crate::b::B`] and [`crate::a`].\n"
        "mod a;\nmod b;\n#[cfg(test)]\nmod tests;\n"
        "pub use a::f;\npub fn root() { b::g() }\n"
    ),
    # A parent and a child that use each other: the child's use of its parent is not an edge.
    "nested/clean/src/a.rs": "mod child;\nuse crate::b::B;\npub fn f() -> B { child::g() }\npub(crate) fn helper() {}\n",
    "nested/clean/src/a/child.rs": "use super::helper;\npub(in crate::a) fn g() -> crate::b::B { helper(); crate::b::B }\n",
    "nested/clean/src/b.rs": (
        "/// Not [`crate::a::f`]; nor /* crate::a */ this.\n"
        "pub struct B;\n"
        "/* block comment: use crate::a;\n   /* nested */ crate::a::f() */\n"
        "const S: &str = \"use crate::a::f; \\\" crate::a::f\";\n"
        "const R: &str = r#\"crate::a::f \"quoted\" \"#;\n"
        "const Q: char = '\"';\n"
        "fn l<'a>(x: &'a str) -> &'a str { x }\n"
        "pub fn g() {}\n"
        "#[cfg(test)]\n#[attr(crate::a::f)]\nfn only_in_tests() {}\n"
        "#[cfg(test)]\nmod tests {\n    use super::*;\n    use crate::a::f;\n    #[test]\n    fn t() { crate::a::f(); }\n}\n"
    ),
    # The crate's tests (a #[cfg(test)] `mod tests;`) may use anything: nothing uses them.
    "nested/clean/src/tests.rs": "use crate::{a, b};\n",
    # A binary has its own tree: its `crate::` is not the library's.
    "nested/clean/src/tool.rs": "mod a;\nfn main() { a::f(); }\n",
    "nested/clean/tests/it.rs": '#[path = "it/helpers.rs"]\nmod helpers;\nmod more;\nfn t() { helpers::h() }\n',
    "nested/clean/tests/it/helpers.rs": "pub fn h() { crate::more::m() }\n",
    "nested/clean/tests/more.rs": "pub fn m() {}\n",
    "nested/clean/src/long.rs": "\n" * (LIMIT + 1),
}
SELF_TEST_EXPECTED = [
    "three (lib): import cycle a -> b -> c -> a\n"
    "    three/src/a.rs:1: a uses b (crate::b)\n"
    "    three/src/b.rs:2: b uses c (super::c::C)\n"
    "    three/src/c.rs:11: c uses a (crate::a::a)",
    "nested/dispatch (lib): import cycle decode -> decode::webp -> render -> decode\n"
    "    nested/dispatch/src/decode.rs:3: decode uses decode::webp (webp::decode)\n"
    "    nested/dispatch/src/decode/webp.rs:2: decode::webp uses render (crate::render::fit)\n"
    "    nested/dispatch/src/render.rs:1: render uses decode (crate::decode)",
    f"nested/clean/src/long.rs: {LIMIT + 1} lines (split it, or add it to ALLOWED with the reason)",
]


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in SELF_TEST.items():
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        got = check(tmp, allowed={})
    if got != SELF_TEST_EXPECTED:
        print("check-modules: self-test failed; expected:", file=sys.stderr)
        for line in SELF_TEST_EXPECTED:
            print("  " + line.replace("\n", "\n  "), file=sys.stderr)
        print("got:", file=sys.stderr)
        for line in got:
            print("  " + line.replace("\n", "\n  "), file=sys.stderr)
        return False
    return True


def main():
    if not self_test():
        sys.exit(1)
    if sys.argv[1:] == ["--self-test"]:
        print("check-modules: self-test ok")
        return
    if sys.argv[1:]:
        sys.exit(f"usage: {sys.argv[0]} [--self-test]")
    bad = check(ROOT, ALLOWED)
    for b in bad:
        print(f"check-modules: {b}", file=sys.stderr)
    if bad:
        sys.exit(1)
    print(f"check-modules: ok (no import cycle among a crate's modules; files within {LIMIT} lines)")


if __name__ == "__main__":
    main()
