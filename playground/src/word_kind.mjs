// What a word of the scenario language is, for highlighting: the words
// lang/grammar.hpp reserves, declaration kinds only where they declare, then
// units, functions, registry names and plain names. Pure, so Node tests it
// (playground/tools/word_kind_test.mjs) without CodeMirror.

export const keywords = new Set(['in', 'and', 'or', 'not', 'let', 'print', 'by', 'show', 'where', 'over', 'when',
  'points', 'top', 'scenario', 'import', 'extends', 'design', 'require', 'minimize', 'maximize', 'report',
  'assignment', 'param', 'question', 'feedback', 'answers', 'zoo', 'measured', 'per']);
const declarations = new Set(['hardware', 'model', 'node', 'fleet', 'region', 'workload', 'fabric', 'pool']);
const atoms = new Set(['true', 'false']);

// `before`: the line up to the word; `after`: the rest of the line;
// `after_number`: the word follows a number (a unit); `after_zoo`: it follows
// `zoo` (the kind a query lists). A kind word declares only at the start of a
// line and before a name that is not a keyword: `region Quebec2 extends ...`,
// not the design axis `region in [...]`, the field `region = ...` or `p.region`.
export function word_kind(word, before, after, after_number, after_zoo) {
  if (keywords.has(word)) return 'keyword';
  if (atoms.has(word)) return 'atom';
  if (declarations.has(word)) {
    const next = /^\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(after);
    if (after_zoo || (before.trim() === '' && next && !keywords.has(next[1]) && !atoms.has(next[1])))
      return 'definitionKeyword';
  }
  if (after_number) return 'unit';
  if (/^\s*\(/.test(after)) return 'function(variableName)';
  return /^[A-Z]/.test(word) ? 'typeName' : 'variableName';
}
