// The playground's highlighter names each word as the TextMate grammar does
// (editors/test/grammar_test.js): a declaration kind is a keyword only where
// it declares or after `zoo`.   node playground/tools/word_kind_test.mjs
import { word_kind } from '../src/word_kind.mjs';

// [line, word, kind]: the first occurrence of `word` in `line`.
const cases = [
  ['region Quebec2 extends Quebec {', 'region', 'definitionKeyword'],
  ['pool east {', 'pool', 'definitionKeyword'],
  ['hardware MyASIC extends H100_SXM {', 'hardware', 'definitionKeyword'],
  ['print zoo region where pue < 1.2', 'region', 'definitionKeyword'],
  ['  region      in [Quebec, Virginia, Poland]', 'region', 'variableName'],
  ['  model in [Llama3_8B, Llama3_70B]', 'model', 'variableName'],
  ['  region      = Virginia', 'region', 'variableName'],
  ['require p.region in [Quebec]', 'region', 'variableName'],
  ['  show accelerator, region, gpus', 'region', 'variableName'],
  ['let r = decode(Llama3_8B, H100_SXM)', 'decode', 'function(variableName)'],
  ['let r = decode(Llama3_8B, H100_SXM)', 'Llama3_8B', 'typeName'],
  ['print 3 TB', 'print', 'keyword'],
];
let problems = 0;
for (const [line, word, want] of cases) {
  const at = new RegExp(`(?<![A-Za-z0-9_])${word}(?![A-Za-z0-9_])`).exec(line).index;
  const before = line.slice(0, at);
  const previous = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(before);
  const got = word_kind(word, before, line.slice(at + word.length), false, previous?.[1] === 'zoo');
  if (got !== want) {
    problems++;
    console.log(`'${word}' in '${line}' is ${got}, expected ${want}`);
  }
}
console.log(`playground highlighter: ${cases.length} cases, ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
