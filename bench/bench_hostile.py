#!/usr/bin/env python3
"""Times every hostile input of the golden suite (tests/golden/hostile/*.gen)
through the command its case names: the issue's bar is under a second for a
1 MB input, for every phase.

usage: python3 bench/bench_hostile.py build/ironlaw [REPEATS]
Prints one row per case: input size, median wall time, exit code.
"""
import os
import pathlib
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

binary = os.path.abspath(sys.argv[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
root = pathlib.Path(__file__).resolve().parent.parent / "tests/golden/hostile"
rows = []
with tempfile.TemporaryDirectory() as scratch:
    for case in sorted(root.glob("*.gen")):
        first, body = case.read_text().split("\n", 1)
        data = eval(body)  # our own test file
        data = data.encode() if isinstance(data, str) else data
        pathlib.Path(scratch, "input.iron").write_bytes(data)
        words = shlex.split(first[len("# golden-args:"):])
        stdin = None
        if words[-1] == "{stdin}":
            words, stdin = words[:-1], data
        args = [binary] + [data.decode() if w == "{text}" else
                           w.replace("{input}", "input.iron").replace("{dir}", str(root)) for w in words]
        times, code = [], None
        for _ in range(repeats):
            start = time.perf_counter()
            r = subprocess.run(args, input=stdin, capture_output=True, cwd=scratch, timeout=120)
            times.append(time.perf_counter() - start)
            code = r.returncode
        rows.append((case.stem, len(data), statistics.median(times), code, " ".join(words)))

print(f"{'case':<22} {'input':>10} {'median s':>9} {'exit':>4}  command")
for name, size, t, code, command in rows:
    print(f"{name:<22} {size:>10,} {t:>9.3f} {code:>4}  {command}")
slow = [r for r in rows if r[2] > 1.0 and r[1] <= (1 << 20) * 1.5]
print(f"{len(rows)} cases; slowest {max(r[2] for r in rows):.3f} s; over 1 s at <= 1.5 MB: {len(slow)}")
sys.exit(1 if slow else 0)
