#include "ironlaw/stdlib/roofline.hpp"

#include <algorithm>

namespace ironlaw::stdlib {

roofline_point roofline(units::flops work, units::bytes traffic, units::flop_rate peak, units::byte_rate bandwidth,
                        efficiency eff) {
  roofline_point r;
  r.compute_time = work / peak;
  r.memory_time = traffic / bandwidth;
  r.time_bound = std::max(r.compute_time, r.memory_time);
  r.time = std::max(r.compute_time / eff.compute, r.memory_time / eff.bandwidth);
  r.intensity = traffic.value() > 0 ? work / traffic : units::intensity{};
  r.ridge = peak / bandwidth;
  // Classified by which resource binds at the achieved efficiencies.
  r.bottleneck = r.compute_time / eff.compute >= r.memory_time / eff.bandwidth ? bound::compute : bound::memory;
  r.utilization = r.time.value() > 0 ? (work / r.time / peak).value() : 0;
  return r;
}

}  // namespace ironlaw::stdlib
