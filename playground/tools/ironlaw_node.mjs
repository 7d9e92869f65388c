// Loads the WebAssembly build (build-wasm/ironlaw.js) in Node and runs CLI
// commands in it, with the repository mounted at /repo (NODEFS) so paths
// read as they do on the command line. Used by the golden check
// (golden_node.mjs) and by the build (bundle_scenarios.mjs, student copies).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export async function load_ironlaw(js_path, repo_root) {
  const require = createRequire(import.meta.url);
  const factory = require(path.resolve(js_path));
  // The wasm bytes handed over directly: emscripten 3.1.6 would otherwise
  // fetch() a file path, which Node's fetch cannot.
  const wasmBinary = fs.readFileSync(path.resolve(js_path).replace(/\.js$/, '.wasm'));
  const module = await factory({ wasmBinary, print: () => {}, printErr: () => {} });
  module.FS.mkdir('/repo');
  module.FS.mount(module.FS.filesystems.NODEFS, { root: path.resolve(repo_root) }, '/repo');
  return {
    module,
    // `ironlaw ARGS` in directory `cwd` (below /repo): {code, stdout, stderr}.
    cli(args, { cwd = '/repo', stdin = '' } = {}) {
      module.FS.chdir(cwd);
      const code = module.ccall('ironlaw_cli', 'number', ['string', 'string'], [args.join('\x1f'), stdin]);
      return {
        code,
        stdout: module.UTF8ToString(module._ironlaw_stdout()),
        stderr: module.UTF8ToString(module._ironlaw_stderr()),
      };
    },
  };
}
