#pragma once
// What each operator means, defined once: on numbers (magnitudes in base
// units) and on dimensions. The evaluator (evaluator.cpp) applies it to
// quantities and reports a diagnostic for every outcome that is not ok; the
// search's compiled plan (search/compile.cpp) applies it to doubles and reads
// every such outcome as NaN, "not computable", which makes a requirement
// unmet and refuses a point's objective. So an expression means the same in a
// `print` and in a `require` (docs/language.md, "Numbers at the edges").
#include <optional>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/operator_dims.hpp"
#include "ironlaw/runtime/interp/dim.hpp"

namespace ironlaw::runtime::operators {

using lang::binary_op;
using lang::unary_op;

// `+ - * / ^`, `== != < <= > >= ~`, `and or`.
enum class kind { arithmetic, comparison, logical };
kind kind_of(binary_op op);

// `~`: equal within this fraction of the larger magnitude.
inline constexpr double approx_tolerance = 0.01;
// The dimension rules are the language's (lang/operator_dims.hpp), shared with
// the static check.
using lang::max_whole_power;
using lang::result_dim;
using lang::whole_power;

// ---- Numbers

// Whether the language accepts an arithmetic result, or the edge it stands at.
enum class outcome {
  ok,
  division_by_zero,  // `x / 0` (`0 / 0` included) and `0 ^ -n`
  overflow,          // infinite: beyond about 1.8e308, or arithmetic on an infinity
  underflow,         // subnormal, or 0 from non-zero factors
  not_a_number,      // `(-8) ^ 0.5`
};
struct number_result {
  double value = 0;  // the IEEE result, whatever the outcome
  outcome what = outcome::ok;
};
// `a op b` for an arithmetic operator.
number_result arithmetic(binary_op op, double a, double b);
// `a op b` for a comparison, `~` included. NaN compares as IEEE says (false,
// `!=` true); the compiled plan never asks (a NaN operand makes NaN).
bool compare(binary_op op, double a, double b);
// `a and b`, `a or b`: both sides are always evaluated (no short circuit), so
// an error on either side is an error of the whole.
bool logical(binary_op op, bool a, bool b);
// `-x`, `+x` (never at an edge: a finite number negates to a finite number).
double sign(unary_op op, double x);

}  // namespace ironlaw::runtime::operators
