#!/usr/bin/env python3
"""The typed search path (issue 23, docs/search.md "The typed path"), through
the real binary.

    typed_path_test.py IRONLAW SOURCE_DIR

- Every case of tests/data/typed and every scenario and run golden, with
  IRONLAW_SEARCH_PATH=check (each point evaluated both ways, a difference
  aborts the run): no run aborts, and the cases that should take the typed
  path say on stderr that their points agreed, or were declined where the
  case has points the typed path must leave to the generic call.
- The same cases print the same report, byte for byte in every format, with
  the typed path and with IRONLAW_SEARCH_PATH=generic (JSON's "seconds" and
  "threads" masked: they describe the run).
"""
import os, pathlib, re, subprocess, sys

binary, source_dir = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2])
base_env = dict(os.environ, NO_COLOR="1")
base_env.pop("IRONLAW_PATH", None)
base_env.pop("IRONLAW_SEARCH_PATH", None)
failures = []
CHECK_LINE = re.compile(r"IRONLAW_SEARCH_PATH=check: (\w+): (\d+) points agreed, (\d+) declined")

# Per case: the lines check mode must print (solver, whether some points are
# declined); an empty list: no design of the case takes the typed path.
EXPECTED = {
    "decode_axes.iron": [("decode", False)],
    "decode_declined.iron": [("decode", True)],
    "decode_allowed.iron": [("decode", False)],
    "decode_generic.iron": [],
    "decode_long_range.iron": [("decode", False)],
    "fleet_axes.iron": [("serving_fleet", False)],
    "fleet_declined.iron": [("serving_fleet", True)],
}


def fail(message):
    failures.append(message)
    print("FAILED:", message)


def run(path, path_mode, *flags):
    env = dict(base_env)
    if path_mode:
        env["IRONLAW_SEARCH_PATH"] = path_mode
    return subprocess.run([binary, "run", str(path), "--threads", "2", *flags], capture_output=True, text=True,
                          cwd=source_dir, env=env, timeout=300)


def mask(text):
    return re.sub(r'"(seconds|threads)": [0-9.e+-]+', r'"\1": 0', text)


cases = sorted((source_dir / "tests" / "data" / "typed").glob("*.iron"))
if sorted(c.name for c in cases) != sorted(EXPECTED):
    fail(f"tests/data/typed holds {[c.name for c in cases]}, the test expects {sorted(EXPECTED)}")

for case in cases:
    r = run(case, "check")
    if r.returncode not in (0, 3):
        fail(f"{case.name}: check mode exited {r.returncode}: {r.stderr[-2000:]}")
        continue
    seen = [(m.group(1), int(m.group(2)), int(m.group(3))) for m in CHECK_LINE.finditer(r.stderr)]
    want = EXPECTED.get(case.name, [])
    if len(seen) != len(want):
        fail(f"{case.name}: check mode said {seen}, expected one line per typed design: {want}")
        continue
    for (solver, agreed, declined), (want_solver, want_declined) in zip(seen, want):
        if solver != want_solver or agreed == 0 or (declined > 0) != want_declined:
            fail(f"{case.name}: check mode said {solver}: {agreed} agreed, {declined} declined; "
                 f"expected {want_solver} with points agreed and {'some' if want_declined else 'none'} declined")
    for fmt in ("table", "json", "csv", "md"):
        typed, generic = run(case, None, "--format", fmt), run(case, "generic", "--format", fmt)
        if (typed.returncode, mask(typed.stdout)) != (generic.returncode, mask(generic.stdout)):
            fail(f"{case.name} --format {fmt}: the typed path's report differs from the generic call's")

# Every scenario and run golden in check mode: the typed path, wherever a
# design takes it, agrees with the generic call at every point.
others = sorted(source_dir.glob("scenarios/**/*.iron")) + sorted((source_dir / "tests" / "golden" / "run").glob("*.iron"))
checked = 0
for path in others:
    r = run(path, "check")
    if r.returncode < 0 or r.returncode > 3 or "differs from its generic call" in r.stderr:
        fail(f"{path.relative_to(source_dir)}: check mode exited {r.returncode}: {r.stderr[-2000:]}")
    checked += len(CHECK_LINE.findall(r.stderr))
if checked == 0:
    fail("no scenario or run golden took the typed path: the check above checked nothing")

print(f"{len(cases)} cases and {len(others)} scenarios and goldens; {checked} of their designs took the typed path")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("all passed")
