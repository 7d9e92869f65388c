#pragma once
// Two computations of one number agree: equal to a relative 1e-9, leaving the
// last bits that another machine, build or summation order may round
// differently; an infinity agrees only with itself. Used where a stored number is
// checked against its source (a price history's newest entry, a shard file's
// archived objectives and slacks).
#include <algorithm>
#include <cmath>

namespace ironlaw::runtime {

inline bool agree(double a, double b) {
  if (a == b) return true;
  // A finite number never agrees with an infinity (the relative bound would
  // be infinite too), and NaN agrees with nothing.
  if (!std::isfinite(a) || !std::isfinite(b)) return false;
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

}  // namespace ironlaw::runtime
