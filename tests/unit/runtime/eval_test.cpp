#include <catch2/catch.hpp>

#include "harness.hpp"

#include <sstream>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/app/cli.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"
#include "ironlaw/runtime/app/repl.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

// A registry with pinned inputs, independent of the shipped data.
const char* pinned_hardware = R"(
[H100_SXM]
memory = "80 GiB"
bandwidth = "3.35 TB/s"
tdp = "700 W"
[H100_SXM.peak]
fp16 = "989.4 TFLOP/s"
fp8 = "1978.9 TFLOP/s"
[A100_80GB]
memory = "80 GiB"
bandwidth = "2.039 TB/s"
[A100_80GB.peak]
fp16 = "312 TFLOP/s"
[NoPeak]
memory = "8 GB"
bandwidth = "100 GB/s"
)";
const std::string pinned_models = std::string(testing::llama3_8b_toml) + R"(
[ResNet50]
family = "cnn"
params = 25.6e6
)";
const char* pinned_efficiency = R"(
[decode]
bandwidth = 0.7
compute = 0.6
[decode.source]
title = "test source"
)";

const registry& pinned() {
  static const registry r = [] {
    registry reg(unit_table::builtin());
    reg.add_file("hardware/test.toml", pinned_hardware);
    reg.add_file("models/test.toml", pinned_models);
    reg.add_file("efficiency.toml", pinned_efficiency);
    return reg;
  }();
  return r;
}

using testing::outcome;

outcome eval(const std::string& text) { return testing::eval_in(pinned(), text); }

std::string ok(const std::string& text) { return testing::shown_ok(eval(text), text); }

lang::diagnostic fails(const std::string& text) { return testing::first_error(eval(text), text); }

double leading_number(const std::string& s) { return std::stod(s.substr(0, s.find(' '))); }

}  // namespace

TEST_CASE("registry entries load with their units") {
  CHECK(pinned().problems().empty());
  auto h100 = pinned().find("H100_SXM");
  REQUIRE(h100);
  CHECK(h100->kind == "hardware");
  CHECK(h100->quantity_of("memory")->si == 80.0 * (1ull << 30));
  CHECK(pinned().find("Llama3_8B")->kind == "model");
  CHECK(pinned().efficiency("decode")->quantity_of("bandwidth")->si == 0.7);
}

TEST_CASE("registry problems are reported with file and line, not thrown") {
  registry reg(unit_table::builtin());
  reg.add_file("hardware/bad.toml", "[X]\nbandwidth = \"3 TBps\"\n");
  reg.add_file("models/broken.toml", "[Y\nlayers = 3");
  REQUIRE(reg.problems().size() == 2);
  CHECK(reg.problems()[0].rfind("hardware/bad.toml:2:", 0) == 0);
  CHECK(reg.problems()[0].find("unknown unit 'TBps'") != std::string::npos);
  CHECK(reg.problems()[1].rfind("models/broken.toml:1:", 0) == 0);
}

TEST_CASE("the walking skeleton's expressions") {
  CHECK(ok("16 GB / 40 ms in GB/s") == "400 GB/s");
  CHECK(ok("H100_SXM.bandwidth / A100_80GB.bandwidth") == "1.64");
  CHECK(ok("500 MWh * 390 g/kWh in t") == "195 t");
  CHECK(ok("1.2 * 2") == "2.4");
  CHECK(ok("3.35 TB/s in GB/s") == "3350 GB/s");
  CHECK(ok("80 GiB in GB") == "85.9 GB");
  CHECK(ok("400 Gb/s in GB/s") == "50 GB/s");
  CHECK(ok("2 GB > 1 GiB") == "true");
  CHECK(ok("H100_SXM.peak.fp16") == "989 TFLOP/s");
}

TEST_CASE("adding a data size to a compute rate is a diagnostic at both operands") {
  auto d = fails("80 GB + 3 TFLOP/s");
  CHECK(d.code == "E0201");
  CHECK(d.message == "cannot add data (GB) to compute rate (TFLOP/s)");
  CHECK(d.primary == lang::span{0, 5});
  REQUIRE(d.secondary.size() == 1);
  CHECK(d.secondary[0].where == lang::span{8, 17});
}

TEST_CASE("every dimension mismatch is caught") {
  CHECK(fails("1 s - 1 B").code == "E0201");
  CHECK(fails("1 s < 1 B").code == "E0202");
  CHECK(fails("1 GB in ms").code == "E0206");
  CHECK(fails("1 req/s + 1 tokens/s").code == "E0201");
  CHECK(fails("2 ^ 1 s").code == "E0205");
  CHECK(fails("1 GB / 0 s").code == "E0204");
  CHECK(fails("3 parsecs").code == "E0101");
  CHECK(fails("true + 1").code == "E0203");
}

TEST_CASE("decode: the roofline bound and the expected ITL") {
  // A3: 15.01 GB of fp16 weights (the input table gathered, one row) at 3.35 TB/s.
  auto bound = ok("decode(Llama3_8B, H100_SXM, batch = 1).itl_bound");
  CHECK(bound.rfind("4.48 ms  (memory-bound: 15 GB of weights read per token at 3.35 TB/s)", 0) == 0);
  auto itl = ok("decode(Llama3_8B, H100_SXM, batch = 1).itl in ms");
  CHECK(leading_number(itl) == Approx(4.480 / 0.7).epsilon(0.01));
  CHECK(ok("decode(Llama3_8B, H100_SXM, batch = 1).bottleneck").rfind("memory", 0) == 0);
  // A2: the speedup is the bandwidth ratio, not the FLOP ratio.
  auto ratio = ok("decode(Llama3_8B, A100_80GB).itl_bound / decode(Llama3_8B, H100_SXM).itl_bound");
  CHECK(leading_number(ratio) == Approx(3.35 / 2.039).epsilon(0.002));
  // efficiencies can be overridden
  auto given = ok("decode(Llama3_8B, H100_SXM, bandwidth_efficiency = 0.5).itl in ms");
  CHECK(leading_number(given) == Approx(8.96).epsilon(0.01));
}

TEST_CASE("decode turns compute-bound at large batch") {
  CHECK(ok("decode(Llama3_8B, H100_SXM, batch = 1024).bottleneck").rfind("compute", 0) == 0);
}

TEST_CASE("decode: bad arguments are diagnostics at the argument") {
  auto d = fails("decode(Llama3_8B, H100_SXM, precision = fp17)");
  CHECK(d.message == "decode: unknown precision 'fp17'");
  CHECK(d.help.find("fp16") != std::string::npos);
  CHECK(d.help.find("int4") != std::string::npos);
  CHECK(d.primary == lang::span{40, 44});

  d = fails("decode(Llama3_8B, H100)");
  CHECK(d.message == "decode: unknown hardware 'H100'");
  CHECK(d.help == "did you mean H100_SXM?");

  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = 0)").message.find("must be a whole number >= 1") !=
        std::string::npos);
  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = -4)").code == "E0301");
  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = 1.5)").code == "E0301");
  CHECK(fails("decode(Llama3_8B, H100_SXM, context = 4096)").message.find("must be tokens") != std::string::npos);
  CHECK(fails("decode(Llama3_8B, H100_SXM, context = 100000 tokens)").message.find("maximum of 8192") !=
        std::string::npos);
  CHECK(fails("decode(Llama3_8B, H100_SXM, batchsize = 2)").help == "did you mean batch?");
  CHECK(fails("decode(Llama3_8B, H100_SXM, batch = 1, batch = 2)").code == "E0304");
  CHECK(fails("decode(Llama3_8B)").message.find("missing argument 'hardware'") != std::string::npos);
  CHECK(fails("decode(ResNet50, H100_SXM)").message.find("is a cnn model") != std::string::npos);
  CHECK(fails("decode(H100_SXM, Llama3_8B)").message.find("must be a model") != std::string::npos);
  CHECK(fails("decode(Llama3_8B, NoPeak)").message.find("no peak table") != std::string::npos);
  CHECK(fails("decode(Llama3_8B, H100_SXM, bandwidth_efficiency = 1.5)").code == "E0301");
  CHECK(fails("decod(Llama3_8B, H100_SXM)").help == "did you mean decode?");
  CHECK(fails("decode(Llama3_8B, H100_SXM).itl_bnd").help.rfind("did you mean itl_bound", 0) == 0);
  CHECK(fails("fp16 + 1").code == "E0203");
  CHECK(fails("Llama3_8b.layers").help == "did you mean Llama3_8B?");
}

TEST_CASE("the command line: exit codes and streams") {
  std::ostringstream out, err;
  CHECK(run_cli({"ironlaw", "eval", "16 GB / 40 ms in GB/s"}, {out, err}) == 0);
  CHECK(out.str() == "400 GB/s\n");
  std::ostringstream out2, err2;
  CHECK(run_cli({"ironlaw", "eval", "80 GB + 3 TFLOP/s"}, {out2, err2}) == 1);
  CHECK(out2.str().empty());
  CHECK(err2.str().find("error[E0201]") != std::string::npos);
  std::ostringstream out3, err3;
  CHECK(run_cli({"ironlaw", "eval", "1 +", "--diagnostics", "json"}, {out3, err3}) == 1);
  CHECK(err3.str().rfind("[{\"code\":\"E0001\"", 0) == 0);
  std::ostringstream out4, err4;
  CHECK(run_cli({"ironlaw", "frobnicate"}, {out4, err4}) == 1);
  CHECK(err4.str().rfind("error: unknown command 'frobnicate'", 0) == 0);
  std::ostringstream out5, err5;
  CHECK(run_cli({"ironlaw", "run", "/nonexistent.iron"}, {out5, err5}) == 1);
  CHECK(err5.str().find("cannot read '/nonexistent.iron'") != std::string::npos);
}

TEST_CASE("the shipped registry loads without a problem") {
  const auto& reg = registry::embedded();
  for (const auto& p : reg.problems()) INFO(p);
  CHECK(reg.problems().empty());
  CHECK(reg.find("H100_SXM"));
  CHECK(reg.efficiency("decode"));
}

TEST_CASE("the REPL session: statements, continuation, commands, completion") {
  std::ostringstream out, err;
  repl_session s(pinned(), out, err, false);
  CHECK(s.feed("let d = decode(Llama3_8B,") == repl_session::status::continues);
  CHECK(s.pending());
  CHECK(s.feed("  H100_SXM)") == repl_session::status::ready);
  CHECK(s.feed("d.itl_bound in ms") == repl_session::status::ready);
  CHECK(out.str().find("4.48 ms") != std::string::npos);
  CHECK(s.feed("ans * 2") == repl_session::status::ready);
  CHECK(out.str().find("8.96 ms") != std::string::npos);
  CHECK_FALSE(s.failed());
  CHECK(s.feed(":help") == repl_session::status::ready);
  CHECK(out.str().find(":why EXPR") != std::string::npos);
  CHECK(s.feed(":quit") == repl_session::status::quit);

  auto fields = s.complete("H100_SXM.band", 13);
  CHECK(fields == std::vector<std::string>{"bandwidth"});
  auto results = s.complete("decode(Llama3_8B, H100_SXM).itl", 31);
  CHECK(results == std::vector<std::string>{"itl", "itl_bound"});
  auto params = s.complete("decode(Llama3_8B, H100_SXM, bat", 31);
  CHECK(std::find(params.begin(), params.end(), "batch =") != params.end());
  auto names = s.complete("let x = H10", 11);
  CHECK(std::find(names.begin(), names.end(), "H100_SXM") != names.end());
  auto units = s.complete("let y = 3 Gi", 12);
  CHECK(std::find(units.begin(), units.end(), "GiB") != units.end());

  s.cancel();
  CHECK(s.feed("1 +") == repl_session::status::continues);
  s.cancel();
  CHECK_FALSE(s.pending());
  CHECK(s.feed("nonsense_name") == repl_session::status::ready);
  CHECK(s.failed());
}
