// The hand calculations of docs/solvers.md (ssm_decode, dlrm, lora_decode),
// digit for digit, on an H100 SXM's registry peaks.
#include <catch2/catch.hpp>

#include "ironlaw/stdlib/model_families.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {

accelerator h100() {
  accelerator a;
  a.name = "H100_SXM";
  a.peak[static_cast<std::size_t>(precision::fp32)] = 66.9e12 * u::flop / u::second;
  a.peak[static_cast<std::size_t>(precision::fp16)] = 989.4e12 * u::flop / u::second;
  a.peak[static_cast<std::size_t>(precision::bf16)] = 989.4e12 * u::flop / u::second;
  a.bandwidth = 3.35e12 * u::byte / u::second;
  a.memory = 80.0 * (1ull << 30) * u::byte;
  return a;
}

ssm_shape mamba_2_8b() { return {.params = 2.768e9, .layers = 64, .d_model = 2560, .d_state = 16, .expand = 2, .d_conv = 4}; }

dlrm_request criteo(double batch) {
  dlrm_request r;
  r.batch = batch;
  r.tables = 26;
  r.lookups = 1;
  r.embedding_dim = 128;
  r.mlp_params = 2368897;
  r.flops_per_sample = 4916992;
  return r;
}

}  // namespace

TEST_CASE("Mamba-2.8B decode: a 12.45 MB state per sequence at any context, 1.66 ms per step") {
  auto r = ssm_decode(mamba_2_8b(), h100(), {});
  CHECK(r.state_per_sequence.value() == 64.0 * 5120 * (16 + 3) * 2);  // 12,451,840 B
  CHECK(r.bytes.value() == Approx(5560903680.0));
  CHECK(r.flops.value() == Approx(5577943040.0));
  CHECK(r.step.bottleneck == bound::memory);
  CHECK(r.step.time_bound.value() == Approx(5560903680.0 / 3.35e12));  // 1.660 ms
  CHECK(r.step.time_bound.value() == Approx(1.66e-3).epsilon(2e-3));
  CHECK(r.throughput.value() == Approx(602.4).epsilon(1e-3));
  // batch 64: the state grows with the batch, never with the context
  auto b = ssm_decode(mamba_2_8b(), h100(), {.batch = 64});
  CHECK(b.state_bytes.value() == 64 * 12451840.0);
  CHECK(b.step.time_bound.value() == Approx((2.768e9 * 2 + 2 * 64 * 12451840.0) / 3.35e12));  // 2.128 ms
  CHECK(b.throughput.value() == Approx(30071).epsilon(1e-3));
  // an fp32 state doubles the state bytes, not the weights
  auto s32 = ssm_decode(mamba_2_8b(), h100(), {.state = precision::fp32});
  CHECK(s32.state_per_sequence.value() == 2 * r.state_per_sequence.value());
  CHECK(s32.weight_bytes.value() == r.weight_bytes.value());
}

TEST_CASE("DLRM Criteo 1TB at batch 2048: gathers are 74% of the bytes, the fp32 MLPs bind") {
  auto r = dlrm_inference(h100(), criteo(2048));
  CHECK(r.bytes_per_lookup.value() == 512);
  CHECK(r.embedding_bytes.value() == 2048.0 * 26 * 512);  // 27,262,976 B
  CHECK(r.weight_bytes.value() == 2368897.0 * 4);
  CHECK(r.embedding_share == Approx(27262976.0 / 36738564.0));
  CHECK(r.embedding_share == Approx(0.742).epsilon(1e-3));
  CHECK(r.step.bottleneck == bound::compute);
  CHECK(r.step.compute_time.value() == Approx(2048 * 4916992.0 / 66.9e12));  // 150.5 us
  CHECK(r.step.memory_time.value() == Approx(36738564.0 / 3.35e12));         // 11.0 us
  // bf16 MLPs and 8 lookups per table: the gathers bind
  auto m = criteo(2048);
  m.lookups = 8;
  m.weights = precision::bf16;
  auto g = dlrm_inference(h100(), m);
  CHECK(g.embedding_bytes.value() == 218103808.0);
  CHECK(g.bytes.value() == 222841602.0);
  CHECK(g.step.bottleneck == bound::memory);
  CHECK(g.step.time_bound.value() == Approx(66.52e-6).epsilon(1e-3));
  CHECK(g.embedding_share == Approx(0.9787).epsilon(1e-3));
}

TEST_CASE("LoRA: 8 rank-16 adapters on Llama-3-8B's q, k, v, o are 268 MB; a batch of 8 reads them all") {
  transformer_shape llama;
  llama.layers = 32;
  llama.d_model = 4096;
  auto c = lora_adapters(llama, {.adapters = 8, .rank = 16, .targets = 4, .batch = 8});
  CHECK(c.per_adapter.value() == 16.0 * 8192 * 32 * 4 * 2);  // 33,554,432 B = 32 MiB
  CHECK(c.memory.value() == 268435456.0);
  CHECK(c.distinct == 8);
  CHECK(c.bytes_per_step.value() == 268435456.0);
  CHECK(c.flops_per_step.value() == 8 * 2 * 16777216.0);
  // one sequence reads one adapter, however many are resident
  auto one = lora_adapters(llama, {.adapters = 8, .rank = 16, .targets = 4, .batch = 1});
  CHECK(one.bytes_per_step.value() == 33554432.0);
  CHECK(one.memory.value() == c.memory.value());
}
