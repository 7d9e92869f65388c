#!/usr/bin/env python3
"""Writes a CTest include file with one test per Catch2 test case.

CMake's catch_discover_tests passes names through CMake lists, so a name with
`;` or an unbalanced `[` or `]` became a wrong entry that ran no test and
passed. Here each name is written as a bracket argument (no list splitting),
the Catch test spec escapes its special characters, and `--warn NoTests`
makes an entry that matches nothing fail.

usage: register_catch_tests.py BINARY PREFIX OUTPUT
"""
import os
import subprocess
import sys


def catch_spec(name: str) -> str:
    """The name as a Catch2 v2 test spec that matches exactly that name."""
    out = []
    for c in name:
        if c in "\\,[]\"*~":
            out.append("\\")
        out.append(c)
    return "".join(out)


def bracket(text: str) -> str:
    """A CMake bracket argument that holds `text` verbatim."""
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    return f"[{eq}[{text}]{eq}]"


def main() -> int:
    binary, prefix, output = sys.argv[1:4]
    listed = subprocess.run([binary, "--list-test-names-only"], capture_output=True, text=True, check=False)
    names = [line for line in listed.stdout.splitlines() if line.strip()]
    if not names:
        sys.stderr.write(f"{binary} lists no test cases\n{listed.stderr}")
        return 1
    lines = []
    for name in names:
        # CTest names must not hold `;` (CTest's own -R/-E lists); the command gets the exact name.
        test = prefix + name.replace(";", ",")
        lines.append(f"add_test({bracket(test)} {bracket(binary)} {bracket(catch_spec(name))} --warn NoTests)")
    lines.append("")
    with open(output + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(output + ".tmp", output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
