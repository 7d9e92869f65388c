#include "ironlaw/lang/operator_dims.hpp"

#include <cmath>

namespace ironlaw::lang {

bool whole_power(double n) { return n == std::round(n) && std::abs(n) <= max_whole_power; }

std::optional<dim> result_dim(binary_op op, const dim& a, const dim& b, double exponent) {
  switch (op) {
    case binary_op::logical_and:
    case binary_op::logical_or:
      return std::nullopt;  // booleans, not quantities
    case binary_op::add:
    case binary_op::subtract:
      return a == b ? std::optional<dim>(a) : std::nullopt;
    case binary_op::multiply:
      return a * b;
    case binary_op::divide:
      return a / b;
    case binary_op::power:
      if (!b.dimensionless()) return std::nullopt;
      if (a.dimensionless()) return a;
      if (!whole_power(exponent)) return std::nullopt;
      return a.pow(static_cast<long long>(exponent));
    default:  // comparisons
      return a == b ? std::optional<dim>(dim{}) : std::nullopt;
  }
}

}  // namespace ironlaw::lang
