// The calibration report: reading cases, predicting them, the error, the
// per-category summary, the calibration-only fit and the bounds.
#include <catch2/catch.hpp>

#include <cmath>

#include "../../../runtime/validate/validation.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

validate::validation_set load(const std::string& text, lang::diagnostics& diags) {
  validate::validation_set set;
  validate::load_file(std::make_shared<const lang::source_file>("cases.toml", text), set, diags);
  return set;
}

const std::string one_case = R"(
[[case]]
id = "a"
category = "llm_decode"
split = "calibration"
inputs = "Llama-2-7B bf16, batch 1, A100 80GB"
expression = "decode(Llama2_7B, A100_80GB, batch = 1, precision = bf16).itl"
reported = "10 ms"
bottleneck = "memory"
calibrates = "decode.bandwidth"
confidence = "read"
source = { title = "t", url = "u", locator = "l", as_of = "2024-01" }
)";

}  // namespace

TEST_CASE("validate: a case is predicted and its signed error computed", "[validate]") {
  lang::diagnostics diags;
  auto set = load(one_case, diags);
  REQUIRE_FALSE(diags.has_errors());
  REQUIRE(set.cases.size() == 1);
  auto outcomes = validate::evaluate(set, registry::embedded(), diags);
  REQUIRE_FALSE(diags.has_errors());
  REQUIRE(outcomes.size() == 1);
  const auto& o = outcomes[0];
  REQUIRE(o.ok);
  CHECK(o.reported_si == Approx(0.010));
  CHECK(o.error_percent == Approx((o.predicted_si - 0.010) / 0.010 * 100));
  CHECK(o.predicted_bottleneck == "memory");
  // 13.5 GB of weights over 0.7 x 2.039 TB/s is about 9.4 ms.
  CHECK(o.predicted_si == Approx(0.0094).epsilon(0.05));
}

TEST_CASE("validate: the fit reproduces the calibration case and the registry is untouched", "[validate]") {
  lang::diagnostics diags;
  auto set = load(one_case, diags);
  auto outcomes = validate::evaluate(set, registry::embedded(), diags);
  auto fits = validate::fit_efficiencies(outcomes, registry::embedded());
  REQUIRE(fits.size() == 1);
  CHECK(fits[0].key == "decode.bandwidth");
  CHECK(fits[0].registry_value == Approx(0.70));
  // ITL is inversely proportional to the bandwidth efficiency when memory-bound.
  CHECK(fits[0].fitted == Approx(0.70 * outcomes[0].predicted_si / 0.010).epsilon(0.01));
  CHECK(registry::embedded().efficiency("decode")->quantity_of("bandwidth")->si == Approx(0.70));
}

TEST_CASE("validate: summaries give median and worst |error| per category and split", "[validate]") {
  validate::validation_case a, b, c;
  for (auto* x : {&a, &b, &c}) x->category = "cnn";
  a.split = b.split = "holdout";
  c.split = "calibration";
  std::vector<validate::outcome> outcomes(3);
  outcomes[0] = {&a, true, 0, 0, "", -30};
  outcomes[1] = {&b, true, 0, 0, "", 10};
  outcomes[2] = {&c, true, 0, 0, "", 5};
  auto groups = validate::summarize(outcomes);
  REQUIRE(groups.size() == 3);
  CHECK(groups[1].split == "holdout");
  CHECK(groups[1].median_abs == Approx(20));
  CHECK(groups[1].worst_abs == Approx(30));
  CHECK(groups[2].split == "all");
  CHECK(groups[2].median_abs == Approx(10));
  validate::validation_set set;
  set.bounds = {{"cnn", 12, 25}};
  auto violations = validate::check_bounds(set, groups);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].what == "worst");
}

TEST_CASE("validate: malformed cases are diagnostics at their line", "[validate]") {
  lang::diagnostics diags;
  auto text = one_case + one_case;  // the same id twice
  auto set = load(text, diags);
  REQUIRE(diags.has_errors());
  CHECK(diags.items()[0].code == "E1207");
  CHECK(set.cases.size() == 1);

  diags.clear();
  auto no_source = one_case.substr(0, one_case.find("source ="));
  load(no_source, diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].code == "E1202");
  CHECK(diags.items()[0].source->position(diags.items()[0].primary.begin).line == 2);
}
