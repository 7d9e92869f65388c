#include <catch2/catch.hpp>

#include <cmath>

#include "ironlaw/stdlib/privacy.hpp"
#include "ironlaw/stdlib/streaming.hpp"

using namespace ironlaw::stdlib;
namespace u = ironlaw::stdlib::units;

namespace {
streaming_inputs wafer(double tokens, bool training) {
  streaming_inputs in;
  in.weights = 8e9;
  in.matmul_weights = 7e9;
  in.bytes_per_weight = 2;
  in.peak = 1e15 * u::flop / u::second;
  in.injection = 1e12 * u::byte / u::second;
  in.tokens = tokens;
  in.training = training;
  return in;
}
}  // namespace

TEST_CASE("weight streaming: inference below the balance batch is streaming-bound") {
  // 8e9 x 2 B = 16 GB at 1 TB/s = 16 ms; 2 x 7e9 x 1000 = 1.4e13 FLOP at 1 PFLOP/s = 14 ms.
  // Balance: 16 ms x 1e15 / 1.4e10 FLOP per token = 1142.9 tokens.
  auto r = weight_streaming(wafer(1000, false));
  CHECK(r.streamed.value() == Approx(16e9));
  CHECK(r.stream_time.value() == Approx(0.016));
  CHECK(r.compute_time.value() == Approx(0.014));
  CHECK(r.bound == streaming_bound::streaming);
  CHECK(r.step_time.value() == Approx(0.016));
  CHECK(r.balance_tokens == Approx(1142.857).epsilon(1e-5));
  CHECK(r.throughput.value() == Approx(62500));
  CHECK(weight_streaming(wafer(2000, false)).bound == streaming_bound::compute);
}

TEST_CASE("weight streaming: training streams twice and computes three times as much") {
  // 32 GB in = 32 ms; 6 x 7e9 x 1000 = 4.2e13 FLOP = 42 ms; balance 32 ms x 1e15 / 4.2e10 = 761.9.
  auto r = weight_streaming(wafer(1000, true));
  CHECK(r.stream_time.value() == Approx(0.032));
  CHECK(r.compute_time.value() == Approx(0.042));
  CHECK(r.bound == streaming_bound::compute);
  CHECK(r.balance_tokens == Approx(761.905).epsilon(1e-5));
}

TEST_CASE("DP-SGD: the slowdown range and its geometric middle") {
  // 10 h at 2.6-8x: 26 h to 80 h, middle sqrt(20.8) = 4.5607 -> 45.607 h.
  auto r = dp_sgd(36000 * u::second, {2.6, 8});
  CHECK(r.slowdown == Approx(std::sqrt(20.8)));
  CHECK(r.time_low.value() == Approx(26 * 3600.0));
  CHECK(r.time_high.value() == Approx(80 * 3600.0));
  CHECK(r.time.value() == Approx(45.607 * 3600).epsilon(1e-4));
}
