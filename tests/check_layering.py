#!/usr/bin/env python3
"""Fails when an #include crosses a layer the wrong way, or when a widely
included header pulls in a heavy template library.

Layers: lang and stdlib use nothing of ours; runtime uses both. lang may not
see Boost.Units or toml++; stdlib may not see PEGTL or toml++. Public headers of
runtime and lang stay light: PEGTL, Boost.Units, toml++ and nlohmann-json appear
only in the .cpp files (and the one binding header) that need them; a header in
runtime/lsp/ may name nlohmann's types through <nlohmann/json_fwd.hpp> only.

Inside runtime, each folder is a layer (RUNTIME_ORDER, lowest first) and may
include only from itself and the folders before it. Every #include "..." is
resolved the way the compiler does (beside the file first, then the include
directories), so relative includes are checked too; a public header
(runtime/include/ironlaw/runtime/FOLDER/x.hpp) belongs to FOLDER. An include
that resolves to no file is reported, so the check cannot pass by not seeing."""
import pathlib, re, sys

root = pathlib.Path(sys.argv[1]).resolve()
include = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)

rules = {
    "lang": ["ironlaw/runtime/", "ironlaw/stdlib/", "boost/units", "toml++"],
    "stdlib": ["ironlaw/lang/", "ironlaw/runtime/", "tao/pegtl", "toml++"],
}
heavy = ["tao/pegtl", "boost/units", "toml++", "nlohmann/json.hpp", "ironlaw/stdlib/units.hpp"]
light_headers = ["lang/include", "runtime/include"]
allowed_heavy = {"runtime/include/ironlaw/runtime/bind/bind_units.hpp"}
RUNTIME_ORDER = ["io", "interp", "bind", "report", "validate", "calibrate", "search", "program", "lsp", "app"]
include_dirs = ["lang/include", "stdlib/include", "runtime/include"]
generated = ("ironlaw/embedded_", "ironlaw/error_docs")  # written by the build

problems = []


def sources(folder):
    return [p for p in (root / folder).rglob("*") if p.suffix in (".hpp", ".cpp")]


def includes(path):
    return include.findall(path.read_text(errors="replace"))


for layer, banned in rules.items():
    for path in sources(layer):
        for _, inc in includes(path):
            if any(inc.startswith(b) for b in banned):
                problems.append(f"{path.relative_to(root)}: {layer} must not include <{inc}>")
for folder in light_headers:
    for path in (root / folder).rglob("*.hpp"):
        rel = str(path.relative_to(root))
        if rel in allowed_heavy:
            continue
        for _, inc in includes(path):
            if any(inc.startswith(h) for h in heavy):
                problems.append(f"{rel}: a public header must not include <{inc}> (keep heavy templates in .cpp files)")
# nlohmann-json's full header is only for .cpp files, wherever the header lives.
for path in (root / "runtime").rglob("*.hpp"):
    for _, inc in includes(path):
        if inc == "nlohmann/json.hpp":
            problems.append(f"{path.relative_to(root)}: a header must not include <nlohmann/json.hpp> (use json_fwd.hpp)")


def runtime_folder(path):
    """The runtime layer a file belongs to, or None outside runtime."""
    rel = path.relative_to(root).parts
    if rel[0] != "runtime":
        return None
    if rel[1] == "include":  # runtime/include/ironlaw/runtime/FOLDER/x.hpp
        return rel[4] if len(rel) > 5 else "(root)"
    return rel[1] if len(rel) > 2 else "(root)"


def resolve(path, quote, inc):
    if quote == '"':
        beside = (path.parent / inc).resolve()
        if beside.is_file():
            return beside
    for d in include_dirs:
        candidate = (root / d / inc).resolve()
        if candidate.is_file():
            return candidate
    return None


edges = {}
for path in sources("runtime"):
    here = runtime_folder(path)
    rel = path.relative_to(root)
    if here not in RUNTIME_ORDER:
        problems.append(f"{rel}: runtime files live in one of the layer folders {RUNTIME_ORDER}")
        continue
    for quote, inc in includes(path):
        target = resolve(path, quote, inc)
        if target is None:
            if quote == '"' and not inc.startswith(generated):
                problems.append(f"{rel}: #include \"{inc}\" resolves to no file")
            continue
        try:
            target.relative_to(root / "runtime")
        except ValueError:
            continue  # lang, stdlib or a system header
        there = runtime_folder(target)
        if there == here:
            continue
        edges.setdefault((here, there), str(rel))
        if there not in RUNTIME_ORDER or RUNTIME_ORDER.index(there) > RUNTIME_ORDER.index(here):
            problems.append(f"{rel}: runtime/{here} must not include {inc} (runtime/{there} is a higher layer)")

# The folder graph must be acyclic; with the order above it is, but say so
# from the edges themselves, so a change to RUNTIME_ORDER cannot hide a cycle.
graph = {}
for (a, b) in edges:
    graph.setdefault(a, set()).add(b)
state = {}


def visit(node, trail):
    state[node] = 1
    for nxt in sorted(graph.get(node, ())):
        if state.get(nxt) == 1:
            problems.append("runtime folder cycle: " + " -> ".join(trail + [node, nxt]))
        elif nxt not in state:
            visit(nxt, trail + [node])
    state[node] = 2


for node in sorted(graph):
    if node not in state:
        visit(node, [])

for p in problems:
    print(p)
print(f"layering: {len(problems)} problem(s); {len(edges)} include edges between runtime folders")
sys.exit(1 if problems else 0)
