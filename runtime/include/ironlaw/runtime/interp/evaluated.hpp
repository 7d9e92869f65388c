#pragma once
// An expression's value as the evaluator returns it, with how to show it.
#include <optional>
#include <string>

#include "ironlaw/runtime/interp/units.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

struct evaluated {
  value v;
  std::string note;                      // why, when the value came from a solver field
  std::optional<unit_value> shown_in;    // `x in GB/s`: print in this unit
  std::string shown_in_text;
};

// A value as text: quantities with their display unit, entities by name.
std::string format_value(const value& v, const unit_table& units);

}  // namespace ironlaw::runtime
