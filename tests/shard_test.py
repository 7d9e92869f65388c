#!/usr/bin/env python3
"""Shards (issue 23, docs/search.md "Shards"), through the real binary.

    shard_test.py IRONLAW SOURCE_DIR CHECK

CHECK is one of:
  merge    `run FILE --shard K/N --out DIR` for K = 1..N, then `merge DIR`,
           equals `run FILE` byte for byte in every format, for N = 1, 2, 7
           and 64, with and without --sample, on real scenarios (JSON's
           "seconds" and "threads" masked: they describe the run).
  hostile  bad K/N, malformed, truncated, corrupted, other-version,
           mismatched-scenario, duplicate and missing shard files: a
           diagnostic with its code and exit 1, never a crash or a hang.
  slurm    `ironlaw slurm` writes the array script, the merge script with
           afterok, and refuses what cannot go on an #SBATCH line.
"""
import os, pathlib, random, re, subprocess, sys, tempfile

binary, source_dir, check = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
env = dict(os.environ, NO_COLOR="1")
env.pop("IRONLAW_PATH", None)
failures = []
FORMATS = ["table", "json", "csv", "md"]


def run(args, timeout=120):
    try:
        return subprocess.run([binary] + args, capture_output=True, text=True, cwd=source_dir, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(f"`ironlaw {' '.join(args)[:160]}` did not finish in {timeout} s")
        return None


def fail(message):
    failures.append(message)
    print("FAILED:", message)


def mask(text):
    return re.sub(r'("(?:seconds|threads)": )[0-9.e+-]+', r'\1"<masked>"', text)


def expect(r, code, *needles):
    if r is None:
        return
    if r.returncode != code:
        fail(f"exit {r.returncode}, expected {code}: {r.args[1:]}\n{r.stderr[-2000:]}")
        return
    for n in needles:
        if n not in r.stderr:
            fail(f"{r.args[1:]}: stderr lacks {n!r}:\n{r.stderr[-2000:]}")


def shard_all(scenario, n, out, extra=(), threads="1"):
    for k in range(1, n + 1):
        r = run(["run", scenario, "--shard", f"{k}/{n}", "--out", str(out), "--threads", threads, *extra])
        if r is None or r.returncode != 0:
            fail(f"{scenario} part {k}/{n} {extra}: exit {r and r.returncode}\n{r and r.stderr}")
            return False
    return True


def check_merge():
    cases = [
        ("scenarios/capstone.iron", [1, 2, 7, 64]),
        ("scenarios/tutorial/04_distributed.iron", [1, 2, 7, 64]),
        ("scenarios/examples/design.iron", [1, 2, 7]),
        ("scenarios/tutorial/06_fleet.iron", [2, 7]),
        ("scenarios/edge/kws.iron", [7]),
        ("tests/data/typed/decode_long_range.iron", [3]),  # an axis kept as a range, never materialized
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for scenario, ns in cases:
            for sampling in ([], ["--sample", "60", "--seed", "11"]):
                whole = {}
                for f in FORMATS:
                    r = run(["run", scenario, "--format", f, *sampling])
                    whole[f] = (r.returncode, mask(r.stdout), r.stderr)
                # The comparison means something: a report, sampled when asked (where the space is larger).
                if len(whole["table"][1]) < 200 or (sampling and scenario.endswith("capstone.iron")
                                                    and "APPROXIMATE" not in whole["table"][1]):
                    fail(f"{scenario} {sampling}: the whole run printed no (sampled) report:\n{whole['table'][1]}")
                for n in ns:
                    out = pathlib.Path(tmp) / f"{pathlib.Path(scenario).stem}-{n}-{len(sampling)}"
                    # Two threads in the parts: a part's outcome is independent of its thread count too.
                    if not shard_all(scenario, n, out, sampling, threads="2" if n == 2 else "1"):
                        continue
                    files = sorted(p.name for p in out.iterdir())
                    if len(files) != n or not all(p.endswith(".ironlaw-shard") for p in files):
                        fail(f"{scenario} N={n}: the directory holds {files[:5]}...")
                    for f in FORMATS:
                        r = run(["merge", str(out), "--format", f])
                        got = (r.returncode, mask(r.stdout), r.stderr)
                        if got != whole[f]:
                            fail(f"{scenario} N={n} {sampling} --format {f}: merge differs from run\n"
                                 f"run:   exit {whole[f][0]}\n{whole[f][1][:1500]}\n{whole[f][2][:500]}\n"
                                 f"merge: exit {got[0]}\n{got[1][:1500]}\n{got[2][:500]}")
                print(f"{scenario} {'sampled' if sampling else 'whole'}: N = {ns} merge as the whole run")


def one_part(tmp, scenario="scenarios/capstone.iron", n=2, extra=()):
    out = pathlib.Path(tmp) / f"p{random.random()}"
    shard_all(scenario, n, out, extra)
    return out, sorted(out.iterdir())


def check_hostile():
    for bad in ["0/4", "5/4", "a/b", "3", "1/0", "-1/4", "1/4/2", "1/1000001", "", "1 /4", "99999999999999999999/4"]:
        r = run(["run", "scenarios/capstone.iron", "--shard", bad, "--out", "/tmp/never-written"])
        expect(r, 1, "E1209")
    r = run(["run", "scenarios/capstone.iron", "--shard", "1/2"])
    expect(r, 1, "--out DIR")
    r = run(["run", "scenarios/capstone.iron", "--shard", "1/2", "--out", "/tmp/never-written", "--plot", "pareto"])
    expect(r, 1, "draws no plot")
    with tempfile.TemporaryDirectory() as tmp:
        out, files = one_part(tmp)
        good = files[0].read_bytes()
        bad_dir = pathlib.Path(tmp) / "bad"
        bad_dir.mkdir()
        target = bad_dir / files[0].name
        sibling = files[1]

        def merge_with(content, *needles):
            target.write_bytes(content)
            (bad_dir / sibling.name).write_bytes(sibling.read_bytes())
            r = run(["merge", str(bad_dir)], timeout=30)
            if r is not None and r.returncode not in (0, 1, 3):
                fail(f"merge of a damaged file exited {r.returncode}:\n{r.stderr[-1500:]}")
            if needles:
                expect(r, 1, *needles)
            return r

        merge_with(b"", "E1210")
        merge_with(b"\x00\xff" * 1000, "E1210")
        merge_with(good.replace(b"ironlaw-shard 1", b"ironlaw-shard 2", 1), "E1211")
        merge_with(good.replace(b"ironlaw-shard 1", b"ironlaw-shard 99999999999999999999", 1), "E1210")
        merge_with(good + b"trailing", "E1210")
        merge_with(re.sub(rb"text (\d+):", lambda m: b"text " + str(int(m.group(1)) + 10**9).encode() + b":", good,
                          count=1), "E1210")
        # Truncations (all but the last newline, which the format does not need): a diagnostic at the cut.
        body = len(good) - 1
        cuts = sorted(set([0, 1, body - 1] + random.Random(1).sample(range(body), min(300, body))))
        for cut in cuts:
            merge_with(good[:cut], "E1210")
        # Random corruption: any outcome but a crash (some flips still read as a valid file).
        rng = random.Random(2)
        for _ in range(300):
            data = bytearray(good)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.choice(b"0123456789 :\n-.xen")
            merge_with(bytes(data))
        # Forged values that parse: an archived point's objectives changed (it would
        # rank first), and counts that cannot add up (one would wrap a sum).
        archive_line = re.search(rb"\narchive [^\n]*\n([^\n]*)\n", good)
        fields = archive_line.group(1).split(b" ")
        forged = b" ".join(fields[:2] + [b"0.001"] + fields[3:])
        merge_with(good.replace(archive_line.group(1), forged, 1), "E1212", "does not match this scenario",
                   "evaluating it gives")
        merge_with(re.sub(rb"\nfailed (\d+) (\d+)", lambda m: b"\nfailed " + m.group(1) + b" 18446744073709551615",
                          good, count=1), "E1212", "do not add up")
        merge_with(re.sub(rb"\ncounts (\d+) (\d+) (\d+)", lambda m: b"\ncounts " + m.group(1) +
                          b" 18446744073709551615 2", good, count=1), "E1212", "do not add up")
        # Counts that add up but contradict the archives: a relaxation archive
        # of a requirement holding more points than fail it; a reason no point
        # gives; a rejected point no reason counts.
        merge_with(re.sub(rb"\nfailed (\d+) (\d+) (\d+)", lambda m: b"\nfailed " + m.group(1) + b" " + m.group(2) + b" 1",
                          good, count=1), "E1212", "do not add up")
        merge_with(good.replace(b":does not fit in memory\n", b":does not fit in memorY\n", 1), "E1212",
                   "counted as failing with 'does not fit in memorY'")
        merge_with(re.sub(rb"\ncounts (\d+) 0 0 (\d+)", lambda m: b"\ncounts " + m.group(1) + b" 0 1 " +
                          str(int(m.group(2)) - 1).encode(), good, count=1), "E1212", "reasons of rejection count 0")
        # Another scenario's part, a duplicate part, a missing part, another split.
        other_dir, other = one_part(tmp, "scenarios/examples/design.iron")
        mixed = pathlib.Path(tmp) / "mixed"
        mixed.mkdir()
        (mixed / "a.ironlaw-shard").write_bytes(files[0].read_bytes())
        (mixed / "b.ironlaw-shard").write_bytes(other[1].read_bytes())
        expect(run(["merge", str(mixed)]), 1, "E1212", "different scenarios")
        expect(run(["merge", str(out), str(files[0])]), 1, "E1212", "appears twice")
        expect(run(["merge", str(files[0])]), 1, "E1212", "missing")
        three_dir, three = one_part(tmp, n=3)
        expect(run(["merge", str(files[0]), str(three[1])]), 1, "E1212", "different runs")
        sampled_dir, sampled = one_part(tmp, extra=("--sample", "50"))
        expect(run(["merge", str(files[0]), str(sampled[1])]), 1, "E1212", "different runs")
        empty = pathlib.Path(tmp) / "empty"
        empty.mkdir()
        expect(run(["merge", str(empty)]), 1, "E1212")
        expect(run(["merge", str(pathlib.Path(tmp) / "absent")]), 1, "E0004")
        # A file that is not a shard file is never replaced without --force; a link never.
        plain = pathlib.Path(tmp) / "plain"
        plain.mkdir()
        (plain / "shard-1-of-2.ironlaw-shard").write_text("my notes\n")
        expect(run(["run", "scenarios/capstone.iron", "--shard", "1/2", "--out", str(plain)]), 1, "E1502")
        if (plain / "shard-1-of-2.ironlaw-shard").read_text() != "my notes\n":
            fail("a file that was not a shard file was replaced")
        # A part run again replaces its own file.
        expect(run(["run", "scenarios/capstone.iron", "--shard", "1/2", "--out", str(out)]), 0)
    print(f"hostile: {len(cuts)} truncations, 300 corruptions, bad K/N and mismatched sets refused")


def check_slurm():
    with tempfile.TemporaryDirectory() as tmp:
        job = pathlib.Path(tmp) / "job"
        r = run(["slurm", "scenarios/capstone.iron", "--shards", "16", "--out", str(job), "--partition", "gpu",
                 "--time", "00:10:00", "--sample", "500", "--seed", "3"])
        expect(r, 0)
        array = (job / "run.sbatch").read_text()
        merge = (job / "merge.sbatch").read_text()
        submit = (job / "submit.sh").read_text()
        for needle in ["#SBATCH --array=1-16", "#SBATCH --partition=gpu", "#SBATCH --time=00:10:00",
                       '--shard "$SLURM_ARRAY_TASK_ID/16"', "--sample 500 --seed 3", f"--out '{job}'/parts"]:
            if needle not in array:
                fail(f"run.sbatch lacks {needle!r}:\n{array}")
        if "merge '" + str(job) + "'/parts --format json" not in merge:
            fail(f"merge.sbatch does not merge the parts:\n{merge}")
        if "--dependency=afterok:$array" not in submit or "--kill-on-invalid-dep=yes" not in submit:
            fail(f"submit.sh does not make the merge depend on the array:\n{submit}")
        r = subprocess.run(["bash", "-n", str(job / "run.sbatch")], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"run.sbatch is not valid bash: {r.stderr}")
        expect(run(["slurm", "scenarios/capstone.iron", "--shards", "4", "--out", str(job), "--partition", "a b"]), 1,
               "#SBATCH")
        expect(run(["slurm", "scenarios/capstone.iron", "--out", str(job)]), 1, "--shards")
        expect(run(["slurm", "scenarios/capstone.iron", "--shards", "0", "--out", str(job)]), 1, "--shards")
        bad = pathlib.Path(tmp) / "bad.iron"
        bad.write_text("let x = 1 GB + 1 s\n")
        expect(run(["slurm", str(bad), "--shards", "4", "--out", str(pathlib.Path(tmp) / "nojob")]), 1, "E0")
        if (pathlib.Path(tmp) / "nojob").exists():
            fail("slurm wrote scripts for a scenario that does not check")
        # A file name is the user's to choose: a space in it must not become an
        # #SBATCH option of its own, and a newline (which could start a
        # directive line) is refused.
        named = pathlib.Path(tmp) / "a --array=1-99999 --uid=0 x.iron"
        named.write_text((source_dir / "scenarios/capstone.iron").read_text())
        expect(run(["slurm", str(named), "--shards", "2", "--out", str(pathlib.Path(tmp) / "named")]), 0)
        for script in ["run.sbatch", "merge.sbatch"]:
            lines = (pathlib.Path(tmp) / "named" / script).read_text().splitlines()
            directives = [line for line in lines if line.startswith("#SBATCH")]
            if any(line.startswith("#SBATCH --uid") or " " in line[len("#SBATCH "):] for line in directives):
                fail(f"{script}: the file name added an #SBATCH option:\n" + "\n".join(directives))
        newline = pathlib.Path(tmp) / "nl\n#SBATCH --uid=0 x.iron"
        newline.write_text((source_dir / "scenarios/capstone.iron").read_text())
        expect(run(["slurm", str(newline), "--shards", "2", "--out", str(pathlib.Path(tmp) / "nl")]), 1, "newline")
        expect(run(["slurm", "scenarios/capstone.iron", "--shards", "2", "--out", str(pathlib.Path(tmp) / "o%j")]), 1, "%")
    print("slurm: scripts written and refused as documented")


{"merge": check_merge, "hostile": check_hostile, "slurm": check_slurm}[check]()
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
