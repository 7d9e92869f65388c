#pragma once
// A language value with a unit: a magnitude in coherent base units and its
// dimension. Arithmetic checks dimensions where they must agree.
#include <optional>

#include "ironlaw/runtime/interp/dim.hpp"

namespace ironlaw::runtime {

struct quantity {
  double si = 0;  // magnitude in base units (s, B, FLOP, J, USD, kg, L, token, req, sample)
  dim d;

  [[nodiscard]] bool same_dim(const quantity& o) const { return d == o.d; }
  friend bool operator==(const quantity&, const quantity&) = default;
};

// Numbers at the edges (docs/language.md): what is wrong with a magnitude or
// dimension, if anything. Arithmetic (interp/operators.hpp) never fails on
// these; the evaluator classifies every result once and reports the edge.
enum class numeric_edge {
  ok,
  overflow,        // infinite: beyond about 1.8e308
  underflow,       // subnormal (below about 2.2e-308 and not 0), or 0 from non-zero factors
  not_a_number,    // NaN
  exponent_range,  // a unit exponent beyond +-max_exponent (dim::out_of_range)
};
// The edge a value stands at. `from_nonzero_factors`: the value is a product,
// quotient or power of non-zero numbers, so an exact 0 is an underflow.
numeric_edge edge_of(const quantity& q, bool from_nonzero_factors = false);
numeric_edge edge_of(double x, bool from_nonzero_factors = false);

}  // namespace ironlaw::runtime
