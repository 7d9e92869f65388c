// A user's `measured` statements: the efficiency each one implies, the median
// per efficiency, and later calls that use it and say so in their notes.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sstream>

#include "../../../runtime/calibrate/calibration.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

struct ran {
  std::string out;
  lang::diagnostics diags;
  std::vector<calibrate::measurement> measurements;
  std::vector<calibrate::fit> fits;
};

ran run(const std::string& text) {
  ran r;
  lang::program program;
  auto source = std::make_shared<const lang::source_file>("t.iron", text);
  REQUIRE(lang::parse_program(source, program, r.diags).ok);
  interpreter interp(registry::embedded());
  std::ostringstream out;
  interp.run(program, out, r.diags);
  r.out = out.str();
  if (const auto* s = interp.calibration()) {
    r.measurements = s->measurements();
    for (auto f : s->fits(registry::embedded())) {
      f.from.clear();  // points into the session
      r.fits.push_back(f);
    }
  }
  return r;
}

double eval_si(const std::string& expr) {
  lang::diagnostics diags;
  lang::expr_ptr e;
  auto source = std::make_shared<const lang::source_file>("e.iron", expr);
  REQUIRE(lang::parse_expression(source, e, diags).ok);
  interpreter interp(registry::embedded());
  auto v = interp.evaluate(*e, source, diags);
  REQUIRE(v);
  return v->v.as_quantity()->si;
}

const double registry_bandwidth = registry::embedded().efficiency("decode")->quantity_of("bandwidth")->si;

}  // namespace

TEST_CASE("calibrate: a memory-bound decode time implies bandwidth efficiency x predicted / measured", "[calibrate]") {
  const std::string call = "decode(Llama2_7B, A100_80GB, batch = 1, precision = bf16)";
  double predicted = eval_si(call + ".itl");
  double measured = predicted * 1.6;  // 60 % slower than the model says
  auto r = run(fmt::format("measured {}.itl = {} ms\n", call, measured * 1e3));
  REQUIRE_FALSE(r.diags.has_errors());
  REQUIRE(r.measurements.size() == 1);
  const auto& m = r.measurements[0];
  REQUIRE(m.key);
  CHECK(m.key->text() == "decode.bandwidth");
  CHECK(m.bottleneck == "memory");
  CHECK(m.elasticity == Approx(-1).margin(0.02));
  CHECK(m.error_percent == Approx((1 / 1.6 - 1) * 100).margin(1e-6));
  REQUIRE(m.implied);
  CHECK(*m.implied == Approx(registry_bandwidth / 1.6).epsilon(1e-4));
  CHECK(r.out.find("decode.bandwidth 0.44 from here on") != std::string::npos);
}

TEST_CASE("calibrate: a throughput implies the inverse ratio; a compute-bound step calibrates compute", "[calibrate]") {
  const std::string call = "decode(Llama2_7B, A100_80GB, batch = 1, precision = bf16)";
  double predicted = eval_si(call + ".throughput");
  auto r = run(fmt::format("measured {}.throughput = {} token/s\n", call, predicted * 0.8));
  REQUIRE(r.measurements.size() == 1);
  REQUIRE(r.measurements[0].implied);
  CHECK(*r.measurements[0].implied == Approx(registry_bandwidth * 0.8).epsilon(1e-4));

  const std::string big = "decode(Llama3_8B, H100_SXM, batch = 1024, context = 128 tokens)";
  auto c = run(fmt::format("measured {}.itl = {} s\n", big, eval_si(big + ".itl") * 1.25));
  REQUIRE(c.measurements.size() == 1);
  CHECK(c.measurements[0].bottleneck == "compute");
  REQUIRE(c.measurements[0].key);
  CHECK(c.measurements[0].key->text() == "decode.compute");
}

TEST_CASE("calibrate: later calls use the median and say so; earlier and explicit ones do not", "[calibrate]") {
  const std::string call = "decode(Llama2_7B, A100_80GB, batch = 1, precision = bf16)";
  double p = eval_si(call + ".itl") * 1e3;
  auto r = run(fmt::format("let before = decode(Llama2_13B, A100_80GB, batch = 1).itl\n"
                           "measured {0}.itl = {1} ms\n"
                           "measured {0}.itl = {2} ms\n"
                           "measured {0}.itl = {3} ms\n"
                           "let after = decode(Llama2_13B, A100_80GB, batch = 1)\n"
                           "print after.itl\n"
                           "print decode(Llama2_13B, A100_80GB, batch = 1, bandwidth_efficiency = 0.5).itl\n"
                           "print before < after.itl\n"
                           "print after.bandwidth_efficiency\n",
                           call, p * 2, p * 1.25, p * 1.1));
  REQUIRE_FALSE(r.diags.has_errors());
  REQUIRE(r.fits.size() == 1);
  CHECK(r.fits[0].values.size() == 3);
  CHECK(r.fits[0].fitted == Approx(registry_bandwidth / 1.25).epsilon(1e-4));  // the median, not the mean
  CHECK(r.fits[0].registry_value == registry_bandwidth);
  CHECK(r.out.find("median of 3, 0.35 to 0.64") != std::string::npos);
  CHECK(r.out.find("calibrated from 3 measurements at t.iron:2-4") != std::string::npos);
  CHECK(r.out.find("bandwidth_efficiency 0.5 (given)") != std::string::npos);
  CHECK(r.out.find("true\n") != std::string::npos);
  CHECK(r.out.find(fmt::format("{:.4g}", registry_bandwidth / 1.25)) != std::string::npos);
}

TEST_CASE("calibrate: a call that passes its efficiency calibrates nothing", "[calibrate]") {
  auto r = run("measured decode(Llama2_7B, A100_80GB, batch = 1, bandwidth_efficiency = 0.5, "
               "compute_efficiency = 0.5).itl = 30 ms\n");
  REQUIRE_FALSE(r.diags.has_errors());
  REQUIRE(r.measurements.size() == 1);
  CHECK_FALSE(r.measurements[0].key);
  CHECK(r.fits.empty());
  CHECK(r.out.find("nothing is calibrated") != std::string::npos);
}

TEST_CASE("calibrate: a measurement no efficiency in (0, 1] reproduces is reported, not used", "[calibrate]") {
  auto r = run("measured decode(Llama2_7B, A100_80GB, batch = 1).itl = 1 ms\n");
  REQUIRE(r.measurements.size() == 1);
  REQUIRE(r.measurements[0].key);
  CHECK_FALSE(r.measurements[0].implied);
  CHECK(r.fits.empty());
}

TEST_CASE("calibrate: diagnostics for the wrong dimension, a record, a non-positive value", "[calibrate]") {
  for (const auto& [text, code] : std::vector<std::pair<std::string, std::string>>{
           {"measured decode(Llama2_7B, A100_80GB).itl = 3 GB\n", "E1301"},
           {"measured decode(Llama2_7B, A100_80GB) = 3 ms\n", "E1302"},
           {"measured decode(Llama2_7B, A100_80GB).itl = -3 ms\n", "E1303"},
           {"measured decode(Llama2_7B, A100_80GB).itl = fp16\n", "E1303"},
       }) {
    auto r = run(text);
    INFO(text);
    REQUIRE(r.diags.items().size() == 1);
    CHECK(r.diags.items()[0].code == code);
    CHECK(r.measurements.empty());
  }
}
