#!/usr/bin/env python3
"""Renders every plot case (tests/golden/plot/*.iron) to PNG and checks it.

Usage: tests/check_plots.py IRONLAW [--write-docs DIR]

Each case's first line gives its command (`# golden-args: run {case} --plot
KIND`); its SVG is also under golden test (the .expected beside it). Here the
SVG is rendered with rsvg-convert (Debian's librsvg2-bin) and the PNG must be
the size the SVG states, neither blank nor a solid block (between 1% and 60%
of its pixels not white), and the SVG's numbered labels (class "marker-label")
must not overlap one another or leave the canvas. A positive axis never shows a
negative tick. With --write-docs the PNGs are written to DIR (docs/images).
"""
import os, pathlib, re, shlex, shutil, struct, subprocess, sys, tempfile, zlib

def png_pixels(data):
    """(width, height, rows of RGBA tuples) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), f"unexpected PNG format: depth {depth}, color type {color}"
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows

def label_boxes(svg):
    # The placer's own estimate of a 10 px label: 0.62 em per character.
    for m in re.finditer(r'<text class="marker-label" x="([\d.]+)" y="([\d.]+)" font-size="(\d+)"[^>]*>([^<]*)<', svg):
        x, y, size, text = float(m[1]), float(m[2]), float(m[3]), m[4]
        yield text, (x, y - 0.8 * size, x + 0.62 * size * len(text), y + 0.25 * size)

def check(binary, case, docs):
    problems = []
    first = case.read_text().split("\n", 1)[0]
    args = [a.replace("{case}", str(case)) for a in shlex.split(first[len("# golden-args:"):])]
    r = subprocess.run([binary] + args, capture_output=True, text=True, timeout=60, env=dict(os.environ, NO_COLOR="1"))
    if r.returncode != 0 or not r.stdout.startswith("<svg"):
        return [f"{case.name}: exit {r.returncode}, no SVG: {r.stderr.strip()[:300]}"]
    svg = r.stdout
    width, height = (float(v) for v in re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg).groups())
    with tempfile.TemporaryDirectory() as scratch:
        svg_path, png_path = pathlib.Path(scratch, "plot.svg"), pathlib.Path(scratch, "plot.png")
        svg_path.write_text(svg)
        subprocess.run(["rsvg-convert", "-o", str(png_path), str(svg_path)], check=True, timeout=60)
        data = png_path.read_bytes()
        if docs:
            shutil.copy(png_path, pathlib.Path(docs, case.stem + ".png"))
    if len(data) < 1000:
        problems.append(f"{case.name}: the PNG is {len(data)} bytes")
    w, h, channels, rows = png_pixels(data)
    if (w, h) != (round(width), round(height)):
        problems.append(f"{case.name}: PNG {w}x{h}, the SVG says {width}x{height}")
    inked = sum(1 for row in rows for i in range(0, len(row), channels) if min(row[i:i + 3]) < 235)
    share = inked / (w * h)
    if not 0.01 <= share <= 0.60:
        problems.append(f"{case.name}: {share:.1%} of the pixels are not white (expected 1% to 60%)")
    boxes = list(label_boxes(svg))
    for i, (text, a) in enumerate(boxes):
        if a[0] < 0 or a[1] < 0 or a[2] > width or a[3] > height:
            problems.append(f"{case.name}: label '{text}' leaves the canvas")
        for other, b in boxes[i + 1:]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                problems.append(f"{case.name}: labels '{text}' and '{other}' overlap")
    if "--plot pareto" in first and re.search(r'text-anchor="(?:middle|end)">-', svg):
        problems.append(f"{case.name}: a negative tick on an axis of positive values")
    print(f"{case.name}: {w}x{h} PNG, {len(data)} bytes, {share:.1%} inked, {len(boxes)} labels")
    return problems

def main():
    binary = os.path.abspath(sys.argv[1])
    docs = sys.argv[sys.argv.index("--write-docs") + 1] if "--write-docs" in sys.argv else None
    if not shutil.which("rsvg-convert"):
        sys.exit("rsvg-convert is missing: install Debian's librsvg2-bin (tools/setup --dev does)")
    cases = sorted(pathlib.Path(__file__).resolve().parent.joinpath("golden", "plot").glob("*.iron"))
    if not cases:
        sys.exit("no plot cases in tests/golden/plot")
    problems = [p for case in cases for p in check(binary, case, docs)]
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)

main()
