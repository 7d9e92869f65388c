#!/usr/bin/env python3
"""Diagnostics and help never point at a command, flag, REPL command or page that does not exist.

Usage: check_hints.py IRONLAW REPO_ROOT

Reads every string literal of lang/, stdlib/ and runtime/ (comments are not
read: they are not shown to users; adjacent literals are joined, as the
compiler joins them) and the pages `ironlaw explain` prints (docs/errors/),
and checks what they name:
  - `ironlaw COMMAND ...` in backquotes, or unquoted with a known COMMAND:
    the command exists, each --flag is one the command accepts, and a
    concrete argument of `help`, `explain`, `zoo`, `registry` and
    `assignment` is accepted (a function, a code, a kind or an entry);
  - `:command` (the REPL's): the REPL knows it;
  - docs/PAGE.md: the page exists, and `docs/PAGE.md, "Section"` names a
    heading of that page.
Everything is checked against the real binary and tree, not against a list.
"""
import os, pathlib, re, subprocess, sys

binary, root = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
env = dict(os.environ, NO_COLOR="1")
env.pop("IRONLAW_PATH", None)


def string_literals(code):
    """The program's string literals, adjacent ones joined, escapes decoded."""
    out, i, n, last_end, current = [], 0, len(code), -1, None
    while i < n:
        c = code[i]
        if code.startswith("//", i):
            i = code.find("\n", i) % (n + 1) if "\n" in code[i:] else n
            continue
        if code.startswith("/*", i):
            i = code.find("*/", i + 2) + 2 if "*/" in code[i + 2:] else n
            continue
        raw = re.match(r'R"([^(\s]*)\(', code[i:i + 20]) if c == "R" and (i == 0 or not code[i - 1].isalnum()) else None
        if raw:
            end = code.find(")" + raw.group(1) + '"', i)
            text, j = code[i + raw.end():end], end + len(raw.group(1)) + 2
        elif c == '"':
            j, text = i + 1, []
            while j < n and code[j] != '"':
                if code[j] == "\\" and j + 1 < n:
                    text.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(code[j + 1], "\\" + code[j + 1]))
                    j += 2
                else:
                    text.append(code[j])
                    j += 1
            text, j = "".join(text), j + 1
        elif c == "'":
            j = i + 1
            while j < n and code[j] != "'":
                j += 2 if code[j] == "\\" else 1
            i = j + 1
            continue
        else:
            if not c.isspace() and current is not None:
                out.append(current)
                current = None
            i += 1
            continue
        current = text if current is None else current + text
        i = j
    if current is not None:
        out.append(current)
    return out


texts = []  # (where, text)
for folder in ("lang", "stdlib", "runtime"):
    for path in sorted((root / folder).rglob("*")):
        if path.suffix in (".cpp", ".hpp"):
            for s in string_literals(path.read_text(errors="replace")):
                texts.append((str(path.relative_to(root)), s))
for page in sorted((root / "docs" / "errors").glob("*.md")):
    # Fences are not quotes: without them the backquotes pair up as the page shows them.
    texts.append((str(page.relative_to(root)), page.read_text().replace("```", "")))

cache = {}


def ironlaw(*args, stdin=None):
    key = (args, stdin)
    if key not in cache:
        cache[key] = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, cwd=root, env=env,
                                    timeout=60)
    return cache[key]


usage = ironlaw("help").stdout
commands = {m for m in re.findall(r"^  ironlaw ([a-z][a-z-]*)", usage, re.M)}
placeholder = re.compile(r"^([A-Z][A-Z_]*|.*[{}\[\]|.'\"<>].*|)$")
problems, checked = [], set()


def check_command(where, line):
    line = line.split("  ")[0]  # a usage line: the command, then two spaces and what it does
    words = line.split()
    if not words:
        return
    command = words[0]
    if command not in commands:
        problems.append(f"{where}: `ironlaw {line}` names the command '{command}', which `ironlaw help` does not list")
        return
    for flag in (w.strip("[]").rstrip(".,;:)]") for w in words[1:] if w.strip("[").startswith("--")):
        r = ironlaw(command, flag)
        if "unknown option" in r.stderr:
            problems.append(f"{where}: `ironlaw {line}`: {command} has no flag {flag}")
    args = [w.rstrip(".,;:)") for w in words[1:] if not w.strip("[").startswith("-")]
    concrete = [a for a in args if not placeholder.match(a)]
    if command in ("help", "explain") and concrete:
        if ironlaw(command, concrete[0]).returncode != 0:
            problems.append(f"{where}: `ironlaw {line}`: {command} does not know '{concrete[0]}'")
    if command == "zoo" and concrete:
        run = ["zoo", "show", concrete[1]] if concrete[0] == "show" and len(concrete) > 1 else ["zoo", concrete[0]]
        if concrete[0] != "show" or len(concrete) > 1:
            if ironlaw(*run).returncode != 0:
                problems.append(f"{where}: `ironlaw {line}`: `ironlaw {' '.join(run)}` fails")
    if command in ("registry", "assignment") and concrete:
        if f"ironlaw {command} {concrete[0]}" not in usage:
            problems.append(f"{where}: `ironlaw {line}`: {command} has no subcommand '{concrete[0]}'")
    checked.add(f"ironlaw {command}")


repl_known = {}
for where, text in texts:
    # Commands: in backquotes, or unquoted after a command's name.
    for m in re.finditer(r"`ironlaw ([^`]*)`", text):
        check_command(where, m.group(1))
    unquoted = re.sub(r"`[^`]*`", "", text)
    for m in re.finditer(r"(?<![\w/-])ironlaw ([a-z][a-z-]*(?: [^\n`'\"()]*)?)", unquoted):
        if m.group(1).split()[0] in commands:
            check_command(where, m.group(1))
    # REPL commands.
    for m in re.finditer(r"(?<![\w:/.\\{-])(:[a-z]+)(?![\w(])", text):
        cmd = m.group(1)
        if cmd not in repl_known:
            r = ironlaw("repl", stdin=cmd + "\n")
            repl_known[cmd] = "unknown command" not in r.stdout + r.stderr
        if not repl_known[cmd]:
            problems.append(f"{where}: names the REPL command {cmd}, which the REPL does not know")
        checked.add(cmd)
    # Pages, and sections of pages.
    for m in re.finditer(r"docs/[\w/.-]*?\.(?:md|json)", text):
        if not (root / m.group(0)).is_file():
            problems.append(f"{where}: names {m.group(0)}, which does not exist")
        checked.add(m.group(0))
    for m in re.finditer(r'(docs/[\w/.-]+\.md), "([^"]+)"', text):
        page = root / m.group(1)
        headings = re.findall(r"^#+ (.*)$", page.read_text(), re.M) if page.is_file() else []
        if not any(m.group(2).lower() in h.lower() for h in headings):
            problems.append(f"{where}: names the section \"{m.group(2)}\" of {m.group(1)}, which has no such heading")

if problems:
    print("\n".join(sorted(set(problems))))
    sys.exit(1)
print(f"{len(texts)} strings: {len(checked)} commands, REPL commands and pages named, each exists: "
      + ", ".join(sorted(checked)))
