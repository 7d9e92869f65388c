// The memory, prefill and serve bindings against a pinned registry.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

const char* hardware_toml = R"(
[H100_SXM]
memory = "80 GiB"
bandwidth = "3.35 TB/s"
scaleup_bandwidth = "450 GB/s"
[H100_SXM.peak]
fp16 = "989.4 TFLOP/s"
fp8 = "1978.9 TFLOP/s"
[Solo]
memory = "80 GiB"
bandwidth = "3.35 TB/s"
[Solo.peak]
fp16 = "989.4 TFLOP/s"
)";
const char* models_toml = R"(
[Llama3_8B]
family = "transformer"
layers = 32
d_model = 4096
heads = 32
kv_heads = 8
head_dim = 128
ffn = 14336
vocab = 128256
context = 8192
[Llama3_70B]
family = "transformer"
layers = 80
d_model = 8192
heads = 64
kv_heads = 8
head_dim = 128
ffn = 28672
vocab = 128256
context = 8192
[Llama3_1B]
family = "transformer"
layers = 16
d_model = 2048
heads = 32
kv_heads = 8
head_dim = 64
ffn = 8192
vocab = 128256
context = 8192
tied_embeddings = true
[ResNet50]
family = "cnn"
params = 25.6e6
)";
const char* efficiency_toml = R"(
[decode]
bandwidth = 0.7
compute = 0.6
[decode.source]
title = "decode source"
[prefill]
compute = 0.55
bandwidth = 0.85
[prefill.source]
title = "prefill source"
[runtime_reserve]
fraction = 0.10
[runtime_reserve.source]
title = "reserve source"
[paged_attention]
fragmentation = 0.04
[paged_attention.source]
title = "paged source"
[collective]
bandwidth = 0.8
)";

const registry& pinned() {
  static const registry r = [] {
    registry reg(unit_table::builtin());
    reg.add_file("hardware/test.toml", hardware_toml);
    reg.add_file("models/test.toml", models_toml);
    reg.add_file("efficiency.toml", efficiency_toml);
    return reg;
  }();
  return r;
}

using testing::outcome;

outcome run(const std::string& text) { return testing::eval_in(pinned(), text); }

double number(const std::string& text) {
  auto o = run(text);
  INFO(text);
  for (const auto& d : o.diags.items()) INFO(lang::render_human(d));
  REQUIRE_FALSE(o.diags.has_errors());
  return std::stod(o.shown.substr(0, o.shown.find(' ')));
}

std::string shown(const std::string& text) {
  auto o = run(text);
  INFO(text);
  REQUIRE_FALSE(o.diags.has_errors());
  return o.shown;
}

lang::diagnostic fails(const std::string& text) { return testing::first_error(run(text), text); }

bool says(const lang::diagnostic& d, const std::string& part) {
  INFO(d.message << " | " << d.help);
  return d.code == "E0301" && (d.message.find(part) != std::string::npos || d.help.find(part) != std::string::npos);
}

const std::string SB = "serve(Llama3_8B, H100_SXM, context = 4096 tokens, precision = fp16";
const std::string S = SB + ")";

}  // namespace

TEST_CASE("A7 through the language: 70B weights in fp16 and int4") {
  CHECK(number("memory(Llama3_70B, precision = fp16).weights in GB") == Approx(141.1).epsilon(1e-3));
  // int4 holds an fp16 scale and zero per group of 128: 0.531 B per weight, as decode reads it.
  CHECK(number("memory(Llama3_70B, precision = int4).weights in GB") == Approx(37.48).epsilon(1e-3));
  CHECK(number("memory(Llama3_70B, precision = int4).weights / decode(Llama3_70B, H100_SXM, precision = int4, "
               "allow_infeasible = true).weight_bytes") == Approx(70553706496.0 / (70553706496.0 - 128256.0 * 8192 + 8192)).epsilon(5e-3));  // printed to 3 figures
  CHECK(shown("memory(Llama3_70B, hardware = H100_SXM).fits").rfind("false", 0) == 0);
  CHECK(shown("memory(Llama3_70B, hardware = H100_SXM, tp = 2).fits").rfind("true", 0) == 0);
  CHECK(shown("memory(Llama3_70B, precision = int4, hardware = H100_SXM).fits").rfind("true", 0) == 0);
  // The reserve is the registry's 10 % of 80 GiB unless given.
  CHECK(number("memory(Llama3_8B, hardware = H100_SXM).reserve in GB") == Approx(8.59).epsilon(1e-3));
  CHECK(number("memory(Llama3_8B, hardware = H100_SXM, reserve = 0).reserve in GB") == 0);
}

TEST_CASE("memory: training counts gradients and optimizer state") {
  // 8,030,261,248 parameters x 12 B (Adam, mixed precision) / 8 (ZeRO-1 over dp 8) = 12.05 GB.
  CHECK(number("memory(Llama3_8B, training = true, zero = 1, dp = 8).optimizer_state in MB") ==
        Approx(12045).epsilon(1e-4));
  CHECK(number("memory(Llama3_8B, training = false).optimizer_state in GB") == 0);
  CHECK(number("memory(Llama3_8B, training = true, optimizer = sgd, precision = fp32).optimizer_state in GB") == 0);
}

TEST_CASE("A4 and A5 through the language") {
  CHECK(number(S + ".kv_cache_per_request in MiB") == Approx(512));
  // (0.9 x 85.90 GB - 16.06 GB) x 0.96 / 536.9 MB = 109.5.
  CHECK(number(S + ".max_batch") == 109);
  CHECK(number(S + ".max_batch") >= 95);
  // Weights + KV only, without reserve or fragmentation: 130 with 80 GiB.
  CHECK(number("serve(Llama3_8B, H100_SXM, context = 4096 tokens, reserve = 0, fragmentation = 0).max_batch") == 130);
  CHECK(shown(S + ".feasible").rfind("true", 0) == 0);
  CHECK(number(S + ".output in token") == 256);
  CHECK(number(S + ".prompt in token") == 3840);
}

TEST_CASE("serve: infeasible with the reason") {
  CHECK(shown("serve(Llama3_8B, H100_SXM, context = 4096 tokens, batch = 200).limit").rfind("memory", 0) == 0);
  CHECK(shown("serve(Llama3_8B, H100_SXM, context = 4096 tokens, batch = 200).feasible").rfind("false", 0) == 0);
  CHECK(shown("serve(Llama3_8B, H100_SXM, context = 4096 tokens, max_itl = 1 ms).limit").rfind("latency", 0) == 0);
  CHECK(shown("serve(Llama3_8B, H100_SXM, context = 4096 tokens, batch = 200, max_ttft = 1 ms).limit")
            .rfind("both", 0) == 0);
  CHECK(shown("serve(Llama3_70B, Solo).limit").rfind("memory", 0) == 0);
  CHECK(number("serve(Llama3_70B, Solo).max_batch") == 0);
}

TEST_CASE("serve: options change what they should") {
  double base = number(S + ".ttft in ms");
  CHECK(number(SB + ", scheduler = static, batch = 8).ttft in ms") > 4 * base);
  CHECK(number("serve(Llama3_8B, H100_SXM, context = 4096 tokens, prefix_hit = 0.5).ttft in ms") < base);
  CHECK(number("serve(Llama3_8B, H100_SXM, context = 4096 tokens, scheduler = chunked).ttft in ms") > base);
  // Contiguous reserves 8192 tokens x 128 KiB = 1.074 GB each: (77.31 - 16.06) GB / 1.074 GB = 57.0.
  CHECK(number("serve(Llama3_8B, H100_SXM, context = 4096 tokens, allocator = contiguous).max_batch") == 57);
  CHECK(number("serve(Llama3_8B, H100_SXM, draft = Llama3_1B, acceptance = 0.8).tokens_per_step") ==
        Approx(3.3616).epsilon(1e-3));
  CHECK(number("serve(Llama3_8B, H100_SXM, tp = 2, batch = 8).allreduce in us") > 0);
  CHECK(number("serve(Llama3_8B, H100_SXM, tp = 2).weights in GB") == Approx(8.03).epsilon(1e-3));
}

TEST_CASE("prefill through the language") {
  CHECK(shown("prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).bottleneck").rfind("compute", 0) == 0);
  // 2048 x (2 x 7.505e9 + 2 x 32 x 1023.5 x 8192) = 31.83 TFLOP; / 989.4 TFLOP/s = 32.2 ms.
  CHECK(number("prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).ttft_bound in ms") == Approx(32.17).epsilon(1e-3));
  CHECK(number("prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).ttft in ms") == Approx(32.17 / 0.55).epsilon(1e-3));
}

TEST_CASE("bad arguments to the single-node solvers are diagnostics at the argument") {
  CHECK(says(fails("memory(Llama3_8B, batch = 0)"), "must be a whole number >= 1"));
  CHECK(says(fails("memory(Llama3_8B, batch = -3)"), "must be a whole number >= 1"));
  CHECK(says(fails("memory(Llama3_8B, context = 9000 tokens)"), "maximum of 8192"));
  CHECK(says(fails("memory(Llama3_8B, zero = 4)"), "ZeRO stage"));
  CHECK(says(fails("memory(Llama3_8B, training = maybe)"), "unknown training 'maybe'"));
  CHECK(says(fails("memory(Llama3_8B, optimizer = adagrad)"), "unknown optimizer"));
  CHECK(says(fails("memory(Llama3_8B, hardware = H100_SXM, reserve = 1.5)"), "[0, 1)"));
  CHECK(says(fails("memory(Llama3_8B, hardware = Llama3_1B)"), "must be a hardware"));
  CHECK(says(fails("memory(Llama3_8B, pp = 64)"), "exceeds"));
  CHECK(says(fails("memory(ResNet50)"), "is a cnn model"));
  CHECK(says(fails("memory(Llama3_8B, precision = fp13)"), "unknown precision 'fp13'"));
  CHECK(says(fails(SB + ", batch = 0)"), "must be a whole number >= 1"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, context = 100000 tokens)"), "maximum of 8192"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, prompt = 4000 tokens, output = 200 tokens, context = 4096 tokens)"),
             "must hold prompt + output"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, output = 0 tokens)"), "output must be"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, acceptance = 0.7)"), "needs a draft model"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, draft = Llama3_1B)"), "acceptance"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, draft = Llama3_1B, acceptance = 1)"), "below 1"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, prefix_hit = 1)"), "[0, 1)"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, scheduler = fifo)"), "unknown scheduler"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, max_itl = 0 ms)"), "positive time"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, max_itl = 5)"), "must be time (s)"));
  CHECK(says(fails("serve(Llama3_8B, Solo, tp = 2)"), "no scaleup_bandwidth"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, tp = 64)"), "exceeds the model's 32 attention heads"));
  CHECK(says(fails("serve(Llama3_8B, H100_SXM, chunk = 0 tokens)"), "at least 1 token"));
  CHECK(says(fails("prefill(Llama3_8B, H100_SXM, prompt = 0 tokens)"), "prompt must be between 1"));
  CHECK(says(fails("prefill(Llama3_8B, H100_SXM, prompt = 100 tokens, cached = 100 tokens)"), "cached must be"));
  CHECK(fails("prefill(Llama3_8B, H100_SXM)").message.find("missing argument 'prompt'") != std::string::npos);
}
