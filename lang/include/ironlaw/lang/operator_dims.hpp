#pragma once
// The dimension rule of each binary operator, defined once: the static check
// (check.cpp) types expressions with it and the runtime's evaluator and
// compiled search plan (runtime/interp/operators.hpp) evaluate with it, so a
// unit error is the same error before and during a run.
#include <optional>

#include "ironlaw/lang/ast.hpp"
#include "ironlaw/lang/dim.hpp"

namespace ironlaw::lang {

// The largest whole power a quantity with a unit may be raised to.
inline constexpr double max_whole_power = 16;
// Whether any base, with a unit or without, may be raised to `n`: a whole
// number of at most max_whole_power in magnitude.
bool whole_power(double n);

// The dimension of `a op b` for an arithmetic operator or a comparison (a
// comparison's value is a boolean: dimensionless), or nullopt when the
// operator does not apply: `+ -` and comparisons need one dimension; `^` a
// dimensionless exponent, and a whole power (whole_power) of a base with a
// unit. `exponent` is the right operand's magnitude (read by `^` only). The
// result may be out of range (dim::out_of_range, error E0218). `and`/`or`
// have no dimension rule (nullopt).
std::optional<dim> result_dim(binary_op op, const dim& a, const dim& b, double exponent = 0);

}  // namespace ironlaw::lang
