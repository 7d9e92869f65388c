#include "ironlaw/stdlib/model.hpp"

namespace ironlaw::stdlib {
namespace {

double attention_params(const transformer_shape& s) {
  if (s.attention == attention_kind::latent) {
    double qk_head = s.qk_nope_head_dim + s.qk_rope_head_dim;
    double q = s.q_lora_rank > 0 ? s.d_model * s.q_lora_rank + s.q_lora_rank * s.heads * qk_head + s.q_lora_rank
                                 : s.d_model * s.heads * qk_head;
    double kv = s.d_model * (s.kv_lora_rank + s.qk_rope_head_dim) + s.kv_lora_rank +
                s.kv_lora_rank * s.heads * (s.qk_nope_head_dim + s.v_head_dim);
    double o = s.heads * s.v_head_dim * s.d_model;
    return q + kv + o;
  }
  double q = s.d_model * s.heads * s.head_dim;
  double kv = 2 * s.d_model * s.kv_heads * s.head_dim;
  double o = s.heads * s.head_dim * s.d_model;
  double biases = s.bias ? (s.heads + 2 * s.kv_heads) * s.head_dim + s.d_model : 0;
  return q + kv + o + biases;
}

double ffn_params(const transformer_shape& s, double hidden) {
  double matrices = s.ffn_type == ffn_kind::gated ? 3 : 2;
  double biases = s.bias ? (matrices - 1) * hidden + s.d_model : 0;
  return matrices * s.d_model * hidden + biases;
}

double norm_params(const transformer_shape& s) { return (s.layernorm ? 2 : 1) * s.d_model; }

}  // namespace

parameter_count count_parameters(const transformer_shape& s) {
  parameter_count c;
  double per_layer_common = attention_params(s) + 2 * norm_params(s);
  double moe_layers = s.experts > 0 ? s.layers - s.dense_layers : 0;
  double dense_layers = s.layers - moe_layers;

  double dense_ffn = ffn_params(s, s.ffn);
  double one_expert = ffn_params(s, s.expert_ffn);
  double router = s.d_model * s.experts;

  double total_layers = s.layers * per_layer_common + dense_layers * dense_ffn +
                        moe_layers * ((s.experts + s.shared_experts) * one_expert + router);
  double active_layers = s.layers * per_layer_common + dense_layers * dense_ffn +
                         moe_layers * ((s.experts_active + s.shared_experts) * one_expert + router);

  c.embedding = s.vocab * s.d_model + s.positions * s.d_model;
  double unembedding = s.tied_embeddings ? 0 : s.vocab * s.d_model;
  double final_norm = norm_params(s);
  c.per_expert = s.experts > 0 ? one_expert : 0;
  c.moe_layers = moe_layers;
  c.total = total_layers + c.embedding + unembedding + final_norm;
  c.active = active_layers + c.embedding + unembedding + final_norm;
  return c;
}

units::flops forward_flops_per_token(const transformer_shape& s, double context) {
  auto params = count_parameters(s);
  // The output projection is a matmul even when its weights are tied to the
  // input embedding; the input side is a lookup.
  double matmul_weights = params.active - params.embedding + (s.tied_embeddings ? s.vocab * s.d_model : 0);
  double score_dim = s.attention == attention_kind::latent ? s.heads * (s.qk_nope_head_dim + s.qk_rope_head_dim)
                                                           : s.heads * s.head_dim;
  double value_dim = s.attention == attention_kind::latent ? s.heads * s.v_head_dim : s.heads * s.head_dim;
  double attention = 2 * s.layers * context * (score_dim + value_dim);
  return (2 * matmul_weights + attention) * units::flop;
}

double kv_elements_per_token(const transformer_shape& s) {
  if (s.attention == attention_kind::latent) return s.layers * (s.kv_lora_rank + s.qk_rope_head_dim);
  return 2 * s.layers * s.kv_heads * s.head_dim;
}

}  // namespace ironlaw::stdlib
