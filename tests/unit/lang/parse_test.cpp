#include <catch2/catch.hpp>

#include <algorithm>

#include "ironlaw/lang/dump.hpp"
#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"

using namespace ironlaw::lang;

namespace {

source_ptr src(std::string text) { return std::make_shared<const source_file>("t.iron", std::move(text)); }

expr_ptr parse_ok(const std::string& text) {
  diagnostics diags;
  expr_ptr e;
  auto s = parse_expression(src(text), e, diags);
  INFO(text);
  REQUIRE(s.ok);
  REQUIRE_FALSE(diags.has_errors());
  return e;
}

diagnostic parse_fails(const std::string& text, parse_status* status = nullptr) {
  diagnostics diags;
  expr_ptr e;
  auto s = parse_expression(src(text), e, diags);
  if (status) *status = s;
  INFO(text);
  REQUIRE_FALSE(s.ok);
  REQUIRE(diags.items().size() == 1);
  return diags.items().front();
}

}  // namespace

TEST_CASE("numbers carry their unit text and span") {
  auto e = parse_ok("3.35 TB/s");
  const auto& n = std::get<number_literal>(e->node);
  CHECK(n.value == Approx(3.35));
  CHECK(n.unit == "TB/s");
  CHECK(n.unit_span == span{5, 9});
  CHECK(e->where == span{0, 9});

  CHECK(std::get<number_literal>(parse_ok("1_000_000")->node).value == 1e6);
  CHECK(std::get<number_literal>(parse_ok("5e6 USD/yr")->node).unit == "USD/yr");
  CHECK(std::get<number_literal>(parse_ok("30 µs")->node).unit == "µs");
  CHECK(std::get<number_literal>(parse_ok("25 %")->node).unit == "%");
}

TEST_CASE("a unit is written without spaces - spaced slashes divide") {
  auto e = parse_ok("16 GB / 40 ms in GB/s");
  const auto& conv = std::get<convert_expr>(e->node);
  CHECK(conv.unit == "GB/s");
  const auto& div = std::get<binary_expr>(conv.value->node);
  CHECK(div.op == binary_op::divide);
  CHECK(std::get<number_literal>(div.lhs->node).unit == "GB");
  CHECK(std::get<number_literal>(div.rhs->node).unit == "ms");
  // `GB*2`: the unit stops where a unit word cannot start.
  auto m = parse_ok("4 GB*2");
  CHECK(std::get<binary_expr>(m->node).op == binary_op::multiply);
}

TEST_CASE("keywords are never units") {
  auto e = parse_ok("3 and true");
  CHECK(std::get<binary_expr>(e->node).op == binary_op::logical_and);
  auto c = parse_ok("5 in ms");
  CHECK(std::get<convert_expr>(c->node).unit == "ms");
}

TEST_CASE("operator precedence and associativity") {
  CHECK(to_source(*parse_ok("1 + 2 * 3")) == "1 + 2 * 3");
  CHECK(to_source(*parse_ok("(1 + 2) * 3")) == "(1 + 2) * 3");
  CHECK(to_source(*parse_ok("1 - (2 - 3)")) == "1 - (2 - 3)");
  CHECK(to_source(*parse_ok("1 - 2 - 3")) == "1 - 2 - 3");
  CHECK(to_source(*parse_ok("2 ^ 3 ^ 2")) == "2 ^ 3 ^ 2");
  CHECK(to_source(*parse_ok("(2 ^ 3) ^ 2")) == "(2 ^ 3) ^ 2");
  CHECK(to_source(*parse_ok("-2 ^ 2")) == "-2 ^ 2");
  CHECK(to_source(*parse_ok("not a < b and c or d")) == "not a < b and c or d");
  auto e = parse_ok("a or b and c");
  CHECK(std::get<binary_expr>(e->node).op == binary_op::logical_or);
}

TEST_CASE("calls take positional and named arguments - fields chain") {
  auto e = parse_ok("decode(Llama3_8B, H100_SXM, batch = 1, precision = fp16).itl_bound");
  const auto& f = std::get<field_expr>(e->node);
  CHECK(f.field == "itl_bound");
  const auto& call = std::get<call_expr>(f.object->node);
  REQUIRE(call.args.size() == 4);
  CHECK_FALSE(call.args[0].name.has_value());
  CHECK(call.args[2].name == "batch");
  CHECK(call.args[2].name_span == span{28, 33});
  CHECK(std::get<name_ref>(call.args[3].value->node).name == "fp16");
  // arguments may span lines and end with a comma
  auto multi = parse_ok("serve(Llama3_8B,\n  H100_SXM,\n  context = 4096 tokens,\n)");
  CHECK(std::get<call_expr>(multi->node).args.size() == 3);
}

TEST_CASE("lists, strings, booleans, comparisons") {
  CHECK(std::get<list_expr>(parse_ok("[8, 16, 32]")->node).items.size() == 3);
  CHECK(std::get<list_expr>(parse_ok("[]")->node).items.empty());
  CHECK(std::get<string_literal>(parse_ok(R"("a \"b\" \{c\}")")->node).value == "a \"b\" {c}");
  CHECK(std::get<bool_literal>(parse_ok("true")->node).value);
  CHECK(std::get<binary_expr>(parse_ok("x ~ y / 4")->node).op == binary_op::approx);
  CHECK(std::get<binary_expr>(parse_ok("fleet.itl <= 50 ms")->node).op == binary_op::less_equal);
}

TEST_CASE("printing then parsing gives the same tree") {
  for (const char* text : {"16 GB / 40 ms in GB/s", "decode(Llama3_8B, H100_SXM, batch = 1).itl_bound",
                           "-(1 + 2) * 3 ^ -2", "not (a and b) or c == d", "[1, [2, 3], \"x\"]",
                           "H100_SXM.bandwidth / A100_80GB.bandwidth", "(1 in GB) + 2", "a.b.c(d = 1)(2)"}) {
    auto first = to_source(*parse_ok(text));
    auto second = to_source(*parse_ok(first));
    CHECK(first == second);
  }
}

TEST_CASE("syntax errors point where they happen") {
  auto d = parse_fails("decode(Llama3_8B, H100 batch = 1)");
  CHECK(d.code == "E0001");
  CHECK(d.message == "expected ',' or ')' after the argument");
  CHECK(d.primary.begin == 23);

  d = parse_fails("\"unterminated");
  CHECK(d.message.find("unterminated string") != std::string::npos);

  d = parse_fails("1 2");
  CHECK(d.message.find("unexpected text after the expression") != std::string::npos);
  CHECK(d.primary.begin == 2);

  d = parse_fails("x.");
  CHECK(d.message == "expected a field name after '.'");

  d = parse_fails("2e");
  CHECK(d.message == "expected digits after the exponent 'e'");

  d = parse_fails("x in 3");
  CHECK(d.message.find("expected a unit after 'in'") != std::string::npos);
}

TEST_CASE("an error at the end of input marks it incomplete (the REPL continues)") {
  parse_status s;
  auto d = parse_fails("decode(Llama3_8B,", &s);
  CHECK(s.incomplete);
  CHECK(d.primary_label == "the input ends here");
  parse_fails("1 +", &s);
  CHECK(s.incomplete);
  parse_fails("1 + )", &s);
  CHECK_FALSE(s.incomplete);
}

TEST_CASE("nesting and size are limited, not a crash") {
  auto d = parse_fails(std::string(100000, '(') + "1");
  CHECK(d.code == "E0002");
  d = parse_fails(std::string(100000, '-') + "1");
  CHECK(d.code == "E0002");
  d = parse_fails(std::string(50000, '[') + "1");
  CHECK(d.code == "E0002");

  diagnostics diags;
  expr_ptr e;
  parse_limits small;
  small.max_bytes = 10;
  CHECK_FALSE(parse_expression(src("1 + 2 + 3 + 4 + 5"), e, diags, small).ok);
  CHECK(diags.items().front().code == "E0003");
}

std::string chain(const std::string& term, const std::string& op, std::size_t terms) {
  std::string out = term;
  for (std::size_t i = 1; i < terms; ++i) out += op + term;
  return out;
}

TEST_CASE("an expression tree is at most 1000 levels high - every chain counts its links") {
  // 1000 terms make 999 additions over a leaf: exactly the limit.
  auto at_limit = parse_ok(chain("1 GB", " + ", 1000));
  CHECK(at_limit->height == 1000);
  CHECK(to_source(*at_limit).size() > 5000);  // the printer walks all of it
  for (const auto& [term, op] : {std::pair{"1", " + "}, {"true", " and "}, {"x", "."}, {"2", " ^ "}}) {
    INFO(term << op);
    auto d = parse_fails(chain(term, op, 100000));
    CHECK(d.code == "E0002");
  }
  CHECK(parse_fails(chain("1", " + ", 1001)).code == "E0002");
  CHECK(parse_fails("f" + chain("()", "", 100000)).code == "E0002");

  // The same limit in a whole program, and a program at the limit dumps.
  diagnostics diags;
  program p;
  REQUIRE(parse_program(src("let x = " + chain("1", " * ", 1000) + "\n"), p, diags).ok);
  CHECK(dump_ast(p).size() > 1000);
  program q;
  CHECK_FALSE(parse_program(src("let x = " + chain("1", " * ", 1001) + "\n"), q, diags).ok);
  CHECK(diags.items().back().code == "E0002");
}

TEST_CASE("programs: statements, comments, and recovery at the next line") {
  diagnostics diags;
  program p;
  auto s = parse_program(src("# a comment\nlet x = 1 GB  # trailing\nprint x, x * 2\n\nx in MB; 3\n"), p, diags);
  REQUIRE(s.ok);
  REQUIRE(p.statements.size() == 4);
  CHECK(std::holds_alternative<let_stmt>(p.statements[0].node));
  CHECK(std::get<print_stmt>(p.statements[1].node).values.size() == 2);

  diagnostics bad;
  program q;
  auto t = parse_program(src("let = 3\nlet y = 2\n1 +* 2\nprint y\n"), q, bad);
  CHECK_FALSE(t.ok);
  CHECK(bad.items().size() == 2);     // both bad lines reported
  CHECK(q.statements.size() == 2);    // the good lines still parsed
  CHECK(bad.items()[1].source->position(bad.items()[1].primary.begin).line == 3);

  diagnostics nl;
  program r;
  parse_program(src("let a = 1 +\n  2\n"), r, nl);
  CHECK_FALSE(nl.has_errors());
  CHECK(r.statements.size() == 1);  // a trailing operator continues the line
}

TEST_CASE("keywords() lists the grammar's reserved words and declaration kinds") {
  auto words = keywords();
  for (std::string_view w : {"let", "in", "design", "require", "measured", "hardware", "workload"})
    CHECK(std::find(words.begin(), words.end(), w) != words.end());
  CHECK(std::find(words.begin(), words.end(), "H100_SXM") == words.end());
  // A reserved word cannot be a let's name; a declaration kind can (`fleet.itl`).
  for (auto w : words) {
    diagnostics diags;
    program p;
    bool reserved = w != "hardware" && w != "model" && w != "node" && w != "fleet" && w != "fabric" &&
                    w != "region" && w != "workload" && w != "pool";
    INFO(w);
    CHECK(parse_program(src("let " + std::string(w) + " = 1\n"), p, diags).ok == !reserved);
  }
}
