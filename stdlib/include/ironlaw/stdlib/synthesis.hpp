#pragma once
// The inverse roofline: from a latency objective, the least bandwidth, FLOP/s
// and memory a device needs, and whether a given device has them.
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/roofline.hpp"

namespace ironlaw::stdlib {

struct sla_request {
  double batch = 1;     // sequences decoded together, > 0
  double context = 0;   // tokens in each sequence's KV cache (and the prompt that TTFT prefills), >= 0
  precision weights = precision::fp16;
  precision kv = precision::fp16;
  units::seconds itl{};   // > 0
  units::seconds ttft{};  // zero: no TTFT objective
  efficiency decode{};    // achieved efficiencies the device will reach in decode
  double prefill_compute = 1;  // achieved compute efficiency in prefill
  double reserve_fraction = 0;  // share of device memory the runtime keeps
};

struct sla_requirement {
  units::byte_rate bandwidth{};   // decode bytes / (itl x bandwidth efficiency)
  units::flop_rate compute{};     // the larger of decode and prefill FLOPs over their times
  units::bytes memory{};          // weights + KV cache at batch x context
  units::bytes step_bytes{};
  units::flops step_flops{};
  units::flops prefill_flops{};
  bool prefill_binds = false;     // TTFT sets the FLOP/s, not ITL
};

// Preconditions: batch > 0, context >= 0, itl > 0, efficiencies in (0, 1].
sla_requirement synthesize(const transformer_shape& model, const sla_request& req);

// Whether a device meets the requirement: bandwidth, the compute peak of the
// weights' format (or the 16-bit one it falls back to) and memory less the reserve.
bool qualifies(const accelerator& hw, const sla_requirement& need, precision weights, double reserve_fraction);

}  // namespace ironlaw::stdlib
