#pragma once
// An expression's value as the evaluator returns it, with how to show it.
#include <optional>
#include <string>
#include <string_view>

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
// One field of a record as text: "n/a (does not fit)" for a field a result
// that does not fit refuses to give (refuses_read), "... if it fit" for one
// its call allowed (`allow_infeasible = true`), else format_value.
std::string format_field(const record& r, const field& f, const unit_table& units);
// What makes a solver's result unfit to print (E0220): a field that is NaN or
// infinite (an unstable queue's waits and an unbounded rate excepted), or a
// negative time, cost or rate; empty when there is none. The evaluator and
// the design search check every result with it.
std::string numeric_defect(const value& result, const unit_table& units, std::string_view path = {});
// The line a result that does not fit prints first: "infeasible: needs ...".
std::string infeasible_line(const record& r);

}  // namespace ironlaw::runtime
