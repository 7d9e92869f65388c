#include <catch2/catch.hpp>

#include "ironlaw/stdlib/scaling.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

TEST_CASE("A16: the Iron Law") {
  // 3.15e23 / (1024 x 312e12 x 0.5 x 0.9 x 0.95) = 2.31e6 s = 26.7 days
  auto r = iron_law({3.15e23 * u::flop, 1024, 312e12 * u::flop / u::second, 0.5, 0.9, 0.95});
  CHECK(r.time.value() == Approx(2.3068e6).epsilon(1e-3));
  CHECK(r.time.value() / 86400 == Approx(26.7).epsilon(2e-3));
  CHECK(r.time_bound.value() == Approx(3.15e23 / (1024 * 312e12)));
  CHECK(r.efficiency == Approx(0.4275));
  CHECK(r.binding == iron_law_factor::mfu);
  CHECK(r.device_time.value() == Approx(1024 * r.time.value()));
  CHECK(iron_law({1 * u::flop, 1, 1 * u::flop / u::second, 0.9, 0.95, 0.5}).binding == iron_law_factor::goodput);
}

TEST_CASE("A12: 6 N D for GPT-3 and the attention term") {
  transformer_shape s;  // a dense model whose parameters are 12 L d^2 + ... : use the count it gives
  s.layers = 96, s.d_model = 12288, s.heads = 96, s.kv_heads = 96, s.head_dim = 128, s.ffn = 49152;
  s.ffn_type = ffn_kind::plain, s.vocab = 50257, s.context = 2048, s.positions = 2048, s.tied_embeddings = true;
  s.bias = true, s.layernorm = true;
  auto n = count_parameters(s).total;
  CHECK(n == Approx(175e9).epsilon(0.005));
  auto r = training_flops(s, 300e9 * u::token, false, 2048);
  CHECK(r.total.value() == Approx(6 * n * 300e9));
  CHECK(r.total.value() == Approx(3.15e23).epsilon(0.005));
  // attention: 12 x 96 x 2048 x 96 x 128 = 2.72e10 per token, 2.6% on top of 6N = 1.05e12
  auto a = training_flops(s, 300e9 * u::token, true, 2048);
  CHECK(a.per_token.value() - r.per_token.value() == Approx(12.0 * 96 * 2048 * 96 * 128));
  CHECK(a.attention.value() == Approx(12.0 * 96 * 2048 * 96 * 128 * 300e9));
}

TEST_CASE("A13: Chinchilla compute-optimal sizes") {
  // N = sqrt(5.76e23 / 120) = 6.93e10, D = 20 N = 1.39e12
  auto r = chinchilla_from_compute(5.76e23 * u::flop, 20);
  CHECK(r.params == Approx(6.928e10).epsilon(1e-3));
  CHECK(r.tokens.value() == Approx(1.386e12).epsilon(1e-3));
  CHECK(r.compute.value() == Approx(5.76e23));
  // Chinchilla itself: 70B params -> 1.4T tokens, 5.88e23 FLOP; fitted loss
  // 1.69 + 406.4 / 7e10^0.34 + 410.7 / 1.4e12^0.28 = 1.69 + 0.0835 + 0.163 = 1.937
  auto p = chinchilla_from_params(70e9, 20);
  CHECK(p.tokens.value() == Approx(1.4e12));
  CHECK(p.compute.value() == Approx(5.88e23));
  CHECK(p.loss == Approx(1.937).epsilon(2e-3));
  CHECK(chinchilla_loss(1e9, 20e9) > p.loss);
}
