#!/usr/bin/env python3
"""Each exit code in the table of docs/language.md ("Exit codes") has a case that gives it.

Usage: check_exit_codes.py IRONLAW REPO_ROOT [--sanitized]

The cases below run the real binary; the test also fails when the table lists
a code no case gives, or a case gives a code the table does not list. Code 70
(an internal error) is reached the one way a user can reach it without a
defect: the system refusing memory (an address-space limit while a 6.9 MB
file is checked). Under AddressSanitizer (--sanitized) that case is skipped:
the sanitizer's shadow memory cannot start under such a limit.
"""
import os, pathlib, re, resource, shutil, subprocess, sys, tempfile

binary, root = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
sanitized = "--sanitized" in sys.argv[3:]
env = dict(os.environ, NO_COLOR="1")
env.pop("IRONLAW_PATH", None)
scratch = pathlib.Path(tempfile.mkdtemp())
big = scratch / "big.iron"
big.write_text("".join(f"let x{i} = {i} ms + {i} ms\n" for i in range(200_000)))


def limit_memory():
    limit = 48 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# (code, what, arguments, extra for subprocess, text stderr must hold)
cases = [
    (0, "an expression evaluates", ["eval", "16 GB / 40 ms in GB/s"], {}, ""),
    (0, "a scenario whose requirements hold", ["run", "scenarios/examples/let_print.iron"], {}, ""),
    (1, "a diagnostic", ["eval", "80 GB + 3 TFLOP/s"], {}, "error[E0201]"),
    (1, "a file that does not parse, as JSON", ["run", "--format", "json", "tests/golden/run/json_syntax_error.iron"], {}, "E0001"),
    (1, "bad usage", ["run", "--format", "xml", "scenarios/capstone.iron"], {}, "--format takes"),
    (1, "an unknown command", ["frobnicate"], {}, "unknown command"),
    (3, "a require outside a design is false", ["run", "scenarios/examples/require_exit.iron"], {}, ""),
    (3, "a design with no feasible point", ["run", "tests/golden/run/design_nothing_feasible.iron"], {}, ""),
    (3, "the same, as JSON", ["run", "--format", "json", "tests/golden/run/design_nothing_feasible.iron"], {}, ""),
    (3, "validate: a category outside its bound", ["validate", "--dir", "tests/data/exit_codes/out_of_bound"], {}, ""),
    (70, "the system refuses memory", ["check", str(big)], {"preexec_fn": limit_memory}, "internal error"),
]

failures, given = [], set()
for code, what, args, extra, stderr_holds in cases:
    if code == 70 and sanitized:
        given.add(70)
        continue
    r = subprocess.run([binary, *args], capture_output=True, text=True, cwd=root, env=env, timeout=120, **extra)
    given.add(r.returncode)
    if r.returncode != code:
        failures.append(f"{what}: exit {r.returncode}, expected {code}\n{r.stderr[-600:]}")
    elif stderr_holds not in r.stderr:
        failures.append(f"{what}: stderr lacks {stderr_holds!r}\n{r.stderr[-600:]}")

shutil.rmtree(scratch)
language = (root / "docs" / "language.md").read_text()
section = language.split("### Exit codes", 1)[1].split("\n#", 1)[0] if "### Exit codes" in language else ""
table = {int(c) for c in re.findall(r"^\|\s*(\d+)\s*\|", section, re.M)}
if not table:
    failures.append("docs/language.md has no table under '### Exit codes'")
elif table != given:
    failures.append(f"docs/language.md lists exit codes {sorted(table)}; the cases give {sorted(given)}")

if failures:
    print("\n\n".join(failures))
    sys.exit(1)
print(f"exit codes {sorted(given)}: each given by its cases and listed in docs/language.md")
