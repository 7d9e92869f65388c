// `ironlaw zoo`: listing, --where filters (acceptance A11), formats, `zoo show`,
// and user registry directories (--registry, IRONLAW_PATH) that add to or
// override the embedded set.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ironlaw/runtime/app/cli.hpp"

using namespace ironlaw::runtime;

namespace {

testing::cli_result zoo(std::vector<std::string> args) { return testing::cli(std::move(args)); }

// The names in the first column of a table, header dropped.
std::vector<std::string> names_of(const std::string& table) {
  std::vector<std::string> names;
  std::istringstream lines(table);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) names.push_back(line.substr(0, line.find(' ')));
  return names;
}

// A user registry directory, removed when the test ends.
struct user_dir {
  std::filesystem::path root;
  explicit user_dir(const std::string& name) : root(std::filesystem::temp_directory_path() / name) {
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "hardware");
  }
  ~user_dir() { std::filesystem::remove_all(root); }
  void write(const std::string& path, const std::string& text) const { std::ofstream(root / path) << text; }
};

const char* my_chip = R"(
[MyChip]
name = "my chip"
vendor = "me"
class = "datacenter-gpu"
year = 2026
memory = "24 GB"
bandwidth = "500 GB/s"
[MyChip.peak]
fp16 = "100 TFLOP/s"
[MyChip.source]
title = "my bench"
url = "local"
as_of = "2026-01"
)";

}  // namespace

TEST_CASE("zoo --where: acceptance A11 selects A100, L40S and A10, not T4") {
  auto r = zoo({"zoo", "hardware", "--where", "bandwidth >= 400 GB/s and memory >= 16 GB"});
  REQUIRE(r.code == 0);
  auto names = names_of(r.out);
  auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  CHECK(has("A100_80GB"));
  CHECK(has("A100_40GB"));
  CHECK(has("L40S"));
  CHECK(has("A10"));
  CHECK_FALSE(has("T4"));  // 320 GB/s
  CHECK_FALSE(has("Jetson_AGX_Orin"));  // 204.8 GB/s
  CHECK(r.out.find("\nA100_80GB  ") != std::string::npos);
  // Each column in one unit, named in its header (capacities in GiB, as vendors state them).
  CHECK(r.out.find("memory (GiB)") != std::string::npos);
  CHECK(r.out.find("bandwidth (TB/s)") != std::string::npos);
  auto row = r.out.substr(r.out.find("\nA100_80GB ") + 1);
  row = row.substr(0, row.find('\n'));
  CHECK(row.find("  80  ") != std::string::npos);
  CHECK(row.find("  2.039  ") != std::string::npos);
  CHECK(r.out.find(" 0.864 ") != std::string::npos);  // L40S: 864 GB/s
  CHECK(r.err.empty());
}

TEST_CASE("zoo --where: entries lacking a field do not match, with a note") {
  auto r = zoo({"zoo", "hardware", "--where", "tdp <= 100 W"});
  REQUIRE(r.code == 0);
  CHECK(names_of(r.out) == std::vector<std::string>{"Coral_Edge_TPU", "Jetson_AGX_Orin", "Jetson_Orin_NX_16GB",
                                                    "Jetson_Orin_Nano", "L4", "T4"});
  CHECK(r.err.rfind("note: ", 0) == 0);
  CHECK(r.err.find("TPUv5e (no tdp)") != std::string::npos);

  auto sub = zoo({"zoo", "hardware", "--where", "peak.fp8 >= 1000 TFLOP/s"});
  REQUIRE(sub.code == 0);
  CHECK(sub.err.find("T4 (no fp8)") != std::string::npos);
  CHECK(sub.out.find("H100_SXM") != std::string::npos);
}

TEST_CASE("zoo --where: a bad condition is a diagnostic with a caret into the text") {
  auto typo = zoo({"zoo", "hardware", "--where", "bandwith >= 400 GB/s"});
  CHECK(typo.code == 1);
  CHECK(typo.out.empty());
  CHECK(typo.err.find("--where:1:1: error[E0102]: no entry has a field 'bandwith'") != std::string::npos);
  CHECK(typo.err.find("did you mean bandwidth?") != std::string::npos);
  CHECK(typo.err.find("^^^^^^^^") != std::string::npos);

  auto dims = zoo({"zoo", "hardware", "--where", "bandwidth >= 16 GB"});
  CHECK(dims.code == 1);
  CHECK(dims.err.find("cannot compare bandwidth (B/s) with data (GB)") != std::string::npos);

  auto syntax = zoo({"zoo", "hardware", "--where", "bandwidth >=", "--diagnostics", "short"});
  CHECK(syntax.code == 1);
  CHECK(syntax.err.rfind("--where:1:13: error[E0001]", 0) == 0);

  auto not_bool = zoo({"zoo", "hardware", "--where", "memory"});
  CHECK(not_bool.code == 1);
  CHECK(not_bool.err.find("--where must be true or false, not a quantity of data") != std::string::npos);

  CHECK(zoo({"zoo", "gpus"}).err.rfind("error: zoo lists hardware, models, nodes, fabrics or regions, not 'gpus'", 0) == 0);
  CHECK(zoo({"zoo", "hardware", "--format", "xml"}).code == 1);
}

TEST_CASE("zoo: csv and json in fixed units") {
  auto csv = zoo({"zoo", "regions", "--where", "carbon_intensity < 50 g/kWh", "--format", "csv"});
  REQUIRE(csv.code == 0);
  CHECK(csv.out.rfind("name,carbon_intensity (g/kWh),pue,wue (L/kWh),electricity_price (USD/kWh)\n", 0) == 0);
  CHECK(csv.out.find("\nQuebec,") != std::string::npos);
  CHECK(csv.out.find("Virginia") == std::string::npos);

  auto json = zoo({"zoo", "hardware", "--where", "bandwidth >= 8 TB/s and memory <= 180 GiB and tdp < 2 kW", "--format", "json"});
  REQUIRE(json.code == 0);
  CHECK(json.out ==
        "[{\"name\":\"B200\",\"entity\":\"hardware\",\"memory\":{\"value\":193.274,\"unit\":\"GB\"},"
        "\"bandwidth\":{\"value\":8000,\"unit\":\"GB/s\"},\"peak_16bit\":{\"value\":2250,\"unit\":\"TFLOP/s\"},"
        "\"tdp\":{\"value\":1000,\"unit\":\"W\"},\"year\":2024}]\n");
}

TEST_CASE("zoo show: every field with its unit and every source") {
  auto r = zoo({"zoo", "show", "H100_SXM"});
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("H100_SXM  (hardware, hardware/nvidia.toml:", 0) == 0);
  CHECK(r.out.find("  memory                 80 GiB (= 85.9 GB)\n") != std::string::npos);
  CHECK(r.out.find("  memory_label           80 GB\n") != std::string::npos);
  CHECK(r.out.find("  peak.fp16              989.4 TFLOP/s\n") != std::string::npos);
  CHECK(r.out.find("  peak_sparse.fp16       1.9789 PFLOP/s\n") != std::string::npos);
  CHECK(r.out.find("\nsource:\n  title  NVIDIA H100") != std::string::npos);
  CHECK(r.out.find("\nsources.memory:\n") != std::string::npos);

  auto missing = zoo({"zoo", "show", "H100"});
  CHECK(missing.code == 1);
  CHECK(missing.err == "error: no registry entry 'H100'; did you mean H100_NVL, H100_PCIe or H100_SXM?\n");
}

TEST_CASE("user registry: --registry and IRONLAW_PATH add entries and override embedded ones") {
  user_dir dir("ironlaw_zoo_user_registry");
  dir.write("hardware/mine.toml", my_chip);
  const std::string filter = "bandwidth >= 400 GB/s and memory >= 16 GB";
  auto added = zoo({"zoo", "hardware", "--where", filter, "--registry", dir.root.string()});
  REQUIRE(added.code == 0);
  CHECK(added.out.find("MyChip") != std::string::npos);
  CHECK(added.err.empty());
  CHECK(zoo({"eval", "MyChip.bandwidth", "--registry", dir.root.string()}).out == "500 GB/s\n");
  CHECK(zoo({"registry", "check", "--registry", dir.root.string()}).code == 0);

  // Overriding T4 with a faster part makes it match; the embedded T4 does not.
  dir.write("hardware/t4.toml", R"([T4]
name = "a faster T4"
vendor = "me"
class = "datacenter-gpu"
year = 2026
memory = "16 GB"
bandwidth = "640 GB/s"
[T4.peak]
fp16 = "65 TFLOP/s"
[T4.source]
title = "t"
url = "u"
as_of = "2026-01"
)");
  setenv("IRONLAW_PATH", dir.root.string().c_str(), 1);
  auto overridden = zoo({"zoo", "hardware", "--where", filter});
  unsetenv("IRONLAW_PATH");
  REQUIRE(overridden.code == 0);
  CHECK(overridden.out.find("\nT4 ") != std::string::npos);
  CHECK(overridden.out.find("MyChip") != std::string::npos);
  CHECK(overridden.err.empty());  // an override is not a duplicate
  CHECK(zoo({"zoo", "hardware", "--where", filter}).out.find("\nT4 ") == std::string::npos);
}
