#!/usr/bin/env python3
"""`run --format json` and `eval --format json` keep their contract (docs/json.md).

Usage: check_json_output.py IRONLAW REPO_ROOT

For every scenario in scenarios/ and every golden case of tests/golden/run/ and
tests/golden/check/ (files that print, search several designs, check
requirements, measure, and files that do not parse or check):
  - stdout is exactly one JSON document, valid against
    docs/ironlaw-output.schema.json (tests/json_schema.py checks it);
  - its exit_code is the process's exit code, and `summary` counts its items;
  - every printed line of the text output is an item's text, in order, and
    every design of the text output is a design item;
  - with --diagnostics json, stderr is a JSON array equal to its diagnostics.
Then a few `eval --format json` cases, good and bad, and `zoo --format json`
for every kind. No object anywhere holds a key twice (json.loads would keep
the last silently).
"""
import json, os, pathlib, subprocess, sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from json_schema import errors  # noqa: E402

binary, root = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
schema = json.loads((root / "docs" / "ironlaw-output.schema.json").read_text())
env = dict(os.environ, NO_COLOR="1")
env.pop("IRONLAW_PATH", None)
failures = []


def run(args, cwd):
    return subprocess.run([binary, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


class DuplicateKey(ValueError):
    pass


def unique_keys(pairs):
    """object_pairs_hook: an object as a dict, refusing a key given twice."""
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(f"duplicate key {key!r} in an object")
        seen[key] = value
    return seen


def loads(text):
    return json.loads(text, object_pairs_hook=unique_keys)


def document(name, r):
    """The one JSON document on r.stdout, checked against the schema; None (and a failure) otherwise."""
    try:
        doc = loads(r.stdout)
    except json.JSONDecodeError as e:
        failures.append(f"{name}: stdout is not one JSON document ({e})\n{r.stdout[:400]}")
        return None
    problems = errors(doc, schema, schema)
    if problems:
        failures.append(f"{name}: not valid against the schema:\n  " + "\n  ".join(problems[:8]))
    if doc.get("exit_code") != r.returncode:
        failures.append(f"{name}: exit_code {doc.get('exit_code')} in the document, {r.returncode} from the process")
    return doc


def check_run(path, cwd, extra):
    name = str(path.relative_to(root))
    r = run(["run", *extra, "--format", "json", "--diagnostics", "json", str(path)], cwd)
    doc = document(name, r)
    if doc is None:
        return
    try:
        if loads(r.stderr or "[]") != doc["diagnostics"]:
            failures.append(f"{name}: stderr's diagnostics differ from the document's")
    except json.JSONDecodeError as e:
        failures.append(f"{name}: stderr with --diagnostics json is not JSON ({e})")
    items = doc["items"]
    summary = doc["summary"]
    requirements = [i for i in items if i["kind"] == "requirement"]
    designs = [i for i in items if i["kind"] == "design"]
    counted = {"requirements_met": sum(i["met"] for i in requirements),
               "requirements_not_met": sum(not i["met"] for i in requirements),
               "designs": len(designs),
               "designs_without_feasible": sum(i["feasible"] == 0 for i in designs)}
    if counted != summary:
        failures.append(f"{name}: summary {summary}, items count {counted}")
    unmet = counted["requirements_not_met"] + counted["designs_without_feasible"]
    if doc["exit_code"] != 1 and doc["exit_code"] != (3 if unmet else 0):
        failures.append(f"{name}: exit code {doc['exit_code']} with {unmet} unmet requirements or designs")
    # The same file as text: every item's text is a line of it, in order.
    text = run(["run", *extra, str(path)], cwd)
    if text.returncode != r.returncode:
        failures.append(f"{name}: exit {text.returncode} as text, {r.returncode} as JSON")
    lines = text.stdout.splitlines()
    at = 0
    for item in items:
        want = item.get("title") if item["kind"] == "scenario" else item.get("text")
        if item["kind"] == "design":
            want = f"design {item['report']['design']} = "
        if want is None:
            continue
        first = want.splitlines()[0] if want else ""
        while at < len(lines) and not lines[at].startswith(first):
            at += 1
        if at == len(lines):
            failures.append(f"{name}: the {item['kind']} item {first!r} is not in the text output, in order")
            break
        at += 1
    if sum(1 for l in lines if l.startswith("design ") and " = " in l and " points" in l) != len(designs):
        failures.append(f"{name}: {len(designs)} design items, but the text reports another number of designs")
    if text.stdout.strip() and not items:
        failures.append(f"{name}: the text output printed lines, the document has no items")


cases = sorted(p for p in (root / "scenarios").rglob("*.iron"))
golden = root / "tests" / "golden"
for folder in ("run", "check"):
    for p in sorted((golden / folder).glob("*.iron")):
        first = p.read_text(errors="replace").split("\n", 1)[0]
        if first.startswith("# golden-args:"):
            continue  # a command line of its own (another command, or stdin)
        cases.append(p)
for path in cases:
    first = path.read_text(errors="replace").split("\n", 1)[0]
    extra = [a for a in first[len("# args:"):].split() if a not in ("json",)] if first.startswith("# args:") else []
    if "--format" in extra:  # the case's own format gives way to json
        i = extra.index("--format")
        del extra[i:i + 2]
    check_run(path, path.parent, extra)

# eval: a quantity, one shown in a unit, a record, a list, a bad unit, a parse error.
for expression, code in [("16 GB / 40 ms in GB/s", 0), ("decode(Llama3_8B, H100_SXM, batch = 1).itl_bound", 0),
                         ("decode(Llama3_8B, H100_SXM)", 0), ("[1 ms, 2 s]", 0), ("H100_SXM.memory >= 80 GB", 0),
                         ("80 GB + 3 TFLOP/s", 1), ("decode(", 1)]:
    r = run(["eval", "--format", "json", expression], root)
    doc = document(f"eval {expression!r}", r)
    if doc is None:
        continue
    if r.returncode != code:
        failures.append(f"eval {expression!r}: exit {r.returncode}, expected {code}")
    if (doc["value"] is None) != (code != 0) or (code != 0) != bool(doc["diagnostics"]):
        failures.append(f"eval {expression!r}: value and diagnostics disagree with exit {code}")
    if code == 0:
        text = run(["eval", expression], root).stdout
        if text != doc["text"] + "\n":
            failures.append(f"eval {expression!r}: text {doc['text']!r}, the text output {text!r}")

# zoo: a list of objects, one per entry, each key once.
zoo_kinds = ["", "hardware", "models", "nodes", "fabrics", "regions"]
for kind in zoo_kinds:
    r = run(["zoo", *([kind] if kind else []), "--format", "json"], root)
    try:
        rows = loads(r.stdout)
        if r.returncode != 0 or not rows or not all(isinstance(x, dict) and x.get("name") for x in rows):
            failures.append(f"zoo {kind or '(all)'} --format json: exit {r.returncode}, not a list of named entries")
    except ValueError as e:  # JSONDecodeError and DuplicateKey
        failures.append(f"zoo {kind or '(all)'} --format json: {e}")

if failures:
    print("\n\n".join(failures))
    sys.exit(1)
print(f"{len(cases)} files, 7 expressions and {len(zoo_kinds)} zoo listings: one valid JSON document each,"
      " no duplicate keys, exit codes agree")
