#pragma once
// Model families beyond the transformer's KV cache: a state-space model's
// decode (Mamba: a fixed recurrent state per sequence), a recommendation
// model's inference (DLRM: embedding-table gathers and small MLPs), and the
// extra memory and traffic of serving many LoRA adapters on one base model.
// Formulas and hand calculations: docs/solvers.md.
#include "ironlaw/stdlib/hardware.hpp"
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/precision.hpp"
#include "ironlaw/stdlib/roofline.hpp"

namespace ironlaw::stdlib {

// ---- state-space decode (Gu and Dao, Mamba, arXiv:2312.00752) ------------------

struct ssm_shape {
  double params = 0;   // all weights, embeddings included
  double layers = 0;
  double d_model = 0;
  double d_state = 16;  // N: state size per channel
  double expand = 2;    // d_inner = expand x d_model
  double d_conv = 4;    // the causal convolution's width (its last d_conv - 1 inputs are state)
};

struct ssm_decode_request {
  double batch = 1;  // sequences decoded together, > 0
  precision weights = precision::fp16;
  precision state = precision::fp16;  // the recurrent state's format
};

struct ssm_decode_result {
  roofline_point step;                // one decode step, whole batch
  units::bytes state_per_sequence{};  // layers x d_inner x (d_state + d_conv - 1) x bytes
  units::bytes state_bytes{};         // the batch's state, read and written each step
  units::bytes weight_bytes{};        // read once per step
  units::bytes bytes{};               // weights + the state read and written
  units::flops flops{};               // 2 x params + 8 x d_inner x d_state x layers, per sequence
  units::token_rate throughput{};     // batch / step time at the bound
  precision compute_precision = precision::fp16;
};

ssm_decode_result ssm_decode(const ssm_shape& m, const accelerator& hw, const ssm_decode_request& r);

// ---- recommendation inference (Naumov et al., DLRM, arXiv:1906.00091) ----------

struct dlrm_request {
  double batch = 1;          // samples scored together, > 0
  double tables = 26;        // embedding tables (sparse features)
  double lookups = 1;        // rows gathered per table per sample (pooling factor)
  double embedding_dim = 128;
  double mlp_params = 0;     // bottom + top MLP weights (and biases), read once per batch
  double flops_per_sample = 0;  // the MLPs and the feature interaction, per sample
  precision embeddings = precision::fp32;
  precision weights = precision::fp32;
};

struct dlrm_result {
  roofline_point step;               // one batch
  units::bytes bytes_per_lookup{};   // embedding_dim x bytes
  units::bytes embedding_bytes{};    // batch x tables x lookups x bytes_per_lookup
  units::bytes weight_bytes{};       // the MLPs, read once per batch
  units::bytes bytes{};
  units::flops flops{};              // batch x flops_per_sample
  double embedding_share = 0;        // embedding bytes over all bytes
  units::sample_rate throughput{};   // batch / time at the bound
  precision compute_precision = precision::fp32;
};

dlrm_result dlrm_inference(const accelerator& hw, const dlrm_request& r);

// ---- LoRA multi-adapter serving (Hu et al., LoRA; Sheng et al., S-LoRA; Chen et al., Punica) ----

struct lora_request {
  double adapters = 1;  // adapters resident on the device
  double rank = 16;
  double targets = 4;   // adapted projections per layer (q, k, v, o)
  double batch = 1;     // sequences decoded together; each may use a different adapter
  precision adapter = precision::fp16;
};

struct lora_cost {
  units::bytes per_adapter{};    // rank x (d_in + d_out) x layers x targets x bytes, d_in = d_out = d_model
  units::bytes memory{};         // adapters x per_adapter
  double distinct = 0;           // adapters one step reads: min(adapters, batch)
  units::bytes bytes_per_step{};  // distinct x per_adapter (gathered once, as Punica's SGMV does)
  units::flops flops_per_step{};  // batch x 2 x rank x (d_in + d_out) x layers x targets
};

lora_cost lora_adapters(const transformer_shape& m, const lora_request& r);

}  // namespace ironlaw::stdlib
