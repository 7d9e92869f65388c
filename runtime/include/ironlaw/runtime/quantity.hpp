#pragma once
// A language value with a unit: a magnitude in coherent base units and its
// dimension. Arithmetic checks dimensions where they must agree.
#include <optional>

#include "ironlaw/runtime/dim.hpp"

namespace ironlaw::runtime {

struct quantity {
  double si = 0;  // magnitude in base units (s, B, FLOP, J, USD, kg, L, token, req, sample)
  dim d;

  [[nodiscard]] bool same_dim(const quantity& o) const { return d == o.d; }
  friend bool operator==(const quantity&, const quantity&) = default;
};

// nullopt when the dimensions differ.
std::optional<quantity> add(const quantity& a, const quantity& b);
std::optional<quantity> subtract(const quantity& a, const quantity& b);
quantity multiply(const quantity& a, const quantity& b);
quantity divide(const quantity& a, const quantity& b);
// Integer exponents only on dimensioned bases; nullopt otherwise.
std::optional<quantity> power(const quantity& base, const quantity& exponent);

}  // namespace ironlaw::runtime
