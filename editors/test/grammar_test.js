// Tokenizes every scenario file (scenarios/**/*.iron, tests/golden/**/*.iron)
// with the TextMate grammar as VS Code does (vscode-textmate, Oniguruma) and
// fails on any token of visible text that has no scope beyond the file's
// (`source.ironlaw`), or that the grammar marks invalid; then checks a few
// tokens' scopes by hand, so a grammar that scopes everything alike fails too.
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const root = path.resolve(__dirname, "..", "..");
const grammarPath = path.join(root, "editors", "textmate", "ironlaw.tmLanguage.json");

function files(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full));
    else if (entry.name.endsWith(".iron")) out.push(full);
  }
  return out;
}

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.ironlaw" ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath) : null,
  });
  return registry.loadGrammar("source.ironlaw");
}

// Every token of a text as [text, scopes].
function tokenize(grammar, text) {
  const out = [];
  let stack = vsctm.INITIAL;
  for (const line of text.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(line, stack);
    for (const t of result.tokens) out.push([line.slice(t.startIndex, t.endIndex), t.scopes, line]);
    stack = result.ruleStack;
  }
  return out;
}

function scopeOf(tokens, text) {
  const t = tokens.find(([s]) => s === text);
  return t ? t[1][t[1].length - 1] : "(no such token)";
}

async function main() {
  const grammar = await loadGrammar();
  const scenarioFiles = [...files(path.join(root, "scenarios")), ...files(path.join(root, "tests", "golden"))];
  let problems = 0;
  let tokens = 0;
  let checked = 0;
  for (const file of scenarioFiles) {
    const text = fs.readFileSync(file, "utf8");
    // Golden cases of bad input (check/, hostile/) are meant not to parse; the
    // grammar must still scope them, but may call their stray characters invalid.
    const strict = !file.includes(`${path.sep}golden${path.sep}`);
    checked++;
    for (const [s, scopes, line] of tokenize(grammar, text)) {
      if (!s.trim()) continue;
      tokens++;
      const unscoped = scopes.length < 2;
      const invalid = strict && scopes.some((x) => x.startsWith("invalid."));
      if (unscoped || invalid) {
        if (problems++ < 30)
          console.log(`${path.relative(root, file)}: '${s}' ${unscoped ? "has no scope" : "is invalid"} in: ${line}`);
      }
    }
  }
  // Scopes by hand: what each kind of token must be called.
  const sample = tokenize(grammar, [
    'hardware MyASIC extends H100_SXM {',
    '  memory = 192 GB  # more',
    '}',
    'let r = decode(Llama3_8B, MyASIC, batch = 1, precision = fp16)',
    'print "itl {r.itl in ms}", 3.35 TB/s, true',
  ].join("\n"));
  const expected = {
    hardware: "storage.type.ironlaw",
    MyASIC: "entity.name.type.ironlaw",
    extends: "keyword.other.extends.ironlaw",
    "192": "constant.numeric.ironlaw",
    GB: "keyword.other.unit.ironlaw",
    "# more": "comment.line.number-sign.ironlaw",
    let: "keyword.other.let.ironlaw",
    r: "variable.other.definition.ironlaw",
    decode: "entity.name.function.ironlaw",
    Llama3_8B: "entity.name.type.registry.ironlaw",
    fp16: "variable.other.ironlaw",
    itl: "variable.other.property.ironlaw",
    "TB/s": "keyword.other.unit.ironlaw",
    true: "constant.language.boolean.ironlaw",
    print: "keyword.other.ironlaw",
  };
  for (const [text, scope] of Object.entries(expected)) {
    const got = scopeOf(sample, text);
    if (got !== scope) {
      problems++;
      console.log(`'${text}' is ${got}, expected ${scope}`);
    }
  }
  // A declaration kind is a keyword only where it declares (or after `zoo`):
  // as a design axis, a field or a property it is a name.
  const cases = [
    ["region Quebec2 extends Quebec {", "region", "storage.type.ironlaw"],
    ["pool east {", "pool", "storage.type.ironlaw"],
    ["print zoo region where pue < 1.2", "region", "storage.type.ironlaw"],
    ["  region      in [Quebec, Virginia, Poland]", "region", "variable.other.ironlaw"],
    ["  model in [Llama3_8B, Llama3_70B]", "model", "variable.other.ironlaw"],
    ["  region      = Virginia", "region", "variable.other.ironlaw"],
    ["require p.region in [Quebec] and p.model != Llama3_8B", "region", "variable.other.property.ironlaw"],
    ["  show accelerator, region, gpus", "region", "variable.other.ironlaw"],
  ];
  for (const [line, word, scope] of cases) {
    const got = scopeOf(tokenize(grammar, line), word);
    if (got !== scope) {
      problems++;
      console.log(`'${word}' in '${line}' is ${got}, expected ${scope}`);
    }
  }
  console.log(`grammar: ${checked} files, ${tokens} tokens, ${problems} problem(s)`);
  process.exit(problems || checked === 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
