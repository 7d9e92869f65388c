#include <catch2/catch.hpp>

#include "ironlaw/stdlib/serving.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

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

accelerator gpu(double fp16_tflops, double tb_per_s) {
  accelerator a;
  a.name = "test";
  a.peak[static_cast<std::size_t>(precision::fp16)] = fp16_tflops * 1e12 * u::flop / u::second;
  a.bandwidth = tb_per_s * 1e12 * u::byte / u::second;
  a.memory = 80.0 * (1ull << 30) * u::byte;
  return a;
}

}  // namespace

TEST_CASE("A1: the roofline of 16 GB and 32 GFLOP on an H100") {
  auto r = roofline(32e9 * u::flop, 16e9 * u::byte, 989e12 * u::flop / u::second, 3.35e12 * u::byte / u::second);
  CHECK(r.memory_time.value() == Approx(4.776e-3).epsilon(1e-3));
  CHECK(r.compute_time.value() == Approx(0.0324e-3).epsilon(1e-2));
  CHECK(r.bottleneck == bound::memory);
  CHECK(r.ridge.value() == Approx(295.2).epsilon(1e-3));
  CHECK(r.intensity.value() == Approx(2));
}

TEST_CASE("A3: batch-1 decode is the weights over the bandwidth") {
  auto r = decode(llama3_8b(), gpu(989.4, 3.35), {});
  CHECK(r.weight_bytes.value() == Approx(16.06e9).epsilon(1e-3));
  CHECK(r.itl_bound.value() == Approx(4.794e-3).epsilon(1e-3));
  CHECK(r.step.bottleneck == bound::memory);
  CHECK(r.itl == r.itl_bound);  // efficiency 1 by default
}

TEST_CASE("A2: A100 to H100 decode speedup is the bandwidth ratio") {
  auto a100 = decode(llama3_8b(), gpu(312, 2.039), {});
  auto h100 = decode(llama3_8b(), gpu(989.4, 3.35), {});
  CHECK((a100.itl_bound / h100.itl_bound).value() == Approx(1.643).epsilon(1e-3));
  auto a100_2tb = decode(llama3_8b(), gpu(312, 2.0), {});
  CHECK((a100_2tb.itl_bound / h100.itl_bound).value() == Approx(1.675).epsilon(1e-3));
}

TEST_CASE("decode ITL never decreases with batch") {
  for (double context : {0.0, 1024.0, 8192.0}) {
    double previous = 0;
    for (double batch : {1.0, 2.0, 8.0, 32.0, 128.0, 512.0, 2048.0}) {
      decode_request req;
      req.batch = batch;
      req.context = context;
      auto r = decode(llama3_8b(), gpu(989.4, 3.35), req);
      CHECK(r.itl.value() >= previous);
      previous = r.itl.value();
    }
  }
}

TEST_CASE("decode turns compute-bound where the weights' intensity passes the ridge") {
  // With no KV cache, fp16 intensity ~ batch FLOP/B (2 FLOPs per weight over 2
  // bytes, less the embedding lookup): the ridge of 989.4 / 3.35 = 295 FLOP/B
  // is crossed near batch 295 x 8.03 / 7.50 = 316.
  decode_request small, large;
  small.batch = 300;
  large.batch = 330;
  CHECK(decode(llama3_8b(), gpu(989.4, 3.35), small).step.bottleneck == bound::memory);
  CHECK(decode(llama3_8b(), gpu(989.4, 3.35), large).step.bottleneck == bound::compute);
  // With a long context the KV cache dominates and GQA attention stays memory-bound.
  large.context = 4096;
  CHECK(decode(llama3_8b(), gpu(989.4, 3.35), large).step.bottleneck == bound::memory);
}

TEST_CASE("the achieved efficiencies scale the expected ITL, not the bound") {
  decode_request req;
  req.achieved = {0.6, 0.7};
  auto r = decode(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(r.itl.value() == Approx(r.itl_bound.value() / 0.7));
}

TEST_CASE("KV cache traffic grows linearly with context") {
  decode_request a, b;
  a.context = 2048;
  b.context = 4096;
  auto ra = decode(llama3_8b(), gpu(989.4, 3.35), a);
  auto rb = decode(llama3_8b(), gpu(989.4, 3.35), b);
  CHECK(rb.kv_bytes.value() == Approx(2 * ra.kv_bytes.value()));
  CHECK(ra.kv_bytes.value() == Approx(2048 * 131072.0));
}

TEST_CASE("int4 weights read a quarter of the fp16 bytes and run at the 16-bit peak") {
  decode_request req;
  req.weights = precision::int4;
  req.kv = precision::fp16;
  auto r = decode(llama3_8b(), gpu(989.4, 3.35), req);
  CHECK(r.weight_bytes.value() == Approx(16.06e9 / 4).epsilon(1e-3));
  CHECK(r.compute_precision == precision::fp16);
}

TEST_CASE("MoE decode reads only the experts the batch routes to") {
  transformer_shape m = llama3_8b();
  m.experts = 8;
  m.experts_active = 2;
  m.expert_ffn = 14336;
  auto one = weight_bytes_per_step(m, 1, precision::fp16);
  auto many = weight_bytes_per_step(m, 64, precision::fp16);
  auto params = count_parameters(m);
  CHECK(one.value() == Approx(2 * params.active));  // batch 1: exactly the active weights
  CHECK(many.value() == Approx(2 * params.total).epsilon(1e-3));  // large batch touches every expert
}
