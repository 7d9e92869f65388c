#include <catch2/catch.hpp>

#include "ironlaw/lang/diagnostic.hpp"

using namespace ironlaw::lang;

TEST_CASE("positions are 1-based lines and byte columns, computed lazily") {
  source_file f("f.iron", "ab\ncd\r\nef");
  CHECK(f.position(0).line == 1);
  CHECK(f.position(4).line == 2);
  CHECK(f.position(4).column == 2);
  CHECK(f.line_text(2) == "cd");  // the \r is not shown
  CHECK(f.position(9).line == 3);
  CHECK(f.position(1000).line == 3);  // clamped, never out of range
}

TEST_CASE("human rendering: header, source line, carets and labels") {
  diagnostic d;
  d.code = "E0201";
  d.message = "cannot add data (GB) to compute rate (TFLOP/s)";
  d.source = std::make_shared<const source_file>("<eval>", "80 GB + 3 TFLOP/s");
  d.primary = {0, 5};
  d.primary_label = "data";
  d.secondary.push_back({{8, 17}, "compute rate"});
  d.help = "only quantities of the same dimension can be added";
  CHECK(render_human(d) ==
        "<eval>:1:1: error[E0201]: cannot add data (GB) to compute rate (TFLOP/s)\n"
        "  |\n"
        "1 | 80 GB + 3 TFLOP/s\n"
        "  | ^^^^^   --------- compute rate\n"
        "  | |\n"
        "  | data\n"
        "  = help: only quantities of the same dimension can be added\n");
  CHECK(render_short(d) == "<eval>:1:1: error[E0201]: cannot add data (GB) to compute rate (TFLOP/s)");
}

TEST_CASE("carets count characters, not bytes, before the span") {
  diagnostic d;
  d.message = "m";
  d.source = std::make_shared<const source_file>("f", "30 µs + x");
  d.primary = {9, 10};  // 'x' (µ is two bytes)
  CHECK(render_human(d).find("1 | 30 µs + x\n  |         ^\n") != std::string::npos);
}

TEST_CASE("JSON rendering escapes text and gives positions") {
  diagnostic d;
  d.code = "E0001";
  d.message = "say \"hi\"\n";
  d.source = std::make_shared<const source_file>("a.iron", "x\ny");
  d.primary = {2, 3};
  auto json = render_json({d});
  CHECK(json.find("\"message\":\"say \\\"hi\\\"\\n\"") != std::string::npos);
  CHECK(json.find("\"line\":2,\"column\":1") != std::string::npos);
}

TEST_CASE("the sink caps how many diagnostics it keeps") {
  diagnostics sink;
  for (int i = 0; i < 200; ++i) sink.add(diagnostic{.message = "x"});
  CHECK(sink.items().size() == diagnostics::max_errors);
  CHECK(sink.error_count() == 200);
  CHECK(sink.truncated());
}

TEST_CASE("a long line shows 120 bytes around the caret, cut with dots") {
  diagnostic d;
  d.message = "m";
  std::string line = std::string(5000, 'a') + "BAD" + std::string(5000, 'b');
  d.source = std::make_shared<const source_file>("f", line);
  d.primary = {5000, 5003};
  auto out = render_human(d);
  CHECK(out.size() < 500);
  CHECK(out.find("...aaaa") != std::string::npos);
  CHECK(out.find("bbb...") != std::string::npos);
  // The caret stays under BAD.
  auto text_row = out.find("1 | ");
  auto caret_row = out.find("^^^");
  REQUIRE(text_row != std::string::npos);
  REQUIRE(caret_row != std::string::npos);
  auto bad_col = out.find("BAD") - (text_row + 4);
  auto caret_col = caret_row - out.find("  | ", out.find('\n', out.find("1 | "))) - 4;
  CHECK(bad_col == caret_col);
}

TEST_CASE("bytes that are not UTF-8 are shown as ? and escaped in JSON") {
  diagnostic d;
  d.code = "E0005";
  d.message = std::string("byte \xff here");
  d.source = std::make_shared<const source_file>("f", std::string("let \xff\xfe = \x01 2"));
  d.primary = {4, 5};
  auto human = render_human(d);
  CHECK(human.find("let ?? = ? 2") != std::string::npos);
  auto json = render_json({d});
  CHECK(json.find("\\ufffd") != std::string::npos);
  for (unsigned char c : json) CHECK(c < 0x80);  // what is left is plain ASCII here
}

TEST_CASE("a message quoting a huge name is shortened in the middle") {
  diagnostic d;
  d.message = "unknown name '" + std::string(1000000, 'h') + "'";
  auto out = render_short(d);
  CHECK(out.size() < 400);
  CHECK(out.find("...") != std::string::npos);
  CHECK(out.back() == '\'');
}

TEST_CASE("the sink says when a phase stopped at the cap") {
  diagnostics sink;
  for (std::size_t i = 0; i < diagnostics::max_errors; ++i) {
    CHECK_FALSE(sink.full());
    sink.error("E0102", nullptr, {}, "x");
  }
  CHECK(sink.full());
  CHECK_FALSE(sink.stopped());
  sink.stop();
  CHECK(sink.stopped());
  sink.clear();
  CHECK_FALSE(sink.stopped());
}
