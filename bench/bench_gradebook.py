#!/usr/bin/env python3
"""Grades a gradebook of 1,000 submissions, 10 % of them hostile, and times it
(issue 19: "grade in minutes, not hours").

usage: python3 bench/bench_gradebook.py build/ironlaw [--time-limit S] [--count N]

The 900 ordinary submissions are right, partly right or wrong answers to
tests/data/grading/hw.iron; the 100 hostile ones are ten each of: six design
searches that run past the time limit, sixty million-value lists (memory), 100,000
nested brackets, a 9 MiB file, a link to /etc/passwd, a FIFO, a directory,
bytes that are not UTF-8, a file whose name is a spreadsheet formula, and a
file whose name is not UTF-8 (Latin-1). Prints the wall time, the time per kind of
submission (from a second run per kind), and checks the gradebook: one row
per file, each hostile row's status, no formula cell, nothing from
/etc/passwd. Exits 1 when a check fails.
"""
import argparse, collections, csv, io, os, pathlib, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--time-limit", default="10")
parser.add_argument("--count", type=int, default=1000)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
root = pathlib.Path(__file__).resolve().parent.parent
assignment = root / "tests/data/grading/hw.iron"

RIGHT = ("answers {\n  q1 = 109\n  q2 = memory\n  q3 = 400 GB/s\n  q4 = [A100_80GB, L40S, A10]\n"
         "  q5 = 3.14e23 FLOP\n  q6 = 0.551 s\n  q7 = 295 FLOP/B\n}\n")
PARTLY = "answers {\n  q2 = memory\n  q3 = 0.4 TB/s\n  q4 = [A100_80GB, L40S]\n}\n"
WRONG = "answers {\n  q1 = 7\n  q2 = compute\n  q3 = 3.2 Tb/s\n}\n"
# Six designs of 90,000 points each (about 2 s of CPU each; --max-points
# allows 100,000 per design): past the default 10 s limit.
SLOW = ("workload w = serving { model = Llama3_8B, rate = 10 req/s, prompt = 512 tokens, output = 128 tokens }\n"
        + "".join(f"design big{d} = serving_fleet(w, accelerator = H100_SXM, region = Quebec, price_per_gpu = {d + 1} USD)"
                  " over {\n  batch in 1 .. 300\n  spare_nodes in 0 .. 299\n}\n" for d in range(6)) + RIGHT)
MEMORY = "".join(f"let big{i} = 1 .. 1000000\n" for i in range(60)) + RIGHT


def hostile(folder, kind, i):
    name = folder / f"{kind}-{i:03}.iron"
    if kind == "slow":
        name.write_text(SLOW)
    elif kind == "memory":
        name.write_text(MEMORY)
    elif kind == "nesting":
        name.write_text("answers { q1 = " + "(" * 100000 + " }\n")
    elif kind == "huge":
        name.write_bytes(b"#" * (9 << 20))
    elif kind == "link":
        os.symlink("/etc/passwd", name)
    elif kind == "fifo":
        os.mkfifo(name)
    elif kind == "directory":
        name.mkdir()
    elif kind == "not-utf8":
        name.write_bytes(b"answers {\n  q2 = \"\xff\xfe\"\n  q3 = 400 GB/s\n}\n")
    elif kind == "formula":
        (folder / f"=HYPERLINK(x{i:03}).iron").write_text(RIGHT)
    elif kind == "latin1-name":
        with open(os.path.join(os.fsencode(folder), b"caf\xe9-%03d.iron" % i), "w") as f:
            f.write(RIGHT)


KINDS = ["slow", "memory", "nesting", "huge", "link", "fifo", "directory", "not-utf8", "formula", "latin1-name"]
# A memory bomb under load may run out of time before it runs out of memory:
# either way it costs at most the time limit.
EXPECTED_STATUS = {"slow": "timed out", "memory": ("out of memory", "timed out"), "nesting": "does not parse", "huge": "unreadable",
                   "link": "not graded: a symbolic link", "fifo": "not graded: not a regular file",
                   "directory": "not graded: a directory", "not-utf8": "does not parse", "formula": "graded",
                   "latin1-name": "graded"}


def grade(folder):
    started = time.monotonic()
    r = subprocess.run([binary, "grade", str(assignment), "--submissions", str(folder), "--time-limit",
                        args.time_limit], capture_output=True, timeout=6 * 3600)
    return r, time.monotonic() - started


failures = []
with tempfile.TemporaryDirectory() as scratch:
    folder = pathlib.Path(scratch, "all")
    folder.mkdir()
    hostile_count = args.count // 10
    per_kind = hostile_count // len(KINDS)
    for kind in KINDS:
        for i in range(per_kind):
            hostile(folder, kind, i)
    ordinary = args.count - per_kind * len(KINDS)
    for i in range(ordinary):
        (folder / f"student{i:04}.iron").write_text((RIGHT, PARTLY, WRONG)[i % 3])
    r, seconds = grade(folder)
    out = r.stdout.decode("utf-8")  # strict: the gradebook is UTF-8
    rows = list(csv.reader(io.StringIO(out)))
    if r.returncode != 0:
        failures.append(f"exit {r.returncode}: {r.stderr.decode(errors='replace')[:500]}")
    if len(rows) != args.count + 1:
        failures.append(f"{len(rows) - 1} rows for {args.count} files")
    statuses = collections.Counter(row[-1] for row in rows[1:])
    for row in rows[1:]:
        kind = row[0].split("-")[0].lstrip("'=").split("(")[0]
        kind = "formula" if row[0].startswith("'=") else "latin1-name" if row[0].startswith("caf\ufffd") else kind
        expected = EXPECTED_STATUS.get(kind)
        if expected and row[-1] not in (expected if isinstance(expected, tuple) else (expected,)):
            failures.append(f"{row[0]}: status {row[-1]!r}, expected {EXPECTED_STATUS[kind]!r}")
        if row[0][:1] in ("=", "+", "-", "@"):
            failures.append(f"a cell starts a formula: {row[0]!r}")
    if "root:" in out:
        failures.append("/etc/passwd leaked into the gradebook")
    print(f"{args.count} submissions ({per_kind * len(KINDS)} hostile), --time-limit {args.time_limit}: "
          f"{seconds:.1f} s wall ({seconds / args.count * 1000:.0f} ms per submission)")
    print("statuses:", ", ".join(f"{n} {s}" for s, n in statuses.most_common()))
    # The cost of each kind alone: a folder of that kind only.
    for kind in KINDS + ["ordinary"]:
        alone = pathlib.Path(scratch, kind)
        alone.mkdir()
        if kind == "ordinary":
            for i in range(per_kind):
                (alone / f"student{i:04}.iron").write_text((RIGHT, PARTLY, WRONG)[i % 3])
        else:
            for i in range(per_kind):
                hostile(alone, kind, i)
        _, t = grade(alone)
        print(f"  {kind:<10} {per_kind} files: {t:6.2f} s ({t / per_kind:.3f} s each)")
for f in failures:
    print("FAILED:", f)
sys.exit(1 if failures else 0)
