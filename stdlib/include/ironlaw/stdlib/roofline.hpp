#pragma once
// The roofline: a kernel's time is bounded by its FLOPs at peak compute and by
// its bytes at peak bandwidth, whichever is larger (Williams, Waterman and
// Patterson, "Roofline", CACM 2009).
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

enum class bound { compute, memory };
constexpr const char* name_of(bound b) { return b == bound::compute ? "compute" : "memory"; }

// Achieved fractions of the peaks; 1 gives the ideal roofline bound.
struct efficiency {
  double compute = 1;
  double bandwidth = 1;
};

struct roofline_point {
  units::seconds compute_time{};  // FLOPs / peak
  units::seconds memory_time{};   // bytes / bandwidth
  units::seconds time_bound{};    // max of the two, at the peaks
  units::seconds time{};          // max of the two at the achieved efficiencies
  units::intensity intensity{};   // FLOPs / bytes
  units::intensity ridge{};       // peak / bandwidth: the intensity where the bound changes
  bound bottleneck = bound::memory;
  double utilization = 0;  // achieved FLOP/s over peak FLOP/s at `time`
};

roofline_point roofline(units::flops work, units::bytes traffic, units::flop_rate peak, units::byte_rate bandwidth,
                        efficiency eff = {});

}  // namespace ironlaw::stdlib
