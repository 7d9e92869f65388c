// Numbers at the edges (docs/language.md): overflow, underflow, NaN, unit
// exponents out of range, and solver arguments and results at the edge are
// diagnostics naming the value, never a printed inf or nan.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/interp/agree.hpp"
#include "ironlaw/runtime/interp/dim.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/interp/quantity.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

const char* pinned_hardware = R"(
[H100_SXM]
memory = "80 GiB"
bandwidth = "3.35 TB/s"
tdp = "700 W"
[H100_SXM.peak]
fp16 = "989.4 TFLOP/s"
)";
const char* pinned_models = testing::llama3_8b_toml;

const registry& pinned() {
  static const registry r = [] {
    registry reg(unit_table::builtin());
    reg.add_file("hardware/test.toml", pinned_hardware);
    reg.add_file("models/test.toml", pinned_models);
    return reg;
  }();
  return r;
}

using testing::outcome;

// Runs `text` as a file (declarations allowed).
outcome run(const std::string& text) { return testing::run_in(pinned(), text); }

outcome eval(const std::string& text) { return testing::eval_in(pinned(), text); }

std::string ok(const std::string& text) { return testing::shown_ok(eval(text), text); }

lang::diagnostic fails(const outcome& o, const std::string& text) { return testing::first_error(o, text); }
lang::diagnostic fails(const std::string& text) { return fails(eval(text), text); }

bool mentions(const lang::diagnostic& d, std::string_view part) {
  INFO(d.message);
  return d.message.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("numeric edges: literals beyond the doubles are diagnostics and never inf or 0") {
  CHECK(fails("1e400").code == "E0103");
  CHECK(fails("1e300 EB").code == "E0103");
  auto under = fails("1e-400");
  CHECK(under.code == "E0214");
  CHECK(mentions(under, "1e-400"));
  CHECK(fails("0.000001e-320").code == "E0214");
  CHECK(fails("1e-310").code == "E0214");  // subnormal
  CHECK(fails("1e-300 ns").code == "E0214");
  // Zero written any way is zero, not an underflow.
  CHECK(ok("0e-400") == "0");
  CHECK(ok("0.0") == "0");
  CHECK(ok("1e-300") == "1e-300");
  // The parser tells overflow from underflow by the decimal magnitude, not
  // the exponent's sign alone.
  CHECK(fails("1" + std::string(400, '0') + "e-10").code == "E0103");
  CHECK(fails("0." + std::string(400, '0') + "1").code == "E0214");
  CHECK(fails("1_000e-400").code == "E0214");
  CHECK(fails("1e-99999999999999999999").code == "E0214");
  CHECK(fails("1e99999999999999999999").code == "E0103");
  CHECK(ok("1000e-310") == "1e-307");
}

TEST_CASE("numeric edges: arithmetic overflow and underflow and NaN are diagnostics") {
  auto over = fails("1e300 * 1e300");
  CHECK(over.code == "E0215");
  CHECK(mentions(over, "1e300 * 1e300"));
  CHECK(over.primary == lang::span{0, 13});
  CHECK(fails("2 ^ 2000").code == "E0215");
  CHECK(fails("1.7e308 + 1.7e308").code == "E0215");
  CHECK(fails("1e200 EB * 1e200").code == "E0215");
  CHECK(fails("[1, 1e300] EB").code == "E0215");
  CHECK(fails("(1e-300) ns").code == "E0216");
  CHECK(ok("[0, 2] GB") == "[0 B, 2 GB]");
  CHECK(fails("1e-200 * 1e-200").code == "E0216");
  CHECK(fails("0.5 ^ 2000").code == "E0216");
  CHECK(fails("1e-300 / 1e100").code == "E0216");
  CHECK(fails("(-8) ^ 0.5").code == "E0217");
  // Exact zeros are not underflows.
  CHECK(ok("0 * 1e-300") == "0");
  CHECK(ok("1 - 1") == "0");
}

TEST_CASE("numeric edges: division by zero names both operands") {
  auto zero = fails("0 / 0");
  CHECK(zero.code == "E0204");
  CHECK(mentions(zero, "0 / 0 has no value"));
  auto x = fails("1 GB / 0 s");
  CHECK(x.code == "E0204");
  CHECK(mentions(x, "1 GB / 0 s"));
  CHECK(fails("0 ^ -1").code == "E0204");
}

TEST_CASE("numeric edges: unit exponents never wrap") {
  CHECK(dim::of(base_dim::data).pow(127)[base_dim::data] == 127);
  CHECK(dim::of(base_dim::data).pow(128).out_of_range());
  CHECK(dim::of(base_dim::data).pow(-128).out_of_range());
  CHECK((dim::of(base_dim::data).pow(100) * dim::of(base_dim::data).pow(100)).out_of_range());
  CHECK((dim::of(base_dim::data).pow(-100) / dim::of(base_dim::data).pow(100)).out_of_range());
  CHECK((dim::overflowed() / dim::overflowed()).out_of_range());
  CHECK(dim::overflowed().pow(0).out_of_range());
  CHECK(edge_of(quantity{1, dim::overflowed()}) == numeric_edge::exponent_range);

  std::string product = "1 B";
  for (int i = 1; i < 128; ++i) product += " * 1 B";
  auto d = fails(product);  // B^128
  CHECK(d.code == "E0218");
  auto fine = product.substr(0, product.rfind(" * 1 B"));  // B^127
  CHECK_FALSE(eval(fine).diags.has_errors());
  CHECK(fails("(1 B^8) ^ 16").code == "E0218");
  CHECK(fails("1 B^200").code == "E0218");
  CHECK(fails("(1 GB) ^ 1e10").code == "E0205");
  auto frac = fails("(2 s) ^ 0.5");
  CHECK(frac.code == "E0205");
  CHECK(mentions(frac, "not 0.5"));
}

TEST_CASE("numeric edges: solver arguments at the edge are refused at the argument") {
  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = -1)").code == "E0301");
  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = 0)").code == "E0301");
  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = 1e400)").code == "E0103");
  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = 0 / 0)").code == "E0204");
  auto latency = fails("prefill(Llama3_8B, H100_SXM, prompt = 512 tokens, link_latency = -1 us)");
  CHECK(latency.code == "E0301");
  CHECK(mentions(latency, "link_latency"));
  CHECK(mentions(latency, "-1 µs"));
  auto zero = fails("collective(bytes = 1 GB, n = 8, bandwidth = 0 GB/s)");
  CHECK(zero.code == "E0301");
  CHECK(mentions(zero, "got 0 B/s"));
  CHECK(fails("collective(bytes = -1 GB, n = 8, bandwidth = 5 GB/s)").code == "E0301");
  CHECK(ok("collective(bytes = 1 GB, n = 8, bandwidth = 5 GB/s, latency = 0 s).latency").rfind("0 ns", 0) == 0);
}

TEST_CASE("numeric edges: entity fields at the edge are refused where they are written") {
  std::string text = "hardware Slow extends H100_SXM { bandwidth = 0 GB/s }\n";
  auto o = run(text);
  auto d = fails(o, text);
  CHECK(d.code == "E0219");
  CHECK(mentions(d, "bandwidth"));
  CHECK(d.primary == lang::span{45, 51});
  text = "hardware Neg extends H100_SXM { memory = -80 GB }\n";
  CHECK(fails(run(text), text).code == "E0219");
}

TEST_CASE("numeric edges: the honest infinities still print") {
  // An unstable queue's waits are infinite by definition (fleet_bind_test).
  CHECK(ok("queue(rate = 20 req/s, service_time = 0.25 s, servers = 3).mean_wait").rfind("inf", 0) == 0);
  // A throughput limit with no bound: no storage_bandwidth given.
  CHECK(ok("data_pipeline(rate = 10000 samples/s, sample_size = 110 kB, per_core = 250 samples/s).storage_limit")
            .rfind("inf", 0) == 0);
}

TEST_CASE("numeric edges: a solver result that is not finite is a diagnostic and not inf") {
  std::string text =
      "hardware Glacial extends H100_SXM { bandwidth = 1e-300 B/s }\n"
      "print decode(Llama3_8B, Glacial, batch = 1).itl\n";
  auto o = run(text);
  auto d = fails(o, text);
  CHECK(d.code == "E0220");
  CHECK(mentions(d, "infinity"));
  CHECK(o.shown.find("inf") == std::string::npos);
}

// agree() (interp/agree.hpp) checks a stored number against its source: a
// finite number must never pass for an infinity, which a relative bound of
// 1e-9 x infinity would let through.
TEST_CASE("agree: a relative 1e-9, an infinity only with itself, NaN with nothing", "[agree]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(agree(1.0, 1.0 + 1e-12));
  CHECK_FALSE(agree(1.0, 1.0 + 1e-6));
  CHECK(agree(inf, inf));
  CHECK(agree(-inf, -inf));
  CHECK_FALSE(agree(1.0, inf));
  CHECK_FALSE(agree(inf, 1e308));
  CHECK_FALSE(agree(inf, -inf));
  CHECK_FALSE(agree(nan, nan));
  CHECK_FALSE(agree(0.0, nan));
}
