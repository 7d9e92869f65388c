// ssm_decode, dlrm, lora_decode and train's straggler through the language,
// on the embedded registry: the hand calculations of docs/solvers.md.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

double number(const std::string& expr) {
  auto o = testing::eval_in(registry::embedded(), expr);
  return testing::leading_number(testing::shown_ok(o, expr));
}

std::string error_of(const std::string& expr) {
  auto o = testing::eval_in(registry::embedded(), expr);
  auto d = testing::first_error(o, expr);
  return d.message + " | " + d.help;
}

}  // namespace

TEST_CASE("ssm_decode of Mamba-2.8B on an H100: 1.66 ms, a 12.5 MB state whatever the batch's context") {
  CHECK(number("ssm_decode(Mamba_2_8B, H100_SXM).itl_bound in us") == Approx(1660).epsilon(1e-3));
  CHECK(number("ssm_decode(Mamba_2_8B, H100_SXM).state_per_sequence / 12451840 B") == 1);  // 64 x 5120 x 19 x 2 B
  CHECK(number("ssm_decode(Mamba_2_8B, H100_SXM, batch = 64).itl_bound in us") == Approx(2128).epsilon(1e-3));
  CHECK(number("ssm_decode(Mamba_2_8B, H100_SXM, batch = 64).throughput in token/s") == Approx(30071).epsilon(2e-3));
  auto wrong = error_of("ssm_decode(Llama3_8B, H100_SXM)");
  CHECK(wrong.find("needs a model of family ssm") != std::string::npos);
  CHECK(wrong.find("Mamba_2_8B") != std::string::npos);
}

TEST_CASE("dlrm on the Criteo 1TB model: gathers are most of the bytes; fp32 MLPs or bf16 multi-hot decide the bound") {
  CHECK(number("dlrm(DLRM_Criteo_1TB, H100_SXM, batch = 2048).embedding_share") == Approx(0.742).epsilon(1e-3));
  // 2048 x 4,916,992 FLOP / 66.9 TFLOP/s = 150.52 us (shown to 3 digits: the ratio to the hand value is 1)
  CHECK(number("dlrm(DLRM_Criteo_1TB, H100_SXM, batch = 2048).time_bound / 150.5197 us") == 1);
  auto fp32 = testing::eval_in(registry::embedded(), "dlrm(DLRM_Criteo_1TB, H100_SXM, batch = 2048).bottleneck");
  CHECK(testing::shown_ok(fp32, "bottleneck").rfind("compute", 0) == 0);
  const std::string multi_hot = "dlrm(DLRM_Criteo_1TB, H100_SXM, batch = 2048, precision = bf16, lookups = 8)";
  CHECK(number(multi_hot + ".time_bound in us") == Approx(66.5).epsilon(2e-3));
  CHECK(number(multi_hot + ".embedding_share") == Approx(0.979).epsilon(1e-3));
  CHECK(error_of("dlrm(Mamba_2_8B, H100_SXM)").find("needs a model of family dlrm") != std::string::npos);
}

TEST_CASE("lora_decode with 8 adapters: 268 MB resident, a batch of 8 reads them all, 80 us more per step") {
  const std::string eight = "lora_decode(Llama3_8B, H100_SXM, batch = 8, adapters = 8)";
  CHECK(number(eight + ".adapter_bytes / 33554432 B") == 1);  // 16 x 8192 x 32 x 4 x 2 B
  CHECK(number(eight + ".adapter_memory / 268435456 B") == 1);
  CHECK(number(eight + ".distinct_adapters") == 8);
  CHECK(number("(" + eight + ".itl_bound - decode(Llama3_8B, H100_SXM, batch = 8).itl_bound) in us") ==
        Approx(268435456.0 / 3.35e12 * 1e6).epsilon(2e-3));
  CHECK(number("(lora_decode(Llama3_8B, H100_SXM, batch = 1, adapters = 8).itl_bound - "
               "decode(Llama3_8B, H100_SXM).itl_bound) in us") == Approx(33554432.0 / 3.35e12 * 1e6).epsilon(2e-3));
}

TEST_CASE("train's straggler: 1 is today's result, 1.25 stretches the compute by 1.25") {
  const std::string job = "train(Llama3_8B, H100_SXM, gpus = 8, tp = 8";
  CHECK(number(job + ", straggler = 1).step in s") == number(job + ").step in s"));
  CHECK(number(job + ", straggler = 1.25).compute / " + job + ").compute") == Approx(1.25).epsilon(1e-3));
  CHECK(error_of(job + ", straggler = 0.5)").find("'straggler' must be >= 1") != std::string::npos);
}
