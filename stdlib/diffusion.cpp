#include "ironlaw/stdlib/diffusion.hpp"

namespace ironlaw::stdlib {

generate_result generate(const accelerator& hw, const generate_request& req) {
  generate_result r;
  r.passes_per_step = req.guidance ? 2 : 1;
  auto peak = effective_peak(hw, req.weights);
  // The guided and unguided passes run as one batch: weights are read once per step.
  auto work = req.batch * r.passes_per_step * req.flops_per_pass;
  auto traffic = req.params * bytes_per_weight(req.weights) * units::byte;
  r.step = roofline(work, traffic, peak ? peak->rate : units::flop_rate{}, hw.bandwidth, req.achieved);
  r.time_bound = req.steps * r.step.time_bound;
  r.time = req.steps * r.step.time;
  r.flops = req.steps * r.passes_per_step * req.flops_per_pass;
  r.images_per_second = req.batch / r.time.value();
  return r;
}

}  // namespace ironlaw::stdlib
