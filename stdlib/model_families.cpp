// State-space decode, DLRM inference and LoRA adapter costs (model_families.hpp).
#include "ironlaw/stdlib/model_families.hpp"

#include <algorithm>

namespace ironlaw::stdlib {

namespace {

// The step's roofline at the peak its matrix work in `p` runs at (the caller
// checked that one exists); `used` receives that peak's format.
roofline_point family_step(const accelerator& hw, precision p, units::flops work, units::bytes traffic, precision& used) {
  auto peak = effective_peak(hw, p);
  auto at = peak ? *peak : compute_peak{hw.peak_at(precision::fp16), precision::fp16};
  used = at.used;
  return roofline(work, traffic, at.rate, hw.bandwidth);
}

}  // namespace

ssm_decode_result ssm_decode(const ssm_shape& m, const accelerator& hw, const ssm_decode_request& r) {
  ssm_decode_result out;
  const double d_inner = m.expand * m.d_model;
  // Per layer and sequence the recurrent state h (d_inner x d_state) and the
  // convolution's last d_conv - 1 inputs (d_inner each): a constant, whatever the context.
  const double state_elements = m.layers * d_inner * (m.d_state + m.d_conv - 1);
  out.state_per_sequence = state_elements * bytes_per_element(r.state) * units::byte;
  out.state_bytes = r.batch * out.state_per_sequence;
  out.weight_bytes = m.params * bytes_per_weight(r.weights) * units::byte;
  out.bytes = out.weight_bytes + 2.0 * out.state_bytes;  // each step reads the state and writes it back
  // 2 FLOPs per weight (multiply-add) and 8 per state element for the selective
  // scan: exp(delta A) 2, delta B x 2, A h + B x 2, C h 2.
  const double per_sequence = 2 * m.params + 8 * d_inner * m.d_state * m.layers;
  out.flops = r.batch * per_sequence * units::flop;
  out.step = family_step(hw, r.weights, out.flops, out.bytes, out.compute_precision);
  out.throughput = r.batch * units::token / out.step.time_bound;
  return out;
}

dlrm_result dlrm_inference(const accelerator& hw, const dlrm_request& r) {
  dlrm_result out;
  out.bytes_per_lookup = r.embedding_dim * bytes_per_element(r.embeddings) * units::byte;
  out.embedding_bytes = r.batch * r.tables * r.lookups * out.bytes_per_lookup;
  out.weight_bytes = r.mlp_params * bytes_per_element(r.weights) * units::byte;
  out.bytes = out.embedding_bytes + out.weight_bytes;
  out.flops = r.batch * r.flops_per_sample * units::flop;
  out.embedding_share = out.bytes.value() > 0 ? out.embedding_bytes.value() / out.bytes.value() : 0;
  out.step = family_step(hw, r.weights, out.flops, out.bytes, out.compute_precision);
  out.throughput = r.batch * units::sample / out.step.time_bound;
  return out;
}

lora_cost lora_adapters(const transformer_shape& m, const lora_request& r) {
  lora_cost out;
  // A (d_in x rank) and B (rank x d_out) per adapted projection; every target
  // is taken as d_model -> d_model (exact for q and o; k and v under GQA are smaller).
  const double weights = r.rank * (m.d_model + m.d_model) * m.layers * r.targets;
  out.per_adapter = weights * bytes_per_element(r.adapter) * units::byte;
  out.memory = r.adapters * out.per_adapter;
  out.distinct = std::min(r.adapters, r.batch);
  out.bytes_per_step = out.distinct * out.per_adapter;
  out.flops_per_step = r.batch * 2 * weights * units::flop;
  return out;
}

}  // namespace ironlaw::stdlib
