// The quiet search path (call_args::quiet): a design search's points call the
// solver without notes and with what depends on the registry read once per
// thread (call_memo). A quiet call must answer what the reporting call
// answers, value for value, refusal for refusal; only notes and the wording
// of a shortfall may differ.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../../../runtime/search/design_point.hpp"
#include "harness.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

const registry& reg() { return registry::embedded(); }

// Equal values: quantities bit for bit (NaN equal to NaN), records and lists
// field by field. Notes are not compared.
bool same_value(const value& a, const value& b);

bool same_record(const record& a, const record& b) {
  if (a.kind != b.kind || a.name != b.name || a.fields.size() != b.fields.size()) return false;
  if (a.infeasible.empty() != b.infeasible.empty() || a.hypothetical_allowed != b.hypothetical_allowed) return false;
  for (std::size_t i = 0; i < a.fields.size(); ++i)
    if (a.fields[i].name != b.fields[i].name || !same_value(a.fields[i].v, b.fields[i].v)) return false;
  return true;
}

bool same_value(const value& a, const value& b) {
  if (a.v.index() != b.v.index()) return false;
  if (const auto* q = a.as_quantity()) {
    const auto* r = b.as_quantity();
    return q->d == r->d && (std::memcmp(&q->si, &r->si, sizeof(double)) == 0 || (std::isnan(q->si) && std::isnan(r->si)));
  }
  if (const auto* x = std::get_if<bool>(&a.v)) return *x == std::get<bool>(b.v);
  if (const auto* x = std::get_if<std::string>(&a.v)) return *x == std::get<std::string>(b.v);
  if (const auto* x = std::get_if<symbol>(&a.v)) return *x == std::get<symbol>(b.v);
  if (const auto* x = std::get_if<record_ptr>(&a.v)) return same_record(**x, *std::get<record_ptr>(b.v));
  if (const auto* x = std::get_if<list_ptr>(&a.v)) {
    const auto& y = *std::get<list_ptr>(b.v);
    if ((*x)->size() != y.size()) return false;
    for (std::size_t i = 0; i < y.size(); ++i)
      if (!same_value((**x)[i], y[i])) return false;
    return true;
  }
  return true;  // nothing
}

// The values a scenario's names stand for, through the real interpreter.
value value_of(interpreter& interp, const std::string& text) {
  auto source = std::make_shared<const lang::source_file>("<test>", text);
  lang::diagnostics diags;
  lang::expr_ptr e;
  REQUIRE(lang::parse_expression(source, e, diags).ok);
  auto v = interp.evaluate(*e, source, diags);
  REQUIRE(v);
  return v->v;
}

// One random point of a space: each axis's value drawn from its list.
struct space {
  std::string solver;
  std::vector<std::pair<std::string, value>> fixed;
  std::vector<std::pair<std::string, std::vector<value>>> axes;
};

// Calls the solver at `points` random points, quietly (one memo for all, as a
// search thread does) and as the report does, and compares the outcomes; also
// through design_point, whose evaluate is quiet and evaluate_full is not.
// Returns how many points had a result, how many did not fit and how many were refused.
std::array<int, 3> compare(const space& s, int points, unsigned seed) {
  const builtin* fn = find_builtin(s.solver);
  REQUIRE(fn);
  std::mt19937 rng(seed);
  call_memo memo;
  std::array<int, 3> seen{};
  for (int p = 0; p < points; ++p) {
    std::vector<const value*> picked;
    for (const auto& [name, values] : s.axes) picked.push_back(&values[rng() % values.size()]);
    auto call = [&](bool quiet, lang::diagnostics& diags) {
      call_args args(*fn, reg(), nullptr, {}, diags);
      args.set_quiet(quiet, quiet ? &memo : nullptr);
      bool ok = true;
      for (const auto& [name, v] : s.fixed) ok = args.bind_named(name, {}, v, {}) && ok;
      for (std::size_t a = 0; a < s.axes.size(); ++a) ok = args.bind_named(s.axes[a].first, {}, *picked[a], {}) && ok;
      REQUIRE(ok);
      return args.finish() ? fn->invoke(args) : std::nullopt;
    };
    lang::diagnostics quiet_diags, loud_diags;
    auto quiet = call(true, quiet_diags);
    auto loud = call(false, loud_diags);
    REQUIRE(quiet.has_value() == loud.has_value());
    if (!loud) {
      ++seen[2];
      REQUIRE(quiet_diags.items().size() == loud_diags.items().size());
      for (std::size_t i = 0; i < loud_diags.items().size(); ++i)
        CHECK(quiet_diags.items()[i].message == loud_diags.items()[i].message);
      continue;
    }
    const record& q = *quiet->as_record();
    const record& l = *loud->as_record();
    ++seen[l.infeasible.empty() ? 0 : 1];
    INFO(s.solver << " point " << p);
    CHECK(same_record(q, l));
  }
  return seen;
}

// The same space through design_point: the search's quiet evaluate and the
// report's evaluate_full agree on the point's state and reason.
void compare_points(const space& s, int points, unsigned seed) {
  search::compiled_design cd;
  cd.fn = find_builtin(s.solver);
  cd.reg = &reg();
  for (const auto& [name, v] : s.fixed) cd.fixed.push_back({name, {}, v, {}});
  for (const auto& [name, values] : s.axes) {
    cd.axis_names.push_back(name);
    cd.axis_spans.emplace_back();
    cd.axis_values.emplace_back(values);
    cd.axis_numbers.emplace_back(values.size(), 0.0);
  }
  cd.field_count = cd.fn->results.size();
  std::uint64_t size = 1;
  for (const auto& v : cd.axis_values) size *= v.size();
  search::design_point quiet(cd), loud(cd);
  std::mt19937_64 rng(seed);
  for (int p = 0; p < points; ++p) {
    std::uint64_t index = rng() % size;
    search::point_result a, b;
    value result;
    quiet.evaluate(index, a, false);
    loud.evaluate_full(index, b, false, result);
    INFO(s.solver << " index " << index);
    CHECK(a.st == b.st);
    CHECK(a.reason == b.reason);
  }
}

std::vector<value> counts(std::initializer_list<double> xs) {
  std::vector<value> out;
  for (double x : xs) out.push_back(value{quantity{x, {}}});
  return out;
}

}  // namespace

TEST_CASE("a quiet decode call answers what the reporting call answers", "[search][quiet]") {
  interpreter interp(reg());
  space s{"decode", {}, {}};
  auto names = [&](std::initializer_list<const char*> xs) {
    std::vector<value> out;
    for (const char* x : xs) out.push_back(value_of(interp, x));
    return out;
  };
  s.axes = {{"model", names({"Llama3_8B", "Llama3_70B"})},
            {"hardware", names({"H100_SXM", "A100_80GB", "MI300X", "B200"})},
            {"precision", names({"fp16", "fp8", "int4"})},
            {"tp", counts({1, 2, 4, 8})},
            {"batch", counts({1, 7, 64, 256, 1024, 4096})},
            {"context", names({"0 tokens", "1024 tokens", "8192 tokens", "9216 tokens", "100000 tokens"})}};
  auto seen = compare(s, 400, 23);
  // The space exercises every outcome: results that fit, that do not, refusals.
  CHECK(seen[0] > 0);
  CHECK(seen[1] > 0);
  CHECK(seen[2] > 0);
  compare_points(s, 400, 23);
}

TEST_CASE("a quiet serving_fleet call answers what the reporting call answers", "[search][quiet]") {
  interpreter interp(reg());
  auto source = std::make_shared<const lang::source_file>("<test>", R"(
workload chat = serving {
  model  = Llama3_70B
  rate   = 1000 req/s
  prompt = 1024 tokens
  output = 256 tokens
}
)");
  lang::program program;
  lang::diagnostics diags;
  REQUIRE(lang::parse_program(source, program, diags).ok);
  std::ostringstream out;
  REQUIRE(interp.run(program, out, diags));
  auto names = [&](std::initializer_list<const char*> xs) {
    std::vector<value> v;
    for (const char* x : xs) v.push_back(value_of(interp, x));
    return v;
  };
  space s{"serving_fleet", {{"workload", value_of(interp, "chat")}}, {}};
  s.axes = {{"accelerator", names({"A100_80GB", "H100_SXM", "H200", "MI300X", "B200"})},
            {"precision", names({"fp16", "fp8", "int4"})},
            {"tp", counts({1, 2, 4, 8})},
            {"batch", counts({8, 16, 32, 64, 128})},
            {"region", names({"Quebec", "Virginia", "Poland"})},
            {"spare_nodes", counts({0, 1, 2})}};
  auto seen = compare(s, 300, 26);
  CHECK(seen[0] > 0);
  CHECK(seen[1] > 0);
  compare_points(s, 300, 26);
}
