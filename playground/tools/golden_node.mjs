// The golden check of the WebAssembly build: the CLI outputs pinned in
// tests/golden/{eval,run,check}/ (as tests/golden/run_golden.py runs them) and
// tests/golden/scenarios/ (as tests/check_scenarios.py runs them: `run`,
// then `check` and `fmt --check` silent) reproduced byte for byte by the
// module under Node.
//   node playground/tools/golden_node.mjs build-wasm/ironlaw.js
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load_ironlaw } from './ironlaw_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ironlaw = await load_ironlaw(process.argv[2] ?? 'build-wasm/ironlaw.js', repo);
const golden_root = path.join(repo, 'tests/golden');
const mask = (text) => text.replace(/("(?:seconds|threads)": )[0-9.e+-]+/g, '$1"<masked>"');
const show = (r) => `# exit: ${r.code}\n# stdout:\n${mask(r.stdout)}# stderr:\n${r.stderr}`;

// Python's shlex.split for the `# golden-args:` lines (quotes and words only).
function shell_words(text) {
  const words = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m; (m = re.exec(text));) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
  return words;
}

// The command line run_golden.py builds for one case (relative to tests/golden).
function golden_args(kind, name) {
  const file = path.join(golden_root, kind, name);
  if (name.endsWith('.eval')) return ['eval', fs.readFileSync(file, 'utf8').replace(/\n+$/, '')];
  const rel = `${kind}/${name}`;
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
  if (first.startsWith('# golden-args:'))
    return shell_words(first.slice('# golden-args:'.length)).map((a) => a.replaceAll('{case}', rel));
  const args = [kind, rel];
  if (first.startsWith('# args:')) args.push(...first.slice('# args:'.length).split(/\s+/).filter(Boolean));
  return args;
}

let passed = 0, skipped = 0;
const failures = [];
// Cases about the host's devices and pseudo-files (/dev/zero, /proc/self/...):
// the module's file system has neither, so they do not apply.
const host_only = (file) => /"\/(dev|proc|sys)\/|golden-args:.*\s\/(dev|proc|sys)\//.test(fs.readFileSync(file, 'utf8'));
function compare(label, actual, expected_path) {
  const expected = fs.readFileSync(expected_path, 'utf8');
  if (actual === expected) passed++;
  else failures.push(`${label}: differs from ${path.relative(repo, expected_path)}\n--- expected\n${expected}\n--- actual\n${actual}`);
}

for (const kind of ['eval', 'run', 'check']) {
  for (const name of fs.readdirSync(path.join(golden_root, kind)).sort()) {
    if (!/\.(iron|eval)$/.test(name)) continue;
    if (host_only(path.join(golden_root, kind, name))) {
      skipped++;
      continue;
    }
    const args = golden_args(kind, name);
    const r = ironlaw.cli(args, { cwd: '/repo/tests/golden' });
    compare(`${kind}/${name}`, show(r), path.join(golden_root, kind, name.replace(/\.(iron|eval)$/, '.expected')));
  }
}

// Every scenario but the assignments, run in its own directory.
function scenario_files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'assignments' ? [] : scenario_files(path.join(dir, e.name)))
      : e.name.endsWith('.iron') ? [path.join(dir, e.name)] : []);
}
for (const file of scenario_files(path.join(repo, 'scenarios')).sort()) {
  const rel = path.relative(path.join(repo, 'scenarios'), file);
  const cwd = '/repo/' + path.relative(repo, path.dirname(file));
  const name = path.basename(file);
  compare(`scenarios/${rel}`, show(ironlaw.cli(['run', name], { cwd })),
    path.join(golden_root, 'scenarios', rel.replace(/\.iron$/, '.expected')));
  for (const args of [['check', name], ['fmt', '--check', name]]) {
    const r = ironlaw.cli(args, { cwd });
    if (r.code === 0 && !r.stdout && !r.stderr) passed++;
    else failures.push(`scenarios/${rel}: ${args[0]} exited ${r.code}\n${r.stdout}${r.stderr}`);
  }
}

for (const f of failures) console.log(f);
console.log(`wasm goldens under node: ${passed} passed, ${failures.length} failed, ${skipped} skipped (host devices and /proc)`);
process.exit(failures.length ? 1 : 0);
