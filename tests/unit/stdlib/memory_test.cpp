#include <catch2/catch.hpp>

#include "ironlaw/stdlib/memory.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {

transformer_shape llama3(double layers, double d_model, double heads, double ffn) {
  transformer_shape s;
  s.layers = layers;
  s.d_model = d_model;
  s.heads = heads;
  s.kv_heads = 8;
  s.head_dim = 128;
  s.ffn = ffn;
  s.vocab = 128256;
  s.context = 8192;
  return s;
}
transformer_shape llama3_8b() { return llama3(32, 4096, 32, 14336); }
transformer_shape llama3_70b() { return llama3(80, 8192, 64, 28672); }

}  // namespace

TEST_CASE("A7: Llama-3-70B weights are 141 GB in fp16 and 37.5 GB in int4 with its group scales") {
  // Parameters: 80 x (attention 8192 (64x128) + 2 x 8192 (8x128) + 8192^2 = 150,994,944
  // + FFN 3 x 8192 x 28672 = 704,643,072 + norms 16,384) + 2 x 128256 x 8192 + 8192
  // = 70,553,706,496; x 2 B = 141.1 GB; int4 at group 128 (an fp16 scale and zero
  // per 128 weights): x (0.5 + 4/128) B = 37.48 GB (the 4-bit values alone: 35.3 GB).
  memory_request fp16;
  CHECK(memory(llama3_70b(), fp16).weights.value() == Approx(141.107e9).epsilon(1e-4));
  memory_request int4;
  int4.weights = precision::int4;
  CHECK(memory(llama3_70b(), int4).weights.value() == Approx(37.482e9).epsilon(1e-4));
  int4.group_size = 32;  // 0.5 + 4/32 = 0.625 B per weight
  CHECK(memory(llama3_70b(), int4).weights.value() == Approx(44.096e9).epsilon(1e-4));
}

TEST_CASE("A7: fp16 70B needs two H100s, int4 fits one") {
  memory_request req;
  req.device_memory = 80.0 * (1ull << 30) * u::byte;
  req.reserve_fraction = 0.1;
  CHECK_FALSE(memory(llama3_70b(), req).fits);
  req.tp = 2;
  auto two = memory(llama3_70b(), req);
  CHECK(two.fits);
  // 70.55 GB of weights + 8.59 GB reserve out of 85.90 GB.
  CHECK(two.headroom.value() == Approx(85.899e9 - 70.554e9 - 8.590e9).epsilon(1e-3));
  req.tp = 1;
  req.weights = precision::int4;
  CHECK(memory(llama3_70b(), req).fits);
}

TEST_CASE("no device: nothing fits and nothing is reserved") {
  memory_request req;
  req.reserve_fraction = 0.1;
  auto l = memory(llama3_8b(), req);
  CHECK_FALSE(l.fits);
  CHECK(l.reserve.value() == 0);
}

TEST_CASE("the inference KV cache is 128 KiB per token for Llama-3-8B, split over tp up to the KV heads") {
  memory_request req;
  req.batch = 4;
  req.context = 4096;
  // 4 x 4096 x 131072 B = 2 GiB.
  CHECK(memory(llama3_8b(), req).kv_cache.value() == Approx(2.0 * (1ull << 30)));
  req.tp = 4;
  CHECK(memory(llama3_8b(), req).kv_cache.value() == Approx(0.5 * (1ull << 30)));
  req.tp = 16;  // only 8 KV heads: ranks beyond 8 hold replicas
  CHECK(memory(llama3_8b(), req).kv_cache.value() == Approx(0.25 * (1ull << 30)));
  CHECK(kv_shards(llama3_8b(), 16) == 8);
}

TEST_CASE("memory grows linearly with context") {
  memory_request a, b, c;
  a.context = 1024;
  b.context = 2048;
  c.context = 4096;
  auto la = memory(llama3_8b(), a), lb = memory(llama3_8b(), b), lc = memory(llama3_8b(), c);
  CHECK((lc.total - lb.total).value() == Approx(2 * (lb.total - la.total).value()));
  CHECK(lc.kv_cache.value() == Approx(4 * la.kv_cache.value()));
}

TEST_CASE("int4 never needs more memory than fp16") {
  for (double context : {0.0, 512.0, 8192.0})
    for (double batch : {1.0, 64.0}) {
      memory_request fp16, int4;
      fp16.context = int4.context = context;
      fp16.batch = int4.batch = batch;
      int4.weights = precision::int4;
      CHECK(memory(llama3_70b(), int4).total <= memory(llama3_70b(), fp16).total);
    }
}

TEST_CASE("mixed-precision Adam holds 16 bytes per parameter, ZeRO divides it") {
  // Rajbhandari et al. 2020: 2 (fp16 weights) + 2 (fp16 gradients) + 12 (fp32
  // master, momentum, variance) = 16 B per parameter.
  memory_request req;
  req.training = true;
  auto l = memory(llama3_8b(), req);
  double n = count_parameters(llama3_8b()).total;
  CHECK(l.optimizer_bytes_per_param == 12);
  CHECK((l.weights + l.gradients + l.optimizer_state).value() == Approx(16 * n));
  CHECK(l.kv_cache.value() == 0);
  req.dp = 8;
  req.zero = 1;
  CHECK(memory(llama3_8b(), req).optimizer_state.value() == Approx(12 * n / 8));
  CHECK(memory(llama3_8b(), req).gradients.value() == Approx(2 * n));
  req.zero = 2;
  CHECK(memory(llama3_8b(), req).gradients.value() == Approx(2 * n / 8));
  req.zero = 3;
  CHECK(memory(llama3_8b(), req).weights.value() == Approx(2 * n / 8));
  CHECK(optimizer_bytes_per_param(optimizer_kind::adam, precision::fp32) == 8);
  CHECK(optimizer_bytes_per_param(optimizer_kind::sgd, precision::fp32) == 0);
  CHECK(optimizer_bytes_per_param(optimizer_kind::momentum, precision::bf16) == 8);
}

TEST_CASE("training activations follow Korthikanti et al.") {
  memory_request req;
  req.training = true;
  req.batch = 2;
  req.context = 2048;
  // selective: 34 s b h L = 34 x 2048 x 2 x 4096 x 32 = 18.25 GB.
  CHECK(memory(llama3_8b(), req).activations.value() == Approx(34.0 * 2048 * 2 * 4096 * 32));
  req.recompute = recompute_kind::none;  // + 5 a s / h = 5 x 32 x 2048 / 4096 = 80
  CHECK(memory(llama3_8b(), req).activations.value() == Approx((34.0 + 80) * 2048 * 2 * 4096 * 32));
  req.recompute = recompute_kind::full;
  CHECK(memory(llama3_8b(), req).activations.value() == Approx(2.0 * 2048 * 2 * 4096 * 32));
  req.recompute = recompute_kind::selective;
  req.tp = 4;
  CHECK(memory(llama3_8b(), req).activations.value() == Approx(34.0 * 2048 * 2 * 4096 * 32 / 4));
}
