#include "ironlaw/stdlib/synthesis.hpp"

#include <algorithm>

#include "ironlaw/stdlib/single_node.hpp"

namespace ironlaw::stdlib {

sla_requirement synthesize(const transformer_shape& model, const sla_request& req) {
  sla_requirement s;
  auto step = transformer_workload(model, req.batch, 1, req.context, req.weights, req.kv, false, 0);
  s.step_bytes = step.bytes;
  s.step_flops = step.flops;
  s.bandwidth = step.bytes / (req.itl * req.decode.bandwidth);
  s.compute = step.flops / (req.itl * req.decode.compute);
  if (req.ttft.value() > 0 && req.context >= 1) {
    s.prefill_flops = transformer_workload(model, req.batch, req.context, 0, req.weights, req.kv, false, 0).flops;
    auto prefill_rate = s.prefill_flops / (req.ttft * req.prefill_compute);
    s.prefill_binds = prefill_rate > s.compute;
    s.compute = std::max(s.compute, prefill_rate);
  }
  s.memory = count_parameters(model).total * bytes_per_weight(req.weights) * units::byte +
             req.batch * req.context * kv_elements_per_token(model) * bytes_per_element(req.kv) * units::byte;
  return s;
}

bool qualifies(const accelerator& hw, const sla_requirement& need, precision weights, double reserve_fraction) {
  auto peak = effective_peak(hw, weights);
  return peak && peak->rate >= need.compute && hw.bandwidth >= need.bandwidth &&
         (1 - reserve_fraction) * hw.memory >= need.memory;
}

}  // namespace ironlaw::stdlib
