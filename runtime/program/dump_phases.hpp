#pragma once
// `ironlaw dump --phase resolved|typed FILE`: the syntax tree with what each
// name resolves to, or with each expression's type, from the static phases alone.
#include <string>
#include <string_view>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/diagnostic.hpp"
#include "ironlaw/runtime/interp/registry.hpp"

namespace ironlaw::runtime {

// Checks the program (diagnostics go to `diags`), then dumps it annotated.
std::string dump_phase(const lang::program& program, const registry& reg, std::string_view phase,
                       lang::diagnostics& diags);

}  // namespace ironlaw::runtime
