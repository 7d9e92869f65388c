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
