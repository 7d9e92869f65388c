#include "ironlaw/runtime/interp/quantity.hpp"

#include <cmath>

namespace ironlaw::runtime {

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
