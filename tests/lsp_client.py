"""A scripted Language Server Protocol client for `ironlaw lsp` (issue 25):
frames JSON-RPC messages over the server's stdin/stdout, waits for replies and
notifications with a timeout, and records how long each request took. Used by
tests/lsp_test.py and bench/lsp_latency.py."""
import json
import os
import queue
import subprocess
import threading
import time


class LspError(Exception):
    pass


class Client:
    def __init__(self, binary, env=None):
        self.proc = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.inbox = queue.Queue()
        self.next_id = 1
        self.pending = []  # messages read while waiting for something else
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body))

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_async(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def wait_for(self, match, timeout=10):
        """The first message (pending or new) for which match(msg) is true."""
        for i, msg in enumerate(self.pending):
            if match(msg):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LspError("timed out waiting for a message")
            try:
                msg = self.inbox.get(timeout=left)
            except queue.Empty:
                raise LspError("timed out waiting for a message")
            if msg is None:
                raise LspError("the server closed its output")
            if match(msg):
                return msg
            self.pending.append(msg)

    def reply_to(self, rid, timeout=10):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def request(self, method, params, timeout=10):
        """The reply's result; raises LspError on an error reply. Sets self.last_seconds."""
        start = time.monotonic()
        reply = self.reply_to(self.request_async(method, params), timeout)
        self.last_seconds = time.monotonic() - start
        if "error" in reply:
            raise LspError(reply["error"])
        return reply["result"]

    def diagnostics(self, uri, timeout=10):
        msg = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri, timeout)
        return msg["params"]["diagnostics"]

    def initialize(self, root):
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + root,
                                             "capabilities": {}})
        self.notify("initialized", {})
        return result

    def close(self, timeout=10):
        """shutdown, exit; the server's exit code."""
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.stdin.close()
        return self.proc.wait(timeout)
