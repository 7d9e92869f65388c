// What the page shows: the run document (docs/json.md) as text lines, tables
// and plots; diagnostics (--diagnostics json) as inline editor marks.

export function plain(text, kind) {
  const pre = document.createElement('pre');
  pre.className = kind;
  pre.textContent = text;
  return pre;
}

// A number as the CLI's tables print it: three significant figures (whole
// numbers below 1,000 as they are), thousands separated by commas.
export function show_number(v) {
  if (typeof v !== 'number') return v === null || v === undefined ? '-' : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1000) return String(v);
  const rounded = Number(v.toPrecision(3));
  if (Math.abs(rounded) >= 1000 && Math.abs(rounded) < 1e21) return rounded.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return String(rounded);
}

// columns: [{name, unit}]; rows: [{name: value}] (a leading `rank` when given).
export function render_table(columns, rows, ranks = null) {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const c of [...(ranks ? [{ name: 'rank', unit: null }] : []), ...columns]) {
    const th = document.createElement('th');
    th.textContent = c.unit ? `${c.name} (${c.unit})` : c.name;
    head.append(th);
  }
  const body = table.createTBody();
  rows.forEach((row, i) => {
    const tr = body.insertRow();
    if (ranks) tr.insertCell().textContent = ranks[i] ?? '-';
    for (const c of columns) {
      const td = tr.insertCell();
      td.textContent = show_number(row[c.name]);
      if (typeof row[c.name] === 'number') td.className = 'number';
    }
  });
  return table;
}

function render_design(item, files) {
  const report = item.report;
  const box = document.createElement('section');
  box.className = 'design';
  const title = document.createElement('h3');
  const space = report.space ?? {};
  title.textContent = `design ${report.design} = ${report.solver}: ${space.visited ?? '?'} of ${space.points ?? '?'} points, ${item.feasible} feasible`;
  box.append(title);
  if (report.rows?.length) box.append(render_table(report.columns, report.rows.map((r) => r.values), report.rows.map((r) => r.rank)));
  for (const r of report.rejections ?? []) box.append(plain(`${r.count} ${r.reason}: ${r.example}\n`, 'hint'));
  const svg = files?.[`${report.design}.svg`];
  if (svg) {
    const img = document.createElement('img');
    img.className = 'plot';
    img.alt = `Pareto plot of design ${report.design}`;
    img.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    box.append(img);
  }
  return box;
}

// The whole result of `run --format json`: lines in order, designs as
// tables and plots, then the CLI's own diagnostics with their carets.
export function render_run(doc, result) {
  const box = document.createElement('div');
  box.className = 'run';
  if (doc) {
    let lines = null;
    for (const item of doc.items) {
      if (item.kind === 'design') {
        lines = null;
        box.append(render_design(item, result.files));
      } else if (item.kind === 'scenario') {
        lines = null;
        const h = document.createElement('h2');
        h.textContent = item.title;
        box.append(h);
      } else {
        if (!lines) box.append((lines = plain('', 'out')));
        lines.textContent += `${item.text}\n`;
        if (item.kind === 'requirement' && !item.met) lines.classList.add('violated');
      }
    }
  } else if (result.stdout) {
    box.append(plain(result.stdout, 'out'));
  }
  if (result.stderr) box.append(plain(result.stderr, 'diagnostics'));
  box.append(plain(`exit ${result.code}\n`, result.code === 0 ? 'exit ok' : 'exit failed'));
  return box;
}

// A 1-based (line, byte column) of the file as an offset in the editor's text.
function offset(doc, line, column) {
  if (line < 1 || line > doc.lines) return doc.length;
  const l = doc.line(line);
  const bytes = new TextEncoder().encode(l.text).slice(0, Math.max(0, column - 1));
  return l.from + Math.min(l.length, new TextDecoder().decode(bytes).length);
}

// Diagnostics (a JSON array as --diagnostics json prints it) as CodeMirror
// lint marks: the primary label carries the message and the help line.
export function to_lint(doc, json_text, file_name) {
  let diagnostics;
  try { diagnostics = JSON.parse(json_text || '[]'); } catch { return []; }
  const marks = [];
  for (const d of diagnostics) {
    if (d.file && !d.file.endsWith(file_name)) continue;  // in an imported file
    const labels = d.labels?.length ? d.labels : [{ line: d.line, column: d.column, end_line: d.line, end_column: d.column + 1 }];
    labels.forEach((label, i) => {
      const from = offset(doc, label.line, label.column);
      let to = offset(doc, label.end_line ?? label.line, label.end_column ?? label.column + 1);
      if (to <= from) to = Math.min(doc.length, from + 1);
      const message = i === 0
        ? `${d.severity}[${d.code}]: ${d.message}${label.message ? ` (${label.message})` : ''}${d.help ? `\nhelp: ${d.help}` : ''}`
        : label.message || d.message;
      marks.push({ from, to, severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info', message, source: d.code });
    });
  }
  return marks;
}
