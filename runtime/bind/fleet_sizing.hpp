#pragma once
// serving_fleet's sizing, for bindings that size pools of a fleet with it
// (pooled_fleet): the same parameters, checks and result record, with the
// demand, the replica or the size given by the caller.
#include <optional>
#include <string>

#include "ironlaw/runtime/interp/builtins.hpp"
#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::runtime::bindings {

struct fleet_overrides {
  std::optional<double> demand;                    // req/s instead of the workload's rate (> 0)
  const stdlib::serve_result* replica = nullptr;   // a replica the caller computed (prefill or decode only)
  std::string replica_shortfall;                   // why that replica does not fit; empty when it does
  double fixed_devices = 0;                        // a pool of this many devices; 0: sized to demand
};

// `args` are serving_fleet's, bound and finished.
std::optional<value> serving_fleet_with(call_args& args, const fleet_overrides& o);

}  // namespace ironlaw::runtime::bindings
