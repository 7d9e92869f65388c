#pragma once
// LLM serving: one decode step (every sequence in the batch emits one token).
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/roofline.hpp"

namespace ironlaw::stdlib {

struct decode_request {
  double batch = 1;      // sequences decoded together, > 0
  double context = 0;    // tokens already in each sequence's KV cache, >= 0
  precision weights = precision::fp16;
  precision kv = precision::fp16;
  efficiency achieved{};  // the efficiencies `itl` uses; itl_bound always uses 1
};

struct decode_result {
  roofline_point step;           // the roofline of one decode step
  units::seconds itl_bound{};    // inter-token latency at the peaks
  units::seconds itl{};          // inter-token latency at the achieved efficiencies
  units::flops flops{};          // per step, whole batch
  units::bytes bytes{};          // per step: weights read + KV cache read
  units::bytes weight_bytes{};   // weights read per step
  units::bytes kv_bytes{};       // KV cache read per step
  units::token_rate throughput{};  // batch / itl
  precision compute_precision = precision::fp16;  // the peak the matmuls run at
};

// Preconditions (checked by the caller): batch > 0, context >= 0, and the
// hardware has a compute peak for the weights' precision or a wider one.
decode_result decode(const transformer_shape& model, const accelerator& hw, const decode_request& req);

// Weight bytes one decode step reads. Dense models read every weight; MoE
// layers read only the experts the batch routes to: with B tokens choosing k
// of E experts uniformly, E (1 - (1 - k/E)^B) distinct experts per layer.
units::bytes weight_bytes_per_step(const transformer_shape& model, double batch, precision weights);

}  // namespace ironlaw::stdlib
