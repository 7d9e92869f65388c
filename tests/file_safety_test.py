#!/usr/bin/env python3
"""Files: bounded reads and atomic writes (issue 16), through the real binary.

    file_safety_test.py IRONLAW SOURCE_DIR CHECK

CHECK is one of: fifo, grade_dir, import_chain, import_limits, repl_paste,
fmt_write, out_dir, save. Each builds what it needs (FIFOs, links, sparse
files, generated imports) in a scratch directory, and fails with a message
saying what went wrong. Every command runs with a timeout: a read that hangs
fails the test instead of the suite.
"""
import os, pathlib, resource, signal, subprocess, sys, tempfile, time

binary, source_dir, check = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
env = dict(os.environ, NO_COLOR="1")
env.pop("IRONLAW_PATH", None)
failures = []


def run(args, stdin=None, cwd=None, timeout=20, preexec_fn=None):
    started = time.monotonic()
    try:
        r = subprocess.run([binary] + args, input=stdin, capture_output=True, text=True, cwd=cwd, env=env,
                           timeout=timeout, preexec_fn=preexec_fn)
    except subprocess.TimeoutExpired:
        fail(f"`ironlaw {' '.join(args)[:120]}` did not finish in {timeout} s")
        return None, timeout
    return r, time.monotonic() - started


def fail(message):
    failures.append(message)
    print("FAILED:", message)


def expect(r, code, *needles, where="stderr"):
    if r is None:
        return
    text = r.stdout if where == "stdout" else r.stderr
    if r.returncode != code:
        fail(f"exit {r.returncode}, expected {code}: {r.args[1:]}\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    for n in needles:
        if n not in text:
            fail(f"{r.args[1:]}: {where} lacks {n!r}:\n{text[-2000:]}")


def entries(d):
    return sorted(os.listdir(d))


def check_fifo(tmp):
    """No command hangs on a FIFO (nothing ever writes to it): each refuses it."""
    fifo = tmp / "pipe.iron"
    os.mkfifo(fifo)
    for args in (["run", str(fifo)], ["check", str(fifo)], ["fmt", str(fifo)], ["fmt", "--write", str(fifo)],
                 ["dump", "--phase", "ast", str(fifo)], ["import-model", str(fifo)], ["calibrate", str(fifo)],
                 ["validate", str(fifo)]):
        r, _ = run(args, timeout=10)
        expect(r, 1, "E0705", "is a FIFO, not a regular file")
    importer = tmp / "imports_fifo.iron"
    importer.write_text('import "pipe.iron"\n')
    r, _ = run(["run", str(importer)], timeout=10)
    expect(r, 1, "error[E0705]", "is a FIFO, not a regular file")
    dev = tmp / "imports_dev.iron"
    dev.write_text('import "/dev/zero"\n')
    r, _ = run(["run", str(dev)], timeout=10)
    expect(r, 1, "error[E0705]", "'/dev/zero' is a character device, not a regular file")
    r, _ = run(["repl"], stdin=f":load {fifo}\n1 + 1\n", timeout=10)
    expect(r, 1, "is a FIFO, not a regular file")
    expect(r, 1, "2", where="stdout")
    r, _ = run(["grade", str(source_dir / "tests/data/grading/hw.iron"), "--submission", str(fifo), "--student", "dave",
                "--format", "text"], timeout=30)
    expect(r, 0, "is a FIFO, not a regular file", where="stdout")
    # A sparse 120 MB file: refused from its size, before a byte is read.
    big = tmp / "big.iron"
    with open(big, "wb") as f:
        f.truncate(120_000_000)
    r, seconds = run(["check", str(big)], timeout=10)
    expect(r, 1, "error[E0706]", "is 120 MB; the limit is 8 MiB")
    if seconds > 2:
        fail(f"refusing a 120 MB file took {seconds:.1f} s: was it read?")


def check_grade_dir(tmp):
    """A submissions directory: links, folders and FIFOs are rows that say so."""
    subs = tmp / "subs"
    subs.mkdir()
    (subs / "alice.iron").write_text((source_dir / "tests/data/grading/submissions/alice.iron").read_text())
    os.symlink("/etc/passwd", subs / "mallory.iron")
    (subs / "folder.iron").mkdir()
    os.mkfifo(subs / "pipe.iron")
    r, _ = run(["grade", str(source_dir / "tests/data/grading/hw.iron"), "--submissions", str(subs)], timeout=60)
    expect(r, 0, "alice,5,10", "mallory,0,10,0,0,0,0,0,0,0,not graded: a symbolic link",
           "folder,0,10,0,0,0,0,0,0,0,not graded: a directory", "pipe,0,10,0,0,0,0,0,0,0,not graded: not a regular file",
           where="stdout")
    if r is not None and "root:" in r.stdout:
        fail("the linked /etc/passwd was read into the gradebook")


def chain(tmp, n, imports_each):
    for i in range(n):
        lines = [f'import "f{i + 1}.inc"'] * imports_each if i + 1 < n else []
        lines.append(f'print "ran f{i}"')
        (tmp / f"f{i}.inc").write_text("\n".join(lines) + "\n")
    main = tmp / "main.iron"
    main.write_text('import "f0.inc"\n')
    return main


def check_import_chain(tmp):
    """31 files each importing the next twice: 31 runs, not 2^30; a diamond runs its base once."""
    main = chain(tmp, 31, 2)
    r, seconds = run(["run", str(main)], timeout=30)
    expect(r, 0)
    if r is not None:
        ran = r.stdout.splitlines()
        if sorted(ran) != sorted(f"ran f{i}" for i in range(31)):
            fail(f"each of the 31 files should run exactly once; printed {len(ran)} lines")
    print(f"31-file chain imported twice at each step: {seconds:.2f} s")
    if seconds > 5:
        fail(f"the 31-file import chain took {seconds:.1f} s")
    r, _ = run(["check", str(main)], timeout=30)
    expect(r, 0)
    # Imported through a link to the same file: still once (real paths).
    (tmp / "a.iron").write_text('import "f30.inc"\nimport "link.inc"\n')
    os.symlink(tmp / "f30.inc", tmp / "link.inc")
    r, _ = run(["run", str(tmp / "a.iron")], timeout=10)
    expect(r, 0)
    if r is not None and r.stdout != "ran f30\n":
        fail(f"a file imported by its link ran again: {r.stdout!r}")


def check_import_limits(tmp):
    """Imports nested 300 deep stop at 256 (E0707); 10,001 files stop at 10,000 (E0708)."""
    deep = tmp / "deep"
    deep.mkdir()
    main = chain(deep, 300, 1)
    r, _ = run(["run", str(main)], timeout=30)
    expect(r, 1, "error[E0707]: imports nested more than 256 deep")
    wide = tmp / "wide"
    wide.mkdir()
    for i in range(10_001):
        (wide / f"w{i}.inc").write_text(f"let w{i} = {i}\n")
    (wide / "main.iron").write_text("".join(f'import "w{i}.inc"\n' for i in range(10_001)) + "print w9999\n")
    r, seconds = run(["run", str(wide / "main.iron")], timeout=60)
    expect(r, 1, "error[E0708]: more than 10000 files imported")
    expect(r, 1, "9999", where="stdout")
    print(f"10,001 imported files: {seconds:.2f} s")


def check_repl_paste(tmp):
    """A 20,000-line list pasted into the REPL takes about as long as `run` of it."""
    text = "let xs = [\n" + "1,\n" * 19_999 + "1\n]\nprint \"pasted\"\n"
    path = tmp / "paste.iron"
    path.write_text(text)
    r, run_seconds = run(["run", str(path)], timeout=60)
    expect(r, 0, "pasted", where="stdout")
    r, repl_seconds = run(["repl"], stdin=text, timeout=120)
    expect(r, 0, "pasted", where="stdout")
    print(f"20,000-line list: run {run_seconds:.2f} s, repl {repl_seconds:.2f} s")
    if repl_seconds > max(5.0, 10 * run_seconds):
        fail(f"the REPL took {repl_seconds:.1f} s for a paste `run` reads in {run_seconds:.2f} s")
    # An error inside a long open bracket is still found, and the session goes on.
    bad = "let ys = [\n" + "1,\n" * 5_000 + "1 +* 2,\n" + "1,\n" * 5_000 + "]\n" + "print 40 + 2\n"
    r, _ = run(["repl"], stdin=bad, timeout=120)
    expect(r, 1, "error[E0001]")
    expect(r, 1, "42", where="stdout")


def check_fmt_write(tmp):
    """fmt --write: interrupted (file size limit), the original stays and no temporary is left."""
    body = "".join(f"let   v{i} =   {i}   GB\n" for i in range(2_000))  # ~50 kB, reformatted
    target = tmp / "big.iron"
    target.write_text(body)
    os.chmod(target, 0o640)

    def limited():  # writes beyond 4 kB fail with EFBIG (SIGXFSZ ignored)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    r, _ = run(["fmt", "--write", str(target)], preexec_fn=limited)
    expect(r, 1, "error[E1501]", "File too large")
    if target.read_text() != body:
        fail("an interrupted fmt --write changed the original")
    if entries(tmp) != ["big.iron"]:
        fail(f"an interrupted fmt --write left {entries(tmp)}")
    r, _ = run(["fmt", "--write", str(target)])
    expect(r, 0)
    if not target.read_text().startswith("let v0 = 0 GB\n"):
        fail("fmt --write did not reformat")
    if (os.stat(target).st_mode & 0o777) != 0o640:
        fail(f"fmt --write changed the permissions to {oct(os.stat(target).st_mode & 0o777)}")
    if entries(tmp) != ["big.iron"]:
        fail(f"fmt --write left {entries(tmp)}")
    # Through a link: the file it names is rewritten, the link stays a link.
    os.symlink("big.iron", tmp / "link.iron")
    target.write_text("let   a = 1\n")
    r, _ = run(["fmt", "--write", str(tmp / "link.iron")])
    expect(r, 0)
    if not os.path.islink(tmp / "link.iron") or target.read_text() != "let a = 1\n":
        fail("fmt --write through a link should rewrite the file and keep the link")


def check_out_dir(tmp):
    """run --out DIR: a manifest of what ironlaw wrote; foreign files need --force; links never followed."""
    scenario = source_dir / "tests/golden/run/design_search_small.iron"
    out = tmp / "out"
    r, _ = run(["run", str(scenario), "--out", str(out)])
    expect(r, 0)
    expected = [".ironlaw-out", "d.csv", "d.json", "d.svg", "d.txt"]
    if entries(out) != expected:
        fail(f"--out wrote {entries(out)}")
    r, _ = run(["run", str(scenario), "--out", str(out)])  # its own files: replaced
    expect(r, 0)
    if entries(out) != expected:
        fail(f"a second --out run left {entries(out)}")
    # A directory ironlaw did not fill: its existing d.txt is refused, nothing written.
    theirs = tmp / "theirs"
    theirs.mkdir()
    (theirs / "d.txt").write_text("my notes\n")
    r, _ = run(["run", str(scenario), "--out", str(theirs)])
    expect(r, 1, "error[E1502]", "already exists and ironlaw did not write it", "--force")
    if entries(theirs) != ["d.txt"] or (theirs / "d.txt").read_text() != "my notes\n":
        fail(f"a refused --out still wrote: {entries(theirs)}")
    # After the refusal, a later statement reading the design stays silent: it
    # must not print the representative point as if it were the best design.
    reader = tmp / "reader.iron"
    reader.write_text(scenario.read_text() + '\nprint "after: {d}"\n')
    r, _ = run(["run", str(reader), "--out", str(theirs)])
    expect(r, 1, "error[E1502]")
    if r is not None and "after:" in r.stdout:
        fail(f"a design refused by --out was still read: {r.stdout[-300:]}")
    r, _ = run(["run", str(scenario), "--out", str(theirs), "--force"])
    expect(r, 0)
    if (theirs / "d.txt").read_text() == "my notes\n":
        fail("--force did not replace the file")
    # A link in the directory pointing out of it: refused even with --force.
    outside = tmp / "outside.csv"
    outside.write_text("precious\n")
    linked = tmp / "linked"
    linked.mkdir()
    os.symlink(outside, linked / "d.csv")
    for extra in ([], ["--force"]):
        r, _ = run(["run", str(scenario), "--out", str(linked)] + extra)
        expect(r, 1, "error[E1503]", "is a symbolic link")
    if outside.read_text() != "precious\n" or not os.path.islink(linked / "d.csv"):
        fail("--out wrote through a symbolic link")
    r, _ = run(["run", str(scenario), "--force"])
    expect(r, 1, "--force goes with --out DIR")


def check_save(tmp):
    """:save writes atomically; an existing file it did not write needs :save!."""
    r, _ = run(["repl"], stdin="let a = 1\n:save s.iron\nlet b = 2\n:save s.iron\n", cwd=tmp)
    expect(r, 0, "saved 1 definition to s.iron", "saved 2 definitions to s.iron", where="stdout")
    if "let b = 2" not in (tmp / "s.iron").read_text():
        fail("a second :save of the session's own file did not replace it")
    before = (tmp / "s.iron").read_text()
    r, _ = run(["repl"], stdin="let c = 3\n:save s.iron\n", cwd=tmp)
    expect(r, 1, "error[E1502]", "`:save! s.iron` replaces it")
    if (tmp / "s.iron").read_text() != before:
        fail(":save replaced a file another session wrote")
    r, _ = run(["repl"], stdin="let c = 3\n:save! s.iron\n", cwd=tmp)
    expect(r, 0, "saved 1 definition to s.iron", where="stdout")
    if entries(tmp) != ["s.iron"]:
        fail(f":save left {entries(tmp)}")


checks = {name[len("check_"):]: f for name, f in globals().items() if name.startswith("check_")}
if check not in checks:
    sys.exit(f"unknown check {check!r}; one of {', '.join(checks)}")
with tempfile.TemporaryDirectory() as scratch:
    checks[check](pathlib.Path(scratch))
if failures:
    sys.exit(f"{len(failures)} failure(s) in {check}")
print(f"files: {check}: ok")
