#include "math_functions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ironlaw::runtime::math {

const std::vector<function_info>& functions() {
  static const std::vector<function_info> all = {
      {"min", function::min, "min(a, b, ...) or min(list)", "the smallest value; all of one dimension"},
      {"max", function::max, "max(a, b, ...) or max(list)", "the largest value; all of one dimension"},
      {"sum", function::sum, "sum(a, b, ...) or sum(list)", "the total; all of one dimension"},
      {"mean", function::mean, "mean(a, b, ...) or mean(list)", "the arithmetic mean; all of one dimension"},
      {"ceil", function::ceil, "ceil(x) or ceil(x in UNIT)",
       "rounds up to a whole number; a quantity with a unit needs the unit to round in"},
      {"floor", function::floor, "floor(x) or floor(x in UNIT)",
       "rounds down to a whole number; a quantity with a unit needs the unit to round in"},
      {"round", function::round, "round(x) or round(x in UNIT)",
       "rounds to the nearest whole number, halves away from zero; a quantity with a unit needs the unit to round in"},
      {"abs", function::abs, "abs(x)", "the magnitude, in the unit of x"},
      {"sqrt", function::sqrt, "sqrt(x)", "the square root; halves every unit exponent (sqrt(4 s^2) = 2 s), so each must be even; x >= 0"},
      {"log", function::log, "log(x)", "the natural logarithm of a plain number > 0"},
      {"log2", function::log2, "log2(x)", "the base-2 logarithm of a plain number > 0"},
      {"exp", function::exp, "exp(x)", "e to the power of a plain number"},
  };
  return all;
}

const function_info* find(std::string_view name) {
  for (const auto& fn : functions())
    if (fn.name == name) return &fn;
  return nullptr;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& fn : functions()) out.emplace_back(fn.name);
  return out;
}

std::string describe(const function_info& fn) {
  return fmt::format("{}: {}\n\nUsage: {}\n", fn.name, fn.summary, fn.usage);
}

bool over_values(function f) {
  return f == function::min || f == function::max || f == function::sum || f == function::mean;
}

bool rounds(function f) { return f == function::ceil || f == function::floor || f == function::round; }

namespace {

std::string_view name_of(function f) {
  for (const auto& fn : functions())
    if (fn.f == f) return fn.name;
  return "";
}

}  // namespace

dim_rule result_dim(function f, const std::vector<dim>& values, bool unit_given) {
  dim_rule out;
  auto name = name_of(f);
  if (values.empty()) {
    out.d = dim{};  // an empty list is a value error (outcome::empty), not a dimension one
    return out;
  }
  if (over_values(f)) {
    for (std::size_t i = 1; i < values.size(); ++i)
      if (values[i] != values[0]) {
        out.message = fmt::format("{} needs values of one dimension: {} beside {}", name, describe(values[i]),
                                  describe(values[0]));
        out.help = "convert or divide so that every value has the same dimension";
        out.culprit = i;
        return out;
      }
    out.d = values[0];
    return out;
  }
  const dim& x = values[0];
  switch (f) {
    case function::ceil:
    case function::floor:
    case function::round:
      if (!x.dimensionless() && !unit_given) {
        out.message = fmt::format("{} of {} needs the unit to round in", name, describe(x));
        out.help = fmt::format("write `{}(x in {})`: a whole number of which unit?", name, base_unit_text(x));
        return out;
      }
      out.d = x;
      return out;
    case function::abs:
      out.d = x;
      return out;
    case function::sqrt: {
      dim half;
      for (std::size_t i = 0; i < base_dim_count; ++i) {
        if (x.exponents[i] % 2 != 0) {
          out.message = fmt::format("sqrt of {} ({}): an odd unit exponent has no square root", describe(x),
                                    base_unit_text(x));
          out.help = "sqrt halves every exponent (sqrt(4 s^2) = 2 s); make the exponents even first";
          return out;
        }
        half.exponents[i] = static_cast<std::int8_t>(x.exponents[i] / 2);
      }
      out.d = half;
      return out;
    }
    default:  // log, log2, exp
      if (!x.dimensionless()) {
        out.message = fmt::format("{} needs a plain number, not {} ({})", name, describe(x), base_unit_text(x));
        out.help = "divide by a reference of the same dimension first, as in log(x / (1 GB))";
        return out;
      }
      out.d = dim{};
      return out;
  }
}

number_result apply(function f, std::span<const double> values, double unit) {
  if (values.empty()) return {std::nan(""), outcome::empty};
  for (double v : values)
    if (std::isnan(v)) return {v, outcome::not_a_number};
  double r = 0;
  double x = values[0];
  if (rounds(f)) {
    // In the unit asked for, a figure one rounding error from a whole number
    // is that number: 0.3 s in ms is 299.99999999999994, and its floor 300 ms.
    x /= unit;
    if (double whole = std::round(x); std::abs(x - whole) <= 1e-12 * std::max(1.0, std::abs(x))) x = whole;
  }
  switch (f) {
    case function::min: r = *std::min_element(values.begin(), values.end()); break;
    case function::max: r = *std::max_element(values.begin(), values.end()); break;
    case function::sum:
      for (double v : values) r += v;
      break;
    case function::mean: {
      // Each value divided first, so that a mean of large values cannot overflow where their sum would.
      auto n = static_cast<double>(values.size());
      for (double v : values) r += v / n;
      break;
    }
    case function::ceil: r = std::ceil(x) * unit; break;
    case function::floor: r = std::floor(x) * unit; break;
    case function::round: r = std::round(x) * unit; break;
    case function::abs: r = std::abs(x); break;
    case function::sqrt:
      if (x < 0) return {std::nan(""), outcome::outside_domain};
      r = std::sqrt(x);
      break;
    case function::log:
    case function::log2:
      if (x <= 0) return {std::nan(""), outcome::outside_domain};
      r = f == function::log ? std::log(x) : std::log2(x);
      break;
    case function::exp: r = std::exp(x); break;
  }
  // min and max return one of the values; anything else that is infinite overflowed.
  bool passes_through = f == function::min || f == function::max || f == function::abs;
  if (std::isinf(r) && !passes_through) return {r, outcome::overflow};
  if (f == function::exp && r < std::numeric_limits<double>::min()) return {r, outcome::underflow};
  return {r, outcome::ok};
}

}  // namespace ironlaw::runtime::math
