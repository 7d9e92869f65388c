#include "ironlaw/stdlib/memory.hpp"

#include <algorithm>

namespace ironlaw::stdlib {
namespace {

// Stored activations per layer for training, in bytes, 16-bit activations,
// sequence parallelism alongside tensor parallelism (Korthikanti et al. 2022,
// "Reducing Activation Recomputation in Large Transformer Models", section 4):
// s b h (34 + 5 a s / h) / t with none, 34 s b h / t with selective
// recomputation (the attention scores are recomputed), 2 s b h with full.
double training_activations_per_layer(const transformer_shape& m, const memory_request& r) {
  double sbh = r.context * r.batch * m.d_model;
  switch (r.recompute) {
    case recompute_kind::full: return 2 * sbh;
    case recompute_kind::selective: return 34 * sbh / r.tp;
    case recompute_kind::none: return sbh * (34 + 5 * m.heads * r.context / m.d_model) / r.tp;
  }
  return 0;
}

// Inference keeps no activations between layers: the peak is one layer's
// working set for the largest forward pass, one sequence's prefill of
// `context` tokens (continuous batching admits prompts one pass at a time):
// residual and normed input (2 d), q, k, v ((h + 2 h_kv) d_h) and the FFN's
// two up projections (2 f), all 16-bit, sharded by tp.
double inference_activations(const transformer_shape& m, const memory_request& r) {
  double per_token = 2 * m.d_model + (m.heads + 2 * m.kv_heads) * m.head_dim + 2 * std::max(m.ffn, m.expert_ffn);
  return r.context * per_token * 2 / r.tp;
}

}  // namespace

double optimizer_bytes_per_param(optimizer_kind o, precision weights) {
  double moments = o == optimizer_kind::adam ? 2 : o == optimizer_kind::momentum ? 1 : 0;
  double master = bytes_per_element(weights) < 4 ? 4 : 0;
  return 4 * moments + master;
}

double kv_shards(const transformer_shape& model, double tp) {
  if (model.attention == attention_kind::latent) return 1;
  return std::min(tp, model.kv_heads);
}

memory_ledger memory(const transformer_shape& model, const memory_request& req) {
  memory_ledger l;
  auto params = count_parameters(model);
  double model_shards = req.tp * req.pp;
  double per_device = params.total / model_shards;
  // Quantized weights are stored with their group scales (bytes_per_weight), as
  // decode reads them: int4 at group 128 holds 0.531 B per weight, not 0.5.
  l.weights = per_device * bytes_per_weight(req.weights, req.group_size) / (req.training && req.zero >= 3 ? req.dp : 1) *
              units::byte;
  if (req.training) {
    l.gradients = per_device * bytes_per_element(req.weights) / (req.zero >= 2 ? req.dp : 1) * units::byte;
    l.optimizer_bytes_per_param = optimizer_bytes_per_param(req.optimizer, req.weights);
    l.optimizer_state = per_device * l.optimizer_bytes_per_param / (req.zero >= 1 ? req.dp : 1) * units::byte;
    // 1F1B keeps `pp` micro-batches in flight on the first stage, each holding
    // layers / pp layers: the whole model's layers' worth (Korthikanti, 4.2.3).
    l.activations = model.layers * training_activations_per_layer(model, req) * units::byte;
  } else {
    l.kv_cache = req.batch * req.context * kv_elements_per_token(model) * bytes_per_element(req.kv) /
                 (kv_shards(model, req.tp) * req.pp) * units::byte;
    l.activations = inference_activations(model, req) * units::byte;
  }
  l.reserve = req.reserve_fraction * req.device_memory;
  l.total = l.weights + l.kv_cache + l.activations + l.gradients + l.optimizer_state + l.reserve;
  l.headroom = req.device_memory - l.total;
  l.fits = req.device_memory.value() > 0 && l.headroom.value() >= 0;
  return l;
}

}  // namespace ironlaw::stdlib
