#include "ironlaw/stdlib/serving.hpp"

#include <cmath>

namespace ironlaw::stdlib {

units::bytes weight_bytes_per_step(const transformer_shape& model, double batch, precision weights) {
  auto params = count_parameters(model);
  double read = params.total;
  if (model.experts > 0) {
    double touched = model.experts * (1 - std::pow(1 - model.experts_active / model.experts, batch));
    read = params.total - params.moe_layers * (model.experts - touched) * params.per_expert;
  }
  return read * bytes_per_element(weights) * units::byte;
}

decode_result decode(const transformer_shape& model, const accelerator& hw, const decode_request& req) {
  decode_result r;
  auto peak = effective_peak(hw, req.weights);
  r.compute_precision = peak ? peak->used : req.weights;
  units::flop_rate rate = peak ? peak->rate : units::flop_rate{};

  r.flops = req.batch * forward_flops_per_token(model, req.context);
  r.weight_bytes = weight_bytes_per_step(model, req.batch, req.weights);
  r.kv_bytes = req.batch * req.context * kv_elements_per_token(model) * bytes_per_element(req.kv) * units::byte;
  r.bytes = r.weight_bytes + r.kv_bytes;
  r.step = roofline(r.flops, r.bytes, rate, hw.bandwidth, req.achieved);
  r.itl_bound = r.step.time_bound;
  r.itl = r.step.time;
  r.throughput = req.batch * units::token / r.itl;
  return r;
}

}  // namespace ironlaw::stdlib
