#include <catch2/catch.hpp>

#include "ironlaw/stdlib/model.hpp"

using namespace ironlaw::stdlib;

namespace {

transformer_shape llama3_8b() {
  transformer_shape s;
  s.layers = 32;
  s.d_model = 4096;
  s.heads = 32;
  s.kv_heads = 8;
  s.head_dim = 128;
  s.ffn = 14336;
  s.vocab = 128256;
  s.context = 8192;
  return s;
}

}  // namespace

TEST_CASE("Llama-3-8B's parameters derive from its shapes") {
  auto c = count_parameters(llama3_8b());
  // Hand count: attention 32 x 41.94M, FFN 32 x 176.2M, norms, two 525.3M embeddings.
  CHECK(c.total == Approx(8.030261248e9).epsilon(1e-9));
  CHECK(c.active == c.total);
  CHECK(c.embedding == 128256.0 * 4096);
}

TEST_CASE("KV cache per token is exact under GQA") {
  // 2 x 32 layers x 8 KV heads x 128 = 65,536 elements = 128 KiB at 2 bytes.
  CHECK(kv_elements_per_token(llama3_8b()) * 2 == 131072);
  auto mha = llama3_8b();
  mha.kv_heads = 32;
  CHECK(kv_elements_per_token(mha) == 4 * kv_elements_per_token(llama3_8b()));
}

TEST_CASE("forward FLOPs: 2 per weight (less the embedding lookup) plus attention") {
  auto s = llama3_8b();
  auto c = count_parameters(s);
  double weights = c.total - c.embedding;
  CHECK(forward_flops_per_token(s, 0).value() == Approx(2 * weights));
  // Each new token attends to `context` keys: QK^T and AV, 2 FLOPs per MAC each.
  double attention = 2 * 32 * 4096.0 * (4096 + 4096);
  CHECK(forward_flops_per_token(s, 4096).value() == Approx(2 * weights + attention));
}

TEST_CASE("mixture of experts: total vs active parameters") {
  transformer_shape m;  // Mixtral 8x7B's shapes
  m.layers = 32;
  m.d_model = 4096;
  m.heads = 32;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.vocab = 32000;
  m.experts = 8;
  m.experts_active = 2;
  m.expert_ffn = 14336;
  auto c = count_parameters(m);
  CHECK(c.total == Approx(46.7e9).epsilon(0.01));   // published: 46.7B
  CHECK(c.active == Approx(12.9e9).epsilon(0.01));  // published: 12.9B
}

TEST_CASE("latent attention caches one compressed vector per layer") {
  transformer_shape d;  // DeepSeek-V3's attention
  d.layers = 61;
  d.attention = attention_kind::latent;
  d.kv_lora_rank = 512;
  d.qk_rope_head_dim = 64;
  CHECK(kv_elements_per_token(d) == 61 * 576);
}
