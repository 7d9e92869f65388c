#pragma once
// A model as the solvers see it. Transformers are described by their shapes,
// and every count (parameters, FLOPs per token, KV cache per token) is derived
// from them; other models give their totals directly.
#include <string>

#include "ironlaw/stdlib/units.hpp"

namespace ironlaw::stdlib {

enum class ffn_kind { gated, plain };  // gated: SwiGLU/GeGLU, three matrices; plain: GELU/ReLU, two
enum class attention_kind { standard, latent };  // standard covers MHA, GQA and MQA

struct transformer_shape {
  double layers = 0;
  double d_model = 0;
  double heads = 0;
  double kv_heads = 0;
  double head_dim = 0;
  double ffn = 0;  // FFN hidden size (dense layers)
  ffn_kind ffn_type = ffn_kind::gated;
  double vocab = 0;
  double context = 0;         // maximum context, tokens
  double positions = 0;       // learned position embeddings (GPT-2/3, BERT); 0 for RoPE
  bool tied_embeddings = false;
  bool bias = false;
  bool layernorm = false;     // LayerNorm (scale and bias) rather than RMSNorm (scale)

  // Mixture of experts; experts == 0 means dense.
  double experts = 0;
  double experts_active = 0;
  double shared_experts = 0;
  double expert_ffn = 0;
  double dense_layers = 0;  // leading layers with a dense FFN

  // Multi-head latent attention (DeepSeek-V2/V3).
  attention_kind attention = attention_kind::standard;
  double q_lora_rank = 0;
  double kv_lora_rank = 0;
  double qk_nope_head_dim = 0;
  double qk_rope_head_dim = 0;
  double v_head_dim = 0;
};

struct parameter_count {
  double total = 0;       // every weight
  double active = 0;      // weights one token uses (MoE: routed top-k + shared)
  double embedding = 0;   // input embedding (and learned positions): looked up, not multiplied
  double per_expert = 0;  // one routed expert's FFN (MoE)
  double moe_layers = 0;  // layers whose FFN is a mixture of experts
};

parameter_count count_parameters(const transformer_shape& s);

// Forward FLOPs for one token attending to `context` earlier tokens: 2 per
// multiply-accumulate over the active weights (the input embedding is a
// lookup), plus the attention scores and the weighted sum of values.
units::flops forward_flops_per_token(const transformer_shape& s, double context);

// KV cache per token at `bytes_per_element`: 2 (K and V) x layers x kv_heads x
// head_dim for standard attention; (kv_lora_rank + qk_rope_head_dim) x layers
// for latent attention, which caches one compressed vector per layer.
double kv_elements_per_token(const transformer_shape& s);

}  // namespace ironlaw::stdlib
