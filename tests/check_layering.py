#!/usr/bin/env python3
"""Fails when an #include crosses a layer the wrong way, or when a widely
included header pulls in a heavy template library.

Layers: lang and stdlib use nothing of ours; runtime uses both. lang may not
see Boost.Units or toml++; stdlib may not see PEGTL or toml++. Public headers of
runtime and lang stay light: PEGTL, Boost.Units and toml++ appear only in the
.cpp files (and the one binding header) that need them."""
import pathlib, re, sys

root = pathlib.Path(sys.argv[1])
include = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)

rules = {
    "lang": ["ironlaw/runtime/", "ironlaw/stdlib/", "boost/units", "toml++"],
    "stdlib": ["ironlaw/lang/", "ironlaw/runtime/", "tao/pegtl", "toml++"],
}
heavy = ["tao/pegtl", "boost/units", "toml++", "ironlaw/stdlib/units.hpp"]
light_headers = ["lang/include", "runtime/include"]
allowed_heavy = {"runtime/include/ironlaw/runtime/bind_units.hpp"}

problems = []
for layer, banned in rules.items():
    for path in (root / layer).rglob("*"):
        if path.suffix not in (".hpp", ".cpp"):
            continue
        for inc in include.findall(path.read_text()):
            if any(inc.startswith(b) for b in banned):
                problems.append(f"{path.relative_to(root)}: {layer} must not include <{inc}>")
for folder in light_headers:
    for path in (root / folder).rglob("*.hpp"):
        rel = str(path.relative_to(root))
        if rel in allowed_heavy:
            continue
        for inc in include.findall(path.read_text()):
            if any(inc.startswith(h) for h in heavy):
                problems.append(f"{rel}: a public header must not include <{inc}> (keep heavy templates in .cpp files)")

for p in problems:
    print(p)
print(f"layering: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
