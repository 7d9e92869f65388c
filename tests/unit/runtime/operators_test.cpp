// One semantics (runtime/interp/operators.hpp): every operator answers the
// same through the evaluator (a `print`) and through the search's compiled
// plan (a `require`, a `minimize`), errors included. Where the evaluator
// reports an error, the plan has NaN ("not computable"): the requirement is
// not met and the objective refuses its point.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "../../../runtime/interp/math_functions.hpp"
#include "../../../runtime/interp/operators.hpp"
#include "../../../runtime/search/compile.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/runtime/program/interpreter.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

const registry& reg() { return registry::embedded(); }

// One point: two times, a plain number, a size and a word.
struct point {
  double x, y;  // s
  double n;
  double b;  // B
  std::string p;
};

const std::vector<std::string> axis_names = {"x", "y", "n", "b", "p"};

std::vector<value> values_of(const point& pt) {
  auto time = lang::dim::of(lang::base_dim::time);
  auto data = lang::dim::of(lang::base_dim::data);
  return {value{quantity{pt.x, time}}, value{quantity{pt.y, time}}, value{quantity{pt.n, {}}},
          value{quantity{pt.b, data}}, value{symbol{pt.p}}};
}

// What an expression came to: an error, or a number (booleans as 0 and 1).
struct answer {
  bool error = false;
  double number = 0;
};

lang::expr_ptr parse(const lang::source_ptr& source, const std::string& text) {
  lang::expr_ptr e;
  lang::diagnostics diags;
  INFO(text);
  REQUIRE(lang::parse_expression(source, e, diags).ok);
  return e;
}

// `print EXPR` with `d` the point as a record.
answer through_evaluator(const std::string& text, const point& pt) {
  auto fields = std::make_shared<record>();
  fields->kind = "record";
  auto values = values_of(pt);
  for (std::size_t i = 0; i < axis_names.size(); ++i) fields->fields.push_back(field{axis_names[i], values[i], {}, {}});
  interpreter interp(reg());
  interp.define("d", value{record_ptr(fields)});
  auto source = std::make_shared<const lang::source_file>("<print>", text);
  auto e = parse(source, text);
  lang::diagnostics diags;
  auto v = interp.evaluate(*e, source, diags);
  if (!v) {
    REQUIRE(diags.has_errors());
    return {true, 0};
  }
  if (const auto* b = std::get_if<bool>(&v->v.v)) return {false, *b ? 1.0 : 0.0};
  const auto* q = v->v.as_quantity();
  INFO(text);
  REQUIRE(q);
  return {false, q->si};
}

// The same text compiled as the search compiles a requirement or an
// objective, the point's values in slots as design_point puts them there.
struct plan_answers {
  answer number;   // compiler::number (an objective, a `where`)
  bool met = false;  // compiler::requirement
  double slack = 0;
};

plan_answers through_plan(const std::string& text, const point& pt) {
  auto source = std::make_shared<const lang::source_file>("<require>", text);
  auto e = parse(source, text);
  search::compiler::scope globals;
  search::compiler comp(reg(), globals, source, "d", axis_names, {});
  auto values = values_of(pt);
  std::vector<double> slots;
  std::vector<const value*> axis_values;
  for (const auto& v : values) {
    slots.push_back(v.as_quantity() ? comp.to_number(v) : comp.intern(v));
    axis_values.push_back(&v);
  }
  value result{record_ptr(std::make_shared<record>())};
  lang::diagnostics scratch;
  auto number = comp.number(*e);
  auto requirement = comp.requirement(*e);
  search::frame f{slots.data(), axis_values.data(), &result, &scratch};
  plan_answers out;
  double x = number(f);
  out.number = std::isnan(x) ? answer{true, 0} : answer{false, x};
  requirement(f, out.slack, out.met);
  return out;
}

const std::vector<point> points = {
    {0.3, 0.5, 3, 1073741824, "fp16"},      // ordinary
    {0.5, 0.5, -2, 1e9, "fp8"},             // equal times; 1 GB
    {0.5, 0.504, 0, 1.07e9, "int4"},        // within 1 % (`~`); 1.07 GB ~ 1 GiB
    {0, 0, 0.5, 0, "fp16"},                 // 0 / 0, 0 ^ -1, a fractional power of a time
    {-2e10, 1e300, -8, 2e9, "fp8"},         // overflow; (-8) ^ 0.5
    {1e-200, 1e-200, 2000, 1, "int4"},      // underflow; 2 ^ 2000; a power beyond 16
};

// Every operator, unit conversions and comparisons across units of one dimension.
const std::vector<std::string> expressions = {
    // arithmetic
    "d.x + d.y", "d.x - d.y", "d.x * d.y", "d.x / d.y", "d.n / d.n", "d.y / d.x", "d.x ^ 2", "d.x ^ -1", "d.x ^ 0",
    "d.n ^ 0.5", "2 ^ d.n", "d.x ^ d.n", "d.n ^ d.n", "-d.x", "+d.x", "-(d.x * d.y)", "d.x * 1e-300 * 1e-300",
    // units
    "d.x + 250 ms", "d.b - 1 GiB", "d.b / 1 GB", "(d.x in ms) * 2", "d.b / d.x in GB/s", "d.x * 1 GB/s",
    // comparisons
    "d.x < d.y", "d.x <= d.y", "d.x > d.y", "d.x >= d.y", "d.x == d.y", "d.x != d.y", "d.x ~ d.y", "d.y ~ d.x",
    "-d.x ~ -d.y", "d.b ~ 1 GiB", "d.b >= 1 GiB", "d.b < 1 GB", "d.b == 1000 MB", "(d.x in ms) > 400 ms",
    "d.x <= 300 ms", "d.x * d.y > 0 s^2", "d.n ~ 0",
    // words and booleans
    "d.p == fp16", "d.p != fp16", "d.p == int4", "(d.x < d.y) == (d.n > 0)", "(d.x < d.y) != true",
    // logic, and errors through it
    "d.x < d.y and d.n > 0", "d.x < d.y or d.n > 0", "not (d.x < d.y)", "not (d.x / d.y > 1)",
    "d.x / d.y > 1 or true", "false and d.x * d.y > 0 s^2", "not (d.n ^ 0.5 > 1) or d.x >= 0 s",
};

// `text` at point `at` through both paths, which must agree; the evaluator's answer.
answer both_paths(const std::string& text, std::size_t at) {
  auto ev = through_evaluator(text, points[at]);
  auto plan = through_plan(text, points[at]);
  INFO(text << " at point " << at);
  REQUIRE(ev.error == plan.number.error);
  if (!ev.error) REQUIRE(ev.number == plan.number.number);
  return ev;
}

// Every text at every point through both paths: the same number or the
// same refusal, and a requirement met exactly when the evaluator says true.
struct tally {
  std::size_t errors = 0, trues = 0, falses = 0, values = 0;
};
tally agree_everywhere(const std::vector<std::string>& texts) {
  tally out;
  for (const auto& text : texts) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      INFO(text << " at point " << i);
      auto ev = through_evaluator(text, points[i]);
      auto plan = through_plan(text, points[i]);
      CHECK(plan.number.error == ev.error);
      if (!ev.error && !plan.number.error) CHECK(plan.number.number == ev.number);
      bool truth = !ev.error && ev.number == 1;
      if (!ev.error && (ev.number == 0 || ev.number == 1)) CHECK(plan.met == truth);
      if (ev.error) {
        CHECK_FALSE(plan.met);
        CHECK(std::isnan(plan.slack));
        ++out.errors;
        continue;
      }
      ++out.values;
      if (ev.number == 1) ++out.trues;
      else if (ev.number == 0) ++out.falses;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every operator answers the same in a print and in a compiled requirement or objective",
          "[operators]") {
  auto seen = agree_everywhere(expressions);
  // The points reach the edges and both answers of the comparisons.
  CHECK(seen.errors >= 25);
  CHECK(seen.trues >= 60);
  CHECK(seen.falses >= 60);
}

TEST_CASE("the answers at the edges, worked by hand", "[operators]") {
  const auto& both = both_paths;
  // `~`: within 1 % of the larger magnitude.
  CHECK(both("d.x ~ d.y", 2).number == 1);   // 0.5 s and 0.504 s
  CHECK(both("d.x ~ d.y", 0).number == 0);   // 0.3 s and 0.5 s
  CHECK(both("d.b ~ 1 GiB", 2).number == 1);  // 1.07 GB and 1.0737 GB
  CHECK(both("d.b ~ 1 GiB", 1).number == 0);  // 1 GB is 6.9 % short
  // Units of one dimension compare by magnitude.
  CHECK(both("d.b >= 1 GiB", 0).number == 1);
  CHECK(both("d.b >= 1 GiB", 1).number == 0);
  CHECK(both("d.b == 1000 MB", 1).number == 1);
  CHECK(both("(d.x in ms) > 400 ms", 1).number == 1);
  CHECK(both("(d.x in ms) > 400 ms", 0).number == 0);
  CHECK(both("d.x + 250 ms", 0).number == Approx(0.55));
  CHECK(both("d.b / d.x in GB/s", 0).number == Approx(1073741824 / 0.3));
  // Errors: division by zero (0 / 0 included), overflow, underflow, NaN, a
  // fractional or too large power of a time. The plan used to give -inf, 1 or
  // a number for several of these.
  CHECK(both("d.x / d.y", 3).error);
  CHECK(both("d.x ^ -1", 3).error);
  CHECK(both("d.x * d.y", 4).error);
  CHECK(both("d.x * d.y", 5).error);
  CHECK(both("d.n ^ 0.5", 4).error);
  CHECK(both("d.x ^ d.n", 3).error);
  CHECK(both("d.x ^ d.n", 5).error);
  CHECK(both("2 ^ d.n", 5).error);
  CHECK(both("not (d.x / d.y > 1)", 3).error);
  CHECK(both("d.x / d.y > 1 or true", 3).error);
  // ... and the same forms where they are fine.
  CHECK(both("d.x ^ d.n", 0).number == Approx(0.027));
  CHECK(both("d.n ^ 0.5", 3).number == Approx(std::sqrt(0.5)));
  CHECK(both("d.x * 1e-300 * 1e-300", 3).number == 0);  // 0 from a zero factor is exact
  CHECK(both("d.x * 1e-300 * 1e-300", 0).error);       // 0 from non-zero factors is an underflow
}

TEST_CASE("operators.hpp: the numeric and dimension rules", "[operators]") {
  using op = lang::binary_op;
  using operators::outcome;
  CHECK(operators::arithmetic(op::divide, 1, 0).what == outcome::division_by_zero);
  CHECK(operators::arithmetic(op::divide, 0, 0).what == outcome::division_by_zero);
  CHECK(operators::arithmetic(op::power, 0, -1).what == outcome::division_by_zero);
  CHECK(operators::arithmetic(op::power, 0, 0).value == 1);
  CHECK(operators::arithmetic(op::multiply, 1e300, 1e300).what == outcome::overflow);
  CHECK(operators::arithmetic(op::add, std::numeric_limits<double>::infinity(), 1).what == outcome::overflow);
  CHECK(operators::arithmetic(op::multiply, 1e-200, 1e-200).what == outcome::underflow);
  CHECK(operators::arithmetic(op::power, -8, 0.5).what == outcome::not_a_number);
  CHECK(operators::arithmetic(op::subtract, 3, 5).value == -2);
  CHECK(operators::compare(op::approx, 100, 101));
  CHECK_FALSE(operators::compare(op::approx, 100, 101.5));
  CHECK(operators::compare(op::approx, -100, -99));
  CHECK_FALSE(operators::compare(op::approx, 1, -1));
  CHECK(operators::compare(op::approx, 0, 0));
  CHECK(operators::logical(op::logical_or, false, true));
  CHECK_FALSE(operators::logical(op::logical_and, false, true));

  auto time = lang::dim::of(lang::base_dim::time);
  auto data = lang::dim::of(lang::base_dim::data);
  CHECK(operators::result_dim(op::add, time, time) == time);
  CHECK_FALSE(operators::result_dim(op::add, time, data));
  CHECK_FALSE(operators::result_dim(op::less, time, data));
  CHECK(operators::result_dim(op::approx, data, data) == lang::dim{});
  CHECK(operators::result_dim(op::divide, data, time) == data / time);
  CHECK(operators::result_dim(op::power, time, {}, 2) == time * time);
  CHECK_FALSE(operators::result_dim(op::power, time, {}, 0.5));
  CHECK_FALSE(operators::result_dim(op::power, time, {}, 17));
  CHECK(operators::result_dim(op::power, lang::dim{}, {}, 0.5) == lang::dim{});
  CHECK_FALSE(operators::result_dim(op::power, lang::dim{}, time, 1));
  CHECK_FALSE(operators::result_dim(op::logical_and, {}, {}));
}

namespace {

const std::vector<int> batches = {1, 2, 4, 8};

std::string design_text(const std::string& statement) {
  return "design d = decode(Llama3_8B, H100_SXM) over {\n  batch in [1, 2, 4, 8]\n}\n" + statement +
         "\nreport d feasible\n  show batch\n";
}

// The batches of the rows a design's report shows, in order, and its counts.
struct report_rows {
  std::vector<int> batches;
  int feasible = -1;
  int rejected = -1;
};

report_rows rows_of(const std::string& shown) {
  report_rows out;
  std::smatch m;
  if (std::regex_search(shown, m, std::regex(R"((\d+) rejected by decode, \d+ evaluated, (\d+) feasible)"))) {
    out.rejected = std::stoi(m[1]);
    out.feasible = std::stoi(m[2]);
  }
  std::istringstream lines(shown);
  std::string line;
  std::regex row(R"(^\s+\d+\s+(\d+)\s*$)");
  while (std::getline(lines, line))
    if (std::regex_match(line, m, row)) out.batches.push_back(std::stoi(m[1]));
  return out;
}

// The expression through the evaluator at one batch, `d` a record of the
// batch and the solver's itl there.
answer at_batch(const std::string& text, int batch) {
  interpreter interp(reg());
  auto setup = std::make_shared<const lang::source_file>(
      "<let>", "let d = { batch = " + std::to_string(batch) +
                   ", itl = decode(Llama3_8B, H100_SXM, batch = " + std::to_string(batch) + ").itl }\n");
  lang::program program;
  lang::diagnostics diags;
  REQUIRE(lang::parse_program(setup, program, diags).ok);
  std::ostringstream out;
  REQUIRE(interp.run(program, out, diags));
  auto source = std::make_shared<const lang::source_file>("<print>", text);
  auto e = parse(source, text);
  auto v = interp.evaluate(*e, source, diags);
  if (!v) return {true, 0};
  if (const auto* b = std::get_if<bool>(&v->v.v)) return {false, *b ? 1.0 : 0.0};
  REQUIRE(v->v.as_quantity());
  return {false, v->v.as_quantity()->si};
}

}  // namespace

TEST_CASE("a design's requirements admit exactly the points where a print says true", "[operators]") {
  // Each with the feasible batches worked by hand.
  const std::vector<std::pair<std::string, std::vector<int>>> cases = {
      {"d.batch * 1 GB >= 2 GiB", {4, 8}},
      {"d.batch * 1 GiB ~ 4.3 GB", {4}},
      {"d.batch * 1 GiB == 4 GiB", {4}},
      {"d.batch * 1 GiB != 4 GiB", {1, 2, 8}},
      {"(d.batch - 2) ^ 2 <= 1", {1, 2}},
      {"d.batch ^ -1 > 0.2", {1, 2, 4}},
      {"not (d.batch == 4) and d.batch != 8", {1, 2}},
      {"d.batch < 2 or d.batch > 4", {1, 8}},
      {"(d.itl in us) < 1 s", {1, 2, 4, 8}},
      {"d.itl * d.batch >= d.itl", {1, 2, 4, 8}},
      // Errors at some points: the requirement is not met there.
      {"d.batch / (d.batch - 2) < 10", {1, 4, 8}},
      {"not (d.batch / (d.batch - 2) > 10)", {1, 4, 8}},
      {"d.batch / (d.batch - 2) > 10 or d.batch == 2", {}},
      {"d.batch * 5e307 > 1", {1, 2}},
      {"2 ^ (d.batch * 300) > 1", {1, 2}},
  };
  for (const auto& [text, expected] : cases) {
    INFO("require " << text);
    std::vector<int> by_print;
    for (int b : batches) {
      auto a = at_batch(text, b);
      if (!a.error && a.number == 1) by_print.push_back(b);
    }
    CHECK(by_print == expected);
    auto o = testing::run_in(reg(), design_text("require " + text));
    auto shown = testing::shown_ok(o, text);
    auto rows = rows_of(shown);
    INFO(shown);
    CHECK(rows.feasible == static_cast<int>(expected.size()));
    CHECK(rows.batches == expected);
  }
}

TEST_CASE("a design's objectives rank the points as a print orders them", "[operators]") {
  struct objective_case {
    std::string statement;
    std::vector<int> expected;  // the rows' order, worked by hand
  };
  const std::vector<objective_case> cases = {
      {"minimize (d.batch - 3) ^ 2", {2, 4, 1, 8}},
      {"minimize 1 / (d.batch - 2)", {1, 8, 4}},  // batch 2 is refused: 1 / 0
      {"minimize d.batch * 5e307", {1, 2}},      // batches 4 and 8 overflow
      {"maximize d.batch * 1 GB - 1 GiB", {8, 4, 2, 1}},
      {"minimize -(d.batch * 1 GB) in GiB", {8, 4, 2, 1}},
      {"minimize d.itl * d.batch ^ 2", {1, 2, 4, 8}},
  };
  for (const auto& c : cases) {
    INFO(c.statement);
    bool maximize = c.statement.rfind("maximize", 0) == 0;
    auto text = c.statement.substr(9);
    std::vector<std::pair<double, int>> by_print;
    int refused = 0;
    for (int b : batches) {
      auto a = at_batch(text, b);
      if (a.error) ++refused;
      else by_print.emplace_back(maximize ? -a.number : a.number, b);
    }
    std::stable_sort(by_print.begin(), by_print.end(),
                     [](const auto& l, const auto& r) { return l.first < r.first; });
    std::vector<int> order;
    for (const auto& [v, b] : by_print) order.push_back(b);
    CHECK(order == c.expected);
    auto o = testing::run_in(reg(), design_text(c.statement));
    auto shown = testing::shown_ok(o, c.statement);
    auto rows = rows_of(shown);
    INFO(shown);
    CHECK(rows.rejected == refused);
    CHECK(rows.batches == c.expected);
  }
}

// The math builtins (runtime/interp/math_functions.hpp) through the same two
// paths: `require ceil(x) <= 8` means what `print ceil(x)` means.
TEST_CASE("every math function answers the same in a print and in a compiled requirement or objective",
          "[operators][math]") {
  const std::vector<std::string> math = {
      "min(d.x, d.y)", "max([d.x, d.y, 250 ms])", "sum([d.x, d.y])", "mean([d.x, d.y])", "min(d.n, 1)",
      "ceil(d.n)", "floor(d.n)", "round(d.n)", "ceil(d.x in ms)", "floor(d.x in ms)", "round(d.b in GB)",
      "abs(d.n)", "abs(-d.x)", "sqrt(d.n)", "sqrt(d.x * d.y)", "log(d.n)", "log2(d.n)", "exp(d.n)",
      "ceil(d.n / 2) <= 1", "sqrt(d.x * d.x) == abs(d.x)", "log(d.x / d.y) < 0", "max(d.x, d.y) >= 400 ms",
      "sum([d.x, d.y]) / 2 ~ mean([d.x, d.y])", "ceil(d.b / 1 GB) >= 2"};
  auto seen = agree_everywhere(math);
  // sqrt and log of negatives and 0, exp(2000), an overflowing product: both paths refuse them.
  CHECK(seen.errors >= 10);
  CHECK(seen.values >= 100);
}

TEST_CASE("math functions worked by hand", "[operators][math]") {
  const auto& both = both_paths;
  CHECK(both("min(d.x, d.y)", 0).number == 0.3);
  CHECK(both("max([d.x, d.y, 250 ms])", 0).number == 0.5);
  CHECK(both("sum([d.x, d.y])", 0).number == Approx(0.8));
  CHECK(both("mean([d.x, d.y])", 0).number == Approx(0.4));
  // Rounding: of a plain number, halves away from zero; of a quantity, in the unit written.
  CHECK(both("ceil(d.n)", 3).number == 1);     // 0.5
  CHECK(both("floor(d.n)", 3).number == 0);
  CHECK(both("round(d.n)", 3).number == 1);
  CHECK(both("round(d.n)", 1).number == -2);
  CHECK(both("floor(d.x in ms)", 0).number == Approx(0.3));  // 0.3 s is 300 ms, not 299
  CHECK(both("round(d.b in GB)", 0).number == 1e9);          // 1 GiB = 1.07 GB
  CHECK(both("ceil(d.b / 1 GB) >= 2", 0).number == 1);
  CHECK(both("ceil(d.n / 2) <= 1", 0).number == 0);  // ceil(1.5) = 2
  CHECK(both("sqrt(d.x * d.y)", 0).number == Approx(std::sqrt(0.15)));
  CHECK(both("log2(d.n)", 5).number == Approx(std::log2(2000)));
  CHECK(both("exp(d.n)", 2).number == 1);
  // The refusals.
  CHECK(both("sqrt(d.n)", 1).error);   // sqrt(-2)
  CHECK(both("log(d.n)", 2).error);    // log(0)
  CHECK(both("log2(d.n)", 4).error);   // log2(-8)
  CHECK(both("exp(d.n)", 5).error);    // exp(2000) overflows
}

TEST_CASE("math functions' unit rules, one definition", "[math]") {
  using math::function;
  auto time = lang::dim::of(lang::base_dim::time);
  auto data = lang::dim::of(lang::base_dim::data);
  // One dimension for min, max, sum, mean; the culprit is the odd one out.
  CHECK(math::result_dim(function::max, {time, time}, false).d == time);
  auto mixed = math::result_dim(function::sum, {time, time, data}, false);
  CHECK_FALSE(mixed.d);
  CHECK(mixed.culprit == 2);
  // Rounding a quantity needs its unit; a plain number does not.
  CHECK_FALSE(math::result_dim(function::ceil, {data}, false).d);
  CHECK(math::result_dim(function::ceil, {data}, true).d == data);
  CHECK(math::result_dim(function::round, {lang::dim{}}, false).d == lang::dim{});
  // sqrt halves exponents and refuses odd ones.
  CHECK(math::result_dim(function::sqrt, {time.pow(2) * data.pow(-4)}, false).d == time / data.pow(2));
  CHECK_FALSE(math::result_dim(function::sqrt, {data}, false).d);
  // log, log2, exp: plain numbers only.
  CHECK_FALSE(math::result_dim(function::log, {data}, false).d);
  CHECK(math::result_dim(function::exp, {lang::dim{}}, false).d == lang::dim{});
  // Numbers: empty, domain, overflow, underflow, NaN.
  CHECK(math::apply(function::sum, {}).what == math::outcome::empty);
  const std::vector<double> minus_one = {-1}, zero = {0}, big = {1000}, small = {-1000};
  CHECK(math::apply(function::sqrt, minus_one).what == math::outcome::outside_domain);
  CHECK(math::apply(function::log, zero).what == math::outcome::outside_domain);
  CHECK(math::apply(function::exp, big).what == math::outcome::overflow);
  CHECK(math::apply(function::exp, small).what == math::outcome::underflow);
  const std::vector<double> with_nan = {1, std::nan("")};
  CHECK(math::apply(function::max, with_nan).what == math::outcome::not_a_number);
  const std::vector<double> huge = {1e308, 1e308};
  CHECK(math::apply(function::sum, huge).what == math::outcome::overflow);
  CHECK(math::apply(function::mean, huge).value == 1e308);  // no overflow on the way
  const std::vector<double> bytes = {1.5e9};
  CHECK(math::apply(function::ceil, bytes, 1e9).value == 2e9);  // ceil(1.5 GB in GB)
}
