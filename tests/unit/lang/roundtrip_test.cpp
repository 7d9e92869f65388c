#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ironlaw/lang/parse.hpp"
#include "ironlaw/lang/print.hpp"

using namespace ironlaw::lang;
namespace fs = std::filesystem;

namespace {

// The canonical text of every statement: equal texts mean equal trees.
std::vector<std::string> canonical(const program& p) {
  std::vector<std::string> out;
  for (const auto& st : p.statements) out.push_back(to_source(st));
  return out;
}

program parse_text(const std::string& name, std::string text) {
  diagnostics diags;
  program p;
  auto source = std::make_shared<const source_file>(name, std::move(text));
  auto status = parse_program(source, p, diags);
  INFO(name);
  for (const auto& d : diags.items()) INFO(render_human(d));
  REQUIRE(status.ok);
  return p;
}

std::vector<fs::path> scenario_files() {
  std::vector<fs::path> files;
  for (const auto& dir : {"scenarios", "tests/golden/run"}) {
    fs::path root = fs::path(IRONLAW_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.path().extension() == ".iron") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every scenario: parse, print, parse gives the same tree, and fmt is idempotent") {
  auto files = scenario_files();
  REQUIRE(files.size() >= 3);
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    if (path.filename().string().find("syntax_error") != std::string::npos) continue;  // meant not to parse
    auto original = parse_text(path.string(), text);
    auto once = format_program(original);
    auto reparsed = parse_text(path.string() + " (formatted)", once);
    CHECK(canonical(reparsed) == canonical(original));
    CHECK(format_program(reparsed) == once);
    // Every comment survives formatting (no '#' appears inside these files' strings).
    auto hashes = [](const std::string& s) { return std::count(s.begin(), s.end(), '#'); };
    CHECK(hashes(once) == hashes(text));
  }
}

TEST_CASE("fmt keeps comments where they were") {
  auto p = parse_text("c.iron",
                      "# header\n\nlet a = 1   # trailing\n# before b\nlet b = 2\n\nhardware X extends Y {\n"
                      "  # inside\n  memory = 1 GB  # why\n}\n# the end\n");
  CHECK(format_program(p) ==
        "# header\n\nlet a = 1  # trailing\n# before b\nlet b = 2\n\nhardware X extends Y {\n"
        "  # inside\n  memory = 1 GB  # why\n}\n# the end\n");
}
