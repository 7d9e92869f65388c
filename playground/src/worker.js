// The Web Worker that owns the WebAssembly module: the page posts commands,
// the worker runs them in ironlaw (entry.cpp) and posts the CLI's output back.
// A search never freezes the page, and the module compiles off the main thread.
/* global importScripts, ironlaw_module */
importScripts('ironlaw.js');

const ready = (async () => {
  const scenarios = await (await fetch('scenarios.json')).json();
  const module = await ironlaw_module({ print: () => {}, printErr: () => {} });
  // The gallery's files at their repository paths, so imports between them resolve.
  for (const f of scenarios.files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = '/play/' + parts.slice(0, i).join('/');
      if (!module.FS.analyzePath(dir).exists) module.FS.mkdirTree(dir);
    }
    module.FS.writeFile('/play/' + f.path, f.text);
  }
  return module;
})();

function cli(module, args, cwd) {
  module.FS.chdir(cwd);
  const code = module.ccall('ironlaw_cli', 'number', ['string', 'string'], [args.join('\x1f'), '']);
  return { code, stdout: module.UTF8ToString(module._ironlaw_stdout()), stderr: module.UTF8ToString(module._ironlaw_stderr()) };
}

// What a request can ask: `cli` (ARGS in the directory of FILE, after writing
// FILE's text; OUT_DIR's files read back), `repl` (one line).
async function handle(msg) {
  const module = await ready;
  if (msg.kind === 'repl') {
    const status = module.ccall('ironlaw_repl_line', 'number', ['string'], [msg.line]);
    return { status, stdout: module.UTF8ToString(module._ironlaw_stdout()), stderr: module.UTF8ToString(module._ironlaw_stderr()) };
  }
  let cwd = '/play';
  if (msg.file) {
    const full = '/play/' + msg.file.path;
    module.FS.mkdirTree(full.slice(0, full.lastIndexOf('/')));
    module.FS.writeFile(full, msg.file.text);
    cwd = full.slice(0, full.lastIndexOf('/'));
  }
  if (msg.out_dir && module.FS.analyzePath(msg.out_dir).exists)
    for (const name of module.FS.readdir(msg.out_dir)) if (name !== '.' && name !== '..') module.FS.unlink(`${msg.out_dir}/${name}`);
  const started = performance.now();
  const result = cli(module, msg.args, cwd);
  result.ms = performance.now() - started;
  if (msg.out_dir && module.FS.analyzePath(msg.out_dir).exists) {
    result.files = {};
    for (const name of module.FS.readdir(msg.out_dir))
      if (name.endsWith('.svg')) result.files[name] = module.FS.readFile(`${msg.out_dir}/${name}`, { encoding: 'utf8' });
  }
  return result;
}

self.onmessage = async (e) => {
  try {
    self.postMessage({ id: e.data.id, ...(await handle(e.data)) });
  } catch (err) {
    self.postMessage({ id: e.data.id, code: 70, stdout: '', stderr: `playground: ${err && err.stack ? err.stack : err}\n` });
  }
};
self.postMessage({ id: 0, loading: true });
ready.then(() => self.postMessage({ id: 0, ready: true }), (err) => self.postMessage({ id: 0, failed: String(err) }));
