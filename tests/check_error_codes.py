#!/usr/bin/env python3
"""Fails when a diagnostic code used in the sources has no row in
docs/language.md's table or no page in docs/errors/ (tools/gen_error_pages.py
writes the pages), or when a page or row names a code nothing uses."""
import pathlib, re, sys

root = pathlib.Path(sys.argv[1])
used = set()
for folder in ("lang", "runtime"):
    for path in (root / folder).rglob("*"):
        if path.suffix in (".cpp", ".hpp"):
            used |= set(re.findall(r'"(E\d{4})"', path.read_text()))
table = set(re.findall(r"^\| (E\d{4}) \|", (root / "docs/language.md").read_text(), re.M))
pages = {p.stem for p in (root / "docs/errors").glob("E*.md")}
problems = [f"{c}: used in the sources, missing from docs/language.md's table" for c in sorted(used - table)]
problems += [f"{c}: used in the sources, no page in docs/errors/" for c in sorted(used - pages)]
problems += [f"{c}: documented but never used" for c in sorted((table | pages) - used)]
for p in problems:
    print(p)
print(f"error codes: {len(used)} used, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
