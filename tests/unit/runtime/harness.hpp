#pragma once
// What the runtime's unit tests share: text through the real parser and
// interpreter against a registry, and the two assertions on the outcome.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/app/cli.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime::testing {

// Llama-3-8B as the registry states it, for tests that pin their own registry
// so a registry edit cannot move their numbers.
inline constexpr const char* llama3_8b_toml = R"(
[Llama3_8B]
family = "transformer"
layers = 32
d_model = 4096
heads = 32
kv_heads = 8
head_dim = 128
ffn = 14336
ffn_kind = "swiglu"
vocab = 128256
context = 8192
)";

struct outcome {
  std::string shown;  // what `eval` shows, or what `run` printed
  lang::diagnostics diags;
};

// One expression, as `ironlaw eval` runs it.
inline outcome eval_in(const registry& reg, const std::string& text) {
  outcome o;
  auto source = std::make_shared<const lang::source_file>("<eval>", text);
  lang::expr_ptr e;
  if (!lang::parse_expression(source, e, o.diags).ok) return o;
  interpreter interp(reg);
  if (auto v = interp.evaluate(*e, source, o.diags)) o.shown = interp.show(*v);
  return o;
}

// A whole file (declarations, `let`, `print`), as `ironlaw run` runs it.
inline outcome run_in(const registry& reg, const std::string& text) {
  outcome o;
  auto source = std::make_shared<const lang::source_file>("<test>", text);
  lang::program program;
  if (!lang::parse_program(source, program, o.diags).ok) return o;
  interpreter interp(reg);
  std::ostringstream out;
  interp.run(program, out, o.diags);
  o.shown = out.str();
  return o;
}

// What it showed, requiring no error (each diagnostic is shown on failure).
inline std::string shown_ok(const outcome& o, const std::string& text) {
  INFO(text);
  for (const auto& d : o.diags.items()) INFO(lang::render_human(d));
  REQUIRE_FALSE(o.diags.has_errors());
  return o.shown;
}

// The first diagnostic, requiring an error.
inline lang::diagnostic first_error(const outcome& o, const std::string& text) {
  INFO(text);
  INFO(o.shown);
  REQUIRE(o.diags.has_errors());
  return o.diags.items().front();
}

// A whole command line through the CLI, with its exit code and both streams.
struct cli_result {
  int code;
  std::string out, err;
};
inline cli_result cli(std::vector<std::string> args) {
  args.insert(args.begin(), "ironlaw");
  std::ostringstream out, err;
  int code = run_cli(args, {out, err, false});
  return {code, out.str(), err.str()};
}

// A registry of the builtin units and the given files ({path, TOML text}), for
// tests that pin their own data.
inline registry registry_of(const std::vector<std::pair<std::string, std::string>>& files) {
  registry reg(unit_table::builtin());
  for (const auto& [path, text] : files) reg.add_file(path, text);
  return reg;
}

// `4.79 ms  (memory-bound ...)` -> 4.79
inline double leading_number(const std::string& s) { return std::stod(s.substr(0, s.find(' '))); }

}  // namespace ironlaw::runtime::testing
