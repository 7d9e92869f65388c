// `measured EXPR = VALUE`: parsed into its two expressions, printed back the
// same, dumped, and its malformed forms are syntax errors at the right place.
#include <catch2/catch.hpp>

#include "ironlaw/lang/dump.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"

using namespace ironlaw::lang;

namespace {

source_ptr src(std::string text) { return std::make_shared<const source_file>("m.iron", std::move(text)); }

}  // namespace

TEST_CASE("measured: the predicted expression and the measured value, with spans") {
  diagnostics diags;
  program p;
  std::string text = "measured decode(Llama3_8B, H100_SXM, batch = 8).itl = 6.1 ms\n";
  REQUIRE(parse_program(src(text), p, diags).ok);
  REQUIRE(p.statements.size() == 1);
  const auto& m = std::get<measured_stmt>(p.statements[0].node);
  CHECK(std::holds_alternative<field_expr>(m.predicted->node));
  CHECK(text.substr(m.predicted->where.begin, m.predicted->where.size()) == "decode(Llama3_8B, H100_SXM, batch = 8).itl");
  const auto& value = std::get<number_literal>(m.measured->node);
  CHECK(value.value == Approx(6.1));
  CHECK(value.unit == "ms");
  CHECK(text.substr(m.measured->where.begin, m.measured->where.size()) == "6.1 ms");
  CHECK(p.statements[0].where == span{0, static_cast<std::uint32_t>(text.size() - 1)});
}

TEST_CASE("measured: any expression on either side, and `==` is not the statement's '='") {
  diagnostics diags;
  program p;
  REQUIRE(parse_program(src("measured 1 / decode(M, H).itl in token/s = 150 token/s in token/s\n"), p, diags).ok);
  const auto& m = std::get<measured_stmt>(p.statements[0].node);
  CHECK(std::holds_alternative<convert_expr>(m.predicted->node));
  CHECK(std::holds_alternative<convert_expr>(m.measured->node));

  diagnostics bad;
  program q;
  CHECK_FALSE(parse_program(src("measured x == 3\n"), q, bad).ok);
  REQUIRE(bad.items().size() == 1);
  CHECK(bad.items()[0].message.find("expected '='") != std::string::npos);
}

TEST_CASE("measured: malformed statements are syntax errors where they go wrong") {
  struct bad_case {
    std::string text, expected;
    std::uint32_t at;
  };
  for (const auto& c : std::vector<bad_case>{
           {"measured decode(M, H).itl 6.1 ms\n", "expected '='", 26},
           {"measured decode(M, H).itl =\n", "expected the measured value", 27},
           {"measured = 6 ms\n", "expected what was measured", 9},
           {"measured\n", "expected what was measured", 8},
       }) {
    diagnostics diags;
    program p;
    INFO(c.text);
    CHECK_FALSE(parse_program(src(c.text), p, diags).ok);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].code == "E0001");
    CHECK(diags.items()[0].message.find(c.expected) != std::string::npos);
    CHECK(diags.items()[0].primary.begin == c.at);
  }
}

TEST_CASE("measured is a reserved word") {
  diagnostics diags;
  program p;
  CHECK_FALSE(parse_program(src("let measured = 3\n"), p, diags).ok);
}

TEST_CASE("measured: printed back as written, fmt round-trips, dump names it") {
  diagnostics diags;
  program p;
  std::string text = "measured   prefill(Llama3_8B,H100_SXM, prompt = 2048 tokens).ttft=140 ms  # a note\n";
  REQUIRE(parse_program(src(text), p, diags).ok);
  CHECK(to_source(p.statements[0]) == "measured prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).ttft = 140 ms");
  auto formatted = format_program(p);
  CHECK(formatted == "measured prefill(Llama3_8B, H100_SXM, prompt = 2048 tokens).ttft = 140 ms  # a note\n");
  program again;
  REQUIRE(parse_program(src(formatted), again, diags).ok);
  CHECK(format_program(again) == formatted);
  auto dump = dump_ast(p);
  CHECK(dump.find("measured") != std::string::npos);
  CHECK(dump.find("ttft") != std::string::npos);
}
