#!/usr/bin/env python3
"""Every scenario file runs, checks, is formatted, and prints what its golden says.

Usage: check_scenarios.py IRONLAW REPO_ROOT

Walks REPO_ROOT/scenarios/ (except scenarios/assignments/, which the grading
tests own). For each FILE.iron, run in the file's own directory:
  - `ironlaw run FILE` exits with the code its header states in a line
    `# exit: N` (default 0; 3 is a `require` not met, on purpose), and prints
    exactly tests/golden/scenarios/<path>.expected (exit code, stdout, stderr);
  - `ironlaw check FILE` exits 0 and prints nothing;
  - `ironlaw fmt --check FILE` exits 0.
A golden without a scenario is reported too (a renamed file leaves one behind).
Regenerate after an intended change, then read the diff:
    IRONLAW_UPDATE_GOLDEN=1 ctest --test-dir build -R scenarios
"""
import difflib, os, pathlib, re, subprocess, sys

binary = os.path.abspath(sys.argv[1])
root = pathlib.Path(sys.argv[2]).resolve()
scenarios = root / "scenarios"
goldens = root / "tests" / "golden" / "scenarios"
update = os.environ.get("IRONLAW_UPDATE_GOLDEN") == "1"

env = dict(os.environ, NO_COLOR="1")
env.pop("IRONLAW_PATH", None)  # user registry entries would change the numbers


def ironlaw(path, *args):
    return subprocess.run([binary, *args, path.name], capture_output=True, text=True,
                          cwd=path.parent, env=env, timeout=120)


def expected_exit(path):
    # The header is the leading comment block; `# exit: N` anywhere in it.
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*exit:\s*(\d+)\s*$", line)
        if m:
            return int(m.group(1))
    return 0


files = sorted(p for p in scenarios.rglob("*.iron") if "assignments" not in p.relative_to(scenarios).parts)
failures = []
for path in files:
    rel = path.relative_to(scenarios)
    want = expected_exit(path)

    r = ironlaw(path, "run")
    if r.returncode != want:
        failures.append(f"{rel}: run exited {r.returncode}, its header says {want}\n{r.stderr}")
    # Timing belongs to JSON output only; a golden must not pin it.
    if '"seconds":' in r.stdout or '"threads":' in r.stdout:
        failures.append(f"{rel}: run printed a time or a thread count; keep it out of goldens")
    actual = f"# exit: {r.returncode}\n# stdout:\n{r.stdout}# stderr:\n{r.stderr}"
    golden = goldens / rel.with_suffix(".expected")
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual)
    elif not golden.exists():
        failures.append(f"{rel}: no golden {golden.relative_to(root)}; create it with IRONLAW_UPDATE_GOLDEN=1")
    elif golden.read_text() != actual:
        diff = "".join(difflib.unified_diff(golden.read_text().splitlines(True), actual.splitlines(True),
                                            "expected", "actual"))
        failures.append(f"{rel}: run output differs from {golden.relative_to(root)}\n{diff}")

    c = ironlaw(path, "check")
    if c.returncode != 0 or c.stdout or c.stderr:
        failures.append(f"{rel}: check exited {c.returncode}\n{c.stdout}{c.stderr}")

    f = ironlaw(path, "fmt", "--check")
    if f.returncode != 0:
        failures.append(f"{rel}: not formatted (ironlaw fmt --write {rel})\n{f.stdout}{f.stderr}")

wanted = {(goldens / p.relative_to(scenarios)).with_suffix(".expected") for p in files}
for golden in sorted(goldens.rglob("*.expected")) if goldens.exists() else []:
    if golden not in wanted:
        if update:
            golden.unlink()
        else:
            failures.append(f"{golden.relative_to(root)}: a golden without a scenario")

for failure in failures:
    print(f"FAIL {failure}")
print(f"{len(files)} scenarios, {len(failures)} failures" + (" (goldens updated)" if update else ""))
sys.exit(1 if failures else 0)
