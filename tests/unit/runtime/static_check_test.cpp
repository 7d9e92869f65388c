// The static front end (lang/check.hpp, filled by runtime's check_environment):
// types without evaluating, every option of a choose, every axis value.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "harness.hpp"
#include "ironlaw/lang/check.hpp"
#include "ironlaw/runtime/interp/check_environment.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

struct checked {
  lang::diagnostics diags;
  lang::typed_program typed;
  std::shared_ptr<lang::program> program;
};

checked static_only(const std::string& text) {
  checked c;
  auto source = std::make_shared<const lang::source_file>("<test>", text);
  c.program = std::make_shared<lang::program>();
  REQUIRE(lang::parse_program(source, *c.program, c.diags).ok);
  interpreter interp(registry::embedded());
  c.typed = interp.check_static(*c.program, c.diags);
  return c;
}

std::vector<std::string> codes(const lang::diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d.items()) out.push_back(x.code);
  return out;
}

}  // namespace

TEST_CASE("the static check calls no solver: a value error only evaluation sees is not reported") {
  // context beyond Llama3_8B's 8192 tokens: E0301 when decode runs (golden
  // check/context_too_long), invisible to types.
  const std::string text = "let r = decode(Llama3_8B, H100_SXM, context = 1000000 tokens)\nprint r.itl\n";
  auto c = static_only(text);
  CHECK(codes(c.diags).empty());
  const auto& let = std::get<lang::let_stmt>(c.program->statements[0].node);
  auto t = c.typed.type_of(*let.value);
  REQUIRE(t);
  CHECK(lang::describe(*t) == "a decode result");
  // The evaluating check does call decode, and reports it.
  auto run = testing::run_in(registry::embedded(), text);
  CHECK(run.diags.has_errors());
}

TEST_CASE("the static check does not search: a 4-million-point design is typed at once") {
  auto start = std::chrono::steady_clock::now();
  auto c = static_only(
      "design d = decode(Llama3_8B, H100_SXM) over {\n  batch in 1 .. 1000000\n  context in [128 tokens, 256 tokens, "
      "512 tokens, 1024 tokens]\n}\nrequire d.itl <= 50 ms\nminimize d.itl\nreport d top 3 show batch, itl\n");
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(codes(c.diags).empty());
  CHECK(elapsed < 1.0);  // a search of 4M points takes about ten seconds; the range is never made
}

TEST_CASE("every option of a choose is checked, and options must be alike") {
  auto c = static_only("let n = choose([1 GB, 2 GB, 3 s])\n");
  CHECK(codes(c.diags) == std::vector<std::string>{"E0213"});
  auto d = static_only("let t = choose([1 ms, 2 GB]) + 1 ms\n");
  CHECK(!codes(d.diags).empty());
  auto ok = static_only("let t = choose([1 ms, 2 ms]) + 1 ms\nprint t in s\n");
  CHECK(codes(ok.diags).empty());
}

TEST_CASE("design axes, requirements and objectives are typed statically") {
  auto c = static_only(
      "design d = decode(Llama3_8B, H100_SXM) over {\n  batch in [1, 2 GB]\n  precision in [fp16, fp77]\n}\n"
      "require d.itl <= 5 GB\nminimize d.bottleneck\nreport d show itll\n");
  auto got = codes(c.diags);
  auto has = [&](const std::string& code) { return std::count(got.begin(), got.end(), code); };
  CHECK(has("E0604") == 1);  // batch mixes a number and data
  CHECK(has("E0301") >= 2);  // 2 GB is no batch; fp77 is no precision
  CHECK(has("E0202") == 1);  // time compared with data
  CHECK(has("E0608") == 1);  // a word cannot be minimized
  CHECK(has("E0401") == 1);  // no field itll to show
}

TEST_CASE("unit errors are found in statements evaluation never reaches") {
  // The second statement follows a failing one: evaluation poisons `x`, the
  // static check still reads `y`.
  auto c = static_only("let x = 1 GB + 1 s\nlet y = 2 ms < 3 GB\n");
  auto got = codes(c.diags);
  CHECK(got == std::vector<std::string>{"E0201", "E0202"});
}

TEST_CASE("a cancel token stops the static check between statements; what it checked stays typed") {
  // Asked once per statement: it says yes from the third question on.
  struct after_two : lang::cancel_token {
    mutable int asked = 0;
    bool requested() const override { return ++asked > 2; }
  } cancel;
  const std::string text = "let a = 1 ms\nlet b = 2 ms\nlet c = 1 ms + 1 kg\n";
  auto source = std::make_shared<const lang::source_file>("<test>", text);
  lang::program program;
  lang::diagnostics diags;
  REQUIRE(lang::parse_program(source, program, diags).ok);
  check_environment env(registry::embedded());
  auto typed = lang::check(program, env, diags, {}, &cancel);
  CHECK(typed.cancelled);
  CHECK(cancel.asked == 3);
  CHECK(typed.globals.count("a") == 1);
  CHECK(typed.globals.count("b") == 1);
  CHECK(typed.globals.count("c") == 0);
  CHECK(codes(diags).empty());  // the unit error of the third statement was never reached

  lang::diagnostics whole;
  auto complete = lang::check(program, env, whole);
  CHECK_FALSE(complete.cancelled);
  CHECK(codes(whole) == std::vector<std::string>{"E0201"});
}
