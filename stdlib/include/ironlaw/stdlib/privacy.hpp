#pragma once
// The safety wall: training-time overhead of differentially private SGD
// (per-example gradients, clipping, noise) as a measured slowdown range.
#include <array>
#include <string_view>

#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

struct slowdown_range {
  double low = 1;   // >= 1
  double high = 1;  // >= low
};

struct privacy_result {
  units::seconds time_low{};   // base time x low slowdown
  units::seconds time{};       // base time x the geometric middle of the range
  units::seconds time_high{};  // base time x high slowdown
  double slowdown = 1;         // sqrt(low x high)
};

// `base` is the non-private training time (> 0).
privacy_result dp_sgd(units::seconds base, slowdown_range range);

}  // namespace ironlaw::stdlib
