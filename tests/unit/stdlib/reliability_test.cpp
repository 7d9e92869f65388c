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

TEST_CASE("fleet failure rates: Llama 3's 419 interruptions in 54 days come back at 16,384 H100s") {
  auto h100 = fleet_failure_rates(hardware_generation::h100);
  auto f = job_failure_rate(h100, 16384, 8);
  CHECK(f.total * 1296 == Approx(419));
  CHECK(f.hbm * 1296 == Approx(72));
  CHECK(f.host * 1296 == Approx(46));
  CHECK(f.mtbf.value() / 3600 == Approx(1296.0 / 419));
  // one GPU: the job-level rate (software) dominates: 63 of 63 + 310 / 16384 + 46 / 2048 per 1,296 h
  auto one = job_failure_rate(h100, 1, 8);
  CHECK(one.job / one.total > 0.9);
  CHECK(one.mtbf.value() / 3600 == Approx(1296 / (63 + 310.0 / 16384 + 46.0 / 2048)));
}

TEST_CASE("fleet failure rates: A100 research clusters, 7.9 h at 1,024 GPUs and 1.8 h at 16,384") {
  auto a100 = fleet_failure_rates(hardware_generation::a100);
  CHECK(job_failure_rate(a100, 1024, 8).mtbf.value() / 3600 == Approx(7.9));
  CHECK(job_failure_rate(a100, 16384, 8).mtbf.value() / 3600 == Approx(1.8));
  // 131,072 GPUs: 16,384 nodes x r_node + r_job; the study projects about 14 minutes
  double hours = job_failure_rate(a100, 131072, 8).mtbf.value() / 3600;
  CHECK(hours * 60 == Approx(16.0).epsilon(0.02));
}
