// The page in a real browser: Debian's chromium, headless, driven by
// puppeteer-core over a static server of playground/dist. Loads
// ?example=capstone&run=1 and checks the table's first row against the
// native golden (tests/golden/scenarios/capstone.expected), introduces a unit
// error and waits for its inline diagnostic, formats, shares a URL and
// reloads it; saves a screenshot.
//   node playground/tools/browser_test.mjs DIST SCREENSHOT.png
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(process.argv[2] ?? 'playground/dist');
const screenshot = path.resolve(process.argv[3] ?? 'build/playground.png');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

// A static file server, like `python3 -m http.server`, on a free port.
const server = http.createServer((req, res) => {
  const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(dist, name === '/' ? 'index.html' : name);
  if (!file.startsWith(dist) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ironlaw-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
});
const failures = [];
const expect = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
const requests = [];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  const wait_ready = () => page.waitForFunction(() => document.body.dataset.ready === '1', { timeout: 60000 });

  // 1. Load and run the capstone; the first row is the CLI's first row.
  const loaded = Date.now();
  await page.goto(`${base}?example=capstone&run=1`);
  await wait_ready();
  const t = await page.evaluate(() => window.playground.timings);
  console.log(`first capstone result ${t.first_result.toFixed(0)} ms after navigation start (${Date.now() - loaded} ms wall): ` +
    `page script ${t.script.toFixed(0)} ms, module ready ${t.module_ready.toFixed(0)} ms, the run itself ${t.run_in_worker.toFixed(0)} ms in the worker`);
  const row = await page.$$eval('#output table tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
  const golden = fs.readFileSync(path.join(repo, 'tests/golden/scenarios/capstone.expected'), 'utf8').split('\n');
  const cli_row = golden[golden.findIndex((l) => /^\s+rank\s/.test(l)) + 1].trim().split(/\s{2,}/);
  console.log(`  page row: ${row.join(' | ')}\n  cli row:  ${cli_row.join(' | ')}`);
  expect(row.length === cli_row.length && row.join('|') === cli_row.join('|'),
    'capstone: the table\'s first row is the CLI\'s, cell for cell');
  expect(await page.$('#output img.plot') !== null, 'capstone: the Pareto plot (SVG) is shown');

  // 2. An error: add a bandwidth to a FLOP count; the diagnostic appears inline and with carets.
  const to_end = async () => {
    await page.click('#editor .cm-content');
    await page.keyboard.down('Control');
    await page.keyboard.press('End');
    await page.keyboard.up('Control');
  };
  await to_end();
  await page.keyboard.type('\nprint 80 GB + 3 TFLOP/s\n');
  await page.waitForSelector('#editor .cm-lintRange-error', { timeout: 20000 });
  expect(true, 'an inline error mark appears after typing a unit error');
  await page.click('#check');
  await page.waitForFunction(() => /E0201/.test(document.querySelector('#output')?.textContent ?? ''), { timeout: 20000 });
  const carets = await page.$eval('#output pre.diagnostics', (p) => p.textContent);
  expect(/error\[E0201\]: cannot add data \(GB\) to compute rate \(TFLOP\/s\)/.test(carets) && /\^\^\^\^\^/.test(carets),
    'Check prints the CLI\'s diagnostic with carets');

  // 3. Format: a badly spaced line comes back in the canonical layout.
  await to_end();
  await page.keyboard.press('Backspace');
  await page.keyboard.down('Shift');
  await page.keyboard.press('Home');
  await page.keyboard.up('Shift');
  await page.keyboard.type('let   spaced=16 GB/40 ms');
  await page.click('#format');
  await page.waitForFunction(() => /let spaced = 16 GB \/ 40 ms\n/.test(window.playground.text()), { timeout: 20000 });
  expect(true, 'Format rewrote `let   spaced=16 GB/40 ms` as `let spaced = 16 GB / 40 ms`');

  // 4. Share and reload: the same text comes back from the URL alone.
  await to_end();
  await page.keyboard.type('print spaced\n');
  const text_before = await page.evaluate(() => window.playground.text());
  await page.click('#share');
  await page.waitForFunction(() => location.hash.includes('code='), { timeout: 10000 });
  const shared = await page.evaluate(() => location.href);
  const fresh = await browser.newPage();
  await fresh.setViewport({ width: 1400, height: 900 });
  await fresh.goto(shared);
  await fresh.waitForFunction(() => document.body.dataset.ready === '1', { timeout: 60000 });
  const text_after = await fresh.evaluate(() => window.playground.text());
  expect(text_after.includes('let spaced = 16 GB / 40 ms') && text_after === text_before,
    `a shared link (${shared.length} characters) reloads the same text`);
  await fresh.click('#run');
  await fresh.waitForFunction(() => /400 GB\/s/.test(document.querySelector('#output').textContent), { timeout: 30000 });
  expect(true, 'the shared file runs (`print spaced` shows 400 GB/s)');

  // 5. The REPL console keeps a session.
  await fresh.click('[data-tab=console]');
  await fresh.type('#repl-input', 'let bw = 16 GB / 40 ms\n');
  await fresh.type('#repl-input', 'bw in GB/s\n');
  await fresh.waitForFunction(() => /400 GB\/s/.test(document.querySelector('#repl-log').textContent), { timeout: 20000 });
  expect(true, 'the console evaluates `bw in GB/s` from a previous line');
  await fresh.screenshot({ path: screenshot.replace(/\.png$/, '-console.png') });
  await page.bringToFront();
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#output table') !== null, { timeout: 30000 });
  await page.screenshot({ path: screenshot });

  const outside = requests.filter((u) => !u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(outside.length === 0, `no request leaves the static server (${requests.length} requests)`);
} finally {
  await browser.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
for (const f of failures) console.log(`failed: ${f}`);
console.log(`browser test: ${failures.length ? 'FAILED' : 'passed'}; screenshot ${path.relative(repo, screenshot)}`);
process.exit(failures.length ? 1 : 0);
