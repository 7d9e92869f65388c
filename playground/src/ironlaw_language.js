// Syntax highlighting for the scenario language: a CodeMirror stream
// tokenizer over the words lang/grammar.hpp reserves, numbers with their
// units, strings and comments.
import { StreamLanguage } from '@codemirror/language';
import { tags } from '@lezer/highlight';

const keywords = new Set(['in', 'and', 'or', 'not', 'let', 'print', 'by', 'show', 'where', 'over', 'when', 'points',
  'top', 'scenario', 'import', 'extends', 'design', 'require', 'minimize', 'maximize', 'report', 'assignment', 'param',
  'question', 'feedback', 'answers', 'zoo', 'measured', 'per']);
const declarations = new Set(['hardware', 'model', 'node', 'fleet', 'region', 'workload', 'fabric']);
const atoms = new Set(['true', 'false']);

export const ironlaw_language = StreamLanguage.define({
  name: 'ironlaw',
  startState: () => ({ after_number: false }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    if (stream.match(/^#.*/)) return 'comment';
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?/)) {
      state.after_number = true;
      return 'number';
    }
    if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
      const word = stream.current();
      const unit = state.after_number;
      state.after_number = false;
      if (keywords.has(word)) return 'keyword';
      if (atoms.has(word)) return 'atom';
      if (declarations.has(word) && stream.match(/^\s+[A-Za-z_]/, false)) return 'definitionKeyword';
      if (unit) return 'unit';
      if (stream.match(/^\s*\(/, false)) return 'function(variableName)';
      return /^[A-Z]/.test(word) ? 'typeName' : 'variableName';
    }
    state.after_number = false;
    if (stream.match(/^(?:==|!=|<=|>=|\.\.|[-+*/^<>=~%])/)) return 'operator';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '#' } },
  tokenTable: { unit: tags.unit },
});
