#pragma once
// Shared by the grading tests: a file of the source tree, as text.
#include <fstream>
#include <sstream>
#include <string>

namespace grading_fixture {

inline std::string read(const std::string& relative) {
  std::ifstream in(std::string(IRONLAW_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace grading_fixture
