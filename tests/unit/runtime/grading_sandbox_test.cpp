// The sandbox: a job's result comes back; an endless job is stopped at the
// time limit, a huge allocation at the memory cap, a crash is reported; the
// caller carries on each time.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <vector>

#include "../../../runtime/app/grading/results.hpp"
#include "../../../runtime/app/grading/sandbox.hpp"

using namespace ironlaw::runtime::grading;

TEST_CASE("grading: a sandboxed job returns its output", "[grading]") {
  auto out = run_sandboxed([] { return std::string("graded\n\1 bytes"); }, {5, 256});
  CHECK(out.st == sandbox_outcome::state::finished);
  CHECK(out.output == "graded\n\1 bytes");
}

TEST_CASE("grading: an endless job is stopped at the time limit", "[grading]") {
  auto started = std::chrono::steady_clock::now();
  auto out = run_sandboxed(
      [] {
        volatile unsigned long spin = 0;
        for (;;) spin = spin + 1;
        return std::string();
      },
      {0.3, 256});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(out.st == sandbox_outcome::state::timed_out);
  CHECK(out.why.find("time limit") != std::string::npos);
  CHECK(seconds < 5);
}

TEST_CASE("grading: a job that allocates past the cap is stopped", "[grading]") {
  auto out = run_sandboxed(
      [] {
        std::vector<std::vector<char>> hog;
        for (int i = 0; i < 64; ++i) hog.emplace_back(std::size_t(64) << 20, 'x');  // 4 GiB
        return std::to_string(hog.size());
      },
      {10, 256});
  CHECK(out.st == sandbox_outcome::state::out_of_memory);
  CHECK(out.why.find("memory limit") != std::string::npos);
}

TEST_CASE("grading: a job that crashes is reported, not fatal", "[grading]") {
  auto out = run_sandboxed([]() -> std::string { std::abort(); }, {5, 256});
  CHECK(out.st == sandbox_outcome::state::crashed);
  CHECK(out.why.find("signal") != std::string::npos);
}

TEST_CASE("grading: a report survives the trip through the pipe", "[grading]") {
  grade_report r;
  r.title = "HW: \"quoted\"";
  r.student = "s1";
  r.variant = "ctx = 4096 token";
  r.output = "line one\nline two";
  r.seconds = 0.25;
  r.tests.push_back({"q1", 2.0 / 3, 2, "12:34 colons and\nnewlines", false});
  r.tests.push_back({"q2", 0, 1, "", true});
  grade_report back;
  REQUIRE(decode(encode(r), back));
  CHECK(back.title == r.title);
  CHECK(back.output == r.output);
  CHECK(back.seconds == r.seconds);
  REQUIRE(back.tests.size() == 2);
  CHECK(back.tests[0].score == r.tests[0].score);
  CHECK(back.tests[0].output == r.tests[0].output);
  CHECK(back.tests[1].hidden);
  CHECK_FALSE(decode(encode(r).substr(0, 20), back));
  CHECK_FALSE(decode("999999999999999:x", back));
}
