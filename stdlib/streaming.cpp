#include "ironlaw/stdlib/streaming.hpp"

namespace ironlaw::stdlib {

streaming_result weight_streaming(const streaming_inputs& in) {
  namespace u = units;
  streaming_result r;
  // Training streams the weights in for the forward pass and again for the
  // backward pass; the gradients leave on the other direction of the link.
  double passes = in.training ? 2 : 1;
  double flops_per_weight_token = in.training ? 6 : 2;
  r.streamed = passes * in.weights * in.bytes_per_weight * u::byte;
  u::flops per_token = flops_per_weight_token * in.matmul_weights * u::flop;
  r.flops = per_token * in.tokens;
  r.stream_time = r.streamed / in.injection;
  r.compute_time = r.flops / in.peak;
  r.bound = r.stream_time >= r.compute_time ? streaming_bound::streaming : streaming_bound::compute;
  r.step_time = r.bound == streaming_bound::streaming ? r.stream_time : r.compute_time;
  // Compute grows with the tokens, streaming does not: they meet at
  // streamed x peak / (injection x FLOPs per token).
  r.balance_tokens = (r.stream_time * in.peak / per_token).value();
  r.throughput = in.tokens * u::token / r.step_time;
  return r;
}

}  // namespace ironlaw::stdlib
