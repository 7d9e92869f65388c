// Bundles the page (src/) into DIST with esbuild: main.js and its CodeMirror
// imports as one minified script; the worker, HTML and CSS copied as they are.
//   node playground/tools/build_page.mjs DIST
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(here, '../src');
const dist = path.resolve(process.argv[2]);
await esbuild.build({
  entryPoints: [path.join(src, 'main.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari16'],
  outfile: path.join(dist, 'main.js'),
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css', 'worker.js']) fs.copyFileSync(path.join(src, f), path.join(dist, f));
