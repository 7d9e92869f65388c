#!/usr/bin/env python3
"""Runs one golden case and compares what ironlaw prints with NAME.expected.

A case is tests/golden/<command>/NAME.iron (run as `ironlaw <command> NAME.iron`),
NAME.eval (its text is the expression for `ironlaw eval`; a first line
`# args: ...` in a .iron case adds flags), NAME.session (fed
to `ironlaw repl` on standard input), or NAME.gen: an input too large to keep
in the tree, made by the Python expression after its first line (str or
bytes), written to `input.iron` in a scratch directory and run by the first
line, `# golden-args: run {input}` (`{input}` is the file; `{stdin}` as the
last word feeds it on standard input instead; `{text}` passes it as one
argument; `{dir}` is this case's folder).
The expected file holds the exit code, stdout and stderr. A search's wall
time and thread count (JSON's "seconds" and "threads", the only fields that
differ between two runs) are masked as "<masked>". A case that runs longer
than 60 s fails. To regenerate after an intended change:
    IRONLAW_UPDATE_GOLDEN=1 ctest --test-dir build -R golden
"""
import os, pathlib, subprocess, sys

binary, case = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
golden_root = pathlib.Path(__file__).resolve().parent
stdin = None
if case.suffix == ".eval":
    args = [binary, "eval", case.read_text().rstrip("\n")]
elif case.suffix == ".session":
    args, stdin = [binary, "repl"], case.read_text()
else:
    command = case.parent.name
    args = [binary, command, str(case.relative_to(golden_root))]
    # A case may give its own command line on its first line, `{case}` standing
    # for its path: `# golden-args: grade ../data/grading/hw.iron --submission {case}`.
    first = case.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    if first.startswith("# golden-args:"):
        import shlex
        args = [binary] + [a.replace("{case}", str(case.relative_to(golden_root)))
                           for a in shlex.split(first[len("# golden-args:"):])]
    # A first line `# args: --format csv` adds flags to the command.
    if first.startswith("# args:"):
        args += first[len("# args:"):].split()
generated = None
if case.suffix == ".gen":
    import shlex
    first, body = case.read_text().split("\n", 1)
    generated = eval(body)  # our own test file, never user input
    if isinstance(generated, str):
        generated = generated.encode()
    words = shlex.split(first[len("# golden-args:"):])
    if words and words[-1] == "{stdin}":
        words, stdin = words[:-1], generated
    # `{text}` passes the generated text itself as one argument (`zoo --where`).
    args = [binary] + [generated.decode() if w == "{text}" else
                       w.replace("{input}", "input.iron").replace("{dir}", str(case.parent)) for w in words]
env = dict(os.environ, NO_COLOR="1")
env.pop("IRONLAW_PATH", None)
import tempfile
with tempfile.TemporaryDirectory() as scratch:
    # A session runs in a scratch directory: what it :saves stays out of the tree.
    cwd = scratch if stdin is not None or generated is not None else golden_root
    if generated is not None:
        pathlib.Path(scratch, "input.iron").write_bytes(generated)
    if isinstance(stdin, str):
        stdin = stdin.encode()
    r = subprocess.run(args, input=stdin, capture_output=True, cwd=cwd, env=env, timeout=60)
    # Output that is not UTF-8 is itself a failure to show, not a crash of the runner.
    r.stdout, r.stderr = (o.decode("utf-8", "backslashreplace") for o in (r.stdout, r.stderr))
import re
r.stdout = re.sub(r'("(?:seconds|threads)": )[0-9.e+-]+', r'\1"<masked>"', r.stdout)
actual = f"# exit: {r.returncode}\n# stdout:\n{r.stdout}# stderr:\n{r.stderr}"
expected_path = case.with_suffix(".expected")
if os.environ.get("IRONLAW_UPDATE_GOLDEN") == "1":
    expected_path.write_text(actual)
    print(f"updated {expected_path.name}")
    sys.exit(0)
if not expected_path.exists():
    print(f"missing {expected_path}; create it with IRONLAW_UPDATE_GOLDEN=1\n--- actual ---\n{actual}")
    sys.exit(1)
expected = expected_path.read_text()
if actual != expected:
    import difflib
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                               "expected", "actual"))
    sys.exit(1)
