#include "ironlaw/stdlib/privacy.hpp"

#include <cmath>

namespace ironlaw::stdlib {

privacy_result dp_sgd(units::seconds base, slowdown_range range) {
  privacy_result r;
  // Slowdowns are ratios measured over several models: their middle is geometric.
  r.slowdown = std::sqrt(range.low * range.high);
  r.time_low = base * range.low;
  r.time_high = base * range.high;
  r.time = base * r.slowdown;
  return r;
}

}  // namespace ironlaw::stdlib
