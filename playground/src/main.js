// The playground page: an editor, Run / Check / Format, results as tables and
// the Pareto plot, a REPL console, the gallery, the zoo, and share links.
// Everything runs in ironlaw's WebAssembly build (worker.js); nothing here
// computes a number itself.
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { linter, lintGutter, setDiagnostics, forceLinting } from '@codemirror/lint';
import { ironlaw_language } from './ironlaw_language.js';
import { ironlaw_client } from './ironlaw_client.js';
import { to_lint, render_run, render_table, plain } from './render.js';
import { encode_share, decode_share } from './share.js';

const ironlaw = new ironlaw_client();
const $ = (id) => document.getElementById(id);
const output = $('output');
const status = $('status');
let scenarios = null;  // scenarios.json: {files: [{path, group, title, student}]}
let current_path = 'scenarios/scratch.iron';

// --- the editor, with diagnostics from `check` as the text changes (after
// a `?run=1` start's first result, which should not queue behind a check).
let started_up;
const startup = new Promise((resolve) => { started_up = resolve; });
async function check_diagnostics(view) {
  await startup;
  const r = await ironlaw.cli(['check', base_name(current_path), '--diagnostics', 'json'], current_file(view));
  return to_lint(view.state.doc, r.stderr, base_name(current_path));
}
const editor = new EditorView({
  parent: $('editor'),
  extensions: [
    basicSetup,
    ironlaw_language,
    lintGutter(),
    linter(check_diagnostics, { delay: 600 }),
    keymap.of([
      { key: 'Mod-Enter', run: () => { run(); return true; } },
      { key: 'Shift-Alt-f', run: () => { format(); return true; } },
    ]),
  ],
});
const base_name = (p) => p.slice(p.lastIndexOf('/') + 1);
const current_file = (view = editor) => ({ path: current_path, text: view.state.doc.toString() });
function set_text(text) {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
}
function busy(what) {
  status.textContent = what;
  document.body.classList.toggle('busy', Boolean(what));
}

// --- Run: the JSON document for tables and diagnostics, the SVG from --out.
async function run() {
  busy('running...');
  const r = await ironlaw.cli(['run', base_name(current_path), '--format', 'json', '--out', '/out', '--force'],
    current_file(), '/out');
  busy('');
  let document_ = null;
  try { document_ = JSON.parse(r.stdout); } catch { /* a usage error prints no document */ }
  output.replaceChildren(render_run(document_, r));
  if (document_) editor.dispatch(setDiagnostics(editor.state, to_lint(editor.state.doc, JSON.stringify(document_.diagnostics), base_name(current_path))));
  status.textContent = `run: exit ${r.code}, ${r.ms.toFixed(0)} ms`;
  return r;
}

// --- Check: the CLI's diagnostics with carets, and the same inline.
async function check() {
  busy('checking...');
  const r = await ironlaw.cli(['check', base_name(current_path)], current_file());
  busy('');
  output.replaceChildren(plain(r.code === 0 ? `${base_name(current_path)}: no errors (names, units and arguments check)\n` : r.stderr,
    r.code === 0 ? 'ok' : 'diagnostics'));
  forceLinting(editor);
  status.textContent = `check: exit ${r.code}`;
}

// --- Format: the canonical layout; a file that does not parse stays as it is.
async function format() {
  const r = await ironlaw.cli(['fmt', base_name(current_path)], current_file());
  if (r.code === 0) {
    if (r.stdout !== editor.state.doc.toString()) set_text(r.stdout);
    status.textContent = 'formatted';
  } else {
    output.replaceChildren(plain(r.stderr, 'diagnostics'));
    status.textContent = `fmt: exit ${r.code} (fix the syntax first)`;
  }
}

// --- Share: the file's text, compressed, in the URL's fragment.
async function share() {
  const url = new URL(location.href);
  url.search = '';
  url.hash = await encode_share(current_path, editor.state.doc.toString());
  history.replaceState(null, '', url);
  $('share-link').value = url.href;
  $('share-link').hidden = false;
  try { await navigator.clipboard.writeText(url.href); status.textContent = 'link copied'; } catch { status.textContent = 'link in the box above'; }
}

// --- The gallery: tutorial modules first, then the rest by group.
function open_scenario(file) {
  current_path = file.path;
  set_text(file.text);
  $('file-name').textContent = file.path;
  $('gallery').value = file.path;
  output.replaceChildren(plain(file.student
    ? 'A student copy: fill in the answers block, then Check for syntax and units. Grading happens on your course\'s server, not here.\n'
    : 'Run (Ctrl-Enter) to evaluate; Check for diagnostics only.\n', 'hint'));
}
function fill_gallery() {
  const select = $('gallery');
  let group = null, optgroup = null;
  for (const f of scenarios.files) {
    if (f.group !== group) {
      group = f.group;
      optgroup = document.createElement('optgroup');
      optgroup.label = group;
      select.append(optgroup);
    }
    const option = new Option(f.title ? `${base_name(f.path)}: ${f.title}` : base_name(f.path), f.path);
    optgroup.append(option);
  }
  select.onchange = () => open_scenario(scenarios.files.find((f) => f.path === select.value));
}

// --- The REPL console, with history (arrow keys; kept in localStorage).
const repl_history = JSON.parse(localStorage.getItem('ironlaw-repl-history') || '[]');
let history_index = repl_history.length;
async function repl_enter(line) {
  const log = $('repl-log');
  const prompt = $('repl-prompt').textContent;
  log.append(plain(prompt + line + '\n', 'echo'));
  if (line.trim()) {
    repl_history.push(line);
    localStorage.setItem('ironlaw-repl-history', JSON.stringify(repl_history.slice(-500)));
  }
  history_index = repl_history.length;
  const r = await ironlaw.repl(line);
  if (r.stdout) log.append(plain(r.stdout, 'out'));
  if (r.stderr) log.append(plain(r.stderr, 'diagnostics'));
  $('repl-prompt').textContent = r.status === 1 ? '   ...> ' : 'ironlaw> ';
  log.scrollTop = log.scrollHeight;
}
$('repl-input').addEventListener('keydown', (e) => {
  const input = e.target;
  if (e.key === 'Enter') {
    const line = input.value;
    input.value = '';
    repl_enter(line);
  } else if (e.key === 'ArrowUp' && history_index > 0) {
    input.value = repl_history[--history_index];
    e.preventDefault();
  } else if (e.key === 'ArrowDown') {
    history_index = Math.min(repl_history.length, history_index + 1);
    input.value = repl_history[history_index] ?? '';
    e.preventDefault();
  }
});

// --- The zoo: the registry as a table; a name shows every field and source.
async function zoo() {
  const args = ['zoo', $('zoo-kind').value, '--format', 'json'];
  if ($('zoo-where').value.trim()) args.push('--where', $('zoo-where').value.trim());
  const r = await ironlaw.cli(args);
  const box = $('zoo-result');
  if (r.code !== 0) return box.replaceChildren(plain(r.stderr, 'diagnostics'));
  const rows = JSON.parse(r.stdout);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((c) => c !== 'entity');
  const table = render_table(columns.map((c) => ({ name: c, unit: rows.find((row) => row[c]?.unit)?.[c].unit ?? null })),
    rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]?.unit ? row[c].value : row[c]]))));
  for (const a of table.querySelectorAll('tbody tr td:first-child')) {
    a.classList.add('link');
    a.onclick = async () => box.append(plain((await ironlaw.cli(['zoo', 'show', a.textContent])).stdout, 'out'));
  }
  box.replaceChildren(plain(`${rows.length} entries\n`, 'hint'), table);
}

// --- Start: a shared link, ?example=NAME[&run=1], or the first tutorial.
async function start() {
  busy('loading ironlaw...');
  const started = performance.now();
  scenarios = await (await fetch('scenarios.json')).json();
  fill_gallery();
  const params = new URLSearchParams(location.search);
  const shared = location.hash.length > 1 ? await decode_share(location.hash) : null;
  const example = params.get('example');
  const wanted = example && scenarios.files.find((f) => base_name(f.path) === `${example}.iron`);
  if (shared) {
    open_scenario({ path: shared.path, text: shared.text });
  } else if (wanted) {
    open_scenario(wanted);
  } else {
    open_scenario(scenarios.files[0]);
    if (example) output.replaceChildren(plain(`no gallery scenario named '${example}'\n`, 'diagnostics'));
  }
  timings.page_ready = performance.now();
  await ironlaw.ready;
  timings.module_ready = performance.now();
  busy('');
  status.textContent = `ready in ${(performance.now() - started).toFixed(0)} ms`;
  if (params.get('run') === '1') {
    const r = await run();
    timings.first_result = performance.now();
    timings.run_in_worker = r.ms;
  }
  started_up();
  document.body.dataset.ready = '1';
}

// For the browser test (playground/tools/browser_test.mjs): the editor's whole text.
// Milliseconds since navigation start: the page's script, the module, the first result.
const timings = { script: performance.now() };
window.playground = { text: () => editor.state.doc.toString(), timings };
$('run').onclick = run;
$('check').onclick = check;
$('format').onclick = format;
$('share').onclick = share;
$('zoo-go').onclick = zoo;
for (const tab of document.querySelectorAll('[data-tab]')) {
  tab.onclick = () => {
    for (const t of document.querySelectorAll('[data-tab]')) t.classList.toggle('active', t === tab);
    for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== tab.dataset.tab;
  };
}
window.addEventListener('hashchange', async () => {
  const shared = await decode_share(location.hash);
  if (shared) open_scenario(shared);
});
start().catch((e) => { started_up(); busy(''); output.replaceChildren(plain(`the playground failed to start: ${e}\n`, 'diagnostics')); });
