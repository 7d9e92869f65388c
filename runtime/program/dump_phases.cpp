#include "dump_phases.hpp"

#include <fmt/format.h>

#include "ironlaw/lang/check.hpp"
#include "ironlaw/lang/dump.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime {

// The static phases only: nothing is evaluated, no solver is called.
std::string dump_phase(const lang::program& program, const registry& reg, std::string_view phase,
                       lang::diagnostics& diags) {
  interpreter interp(reg);
  auto typed = interp.check_static(program, diags);
  if (phase == "resolved")
    return lang::dump_ast(program, [&](const lang::expr& e) -> std::string {
      auto it = typed.resolutions.find(&e);
      return it == typed.resolutions.end() ? std::string() : it->second;
    });
  return lang::dump_ast(program, [&](const lang::expr& e) -> std::string {
    auto t = typed.type_of(e);
    return t ? lang::describe(*t) : std::string("(not reached: see the diagnostics)");
  });
}

}  // namespace ironlaw::runtime
