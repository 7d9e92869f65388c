// A long range of whole numbers as a design axis is kept as its first value,
// step and count (interp/axis_domain.hpp): every value must be the one the
// evaluator's list holds, and its errors and limits the list's.
#include <catch2/catch.hpp>

#include <string>

#include "../../../runtime/interp/evaluator.hpp"
#include "ironlaw/lang/parse.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;
using runtime::detail::evaluator;

namespace {

struct evaluated_both {
  std::optional<axis_domain> lazy;
  std::optional<evaluated> listed;
  std::string lazy_errors, listed_errors;
};

std::string messages(const lang::diagnostics& d) {
  std::string text;
  for (const auto& item : d.items()) text += item.code + " " + item.message + "\n";
  return text;
}

evaluated_both both(const std::string& text) {
  auto source = std::make_shared<const lang::source_file>("<axis>", text);
  lang::expr_ptr e;
  lang::diagnostics parse_diags;
  REQUIRE(lang::parse_expression(source, e, parse_diags).ok);
  evaluator::scope globals;
  evaluated_both out;
  lang::diagnostics a, b;
  value not_list;
  out.lazy = evaluator(registry::embedded(), globals, source, a).eval_axis(*e, not_list);
  out.listed = evaluator(registry::embedded(), globals, source, b).eval(*e);
  out.lazy_errors = messages(a);
  out.listed_errors = messages(b);
  return out;
}

}  // namespace

TEST_CASE("a long whole-number range axis holds the evaluator's values without materializing them", "[axis]") {
  for (std::string text : {"1 .. 100000", "-5000 .. 5000", "64 tokens .. 819200 tokens by 64 tokens",
                           "3 .. 1000000 by 7", "0 s .. 9999 s by 1 s", "1 .. 4096", "1 .. 4097",
                           "0.5 .. 10000.5", "1 .. 10000 by 0.5", "1 .. 1000000"}) {
    INFO(text);
    auto r = both(text);
    REQUIRE(r.lazy);
    REQUIRE(r.listed);
    const auto& items = *std::get<list_ptr>(r.listed->v.v);
    REQUIRE(r.lazy->size() == items.size());
    // Only a range of more than lazy_range_items whole numbers is kept as its parts.
    bool whole = text.find("0.5") == std::string::npos;
    CHECK(r.lazy->is_range() == (whole && items.size() > evaluator::lazy_range_items));
    for (std::size_t k = 0; k < items.size(); ++k) {
      auto v = r.lazy->at(k);
      const auto* q = v.as_quantity();
      const auto* want = items[k].as_quantity();
      REQUIRE(q);
      if (q->si != want->si || q->d != want->d) FAIL("value " << k << ": " << q->si << " against " << want->si);
    }
  }
}

TEST_CASE("a range axis refuses what the evaluator refuses, with its words", "[axis]") {
  for (std::string text : {"1 .. 2000000", "1 s .. 100000 s", "10 .. 1", "1 .. 100000 by 0", "1 .. 100000 by -1"}) {
    INFO(text);
    auto r = both(text);
    CHECK(r.lazy_errors == r.listed_errors);
    CHECK(r.lazy.has_value() == r.listed.has_value());
    if (r.lazy) CHECK(r.lazy->size() == std::get<list_ptr>(r.listed->v.v)->size());
  }
}

TEST_CASE("range axes count toward the statement's limit as the lists would", "[axis]") {
  // Five ranges of 1,000,000 values in one statement: the fifth passes the
  // 4,000,000 a statement may make, lazily or not.
  auto source = std::make_shared<const lang::source_file>("<axes>", "1 .. 1000000");
  lang::expr_ptr e;
  lang::diagnostics parse_diags;
  REQUIRE(lang::parse_expression(source, e, parse_diags).ok);
  evaluator::scope globals;
  lang::diagnostics a, b;
  evaluator lazy(registry::embedded(), globals, source, a), listed(registry::embedded(), globals, source, b);
  for (int i = 0; i < 4; ++i) {
    value not_list;
    REQUIRE(lazy.eval_axis(*e, not_list));
    REQUIRE(listed.eval(*e));
  }
  value not_list;
  CHECK_FALSE(lazy.eval_axis(*e, not_list));
  CHECK_FALSE(listed.eval(*e));
  CHECK(messages(a) == messages(b));
  CHECK(messages(a).find("E0208 the ranges of this statement have more than 4000000 values together") != std::string::npos);
}
