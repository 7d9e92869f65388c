#include "ironlaw/stdlib/walls.hpp"

#include <limits>

namespace ironlaw::stdlib {

double margin_under(double value, double limit) {
  if (limit == 0) return value <= 0 ? 0 : -std::numeric_limits<double>::infinity();
  return (limit - value) / limit;
}

}  // namespace ironlaw::stdlib
