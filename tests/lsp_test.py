#!/usr/bin/env python3
"""`ironlaw lsp` driven by a scripted client (tests/lsp_client.py), one check per
CTest case (issue 25):

  session    initialize; open a file with an error; its diagnostic's code and
             range; the did-you-mean code action; fix it; an empty list; hover a
             registry name, a let and a design; complete after `H100_SXM.`, in a
             call and after a number; format; definition (a let, a registry entry
             opens its TOML line); references; rename; symbols; inlay hints;
             shutdown and exit (code 0)
  malformed  bad JSON, JSON nested too deep, a bad Content-Length (and the
             frames after it, its body naming Content-Length too), an unknown method, bad parameters,
             a request before initialize, a message over the size limit and a
             document over the parser's: JSON-RPC errors or diagnostics, and the
             server keeps answering
  imports    an imported file's error is published under its own URI, and its
             names are known to the importing file
  cancel     a request cancelled while it waits in the queue is answered -32800
  cancel_running
             a check already running stops when its document is edited again
             (nothing published for the old text) or when the request waiting
             on it is cancelled (-32800) or its document edited (-32801)

usage: lsp_test.py IRONLAW SOURCE_DIR CHECK"""
import os
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from lsp_client import Client, LspError  # noqa: E402

binary, source_dir, check = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def position(text, needle, nth=0, delta=0):
    """The LSP position of the nth occurrence of needle (ASCII text), plus delta characters."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


def start(tmp):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp / "cache"))
    client = Client(binary, env)
    return client


def session(tmp):
    c = start(tmp)
    caps = c.initialize(str(tmp))["capabilities"]
    for cap in ("hoverProvider", "completionProvider", "definitionProvider", "renameProvider",
                "documentFormattingProvider", "codeActionProvider", "inlayHintProvider"):
        expect(cap in caps, f"initialize advertises {cap}")
    uri = (tmp / "brief.iron").as_uri()
    broken = ("let gpu = H100_SXN\n"
              "let r = decode(Llama3_8B, gpu, batch = 8)\n"
              "print r.itl\n")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "ironlaw", "version": 1,
                                                       "text": broken}})
    diags = c.diagnostics(uri)
    expect(len(diags) == 1, f"one diagnostic for the misspelt name, got {diags}")
    if diags:
        d = diags[0]
        expect(d.get("code") == "E0102", f"the diagnostic's code is E0102, got {d.get('code')}")
        expect(d["range"] == {"start": {"line": 0, "character": 10}, "end": {"line": 0, "character": 18}},
               f"the diagnostic spans H100_SXN, got {d['range']}")
        expect("help: did you mean H100_SXM" in d["message"], f"the hint is in the message: {d['message']}")
        actions = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"],
                                                        "context": {"diagnostics": [d]}})
        titles = [a["title"] for a in actions]
        expect(titles and titles[0] == "Change 'H100_SXN' to 'H100_SXM'" and actions[0]["isPreferred"],
               f"a did-you-mean quick fix, the first suggestion preferred, got {titles}")
        if actions:
            edit = actions[0]["edit"]["changes"][uri][0]
            expect(edit["newText"] == "H100_SXM" and edit["range"] == d["range"], f"the fix's edit: {edit}")

    fixed = ("let gpu = H100_SXM\n"
             "let r = decode(Llama3_8B, gpu, batch = 8)\n"
             "print r.itl\n"
             "let budget = 2 GB * 3\n"
             "let per_gpu = budget / 2 in MB\n"
             "design d = decode(Llama3_8B, H100_SXM) over {\n"
             "  batch in [1, 2, 4, 8]\n"
             "  precision in [fp16, fp8]\n"
             "}\n")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]})
    diags = c.diagnostics(uri)
    expect(diags == [], f"no diagnostics once fixed, got {diags}")

    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(fixed, "H100_SXM", 0, 2)})
    text = hover["contents"]["value"] if hover else ""
    expect("H100_SXM" in text and "hardware" in text and "bandwidth" in text and "source" in text,
           f"hovering a registry name shows its kind, fields and source: {text[:300]}")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(fixed, "gpu", 1)})
    text = hover["contents"]["value"] if hover else ""
    expect("let gpu = H100_SXM" in text and "hardware" in text, f"hovering a let shows it and its type: {text}")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(fixed, "per_gpu", 0)})
    text = hover["contents"]["value"] if hover else ""
    expect("= **3000 MB**" in text, f"a let of constants shows its value: {text}")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(fixed, "let r", 0, 4)})
    text = hover["contents"]["value"] if hover else ""
    expect("decode result" in text and "= **" not in text, f"a let that calls a solver is not run: {text}")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(fixed, "decode", 0)})
    text = hover["contents"]["value"] if hover else ""
    expect("batch" in text and "Parameters" in text, f"hovering a solver lists its parameters: {text[:200]}")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(fixed, "design d", 0, 7)})
    text = hover["contents"]["value"] if hover else ""
    expect("space: 8 points" in text, f"hovering a design shows its space size (4 x 2): {text}")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(fixed, "r.itl", 0, 3)})
    text = hover["contents"]["value"] if hover else ""
    expect("time" in text, f"hovering r.itl shows a quantity of time: {text}")

    typing = fixed + "print H100_SXM.\n"
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": typing}]})
    items = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                  "position": position(typing, "H100_SXM.\n", 0, 9)})["items"]
    labels = {i["label"] for i in items}
    expect({"bandwidth", "memory", "peak"} <= labels and "let" not in labels,
           f"after `H100_SXM.` the hardware's fields and nothing else: {sorted(labels)[:20]}")
    typing = fixed + "let e = decode(Llama3_8B, H100_SXM, ba\n"
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": typing}]})
    items = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                  "position": position(typing, ", ba\n", 0, 4)})["items"]
    first = sorted(items, key=lambda i: i.get("sortText", i["label"]))[:40]
    expect(any(i["label"] == "batch" and i.get("insertText") == "batch = " for i in first),
           "inside decode( the parameter batch is offered first")
    expect(any(i["label"] == "H100_SXM" for i in items) and any(i["label"] == "design" for i in items),
           "and registry entries and keywords after it")
    typing = fixed + "let m = 80 G\n"
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": typing}]})
    items = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                  "position": position(typing, "80 G\n", 0, 4)})["items"]
    labels = {i["label"] for i in items}
    expect("B" in labels and "s" in labels and "H100_SXM" not in labels, "after a number, units")

    messy = "let  gpu=H100_SXM   # the accelerator\nprint gpu.memory\n"
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 6}, "contentChanges": [{"text": messy}]})
    edits = c.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                  "options": {"tabSize": 2, "insertSpaces": True}})
    expect(len(edits) == 1 and edits[0]["newText"] == "let gpu = H100_SXM  # the accelerator\nprint gpu.memory\n",
           f"formatting gives ironlaw fmt's layout: {edits}")
    tidy = edits[0]["newText"] if edits else messy
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 7}, "contentChanges": [{"text": tidy}]})
    edits = c.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                  "options": {"tabSize": 2, "insertSpaces": True}})
    expect(edits == [], f"a formatted file needs no edits: {edits}")

    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 8}, "contentChanges": [{"text": fixed}]})
    loc = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": position(fixed, "gpu", 1)})
    expect(loc and loc["uri"] == uri and loc["range"]["start"] == {"line": 0, "character": 4},
           f"definition of a let: {loc}")
    loc = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": position(fixed, "H100_SXM", 0)})
    ok = False
    if loc and loc["uri"].startswith("file://") and loc["uri"].endswith(".toml"):
        lines = pathlib.Path(loc["uri"][len("file://"):]).read_text().splitlines()
        ok = lines[loc["range"]["start"]["line"]].strip() == "[H100_SXM]"
    expect(ok, f"definition of a registry entry opens its TOML line: {loc}")
    refs = c.request("textDocument/references", {"textDocument": {"uri": uri}, "position": position(fixed, "gpu", 0),
                                                 "context": {"includeDeclaration": True}})
    expect(len(refs) == 2, f"gpu is defined once and used once: {refs}")
    edit = c.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": position(fixed, "gpu", 0),
                                             "newName": "accel"})
    changes = edit["changes"][uri]
    expect(len(changes) == 2 and all(e["newText"] == "accel" for e in changes), f"rename edits both: {changes}")
    try:
        c.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": position(fixed, "gpu", 0),
                                          "newName": "let"})
        expect(False, "renaming to a keyword is refused")
    except LspError as e:
        expect(e.args[0]["code"] == -32803, f"renaming to a keyword: RequestFailed, got {e}")
    symbols = c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    expect([s["name"] for s in symbols] == ["gpu", "r", "budget", "per_gpu", "d"], f"symbols: {[s['name'] for s in symbols]}")

    bare = "let r = decode(Llama3_8B, H100_SXM, batch = 8, context = 4096)\n"
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 9}, "contentChanges": [{"text": bare}]})
    hints = c.request("textDocument/inlayHint", {"textDocument": {"uri": uri},
                                                 "range": {"start": {"line": 0, "character": 0},
                                                           "end": {"line": 1, "character": 0}}})
    expect(len(hints) == 1 and hints[0]["label"].strip() == "token"
           and hints[0]["position"] == position(bare, "4096", 0, 4), f"a bare context shows its unit: {hints}")
    expect(c.close() == 0, "shutdown then exit: exit code 0")


def malformed(tmp):
    c = start(tmp)
    rid = c.request_async("textDocument/hover", {})
    reply = c.reply_to(rid)
    expect(reply.get("error", {}).get("code") == -32002, f"a request before initialize: {reply}")
    c.initialize(str(tmp))
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    reply = c.wait_for(lambda m: "error" in m)
    expect(reply["error"]["code"] == -32700 and reply["id"] is None, f"bad JSON: parse error, id null: {reply}")
    c.send_raw(b"Content-Length: twelve\r\n\r\n")
    reply = c.wait_for(lambda m: "error" in m)
    expect(reply["error"]["code"] == -32700, f"a bad Content-Length: {reply}")
    c.send_raw(b"Content-Type: text/plain\r\n\r\n")
    reply = c.wait_for(lambda m: "error" in m)
    expect(reply["error"]["code"] == -32700, f"no Content-Length: {reply}")
    # A header line over 1 KiB beside a good Content-Length: an unknown
    # header, ignored (never held whole), and the message is answered.
    body = b'{"jsonrpc": "2.0", "id": 901, "method": "textDocument/frobnicate", "params": {}}'
    c.send_raw(b"X-Padding: " + b"p" * 5000 + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    reply = c.reply_to(901)
    expect(reply.get("error", {}).get("code") == -32601, f"the message after a long header is read: {reply}")
    # A bad Content-Length leaves its body unread: the server reads it as
    # header text and finds the next frame's header at its end (a long,
    # multi-line body too), so the requests after it are answered.
    for body in (b'{"jsonrpc": "2.0", "id": 900, "method": "shutdown"}', b"x" * 100000 + b"\nmore\n" + b"y" * 5000):
        c.send_raw(b"Content-Length: -1\r\n\r\n" + body)
        reply = c.wait_for(lambda m: "error" in m)
        expect(reply["error"]["code"] == -32700 and "-1" in reply["error"]["message"], f"a negative length: {reply}")
        try:
            c.request("textDocument/frobnicate", {})
            expect(False, "an unknown method is an error")
        except LspError as e:
            expect(e.args[0]["code"] == -32601, f"the frame after a bad one's body is read: {e}")
    # A bad frame's body that holds the words "Content-Length:" itself: the
    # next frame's header is the last one on the line, and its request is answered.
    c.send_raw(b'Content-Length: x\r\n\r\n{"params": {"text": "Content-Length: 5"}}')
    c.wait_for(lambda m: "error" in m)
    rid = c.request_async("textDocument/frobnicate", {})
    reply = c.reply_to(rid)
    expect(reply.get("error", {}).get("code") == -32601, f"the frame after a body naming Content-Length: {reply}")
    # A message nested a million levels deep (a cancellation's id, a
    # notification's params) is refused as it is parsed, not crashing the server.
    nest = "[" * 1000000 + "]" * 1000000
    for deep in ('{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": %s}}' % nest,
                 '{"jsonrpc": "2.0", "method": "foo/bar", "params": {"x": %s}}' % nest):
        c.send_raw(b"Content-Length: %d\r\n\r\n" % len(deep) + deep.encode())
        reply = c.wait_for(lambda m: "error" in m)
        expect(reply["error"]["code"] == -32700 and "deeper" in reply["error"]["message"], f"nested deep: {reply}")
    c.send({"jsonrpc": "2.0", "id": 1000, "params": {}})
    reply = c.reply_to(1000)
    expect(reply["error"]["code"] == -32600, f"no method: invalid request: {reply}")
    c.send([1, 2, 3])
    reply = c.wait_for(lambda m: "error" in m)
    expect(reply["error"]["code"] == -32600, f"an array: invalid request: {reply}")
    try:
        c.request("textDocument/frobnicate", {})
        expect(False, "an unknown method is an error")
    except LspError as e:
        expect(e.args[0]["code"] == -32601, f"unknown method: {e}")
    uri = (tmp / "a.iron").as_uri()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri}})  # no text: dropped
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "ironlaw", "version": 1,
                                                       "text": "let x = 1 GB\n"}})
    expect(c.diagnostics(uri) == [], "after a malformed notification the server still checks")
    for params in ({"textDocument": {"uri": uri}}, {"textDocument": {"uri": uri}, "position": {"line": "x"}},
                   {"textDocument": {"uri": uri}, "position": {"line": 99999, "character": 99999}}):
        try:
            result = c.request("textDocument/hover", params)
            expect(result is None, f"a position past the end is no hover: {result}")
        except LspError as e:
            expect(e.args[0]["code"] == -32602, f"bad hover parameters: invalid params, got {e}")
    try:
        c.request("textDocument/hover", {"textDocument": {"uri": "file:///not/open.iron"},
                                         "position": {"line": 0, "character": 0}})
        expect(False, "a request on a document not open is an error")
    except LspError as e:
        expect(e.args[0]["code"] == -32803, f"not open: {e}")
    big = b"x" * (17 << 20)
    c.send_raw(b"Content-Length: %d\r\n\r\n" % len(big) + big)
    reply = c.wait_for(lambda m: "error" in m, timeout=60)
    expect(reply["error"]["code"] == -32600 and "limit" in reply["error"]["message"], f"over the size limit: {reply}")
    huge_uri = (tmp / "huge.iron").as_uri()
    huge = "let x = 1\n" * (900 * 1024)  # 9 MiB: over the parser's 8 MiB
    c.notify("textDocument/didOpen", {"textDocument": {"uri": huge_uri, "languageId": "ironlaw", "version": 1,
                                                       "text": huge}})
    diags = c.diagnostics(huge_uri, timeout=60)
    expect(len(diags) == 1 and "8388608" in diags[0]["message"], f"a document over 8 MiB: one diagnostic: {diags}")
    expect(c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}})
           is not None, "and the server still answers")
    expect(c.close() == 0, "shutdown then exit: exit code 0")


def imports(tmp):
    (tmp / "common.iron").write_text("let base = H100_SXN\nlet shared = H100_SXM\n")
    main = "import \"common.iron\"\nprint shared.memory\n"
    (tmp / "main.iron").write_text(main)
    c = start(tmp)
    c.initialize(str(tmp))
    uri = (tmp / "main.iron").as_uri()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "ironlaw", "version": 1, "text": main}})
    expect(c.diagnostics(uri) == [], "the importing file is clean")
    common = c.diagnostics((tmp / "common.iron").as_uri())
    expect(len(common) == 1 and common[0]["code"] == "E0102", f"the import's error under its URI: {common}")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(main, "shared", 0, 1)})
    expect(hover and "let shared = H100_SXM" in hover["contents"]["value"], f"an imported let hovers: {hover}")
    loc = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": position(main, "shared", 0)})
    expect(loc and loc["uri"] == (tmp / "common.iron").as_uri() and loc["range"]["start"]["line"] == 1,
           f"definition in the imported file: {loc}")
    items = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position(main, ".memory", 0, 1)})
    expect("memory" in {i["label"] for i in items["items"]}, "completion after an imported let's `.`")
    expect(c.close() == 0, "exit code 0")


def cancel(tmp):
    c = start(tmp)
    c.initialize(str(tmp))
    uri = (tmp / "long.iron").as_uri()
    line = "let x{} = decode(Llama3_8B, H100_SXM, batch = 8).itl + 1 ms\n"
    text = "".join(line.format(i) for i in range(20000))
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "ironlaw", "version": 1, "text": text}})
    c.diagnostics(uri, timeout=60)
    # An edit, then two requests and the second's cancellation in one write: the
    # first waits for the edit's check, while the others queue behind it.
    edit = {"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text + "print x1\n"}]}}
    pos = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}}
    msgs = [edit, {"jsonrpc": "2.0", "id": 50, "method": "textDocument/hover", "params": pos},
            {"jsonrpc": "2.0", "id": 51, "method": "textDocument/hover", "params": pos},
            {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 51}}]
    import json
    data = b""
    for m in msgs:
        body = json.dumps(m).encode()
        data += b"Content-Length: %d\r\n\r\n" % len(body) + body
    c.send_raw(data)
    first = c.reply_to(50, timeout=60)
    second = c.reply_to(51, timeout=60)
    expect("result" in first, f"the first request is answered: {str(first)[:200]}")
    expect(second.get("error", {}).get("code") == -32800, f"the cancelled one is answered -32800: {second}")
    expect(c.close() == 0, "exit code 0")


def frames(*messages):
    import json
    data = b""
    for m in messages:
        body = json.dumps(m).encode()
        data += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return data


def cancel_running(tmp):
    """A check already running stops when its text is edited again or the
    request waiting on it is cancelled. The long document takes about a second
    to check; its last line holds an error that is published only by a check
    that ran to its end."""
    c = start(tmp)
    c.initialize(str(tmp))
    uri = (tmp / "long.iron").as_uri()
    line = "let x{} = decode(Llama3_8B, H100_SXM, batch = 8).itl + 1 ms\n"
    long_text = "".join(line.format(i) for i in range(40000)) + "let bad = 1 ms + 1 kg\n"
    short_text = "let y = 2 ms\n"

    def change(version, text):
        return {"jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}}

    # 1. An edit queued behind the open: the open's check stops, and the first
    # diagnostics published are the edited text's (none), not the long text's error.
    c.send_raw(frames({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                       "params": {"textDocument": {"uri": uri, "languageId": "ironlaw", "version": 1, "text": long_text}}},
                      change(2, short_text)))
    first = c.diagnostics(uri, timeout=60)
    expect(first == [], f"the superseded check published nothing; the first diagnostics are the edit's: {str(first)[:300]}")

    hover = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}}
    # How long this server takes to take in and check the long text (a
    # sanitizer build is ~10x slower): the cancellations below are sent at a
    # fraction of it, so they land while the check runs, on any build.
    began = time.monotonic()
    c.send_raw(frames(change(3, long_text)))
    c.diagnostics(uri, timeout=120)
    whole = time.monotonic() - began - 0.2  # less the 200 ms debounce
    # The cancellation must land while the check runs: too early and the
    # request is still queued ("cancelled", not "... while ..."), too late and
    # it is answered. Other tests share the machine, so each outcome that
    # misses is retried with a later or an earlier send, up to 8 times.
    versions = iter(range(4, 100))

    def attempt(request_id, send_interruption, delay):
        """Sends the long text and a hover, waits `delay`, interrupts; returns
        the reply. Drains the diagnostics the attempt publishes."""
        c.send_raw(frames(change(next(versions), long_text),
                          {"jsonrpc": "2.0", "id": request_id, "method": "textDocument/hover", "params": hover}))
        time.sleep(delay)
        send_interruption()
        return c.reply_to(request_id, timeout=120)

    # 2. A request that waits on a long check, cancelled while that check runs.
    delay, outcomes = 0.4 * whole, []
    for request_id in range(70, 78):
        reply = attempt(request_id, lambda: c.send_raw(frames(
            {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": request_id}})), delay)
        error = reply.get("error", {})
        outcomes.append(error.get("message", "answered"))
        # The document is still due (or was just checked): the long text's error is published once.
        diags = c.diagnostics(uri, timeout=120)
        expect([d.get("code") for d in diags] == ["E0201"], f"the long text is checked to its end: {str(diags)[:300]}")
        if error.get("code") == -32800 and "while" in error.get("message", ""):
            break
        delay = delay * 1.5 if "error" in reply else delay * 0.5
    expect(outcomes[-1].startswith("cancelled while"),
           f"a running request is answered -32800, stopped while its document was checked: {outcomes}")

    # 3. A request that waits on a long check whose document is edited again: -32801.
    delay, outcomes = 0.4 * whole, []
    for request_id in range(80, 88):
        reply = attempt(request_id, lambda: c.send_raw(frames(change(next(versions), short_text))), delay)
        outcomes.append(reply.get("error", {}).get("code", "answered"))
        # The short text is checked last and publishes no diagnostics (a check
        # that ran to its end first published the long text's error).
        while (last := c.diagnostics(uri, timeout=120)) != []:
            expect([d.get("code") for d in last] == ["E0201"], f"only the long text has an error: {str(last)[:300]}")
        if outcomes[-1] == -32801:
            break
        delay *= 0.5
    expect(outcomes[-1] == -32801, f"a request whose document changed under its check is answered -32801: {outcomes}")
    expect(c.close() == 0, "exit code 0")


with tempfile.TemporaryDirectory() as d:
    tmp = pathlib.Path(d).resolve()
    {"session": session, "malformed": malformed, "imports": imports, "cancel": cancel,
     "cancel_running": cancel_running}[check](tmp)
print(f"lsp {check}: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
