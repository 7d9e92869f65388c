// Solutions never reach the page: no file served from DIST holds an
// assignment's reference answers, tolerances or feedback rules, or a filled-in
// answers block; and each assignment's `answer = ...` line appears in no
// served file, its expression in no student copy.
//   node playground/tools/check_no_solutions.mjs playground/dist
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(process.argv[2] ?? 'playground/dist');
const { files } = JSON.parse(fs.readFileSync(path.join(dist, 'scenarios.json'), 'utf8'));
const problems = [];
for (const f of files) {
  if (/^\s*(answer|tolerance)\s*=|^\s*feedback\s+when\b|^\s*question\s/m.test(f.text)) problems.push(`${f.path}: faculty syntax`);
  for (const block of f.text.matchAll(/^answers\s*\{([^}]*)\}/gm))
    if (block[1].split('\n').some((l) => l.trim() && !l.trim().startsWith('#'))) problems.push(`${f.path}: a filled-in answers block`);
}
// Every served file's text, and each assignment's reference expressions.
const served = fs.readdirSync(dist).filter((n) => !n.endsWith('.wasm')).map((n) => fs.readFileSync(path.join(dist, n), 'utf8')).join('\n')
  + files.map((f) => f.text).join('\n');
const students = files.filter((f) => f.student).map((f) => f.text).join('\n');
let expressions = 0;
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.iron') && /^assignment\s/m.test(fs.readFileSync(p, 'utf8')))
      for (const m of fs.readFileSync(p, 'utf8').matchAll(/^\s*answer\s*=\s*(.{12,})$/gm)) {
        expressions++;
        // The expression alone may well be in a public tutorial; in a student
        // copy, or as the faculty line itself, it is a leak.
        const leaked = students.includes(m[1].trim()) || served.includes(m[0].trim());
        if (leaked) problems.push(`${path.relative(repo, p)}: its answer \`${m[1].trim()}\` is served`);
      }
  }
}
walk(path.join(repo, 'scenarios'));
for (const p of problems) console.log(p);
console.log(`no solutions served: ${files.filter((f) => f.student).length} student copies, ${expressions} reference answers looked for, ${problems.length} problems`);
process.exit(problems.length || expressions === 0 ? 1 : 0);
