// The roofline binding's runtime: its efficiency tables and the host dispatch
// floor of an eager framework (docs/solvers.md, Roofline), against a pinned registry.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

const char* hardware_toml = R"(
[GPU]
memory = "32 GiB"
bandwidth = "900 GB/s"
[GPU.peak]
fp16 = "100 TFLOP/s"
)";
const char* models_toml = R"(
[Net]
family = "cnn"
params = 25e6
flops = "10 GFLOP"
layers = 40
[NoLayers]
family = "cnn"
params = 25e6
flops = "10 GFLOP"
)";
const char* efficiency_toml = R"(
[cnn_inference]
compute = 0.25
bandwidth = 0.8
[cnn_inference.source]
title = "regime source"
[cnn_inference_pytorch]
host_per_layer = "0.2 ms"
[cnn_inference_pytorch.source]
title = "host source"
[cnn_inference_tensorrt]
compute = 0.5
[cnn_inference_tensorrt.source]
title = "tensorrt source"
)";

const registry& pinned() {
  static const registry r = testing::registry_of(
      {{"hardware/test.toml", hardware_toml}, {"models/test.toml", models_toml}, {"efficiency.toml", efficiency_toml}});
  return r;
}

std::string shown(const std::string& text) { return testing::shown_ok(testing::eval_in(pinned(), text), text); }
double number(const std::string& text) { return testing::leading_number(shown(text)); }

}  // namespace

TEST_CASE("roofline: an eager runtime's host time is a floor under the device time") {
  // Device: batch x 10 GFLOP / (100 TFLOP/s x 0.25) = batch x 0.4 ms. Host: 0.2 ms x 40 layers = 8 ms.
  const std::string r = "roofline(Net, GPU, runtime = pytorch";
  CHECK(number(r + ", batch = 1).host_time in ms") == Approx(8));
  CHECK(number(r + ", batch = 1).time in ms") == Approx(8));  // host-bound: 0.4 ms of device work
  CHECK(shown(r + ", batch = 1).bottleneck").rfind("host", 0) == 0);
  CHECK(number(r + ", batch = 1).utilization") == Approx(10e9 / 8e-3 / 100e12));
  CHECK(number(r + ", batch = 64).time in ms") == Approx(25.6));  // device-bound: 64 x 0.4 ms > 8 ms
  CHECK(shown(r + ", batch = 64).bottleneck").rfind("compute", 0) == 0);
  // Without a runtime, or with one that holds no host time, there is no floor.
  CHECK(number("roofline(Net, GPU, batch = 1).time in ms") == Approx(0.4));
  CHECK(number("roofline(Net, GPU, batch = 1).host_time in ms") == 0);
  CHECK(number("roofline(Net, GPU, batch = 1, runtime = tensorrt).time in ms") == Approx(0.2));  // its compute 0.5
  // A model without layers gets no floor either.
  CHECK(number("roofline(NoLayers, GPU, batch = 1, runtime = pytorch).time in ms") == Approx(0.4));
}
