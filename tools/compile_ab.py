#!/usr/bin/env python3
"""Compares the CPU time of compiling the same files with different flags.

    tools/compile_ab.py BUILD_DIR FILE_SUFFIX[,FILE_SUFFIX...] NAME=FLAGS [NAME=FLAGS ...]

Takes each matching file's command from BUILD_DIR/compile_commands.json, appends
each variant's FLAGS (the last -O wins) and runs it once per variant, one after
the other, so both see the same load: on a shared machine, whole builds taken
at different times do not compare (docs/performance.md, "Build"). Prints user
plus system seconds per file and variant, then the totals. Example:

    tools/compile_ab.py build lang/parse.cpp,app/repl.cpp O3=-O3 O2=-O2 O3again=-O3
"""
import json
import os
import resource
import shlex
import subprocess
import sys


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    build_dir, suffixes = sys.argv[1], sys.argv[2].split(",")
    variants = [arg.split("=", 1) for arg in sys.argv[3:]]
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        commands = json.load(f)
    totals = {name: 0.0 for name, _ in variants}
    for entry in commands:
        if not any(entry["file"].endswith(s) for s in suffixes):
            continue
        argv = shlex.split(entry["command"])
        argv = argv[:argv.index("-o")] + ["-o", os.devnull, "-c", entry["file"]]
        row = []
        for name, flags in variants:
            before = children_cpu_seconds()
            subprocess.run(argv + shlex.split(flags), cwd=entry["directory"], check=True)
            seconds = children_cpu_seconds() - before
            totals[name] += seconds
            row.append(f"{name} {seconds:.2f}")
        print(os.path.relpath(entry["file"]), " ".join(row), flush=True)
    print("TOTAL", " ".join(f"{name} {seconds:.1f}" for name, seconds in totals.items()))


if __name__ == "__main__":
    main()
