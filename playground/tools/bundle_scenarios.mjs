// The gallery's files (scenarios.json): every scenario under scenarios/, the
// tutorial first; an assignment as its student copy only (rendered by the
// WebAssembly build itself, `ironlaw assignment student`); reference answers
// files left out. No solution reaches the page.
//   node playground/tools/bundle_scenarios.mjs build-wasm/ironlaw.js OUT.json
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load_ironlaw } from './ironlaw_node.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ironlaw = await load_ironlaw(process.argv[2], repo);

const groups = [['tutorial/', 'Tutorial'], ['', 'Scenarios'], ['examples/', 'Language examples'], ['edge/', 'Edge devices'],
  ['calibration/', 'Calibration'], ['assignments/', 'Assignments (student copies)']];
const is_assignment = (text) => /^assignment\s/m.test(text);
const is_answers = (text) => /^answers\s*\{/m.test(text);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.iron') ? [path.join(dir, e.name)] : []);
}

// The first comment line, without a leading "NAME.iron:".
function title_of(text) {
  const line = text.split('\n').find((l) => l.startsWith('#'));
  return line ? line.replace(/^#\s*/, '').replace(/^[\w.-]+\.iron:\s*/, '') : '';
}

const files = [];
for (const file of walk(path.join(repo, 'scenarios'))) {
  const rel = path.relative(repo, file);
  const inside = path.relative(path.join(repo, 'scenarios'), file);
  const group_index = groups.findIndex(([prefix]) => prefix ? inside.startsWith(prefix) : !inside.includes('/'));
  let text = fs.readFileSync(file, 'utf8');
  let entry = { path: rel, text };
  if (is_assignment(text)) {
    const r = ironlaw.cli(['assignment', 'student', path.basename(file)], { cwd: '/repo/' + path.dirname(rel) });
    if (r.code !== 0) throw new Error(`assignment student ${rel} failed:\n${r.stderr}`);
    entry = { path: rel.replace(/\.iron$/, '.student.iron'), text: r.stdout, student: true };
  } else if (is_answers(text)) {
    continue;  // reference answers: a solution
  }
  files.push({ ...entry, title: title_of(entry.text), group: groups[entry.student ? 5 : group_index][1], order: entry.student ? 5 : group_index });
}
files.sort((a, b) => a.order - b.order || a.path.localeCompare(b.path));
for (const f of files) delete f.order;
fs.writeFileSync(process.argv[3], JSON.stringify({ files }));
console.log(`scenarios.json: ${files.length} files (${files.filter((f) => f.student).length} student copies)`);
