#!/usr/bin/env python3
"""Packaged autograders end to end (issue 19), through the real binary.

    package_test.py IRONLAW SOURCE_DIR gradescope|prairielearn|no_sandbox [--sanitized]

Packages tests/data/grading/hw.iron, lays out a temporary root the way the LMS
does (Gradescope: /autograder/{source,submission,results} and
submission_metadata.json; PrairieLearn: /grade/{tests,student,data,results}),
runs the generated scripts there (IRONLAW_AUTOGRADER_ROOT / IRONLAW_GRADE_ROOT
stand for the real roots) on correct, wrong, empty and hostile submissions,
and validates every results.json against the LMS's documented format:
Gradescope's "Autograder specifications"
(https://gradescope-autograders.readthedocs.io/en/latest/specs/) and
PrairieLearn's "External grading: Grading results"
(PrairieLearn docs/externalGrading.md). no_sandbox: a gradebook graded in
process keeps every row when one submission exhausts memory (under
AddressSanitizer, --sanitized, the memory cap is left out: the sanitizer's
shadow memory cannot start under it, so only the rows are checked).
"""
import json, os, pathlib, shutil, stat, subprocess, sys, tempfile, time, zipfile

binary, source_dir, check = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
sanitized = "--sanitized" in sys.argv[4:]
assignment = source_dir / "tests/data/grading/hw.iron"
failures = []

# dave's variant (ctx = 4096 tokens, gpu = H100_SXM): every answer right (tests/golden/grade/correct.iron).
CORRECT = """answers {
  q1 = 109
  q2 = memory
  q3 = 400 GB/s
  q4 = [A100_80GB, L40S, A10]
  q5 = 3.14e23 FLOP
  q6 = 0.551 s
  q7 = 295 FLOP/B
}
"""
WRONG = "answers {\n  q1 = 7\n  q2 = compute\n  q3 = 3.2 TB/s\n  q4 = [T4]\n  q5 = 1 FLOP\n  q6 = 9 s\n  q7 = 1 FLOP/B\n}\n"
# Three 90,000-point searches (several seconds of CPU; --max-points allows
# 100,000 per design) that run past the time limit, then the right answers:
# the full grading times out, the retry without the designs grades the answers.
# Each requirement has a fractional power, which the search's compiled code
# leaves to the evaluator: every point takes the generic call (the typed path
# would finish these spaces within the limit).
SLOW = """workload w = serving {
  model  = Llama3_8B
  rate   = 10 req/s
  prompt = 512 tokens
  output = 128 tokens
}
""" + "".join(f"""design big{d} = serving_fleet(w, accelerator = H100_SXM, region = Quebec, price_per_gpu = {d + 1} USD) over {{
  batch       in 1 .. 300
  spare_nodes in 0 .. 299
}}
require big{d}.cost_per_year <= big{d}.gpus ^ 0.5 * 1e9 USD/yr
""" for d in range(3)) + CORRECT


DAVE_VARIANT = "ctx = 4096 tokens, gpu = H100_SXM"
LIMIT = 2  # --time-limit of the packages: the slow submission's full grading gets 1.5 s, its retry 0.5 s


def variant_of(student):
    r = subprocess.run([binary, "assignment", "render", str(assignment), "--student", student], capture_output=True,
                       text=True)
    return r.stdout.splitlines()[1].split("variant: ", 1)[-1] if r.returncode == 0 else None


def fail(message):
    failures.append(message)
    print("FAILED:", message)


def text_file(body, name="answers.iron"):
    data = body if isinstance(body, bytes) else body.encode()
    return lambda folder: (folder / name).write_bytes(data)


# Each hostile submission: its name, how it is laid out in the submission
# folder, and what its results must say.
HOSTILE = [
    ("link to a secret", lambda folder: os.symlink("/etc/passwd", folder / "answers.iron"), "symbolic link"),
    ("fifo", lambda folder: os.mkfifo(folder / "answers.iron"), "FIFO"),
    ("directory", lambda folder: (folder / "answers.iron").mkdir(), "directory"),
    ("too large", text_file(b"#" * (9 << 20)), "limit"),
    ("deep nesting", text_file("answers { q1 = " + "(" * 100000 + " }\n"), "parse"),
    ("invalid utf-8", text_file(b"answers {\n  q2 = \"caf\xe9\xff\"\n}\n"), "q2"),
    ("slow search", text_file(SLOW), "ran out of time"),
    ("no file", lambda folder: None, "cannot read"),
]


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def validate_gradescope(doc, where):
    """The fields and types of Gradescope's results.json; the total is the sum of the tests."""
    problems = []
    if not isinstance(doc, dict):
        return [f"{where}: not a JSON object"]
    if "score" not in doc and not all("score" in t for t in doc.get("tests", [])):
        problems.append("no top-level score and a test without one")
    for key, kind in (("score", is_number), ("execution_time", is_number), ("output", lambda v: isinstance(v, str)),
                      ("visibility", lambda v: v in VISIBILITY), ("stdout_visibility", lambda v: v in VISIBILITY),
                      ("tests", lambda v: isinstance(v, list))):
        if key in doc and not kind(doc[key]):
            problems.append(f"{key} = {doc[key]!r}")
    total = 0
    for i, t in enumerate(doc.get("tests", [])):
        for key, kind in (("score", is_number), ("max_score", is_number), ("name", lambda v: isinstance(v, str)),
                          ("number", lambda v: isinstance(v, str)), ("output", lambda v: isinstance(v, str)),
                          ("status", lambda v: v in ("passed", "failed")), ("visibility", lambda v: v in VISIBILITY)):
            if key in t and not kind(t[key]):
                problems.append(f"tests[{i}].{key} = {t[key]!r}")
        if is_number(t.get("score")) and is_number(t.get("max_score")) and not 0 <= t["score"] <= t["max_score"]:
            problems.append(f"tests[{i}] scores {t['score']} of {t['max_score']}")
        total += t.get("score", 0)
    if is_number(doc.get("score")) and doc.get("tests") and abs(doc["score"] - total) > 1e-3:
        problems.append(f"score {doc['score']} is not the tests' sum {total}")
    return [f"{where}: {p}" for p in problems]


def validate_prairielearn(doc, where):
    """PrairieLearn's external grading results: score in [0, 1] when gradable; tests with points."""
    problems = []
    if not isinstance(doc, dict):
        return [f"{where}: not a JSON object"]
    gradable = doc.get("gradable", True)
    if not isinstance(gradable, bool):
        problems.append(f"gradable = {gradable!r}")
    if gradable and not (is_number(doc.get("score")) and 0 <= doc["score"] <= 1):
        problems.append(f"score = {doc.get('score')!r}")
    for key in ("message", "output"):
        if key in doc and not isinstance(doc[key], str):
            problems.append(f"{key} = {doc[key]!r}")
    if "format_errors" in doc and not isinstance(doc["format_errors"], (str, list)):
        problems.append("format_errors is neither a string nor a list")
    points = max_points = 0
    for i, t in enumerate(doc.get("tests", [])):
        for key, kind in (("name", lambda v: isinstance(v, str)), ("points", is_number), ("max_points", is_number),
                          ("message", lambda v: isinstance(v, str))):
            if key in t and not kind(t[key]):
                problems.append(f"tests[{i}].{key} = {t[key]!r}")
        points += t.get("points", 0)
        max_points += t.get("max_points", 0)
    if gradable and max_points and abs(doc["score"] - points / max_points) > 1e-3:
        problems.append(f"score {doc['score']} is not points / max_points = {points}/{max_points}")
    return [f"{where}: {p}" for p in problems]


def read_results(path, where, validate):
    try:
        raw = path.read_bytes()
        doc = json.loads(raw.decode("utf-8"))  # strict: invalid UTF-8 fails here
    except (OSError, ValueError) as e:
        fail(f"{where}: results.json is not valid UTF-8 JSON: {e}")
        return None
    for p in validate(doc, where):
        fail(p)
    return doc


def run_script(script, env_name, root, timeout=60):
    env = dict(os.environ, NO_COLOR="1", **{env_name: str(root)})
    env.pop("IRONLAW_PATH", None)
    started = time.monotonic()
    try:
        r = subprocess.run([str(script)], capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(f"{script.name} did not finish in {timeout} s")
        return None, timeout
    return r, time.monotonic() - started


def grade_hostile(lms, grade, full_score):
    """Every hostile submission: a valid results file that says what happened, nothing leaked, bounded time."""
    for name, lay_out, needle in HOSTILE:
        r, doc, seconds = grade(f"hostile {name}", lay_out)
        if doc is None:
            continue
        text = json.dumps(doc)
        if needle not in text:
            fail(f"{lms} hostile {name}: results lack {needle!r}: {text[:600]}")
        if "root:" in text:
            fail(f"{lms} hostile {name}: /etc/passwd leaked into the results")
        if seconds > 10:
            fail(f"{lms} hostile {name}: {seconds:.1f} s")
        if name == "slow search" and doc["score"] != full_score:
            fail(f"{lms}: the slow submission's answers were not graded after the retry: {doc['output']}")
        if name == "slow search" and seconds > LIMIT + 1.5:
            fail(f"{lms}: the slow submission took {seconds:.1f} s, more than its {LIMIT} s limit and start-up")


def package(args):
    r = subprocess.run([binary, "assignment", "package", str(assignment)] + args, capture_output=True, text=True,
                       timeout=120)
    if r.returncode != 0:
        fail(f"package {args}: exit {r.returncode}\n{r.stdout}{r.stderr}")
    return r


def check_gradescope(tmp):
    out = tmp / "autograder.zip"
    package(["--gradescope", str(out), "--time-limit", str(LIMIT)])
    with zipfile.ZipFile(out) as z:
        if z.testzip() is not None:
            fail("a file in the zip fails its CRC")
        names = sorted(z.namelist())
        if names != ["assignment.iron", "ironlaw", "run_autograder", "setup.sh"]:
            fail(f"the zip holds {names}")
        for info in z.infolist():
            mode = info.external_attr >> 16
            want = 0o644 if info.filename == "assignment.iron" else 0o755
            if stat.S_IMODE(mode) != want or not stat.S_ISREG(mode):
                fail(f"{info.filename} has mode {oct(mode)}")
        if z.read("assignment.iron") != assignment.read_bytes():
            fail("assignment.iron is not the faculty file")
        if z.read("ironlaw") != pathlib.Path(binary).read_bytes():
            fail("the packaged ironlaw is not the binary that packaged it")
    if shutil.which("unzip"):
        r = subprocess.run(["unzip", "-tq", str(out)], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"unzip -t: {r.stdout}{r.stderr}")
    # The image build: the zip unpacked in /autograder/source, setup.sh run there.
    root = tmp / "autograder"
    source = root / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(out) as z:
        for info in z.infolist():
            z.extract(info, source)
            os.chmod(source / info.filename, info.external_attr >> 16 & 0o777)
    r = subprocess.run(["sh", str(source / "setup.sh")], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail(f"setup.sh: exit {r.returncode}\n{r.stdout}{r.stderr}")
    shutil.copy2(source / "run_autograder", root / "run_autograder")  # Gradescope does this copy

    def grade(name, lay_out, email="dave", metadata=True):
        for folder in ("submission", "results"):
            shutil.rmtree(root / folder, ignore_errors=True)
        (root / "submission").mkdir()
        (root / "submission_metadata.json").unlink(missing_ok=True)
        if metadata:
            (root / "submission_metadata.json").write_text(json.dumps(
                {"id": 1, "created_at": "2026-12-01T10:00:00.0-08:00", "assignment": {"title": "HW 2"},
                 "submission_method": "upload", "users": [{"email": email, "id": 7, "name": "D"}],
                 "previous_submissions": []}))
        lay_out(root / "submission")
        r, seconds = run_script(root / "run_autograder", "IRONLAW_AUTOGRADER_ROOT", root)
        doc = read_results(root / "results" / "results.json", f"gradescope {name}", validate_gradescope)
        return r, doc, seconds

    def answers(text, file="answers.iron"):
        return lambda folder: (folder / file).write_text(text)

    r, doc, _ = grade("correct", answers(CORRECT))
    if doc and (doc["score"] != 10 or r.returncode != 0):
        fail(f"gradescope correct: score {doc['score']}, exit {r.returncode}: {doc.get('output')}")
    hidden = [t for t in (doc or {}).get("tests", []) if t.get("visibility") == "after_published"]
    if doc and not hidden:
        fail("gradescope: the hidden question is not after_published")
    r, doc, _ = grade("correct under another name", answers(CORRECT, "my answers.iron"))
    if doc and doc["score"] != 10:
        fail(f"gradescope: the one .iron file under another name scored {doc['score']}")
    other = next(e for e in (f"student{i}@example.edu" for i in range(50)) if variant_of(e) != DAVE_VARIANT)
    r, doc, _ = grade("another student's variant", answers(CORRECT), email=other.upper())
    if doc and doc["score"] == 10:
        fail("gradescope: another student's variant gave dave's answers full marks")
    r, doc, _ = grade("wrong", answers(WRONG))
    if doc and doc["score"] != 0:
        fail(f"gradescope wrong: score {doc['score']}")
    r, doc, _ = grade("empty", answers(""))
    if doc and (doc["score"] != 0 or "no answer" not in json.dumps(doc)):
        fail(f"gradescope empty: {doc}")
    grade_hostile("gradescope", grade, 10)
    # No metadata: ironlaw cannot know the variant; the script still leaves a valid results.json.
    r, doc, _ = grade("no metadata", answers(CORRECT), metadata=False)
    if r is not None and (r.returncode != 0 or "E0004" not in r.stderr + r.stdout):
        fail(f"gradescope without metadata: exit {r.returncode}: {r.stderr}")
    if doc and doc["score"] != 0:
        fail("gradescope without metadata: not a zero")


def check_prairielearn(tmp):
    question = tmp / "question"
    package(["--prairielearn", str(question), "--time-limit", str(LIMIT)])
    info = json.loads((question / "info.json").read_text())
    options = info.get("externalGradingOptions", {})
    if not (info.get("gradingMethod") == "External" and options.get("enabled") is True and options.get("image")
            and options.get("entrypoint") == "/grade/tests/run_grader" and 0 < options.get("timeout", 0) <= 600):
        fail(f"info.json: {info}")
    for name in ("question.html", "server.py", "tests/run_grader", "tests/ironlaw", "tests/assignment.iron"):
        if not (question / name).is_file():
            fail(f"the question directory lacks {name}")
    html = (question / "question.html").read_text()
    if "pl-file-editor" not in html or 'file-name="answers.iron"' not in html or "pl-external-grader-results" not in html:
        fail("question.html lacks the editor or the results element")
    # server.py's generate(): run it as PrairieLearn would, for each seed.
    namespace = {}
    exec(compile((question / "server.py").read_text(), "server.py", "exec"), namespace)
    variants = namespace["VARIANTS"]
    if len(variants) != 9 or len({v["variant"] for v in variants}) != 9:
        fail(f"server.py lists {len(variants)} variants, not the 9 distinct ones")
    import random
    data = {"params": {}}
    random.seed(3)
    namespace["generate"](data)
    if not data["params"].get("ironlaw_student", "").startswith("pl-") or "answers {" not in data["params"].get("copy", ""):
        fail(f"generate() set {sorted(data['params'])}")
    dave = [v for v in variants if v["variant"] == DAVE_VARIANT]
    if len(dave) != 1:
        fail("no variant with dave's values")
        return
    # Each variant's id draws that variant: render it and compare.
    for v in variants:
        if variant_of(v["ironlaw_student"]) != v["variant"]:
            fail(f"{v['ironlaw_student']} does not draw its variant {v['variant']}")

    root = tmp / "grade"
    shutil.copytree(question / "tests", root / "tests")
    for f in (root / "tests").iterdir():
        f.chmod(0o644)  # PrairieLearn's copy may not keep modes: run_grader copes
    os.chmod(root / "tests" / "run_grader", 0o755)  # PrairieLearn makes the entrypoint executable

    def grade(name, lay_out, student=dave[0]["ironlaw_student"], metadata=True):
        for folder in ("student", "results", "data"):
            shutil.rmtree(root / folder, ignore_errors=True)
        (root / "student").mkdir()
        (root / "data").mkdir()
        if metadata:
            (root / "data" / "data.json").write_text(json.dumps(
                {"params": {"ironlaw_student": student}, "correct_answers": {}, "submitted_answers": {},
                 "format_errors": {}, "partial_scores": {}, "score": 0, "feedback": {}, "variant_seed": 1,
                 "options": {}, "raw_submitted_answers": {}, "gradable": True}))
        lay_out(root / "student")
        env = {"TMPDIR": str(tmp)}
        os.environ.update(env)
        r, seconds = run_script(root / "tests" / "run_grader", "IRONLAW_GRADE_ROOT", root)
        doc = read_results(root / "results" / "results.json", f"prairielearn {name}", validate_prairielearn)
        return r, doc, seconds

    def answers(text):
        return lambda folder: (folder / "answers.iron").write_text(text)

    r, doc, _ = grade("correct", answers(CORRECT))
    if doc and doc["score"] != 1:
        fail(f"prairielearn correct: score {doc['score']}: {doc.get('output')}")
    r, doc, _ = grade("wrong", answers(WRONG))
    if doc and doc["score"] != 0:
        fail(f"prairielearn wrong: score {doc['score']}")
    r, doc, _ = grade("empty", answers(""))
    if doc and doc["score"] != 0:
        fail(f"prairielearn empty: score {doc['score']}")
    grade_hostile("prairielearn", grade, 1)
    r, doc, _ = grade("no data.json", answers(CORRECT), metadata=False)
    if doc and doc.get("gradable") is not False:
        fail(f"prairielearn without data.json: {doc}")
    # Packaging again replaces what ironlaw wrote; a file it did not write needs --force.
    package(["--prairielearn", str(question)])
    (question / "notes.txt").write_text("mine")
    (question / "tests" / "ironlaw").unlink()
    (question / "tests" / "ironlaw").write_text("someone else's")
    (question / "tests" / ".ironlaw-out").write_text("# emptied\n")
    r = subprocess.run([binary, "assignment", "package", str(assignment), "--prairielearn", str(question)],
                       capture_output=True, text=True)
    if r.returncode != 1 or "E1502" not in r.stderr:
        fail(f"packaging over a file ironlaw did not write: exit {r.returncode} {r.stderr}")
    if (question / "notes.txt").read_text() != "mine":
        fail("packaging touched a file that is not its own")


def check_no_sandbox(tmp):
    """--no-sandbox: a submission that exhausts memory is its row; the rows after it are still written."""
    import resource
    subs = tmp / "subs"
    subs.mkdir()
    (subs / "alice.iron").write_text(WRONG)
    (subs / "bob.iron").write_text("".join(f"let big{i} = 1 .. 1000000\n" for i in range(60)) + CORRECT)
    (subs / "dave.iron").write_text(CORRECT)
    cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
    r = subprocess.run([binary, "grade", str(assignment), "--submissions", str(subs), "--no-sandbox"],
                       capture_output=True, text=True, timeout=120, preexec_fn=None if sanitized else cap)
    rows = r.stdout.splitlines()
    if r.returncode != 0 or len(rows) != 4:
        fail(f"exit {r.returncode}, {len(rows)} lines:\n{r.stdout}{r.stderr[-1000:]}")
    if not sanitized and not any(row.startswith("bob,0,10,") and row.endswith(",out of memory") for row in rows):
        fail(f"bob's row is not 'out of memory':\n{r.stdout}")
    if not any(row.startswith("dave,10,10,") for row in rows):
        fail(f"dave, after bob, was not graded:\n{r.stdout}")


with tempfile.TemporaryDirectory() as scratch:
    {"gradescope": check_gradescope, "prairielearn": check_prairielearn,
     "no_sandbox": check_no_sandbox}[check](pathlib.Path(scratch))
print(f"{check}: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
