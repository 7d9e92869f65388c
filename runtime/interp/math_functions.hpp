#pragma once
// The math builtins (min, max, sum, mean, ceil, floor, round, abs, sqrt, log,
// log2, exp), defined once: their names and help, the dimension rule, and the
// number each computes. The evaluator (math_call.cpp) reports every outcome
// that is not ok as a diagnostic; the checker's environment
// (check_environment.cpp) types calls with the dimension rule; the search's
// compiled plan (search/compile.cpp) reads a refused outcome as NaN, "not
// computable". So `require ceil(x) <= 8` means what `print ceil(x)` means
// (docs/language.md, "Math functions").
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ironlaw/runtime/interp/dim.hpp"

namespace ironlaw::runtime::math {

enum class function { min, max, sum, mean, ceil, floor, round, abs, sqrt, log, log2, exp };

struct function_info {
  std::string_view name;
  function f;
  std::string_view usage;    // "ceil(x)", "min(a, b, ...) or min(list)"
  std::string_view summary;  // one line, with the unit rule
};

const std::vector<function_info>& functions();
const function_info* find(std::string_view name);
std::vector<std::string> names();
// `ironlaw help NAME`: usage, summary and the unit rule.
std::string describe(const function_info& fn);

// min, max, sum and mean take several values or one list; the others one value.
bool over_values(function f);
// ceil, floor and round: a plain number, or a quantity written with the unit
// to round in (`ceil(x in GB)`).
bool rounds(function f);
// The largest list min, max, sum and mean accept (the range limit of the
// evaluator, docs/language.md).
inline constexpr std::size_t max_values = 1'000'000;

// ---- Dimensions

// The result's dimension, or why there is none: `message` names the rule and
// `culprit` the value (index into `values`) that breaks it. `values` are the
// arguments' dimensions (the list's items for min, max, sum, mean);
// `unit_given`: a rounding function's argument is written `x in UNIT`.
struct dim_rule {
  std::optional<dim> d;
  std::string message;
  std::string help;
  std::size_t culprit = 0;
};
dim_rule result_dim(function f, const std::vector<dim>& values, bool unit_given);

// ---- Numbers

enum class outcome {
  ok,
  empty,           // min, max, sum or mean of no values
  outside_domain,  // sqrt of a negative number, log of <= 0
  overflow,        // an infinite result (exp(1000), a sum past 1.8e308)
  underflow,       // exp of a number so negative the result is below about 2.2e-308
  not_a_number,    // a NaN among the values
};
struct number_result {
  double value = 0;
  outcome what = outcome::ok;
};
// `f(values)` on magnitudes in base units. `unit`: the size of the unit a
// rounding function rounds in (1: the base unit or a plain number).
number_result apply(function f, std::span<const double> values, double unit = 1);

}  // namespace ironlaw::runtime::math
