#!/usr/bin/env python3
"""Whole-process search benchmarks: `ironlaw run` on the capstone, on larger
serving_fleet spaces made from it and on synthetic decode spaces of growing
size; wall time, points per second and peak memory (max RSS of the child). Run by hand, never as a timed test:

    python3 bench/bench_search.py build/ironlaw [--threads N] [--max 10000000]

Peak memory should not grow with the space (the archive keeps the front only).
"""
import argparse, os, pathlib, resource, statistics, subprocess, sys, tempfile, time

here = pathlib.Path(__file__).resolve().parent

def run(binary, path, threads):
    """Wall seconds and the child's peak RSS in MiB for one `ironlaw run`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    r = subprocess.run([binary, "run", str(path), "--threads", str(threads), "--max-points", "100000000"],
                       capture_output=True, text=True)
    wall = time.perf_counter() - start
    if r.returncode not in (0, 3):
        sys.exit(f"{path}: exit {r.returncode}\n{r.stderr}")
    # ru_maxrss of children is the largest so far: run the small spaces first.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, r.stdout

def synthetic(points, objectives):
    """A decode space of `points` points: batch x context, one requirement, and
    either one objective or two (latency against throughput: every batch at the
    shortest context is on that front, so the front grows with the space)."""
    contexts = 10
    batches = points // contexts
    goals = "minimize d.itl\nmaximize d.throughput\n" if objectives == 2 else "minimize d.itl\n"
    return f"""design d = decode(Llama3_8B, H100_SXM) over {{
  batch   in 1 .. {batches}
  context in [{", ".join(str(1024 * (i + 1)) for i in range(contexts))}] tokens
}}
require d.itl <= 50 ms
{goals}report d pareto top 5
"""

def fleet_space(batches, spares):
    """The capstone's serving_fleet space with `batch in 1 .. batches` and
    `spare_nodes in 0 .. spares - 1`: 5 x 3 x 4 x batches x 3 x spares points."""
    text = (here.parent / "scenarios" / "capstone.iron").read_text()
    text = text.replace("  batch       in [8, 16, 32, 64, 128]", f"  batch       in 1 .. {batches}")
    text = text.replace("  spare_nodes in [0, 1, 2]", f"  spare_nodes in 0 .. {spares - 1}")
    return text, 5 * 3 * 4 * batches * 3 * spares


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--max", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    capstone = here.parent / "scenarios" / "capstone.iron"
    print(f"threads {a.threads}")
    for threads in sorted({1, a.threads}):
        walls = [run(a.binary, capstone, threads)[0] for _ in range(a.repeat)]
        print(f"capstone (serving_fleet, 2,700 points), {threads} thread(s): median wall "
              f"{statistics.median(walls) * 1000:.1f} ms over {a.repeat} runs (min {min(walls) * 1000:.1f} ms), "
              f"{2700 / statistics.median(walls):,.0f} points/s whole process")
    with tempfile.TemporaryDirectory() as scratch:
        for batches, spares in ((128, 3), (128, 30)):
            text, size = fleet_space(batches, spares)
            path = pathlib.Path(scratch) / f"fleet_{size}.iron"
            path.write_text(text)
            walls = [run(a.binary, path, a.threads)[0] for _ in range(a.repeat)]
            wall = statistics.median(walls)
            print(f"serving_fleet space (the capstone, batch 1..{batches}, spare_nodes 0..{spares - 1}), {size:>9,} points, "
                  f"{a.threads} thread(s): median wall {wall:6.2f} s, {size / wall:>10,.0f} points/s")
        for objectives in (1, 2):
            size = 10_000
            while size <= a.max:
                path = pathlib.Path(scratch) / f"space_{objectives}_{size}.iron"
                path.write_text(synthetic(size, objectives))
                wall, peak, _ = run(a.binary, path, a.threads)
                print(f"decode space, {objectives} objective(s), {size:>11,} points: wall {wall:7.2f} s, "
                      f"{size / wall:>10,.0f} points/s, peak RSS so far {peak:6.1f} MiB")
                size *= 10

main()
