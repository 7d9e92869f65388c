#include "ironlaw/runtime/quantity.hpp"

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
  return quantity{std::pow(base.si, n), base.d.pow(static_cast<int>(n))};
}

}  // namespace ironlaw::runtime
