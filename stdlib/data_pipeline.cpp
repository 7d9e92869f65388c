#include "ironlaw/stdlib/data_pipeline.hpp"

#include <limits>

namespace ironlaw::stdlib {

pipeline_result data_pipeline(const pipeline_inputs& in) {
  constexpr double unlimited = std::numeric_limits<double>::infinity();
  pipeline_result r;
  r.storage_needed = in.demand * in.sample_size;
  r.cores_needed = (in.demand / in.per_core).value();
  r.storage_limit = in.storage.value() > 0 ? sample_rate(in.storage / in.sample_size)
                                            : sample_rate::from_value(unlimited);
  r.cpu_limit = in.cores > 0 ? in.cores * in.per_core : sample_rate::from_value(unlimited);
  // The stages run as a pipeline (prefetching overlaps them), so the slowest sets the rate.
  r.achieved = in.demand;
  if (r.storage_limit < r.achieved) {
    r.achieved = r.storage_limit;
    r.bound = pipeline_stage::storage;
  }
  if (r.cpu_limit < r.achieved) {
    r.achieved = r.cpu_limit;
    r.bound = pipeline_stage::cpu;
  }
  r.accelerator_utilization = (r.achieved / in.demand).value();
  return r;
}

}  // namespace ironlaw::stdlib
