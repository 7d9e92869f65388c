// libFuzzer target: any input must parse (or be rejected with diagnostics)
// without crashing; what parses must format to text that parses to the same
// tree; checking it against the registry and running it must not crash
// either. Design searches are capped at 1,000 points so one input costs
// milliseconds, not the 10-million-point default.
#include <cstdint>
#include <sstream>
#include <string>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace {

std::vector<std::string> canonical(const ironlaw::lang::program& p) {
  std::vector<std::string> out;
  for (const auto& st : p.statements) out.push_back(ironlaw::lang::to_source(st));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ironlaw;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto source = std::make_shared<const lang::source_file>("fuzz.iron", text);
  lang::diagnostics diags;
  lang::program program;
  auto status = lang::parse_program(source, program, diags);
  for (const auto& d : diags.items()) (void)lang::render_human(d);
  if (!status.ok) return 0;

  auto formatted = lang::format_program(program);
  auto again_source = std::make_shared<const lang::source_file>("fuzz.iron", formatted);
  lang::diagnostics again_diags;
  lang::program again;
  if (!lang::parse_program(again_source, again, again_diags).ok) __builtin_trap();  // fmt produced unparsable text
  if (canonical(again) != canonical(program)) __builtin_trap();                    // fmt changed the meaning
  if (lang::format_program(again) != formatted) __builtin_trap();                  // fmt is not idempotent

  runtime::interpreter interp(runtime::registry::embedded());
  interp.allow_imports(false);
  lang::diagnostics check_diags;
  interp.check(program, check_diags);
  for (const auto& d : check_diags.items()) (void)lang::render_json({d});

  runtime::interpreter runner(runtime::registry::embedded());
  runner.allow_imports(false);
  runtime::search_options options;
  options.threads = 1;
  options.max_points = 1000;
  runner.set_search_options(options);
  std::ostringstream out;
  lang::diagnostics run_diags;
  runner.run(program, out, run_diags);
  for (const auto& d : run_diags.items()) (void)lang::render_human(d);
  return 0;
}
