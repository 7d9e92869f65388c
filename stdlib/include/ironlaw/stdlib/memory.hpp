#pragma once
// Device memory: an itemized ledger of what one accelerator holds for a
// model, for inference (weights, KV cache, transient activations) or for
// training (plus gradients, optimizer state and stored activations), with
// tensor, pipeline and ZeRO data-parallel sharding.
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

enum class optimizer_kind { sgd, momentum, adam };  // adam covers AdamW
enum class recompute_kind { none, selective, full };

struct memory_request {
  double batch = 1;    // sequences resident together (inference) or the micro-batch (training), > 0
  double context = 0;  // tokens per sequence, >= 0
  precision weights = precision::fp16;
  precision kv = precision::fp16;
  double group_size = 0;  // weights per quantization scale (int4, fp4); 0: the format's default
  bool training = false;
  optimizer_kind optimizer = optimizer_kind::adam;
  int zero = 0;  // ZeRO stage 0..3, partitioning across `dp`
  double tp = 1, pp = 1, dp = 1;
  recompute_kind recompute = recompute_kind::selective;
  units::bytes device_memory{};  // zero: no device to fit against
  double reserve_fraction = 0;   // share of device memory the runtime keeps for itself
};

struct memory_ledger {
  units::bytes weights{};
  units::bytes kv_cache{};
  units::bytes activations{};
  units::bytes gradients{};
  units::bytes optimizer_state{};
  units::bytes reserve{};
  units::bytes total{};
  units::bytes headroom{};  // device memory - total (negative when it does not fit)
  bool fits = false;        // total <= device memory (false with no device)
  double optimizer_bytes_per_param = 0;
};

// Bytes per parameter of optimizer state: moments in fp32 (SGD 0, momentum 1,
// Adam 2) plus an fp32 master copy when the weights are narrower than fp32
// (mixed precision; Rajbhandari et al., ZeRO, 2020, section 3.1: K = 12 for Adam).
double optimizer_bytes_per_param(optimizer_kind o, precision weights);

// KV heads one tensor-parallel rank holds: heads split across ranks, replicated
// when tp exceeds them; latent attention caches one vector per layer, replicated.
double kv_shards(const transformer_shape& model, double tp);

// Preconditions (checked by the caller): batch > 0, context >= 0, tp, pp, dp >= 1,
// zero in 0..3, reserve_fraction in [0, 1).
memory_ledger memory(const transformer_shape& model, const memory_request& req);

}  // namespace ironlaw::stdlib
