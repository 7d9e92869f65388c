#pragma once
// Weight streaming (wafer-scale execution): the weights live in external
// memory and stream onto the device layer by layer while activations stay
// on chip. A step is bound by the injection link or by compute (the
// streaming wall), and the batch that balances them says which.
#include <array>
#include <string_view>

#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

enum class streaming_bound { streaming, compute };
inline constexpr std::array<std::string_view, 2> streaming_bound_names = {"streaming", "compute"};

struct streaming_inputs {
  double weights = 0;           // weights streamed per pass (every expert of a MoE), > 0
  double matmul_weights = 0;    // weights multiplied per token (active, less the embedding lookup), > 0
  double bytes_per_weight = 2;  // > 0
  units::flop_rate peak{};      // dense peak of the device, > 0
  units::byte_rate injection{};  // external memory -> device, per direction, > 0
  double tokens = 1;            // tokens per step (sequences x tokens each), > 0
  bool training = false;        // forward + backward (6 FLOPs per weight per token; weights stream in twice)
};

struct streaming_result {
  units::bytes streamed{};        // weight bytes injected per step
  units::flops flops{};           // per step
  units::seconds stream_time{};   // streamed / injection
  units::seconds compute_time{};  // flops / peak
  units::seconds step_time{};     // max of the two: the next layer streams while this one computes
  streaming_bound bound = streaming_bound::streaming;
  double balance_tokens = 0;      // tokens per step at which stream time equals compute time
  units::token_rate throughput{};  // tokens / step time
};

streaming_result weight_streaming(const streaming_inputs& in);

}  // namespace ironlaw::stdlib
