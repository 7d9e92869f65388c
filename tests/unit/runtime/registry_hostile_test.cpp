// A user registry is untrusted input: deep keys, non-finite numbers and files
// that are not regular are findings, never a crash or an infinite value.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ironlaw/runtime/interp/registry.hpp"
#include "ironlaw/runtime/interp/units.hpp"

using namespace ironlaw::runtime;

namespace {

bool mentions(const registry& r, const std::string& text) {
  for (const auto& p : r.problems())
    if (p.find(text) != std::string::npos) return true;
  return false;
}

std::string repeat(const std::string& part, std::size_t n) {
  std::string out = part;
  for (std::size_t i = 1; i < n; ++i) out += "." + part;
  return out;
}

}  // namespace

TEST_CASE("registry: a dotted key of a million parts is refused before toml++ recurses on it") {
  registry r(unit_table::builtin());
  r.add_file("hardware/deep.toml", repeat("a", 1000000) + " = 1\n");
  CHECK(mentions(r, "hardware/deep.toml:1:1: a dotted key of more than 64 parts"));
  registry header(unit_table::builtin());
  header.add_file("hardware/deep.toml", "[" + repeat("a", 100000) + "]\nx = 1\n");
  CHECK(mentions(header, "a dotted key of more than 64 parts"));
  // Dots inside quoted values are not key parts.
  registry fine(unit_table::builtin());
  fine.add_file("hardware/ok.toml", "[X]\nnote = \"" + repeat("a", 100) + "\"\n");
  CHECK_FALSE(mentions(fine, "dotted key"));
}

TEST_CASE("registry: nesting deeper than 16 tables is a finding") {
  registry r(unit_table::builtin());
  r.add_file("hardware/nest.toml", "[X]\n" + repeat("b", 40) + " = 1\n");
  CHECK(mentions(r, "nested deeper than 16 levels"));
}

TEST_CASE("registry: numbers that are not finite are findings - not infinite bandwidths") {
  registry r(unit_table::builtin());
  r.add_file("hardware/inf.toml", "[X]\nbandwidth = \"1e400 TB/s\"\npeak = inf\nmemory = nan\n");
  CHECK(mentions(r, "'bandwidth': '1e400 TB/s' is not a finite number"));
  CHECK(mentions(r, "'peak': inf is not a finite number"));
  CHECK(mentions(r, "'memory': nan is not a finite number"));
}

TEST_CASE("registry: a FIFO named like a registry file is reported - not skipped or read") {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("ironlaw-reg-" + std::to_string(::getpid()));
  fs::create_directories(dir / "hardware");
  REQUIRE(::mkfifo((dir / "hardware/pipe.toml").c_str(), 0600) == 0);
  registry r(unit_table::builtin());
  r.add_directory(dir.string());  // would block forever if it opened the FIFO
  CHECK(mentions(r, "is a FIFO, not a regular file"));
  fs::remove_all(dir);
}
