#include "ironlaw/runtime/interp/quantity.hpp"

#include <cmath>

namespace ironlaw::runtime {

std::optional<quantity> add(const quantity& a, const quantity& b) {
  if (!a.same_dim(b)) return std::nullopt;
  return quantity{a.si + b.si, a.d};
}

std::optional<quantity> subtract(const quantity& a, const quantity& b) {
  if (!a.same_dim(b)) return std::nullopt;
  return quantity{a.si - b.si, a.d};
}

quantity multiply(const quantity& a, const quantity& b) { return {a.si * b.si, a.d * b.d}; }

quantity divide(const quantity& a, const quantity& b) { return {a.si / b.si, a.d / b.d}; }

std::optional<quantity> power(const quantity& base, const quantity& exponent) {
  if (!exponent.d.dimensionless()) return std::nullopt;
  if (base.d.dimensionless()) return quantity{std::pow(base.si, exponent.si), base.d};
  double n = exponent.si;
  if (n != std::round(n) || std::abs(n) > 16) return std::nullopt;
  return quantity{std::pow(base.si, n), base.d.pow(static_cast<long long>(n))};
}

numeric_edge edge_of(double x, bool from_nonzero_factors) {
  switch (std::fpclassify(x)) {
    case FP_NAN: return numeric_edge::not_a_number;
    case FP_INFINITE: return numeric_edge::overflow;
    case FP_SUBNORMAL: return numeric_edge::underflow;
    case FP_ZERO: return from_nonzero_factors ? numeric_edge::underflow : numeric_edge::ok;
    default: return numeric_edge::ok;
  }
}

numeric_edge edge_of(const quantity& q, bool from_nonzero_factors) {
  if (q.d.out_of_range()) return numeric_edge::exponent_range;
  return edge_of(q.si, from_nonzero_factors);
}

}  // namespace ironlaw::runtime
