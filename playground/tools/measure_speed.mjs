// Evaluation speed of the WebAssembly build against the native binary on one
// thread (docs/performance.md, "The browser build"): the capstone, the
// tutorial's design sweep, and a synthetic 200,000-point decode search, each
// the best of 3 runs; the wasm runs in-process after a warm-up (module
// start-up is measured apart).
//   node playground/tools/measure_speed.mjs build-wasm/ironlaw.js build/ironlaw
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load_ironlaw } from './ironlaw_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [js, native] = [process.argv[2] ?? 'build-wasm/ironlaw.js', path.resolve(process.argv[3] ?? 'build/ironlaw')];
const started = performance.now();
const ironlaw = await load_ironlaw(js, repo);
console.log(`module start-up under node: ${(performance.now() - started).toFixed(0)} ms`);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ironlaw-speed-'));
fs.writeFileSync(path.join(scratch, 'decode_200k.iron'), `design d = decode(Llama3_8B, H100_SXM) over {
  batch   in 1 .. 20000
  context in [1024, 2048, 3072, 4096, 5120, 6144, 7168, 8192, 9216, 10240] tokens
}
require d.itl <= 50 ms
minimize d.itl
maximize d.throughput
report d pareto top 5
`);
ironlaw.module.FS.mkdir('/scratch');
ironlaw.module.FS.mount(ironlaw.module.FS.filesystems.NODEFS, { root: scratch }, '/scratch');
const cases = [
  ['scenarios/capstone.iron', `/repo/scenarios`, 'capstone.iron'],
  ['scenarios/tutorial/01_roofline.iron', `/repo/scenarios/tutorial`, '01_roofline.iron'],
  ['decode_200k.iron (synthetic, 200,000 points)', '/scratch', 'decode_200k.iron'],
];
// CPU seconds (user + system), the figure a shared, loaded machine keeps
// steady; wall time too. The native run through /usr/bin/time.
function native_run(args, cwd) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', native, ...args], { cwd, encoding: 'utf8' });
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { cpu: (user + sys) * 1000, wall: performance.now() - t, stdout: r.stdout };
}
function wasm_run(args, cwd) {
  const t = performance.now(), c = process.cpuUsage();
  const r = ironlaw.cli(args, { cwd });
  const d = process.cpuUsage(c);
  return { cpu: (d.user + d.system) / 1000, wall: performance.now() - t, stdout: r.stdout };
}
const best = (f) => { const runs = [f(), f(), f()]; return { cpu: Math.min(...runs.map((r) => r.cpu)), wall: Math.min(...runs.map((r) => r.wall)), stdout: runs[0].stdout }; };
console.log('| case | native --threads 1: CPU (wall) ms | wasm under node: CPU (wall) ms | ratio of CPU |\n|---|---|---|---|');
for (const [label, cwd, name] of cases) {
  const dir = cwd.startsWith('/repo') ? path.join(repo, cwd.slice(6)) : scratch;
  const args = ['run', name, '--threads', '1', '--max-points', '1000000'];
  const n = best(() => native_run(args, dir));
  wasm_run(args, cwd);  // warm-up
  const w = best(() => wasm_run(args, cwd));
  const same = n.stdout === w.stdout;
  console.log(`| ${label} | ${n.cpu.toFixed(0)} (${n.wall.toFixed(0)}) | ${w.cpu.toFixed(0)} (${w.wall.toFixed(0)}) | ${(w.cpu / n.cpu).toFixed(1)}x${same ? '' : ' (OUTPUT DIFFERS)'} |`);
}
fs.rmSync(scratch, { recursive: true, force: true });
