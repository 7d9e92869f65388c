// Syntax highlighting for the scenario language: a CodeMirror stream
// tokenizer over numbers with their units, strings, comments and words
// (word_kind.mjs says what each word is).
import { StreamLanguage } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { word_kind } from './word_kind.mjs';

export const ironlaw_language = StreamLanguage.define({
  name: 'ironlaw',
  startState: () => ({ after_number: false, after_zoo: false }),
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
      const kind = word_kind(word, stream.string.slice(0, stream.start), stream.string.slice(stream.pos),
        state.after_number, state.after_zoo);
      state.after_number = false;
      state.after_zoo = word === 'zoo';
      return kind;
    }
    state.after_number = false;
    state.after_zoo = false;
    if (stream.match(/^(?:==|!=|<=|>=|\.\.|[-+*/^<>=~%])/)) return 'operator';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '#' } },
  tokenTable: { unit: tags.unit },
});
