// The hand checks of docs/solvers.md, "More functions", against the shipped
// registry: each number below is worked by hand in that section.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include "ironlaw/runtime/interp/registry.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

std::string ok(const std::string& text) { return testing::shown_ok(testing::run_in(registry::embedded(), text), text); }
double number(const std::string& expr) {
  auto s = ok("print " + expr);
  return std::stod(s.substr(0, s.find(' ')));
}

}  // namespace

TEST_CASE("hand check: prefill of 2048 tokens of Llama-3-8B on an H100", "[hand]") {
  // 2 x 7.505e9 + 2 x 32 x 1023.5 x 8192 = 15.55 GFLOP per token, x 2048.
  CHECK(number("prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).flops in TFLOP") == Approx(31.84).epsilon(2e-3));
  CHECK(number("prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).ttft_bound in ms") == Approx(32.2).epsilon(3e-3));
  CHECK(number("prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).kv_bytes in MB") == Approx(268.4).epsilon(3e-3));
}

TEST_CASE("hand check: memory of Llama-3-8B, 8 x 4096 tokens on an H100", "[hand]") {
  const std::string m = "memory(Llama3_8B, batch = 8, context = 4096 tokens, hardware = H100_SXM)";
  CHECK(number(m + ".kv_cache in GB") == Approx(8.0 * 4096 * 131072 / 1e9).epsilon(3e-3));
  CHECK(number(m + ".activations in MB") == Approx(4096.0 * (8192 + 6144 + 28672) * 2 / 1e6).epsilon(3e-3));
  CHECK(number(m + ".total in GB") == Approx(29.3).epsilon(3e-3));
  CHECK(number("memory(Llama3_70B, precision = int4).weights in GB") == Approx(70553706496.0 * 0.53125 / 1e9).epsilon(3e-3));
}

TEST_CASE("hand check: synthesize reads the gathered step, holds the whole model", "[hand]") {
  const std::string s = "synthesize(Llama3_8B, itl = 40 ms, batch = 1, precision = fp16, efficiency = 1)";
  CHECK(number(s + ".bandwidth in GB/s") == Approx(375.3).epsilon(3e-3));
  CHECK(number(s + ".memory in GB") == Approx(16.06).epsilon(3e-3));
}

TEST_CASE("hand check: compress to int4 counts the group scales", "[hand]") {
  CHECK(number("compress(Llama3_8B, bits = int4).size in GB") == Approx(8030261248.0 * 0.53125 / 1e9).epsilon(3e-3));
  CHECK(number("compress(Llama3_8B, bits = int4).memory_bound_speedup") == Approx(2 / 0.53125).epsilon(3e-3));
}

TEST_CASE("hand check: SDXL with guidance on an H100", "[hand]") {
  CHECK(number("generate(SDXL, H100_SXM).flops in TFLOP") == Approx(50 * 2 * 6.8).epsilon(3e-3));
  CHECK(number("generate(SDXL, H100_SXM).time_bound in ms") == Approx(50 * 13.6e12 / 989.4e12 * 1e3).epsilon(5e-3));
}

TEST_CASE("hand check: training FLOPs, Chinchilla, checkpoint", "[hand]") {
  CHECK(number("training_flops(Llama3_8B, tokens = 15e12 tokens) in FLOP") == Approx(6 * 8.03e9 * 15e12).epsilon(3e-3));
  CHECK(number("chinchilla(compute = 5.76e23 FLOP).params") == Approx(6.93e10).epsilon(3e-3));
  CHECK(number("checkpoint(Llama3_70B, storage_bandwidth = 100 GB/s).size in GB") ==
        Approx(70553706496.0 * 14 / 1e9).epsilon(3e-3));
  CHECK(number("checkpoint(Llama3_70B, storage_bandwidth = 100 GB/s).write_time in s") == Approx(9.88).epsilon(3e-3));
}

TEST_CASE("hand check: Young's interval and the iron law", "[hand]") {
  CHECK(number("reliability(n = 1, mtbf = 24 h, duration = 30 d, checkpoint_write = 60 s).interval in s") ==
        Approx(3220).epsilon(2e-3));
  CHECK(number("iron_law(flops = 3.15e23 FLOP, n = 1024, peak = 312 TFLOP/s, mfu = 0.5, scaling = 0.9, goodput = "
               "0.95).time in d") == Approx(26.7).epsilon(3e-3));
}
