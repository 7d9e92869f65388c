#include <catch2/catch.hpp>

#include <cmath>

#include "ironlaw/stdlib/reliability.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

TEST_CASE("A14: Young-Daly checkpoint interval") {
  // sqrt(2 x 60 s x 86400 s) = 3219.9 s
  reliability_request req{1, 86400 * u::second, 30 * 86400 * u::second, 60 * u::second, 0 * u::second, {}};
  auto r = reliability(req);
  CHECK(r.young.value() == Approx(3219.94).epsilon(1e-4));
  CHECK(r.interval.value() == Approx(r.young.value()));
  // Daly: 3219.94 x (1 + sqrt(60/172800)/3 + (60/172800)/9) - 60 = 3180.06 s
  CHECK(r.daly.value() == Approx(3180.06).epsilon(1e-4));
  // first order: checkpoints cost 60/3220 and rework 1610/86400, 1.86% each
  CHECK(r.checkpoint_overhead == Approx(0.018634).epsilon(1e-3));
  CHECK(r.rework == Approx(0.018634).epsilon(1e-3));
  // Daly's wall time: M (e^((tau + delta)/M) - 1) W / tau -> goodput 0.9633
  double wall = 86400 * std::expm1((3219.94 + 60) / 86400) * 30 * 86400 / 3219.94;
  CHECK(r.wall_time.value() == Approx(wall).epsilon(1e-4));
  CHECK(r.goodput == Approx(0.9633).epsilon(1e-3));
  CHECK(r.expected_failures == Approx(wall / 86400));
}

TEST_CASE("cluster MTBF falls as 1 / N and goodput with it") {
  reliability_request one{1, 50000 * 3600 * u::second, 30 * 86400 * u::second, 60 * u::second, 600 * u::second, {}};
  auto many = one;
  many.n = 16384;
  auto a = reliability(one), b = reliability(many);
  CHECK(b.cluster_mtbf.value() == Approx(50000.0 * 3600 / 16384));
  CHECK(b.goodput < a.goodput);
  CHECK(b.expected_failures > 100 * a.expected_failures);
  // a restart costs goodput too
  auto slow = many;
  slow.restart = 3600 * u::second;
  CHECK(reliability(slow).goodput < b.goodput);
  // the optimum beats a bad interval
  auto bad = many;
  bad.interval = 10.0 * b.young;
  CHECK(reliability(bad).goodput < b.goodput);
}

TEST_CASE("checkpoint: weights and Adam state, gradients excluded") {
  transformer_shape s;
  s.layers = 2, s.d_model = 256, s.heads = 4, s.kv_heads = 4, s.head_dim = 64, s.ffn = 1024, s.vocab = 1000;
  s.context = 512;
  double n = count_parameters(s).total;
  // bf16 weights 2 B + fp32 master 4 B + two fp32 moments 8 B = 14 B per parameter
  auto c = checkpoint(s, precision::bf16, checkpoint_optimizer::adam, 1e9 * u::byte / u::second, 4);
  CHECK(c.bytes_per_param == 14);
  CHECK(c.size.value() == Approx(14 * n));
  CHECK(c.write_time.value() == Approx(14 * n / 1e9));
  CHECK(c.per_writer.value() == Approx(14 * n / 4));
  CHECK(checkpoint(s, precision::bf16, checkpoint_optimizer::none, 1e9 * u::byte / u::second, 1).bytes_per_param == 2);
  CHECK(checkpoint(s, precision::fp32, checkpoint_optimizer::adam, 1e9 * u::byte / u::second, 1).bytes_per_param == 12);
}
