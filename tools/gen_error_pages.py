#!/usr/bin/env python3
"""Writes docs/errors/EXXXX.md, one page per diagnostic code: its meaning (from
the code table in docs/language.md) and a real example (a golden test case
whose expected output contains that code: the input and the diagnostic).
Run it after adding a code or a golden case:  python3 tools/gen_error_pages.py"""
import pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
table = re.findall(r"^\| (E\d{4}) \| (.+?) \|$", (root / "docs/language.md").read_text(), re.M)
golden = sorted((root / "tests/golden").rglob("*.expected"))
out_dir = root / "docs/errors"
out_dir.mkdir(exist_ok=True)

def example(code):
    for expected in golden:
        text = expected.read_text()
        blocks = re.split(r"\n(?=\S+:\d+:\d+: error\[)", text.split("# stderr:\n", 1)[-1])
        for block in blocks:
            if f"error[{code}]" in block:
                source = next((p for p in expected.parent.glob(expected.stem + ".*")
                               if p.suffix in (".iron", ".eval", ".toml")), None)
                return source, block.strip()
    return None, None

for code, meaning in table:
    lines = [f"# {code}: {meaning}", ""]
    source, block = example(code)
    if source:
        kind = "ironlaw eval" if source.suffix == ".eval" else f"ironlaw {source.parent.name}"
        lines += ["## Example", "", f"`{kind}` on `tests/golden/{source.relative_to(root / 'tests/golden')}`:", "",
                  "```", source.read_bytes().decode("utf-8", "backslashreplace").rstrip(), "```", "", "prints", "", "```", block, "```", ""]
        help_line = re.search(r"= help: (.+)", block)
        if help_line:
            lines += ["## How to fix it", "", help_line.group(1)[0].upper() + help_line.group(1)[1:], ""]
    lines += ["See `docs/language.md` for the construct involved, and `docs/units.md` for units.", ""]
    (out_dir / f"{code}.md").write_text("\n".join(lines))
print(f"{len(table)} pages written to {out_dir.relative_to(root)}")
