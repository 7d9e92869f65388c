// Grading end to end, in process: the quiz grades its own reference answers
// at full marks; its student copy scores zero; a hostile submission scores
// zero for what failed and the rest still counts.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "../../../runtime/app/grading/grader.hpp"
#include "../../../runtime/app/grading/render.hpp"
#include "grading_fixture.hpp"
#include "ironlaw/lang/parse.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;
using namespace ironlaw::runtime::grading;

namespace {

using grading_fixture::read;

bool load(const std::string& relative, assignment_file& file) {
  auto source = std::make_shared<const lang::source_file>(relative, read(relative));
  lang::diagnostics diags;
  return lang::parse_program(source, file.program, diags).ok && load_assignment(registry::embedded(), file, diags);
}

grade_report grade(variant_session& session, const std::string& text, const std::string& student) {
  auto source = std::make_shared<const lang::source_file>("submission.iron", text);
  return grade_submission(session, source, student, grading_limits{});
}

}  // namespace

TEST_CASE("grading: the quiz grades its own reference answers at full marks", "[grading]") {
  assignment_file file;
  REQUIRE(load("scenarios/assignments/quiz.iron", file));
  variant_session session(registry::embedded(), file, student_picks(file, "reference"));
  lang::diagnostics diags;
  REQUIRE(session.prepare(diags));
  auto r = grade(session, read("scenarios/assignments/quiz-answers.iron"), "reference");
  INFO(to_text(r));
  CHECK(r.max_score() == 21);
  CHECK(r.score() == r.max_score());
  CHECK(r.output.empty());
}

TEST_CASE("grading: the student copy parses, checks, and scores zero", "[grading]") {
  assignment_file file;
  REQUIRE(load("scenarios/assignments/quiz.iron", file));
  variant_session session(registry::embedded(), file, student_picks(file, "x"));
  lang::diagnostics diags;
  REQUIRE(session.prepare(diags));
  auto copy = student_copy(session, false);
  CHECK(copy.find("feedback") == std::string::npos);
  CHECK(copy.find("tolerance") == std::string::npos);
  CHECK(copy.find("0.551") == std::string::npos);
  auto source = std::make_shared<const lang::source_file>("copy.iron", copy);
  lang::program program;
  REQUIRE(lang::parse_program(source, program, diags).ok);
  interpreter interp(registry::embedded());
  CHECK(interp.check(program, diags));
  auto r = grade(session, copy, "x");
  CHECK(r.score() == 0);
  CHECK(r.tests[0].output.find("no answer") != std::string::npos);
}

TEST_CASE("grading: each misconception in the quiz gets its feedback", "[grading]") {
  assignment_file file;
  REQUIRE(load("scenarios/assignments/quiz.iron", file));
  variant_session session(registry::embedded(), file, {});
  lang::diagnostics diags;
  REQUIRE(session.prepare(diags));
  auto r = grade(session, "answers {\n a2 = 3.17\n a4 = 2 GiB\n a5 = 27\n a6 = 0.276 s\n a10 = 3.0 TB/s\n}\n", "x");
  auto output = [&](const std::string& name) {
    for (const auto& t : r.tests)
      if (t.name == name) return t.output;
    return std::string();
  };
  CHECK(output("a2").find("FLOP ratio") != std::string::npos);
  CHECK(output("a4").find("grouped-query attention") != std::string::npos);
  CHECK(output("a5").find("grouped-query attention") != std::string::npos);
  CHECK(output("a6").find("left out the 2") != std::string::npos);
  CHECK(output("a10").find("bits versus bytes") != std::string::npos);
  CHECK(r.score() == 0);
}

TEST_CASE("grading: an import is refused; the other answers still count", "[grading]") {
  assignment_file file;
  REQUIRE(load("tests/data/grading/hw.iron", file));
  variant_session session(registry::embedded(), file, student_picks(file, "dave"));
  lang::diagnostics diags;
  REQUIRE(session.prepare(diags));
  auto r = grade(session, "import \"/etc/passwd\"\nanswers {\n  q2 = memory\n}\n", "dave");
  CHECK(r.output.find("E0702") != std::string::npos);
  CHECK(r.score() == 1);
}
