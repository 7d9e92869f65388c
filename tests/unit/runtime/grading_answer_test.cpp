// Answer checking: units, tolerances, significant figures, words, sets.
#include <catch2/catch.hpp>

#include "../../../runtime/app/grading/answer_check.hpp"
#include "ironlaw/runtime/interp/units.hpp"

using namespace ironlaw::runtime;
using namespace ironlaw::runtime::grading;

namespace {

const unit_table& units() { return unit_table::builtin(); }

quantity q(double v, std::string_view unit) {
  auto parsed = units().parse(unit);
  const auto& u = std::get<unit_value>(parsed);
  return quantity{v * u.factor, u.d};
}

question_instance number_question(quantity answer) {
  question_instance out;
  out.name.push_back('q');  // not = "q": GCC 12 -Wrestrict false positive at -O2
  out.kind = answer_kind::number;
  out.answer = value{answer};
  return out;
}

double credit(const question_instance& question, const value& submitted) {
  return check_answer(question, submitted, units(), false).credit;
}

list_ptr words(std::initializer_list<const char*> names) {
  auto l = std::make_shared<list>();
  for (const char* n : names) l->push_back(value{symbol{n}});
  return l;
}

}  // namespace

TEST_CASE("grading: a quantity in any compatible unit", "[grading]") {
  auto question = number_question(q(400, "GB/s"));
  question.tolerance.relative = 0.01;
  CHECK(credit(question, value{q(0.4, "TB/s")}) == 1);
  CHECK(credit(question, value{q(3.2, "Tb/s")}) == 1);  // bits
  CHECK(credit(question, value{q(3200, "GB/s")}) == 0);
  CHECK(credit(question, value{q(405, "GB/s")}) == 0);   // 1.25 % off
  CHECK(credit(question, value{q(403, "GB/s")}) == 1);   // 0.75 % off
}

TEST_CASE("grading: a wrong dimension or a missing unit is feedback", "[grading]") {
  auto question = number_question(q(400, "GB/s"));
  auto wrong = check_answer(question, value{q(400, "GB")}, units(), false);
  CHECK(wrong.credit == 0);
  CHECK_FALSE(wrong.comparable);
  CHECK(wrong.message.find("bandwidth") != std::string::npos);
  auto bare = check_answer(question, value{quantity{400, {}}}, units(), false);
  CHECK(bare.credit == 0);
  CHECK(bare.message.find("no unit") != std::string::npos);
  CHECK(check_answer(question, value{symbol{"fast"}}, units(), false).credit == 0);
}

TEST_CASE("grading: a count may be answered as a plain number", "[grading]") {
  auto question = number_question(q(4096, "tokens"));
  CHECK(credit(question, value{quantity{4096, {}}}) == 1);
}

TEST_CASE("grading: absolute, relative and both tolerances", "[grading]") {
  auto question = number_question(q(551, "ms"));
  question.tolerance.absolute = q(2, "ms");
  CHECK(credit(question, value{q(0.5525, "s")}) == 1);
  CHECK(credit(question, value{q(0.554, "s")}) == 0);
  question.tolerance.relative = 0.005;  // both: 2 ms + 0.5 % = 4.76 ms
  CHECK(credit(question, value{q(0.555, "s")}) == 1);
  CHECK(credit(question, value{q(0.556, "s")}) == 0);
}

TEST_CASE("grading: no tolerance given means 1 %", "[grading]") {
  auto question = number_question(quantity{109, {}});
  CHECK(credit(question, value{quantity{110, {}}}) == 1);
  CHECK(credit(question, value{quantity{111, {}}}) == 0);
}

TEST_CASE("grading: significant figures", "[grading]") {
  auto question = number_question(q(3.14e23, "FLOP"));
  question.tolerance.sigfigs = 2;  // 3.1e23: within 0.05e23
  CHECK(credit(question, value{q(3.15e23, "FLOP")}) == 1);
  CHECK(credit(question, value{q(3.1e23, "FLOP")}) == 1);
  CHECK(credit(question, value{q(3.2e23, "FLOP")}) == 0);
  question.tolerance.sigfigs = 3;
  CHECK(credit(question, value{q(3.15e23, "FLOP")}) == 0);
  CHECK(credit(question, value{q(314e21, "FLOP")}) == 1);
}

TEST_CASE("grading: a slip by a power of 1000 gets a hint", "[grading]") {
  auto question = number_question(q(195, "t"));
  auto verdict = check_answer(question, value{q(195, "kg")}, units(), false);
  CHECK(verdict.credit == 0);
  CHECK(verdict.message.find("power of 1000") != std::string::npos);
}

TEST_CASE("grading: words ignore case and a -bound suffix", "[grading]") {
  question_instance question;
  question.kind = answer_kind::word;
  question.answer = value{symbol{"memory"}};
  CHECK(credit(question, value{symbol{"memory"}}) == 1);
  CHECK(credit(question, value{std::string("Memory-bound")}) == 1);
  CHECK(credit(question, value{symbol{"compute"}}) == 0);
  question.choices = {value{symbol{"compute"}}, value{symbol{"memory"}}};
  CHECK(check_answer(question, value{symbol{"fast"}}, units(), false).message.find("one of compute, memory") !=
        std::string::npos);
}

TEST_CASE("grading: select all that apply, with partial credit", "[grading]") {
  question_instance question;
  question.kind = answer_kind::set;
  question.answer = value{words({"A100_80GB", "L40S", "A10"})};
  CHECK(credit(question, value{words({"A10", "L40S", "A100_80GB"})}) == 1);
  CHECK(credit(question, value{words({"A10", "L40S"})}) == Approx(2.0 / 3));
  CHECK(credit(question, value{words({"A10", "L40S", "T4"})}) == Approx(1.0 / 3));
  CHECK(credit(question, value{words({"T4"})}) == 0);
  CHECK(credit(question, value{words({"A10", "A10"})}) == Approx(1.0 / 3));  // a repeat counts once
  CHECK(credit(question, value{symbol{"A10"}}) == Approx(1.0 / 3));           // one pick, not a list
}
