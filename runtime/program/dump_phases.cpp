#include "dump_phases.hpp"

#include <fmt/format.h>

#include "ironlaw/lang/dump.hpp"
#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

namespace ironlaw::runtime {
namespace {

// What a name means in the global scope once the file has been checked.
std::string resolution(const interpreter& interp, const registry& reg, const std::string& name) {
  if (const value* v = interp.lookup(name)) {
    const record* r = v->as_record();
    if (r && r->kind == "design") return fmt::format("design {} (its representative point)", name);
    if (r && !r->name.empty()) return fmt::format("declared {} {}", r->kind, r->name);
    return fmt::format("let-bound: {}", describe(*v));
  }
  if (auto entry = reg.find(name)) {
    const location* at = reg.where(name);
    return at ? fmt::format("registry {} ({}:{})", entry->kind, at->file, at->line)
              : fmt::format("registry {}", entry->kind);
  }
  if (find_builtin(name)) return fmt::format("function {}", name);
  return "not global: a word (enum value), an axis, or a name of the enclosing block";
}

// An expression's type and value in the global scope; empty when it reads a
// local name (a design's axis, a question's `submitted`).
std::string type_of(interpreter& interp, const lang::expr& e, const lang::source_ptr& source) {
  if (const auto* n = std::get_if<lang::name_ref>(&e.node); n && !interp.lookup(n->name) && find_builtin(n->name))
    return fmt::format("function {}", n->name);
  lang::diagnostics quiet;
  auto v = interp.evaluate(e, source, quiet);
  if (!v) return "(no value here: it reads a local name, or fails; see the diagnostics)";
  const auto* q = v->v.as_quantity();
  if (q) return fmt::format("{} = {}", q->d.dimensionless() ? "number" : describe(q->d),
                            format_value(v->v, interp.reg().units()));
  if (std::holds_alternative<list_ptr>(v->v.v))
    return fmt::format("list of {}", std::get<list_ptr>(v->v.v)->size());
  return describe(v->v);
}

}  // namespace

std::string dump_phase(const lang::program& program, const registry& reg, std::string_view phase,
                       lang::diagnostics& diags) {
  interpreter interp(reg);
  interp.check(program, diags);
  if (phase == "resolved")
    return lang::dump_ast(program, [&](const lang::expr& e) -> std::string {
      const auto* n = std::get_if<lang::name_ref>(&e.node);
      return n ? resolution(interp, reg, n->name) : std::string();
    });
  return lang::dump_ast(program, [&](const lang::expr& e) { return type_of(interp, e, program.source); });
}

}  // namespace ironlaw::runtime
