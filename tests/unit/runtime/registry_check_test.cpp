// The registry validator: the shipped registry passes, every listed item is
// present, derived parameter counts match the published ones, and broken
// entries fail with file:line findings.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ironlaw/runtime/app/cli.hpp"
#include "ironlaw/runtime/app/registry_check.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

std::vector<std::string> errors_of(const registry& reg) {
  std::vector<std::string> out;
  for (const auto& f : check_registry(reg))
    if (f.error) out.push_back(to_string(f));
  return out;
}

// The one finding containing `text`, or a failure listing them all.
std::string finding(const std::vector<registry_finding>& all, const std::string& text) {
  std::string found;
  int n = 0;
  for (const auto& f : all)
    if (to_string(f).find(text) != std::string::npos) {
      found = to_string(f);
      ++n;
    }
  if (n != 1) {
    std::string listing;
    for (const auto& f : all) listing += to_string(f) + "\n";
    FAIL_CHECK(n << " findings contain '" << text << "':\n" << listing);
  }
  return found;
}

const char* good_source = R"(
[X.source]
title = "t"
url = "u"
as_of = "2024-01"
)";

std::string with_source(const std::string& name, std::string entry) {
  std::string s = good_source;
  s.replace(s.find("X."), 1, name);
  return entry + s;
}

}  // namespace

TEST_CASE("the shipped registry passes the validator") {
  auto errors = errors_of(registry::embedded());
  for (const auto& e : errors) INFO(e);
  CHECK(errors.empty());
}

TEST_CASE("every item the registry issue lists is present") {
  const auto& reg = registry::embedded();
  auto present = [&](std::string_view kind, std::vector<std::string> names) {
    for (const auto& n : names) {
      INFO(kind << " " << n);
      auto r = reg.find(n);
      REQUIRE(r);
      CHECK(r->kind == kind);
      CHECK(r->find("source"));
    }
  };
  present("hardware", {"V100_SXM", "A100_40GB", "A100_80GB", "H100_SXM", "H100_PCIe", "H100_NVL", "H200", "B200",
                       "GB200", "L4", "L40S", "A10", "T4", "MI250X", "MI300X", "MI325X", "Gaudi2", "Gaudi3", "TPUv4",
                       "TPUv5e", "TPUv5p", "TPUv6e", "Trainium2", "Inferentia2", "WSE3", "Jetson_AGX_Orin",
                       "Jetson_Orin_Nano", "Apple_M2_Ultra", "Coral_Edge_TPU", "Raspberry_Pi_5", "ESP32_S3",
                       "nRF52840", "STM32H7"});
  present("model", {"Llama2_7B", "Llama2_13B", "Llama2_70B", "Llama3_8B", "Llama3_70B", "Llama31_8B", "Llama31_70B",
                    "Llama31_405B", "Mistral_7B", "Qwen25_7B", "Qwen25_72B", "Gemma2_9B", "Gemma2_27B", "GPT2",
                    "GPT3_175B", "BERT_Base", "BERT_Large", "Mixtral_8x7B", "Mixtral_8x22B", "DeepSeek_V3",
                    "ResNet50", "MobileNetV2", "EfficientNet_B0", "ViT_B16", "SDXL", "DiT_XL2", "Whisper_Large_v3",
                    "DS_CNN_KWS", "MobileNetV1_025_VWW"});
  present("node", {"DGX_A100", "DGX_H100", "HGX_H100", "DGX_B200", "MI300X_Platform", "TPUv5p_Pod_Slice"});
  present("fabric", {"NVLink2", "NVLink3", "NVLink4", "NVLink5", "NVSwitch", "IB_HDR", "IB_NDR", "IB_XDR", "RoCE_400G",
                     "PCIe4_x16", "PCIe5_x16"});
  present("region", {"Quebec", "Virginia", "Oregon", "Iowa", "Texas", "California", "Poland", "France", "Germany",
                     "Norway", "Sweden", "Ireland", "Netherlands", "Singapore", "India", "Japan", "Australia"});
  CHECK(reg.names("model").size() >= 30);
  CHECK(reg.names("region").size() >= 15);
  // The issue asks for at least 35 accelerators; its own list names 33, and
  // these four are the ones users asked about next.
  present("hardware", {"RTX_4090", "RTX_6000_Ada", "MI355X", "Apple_M4_Max"});
  CHECK(reg.names("hardware").size() >= 35);
}

TEST_CASE("derived parameter counts match the published totals within 2%") {
  const auto& reg = registry::embedded();
  int transformers = 0;
  for (const auto& name : reg.names("model")) {
    auto r = reg.find(name);
    std::string why;
    auto derived = derive_parameters(*r, reg, why);
    const auto* family = std::get_if<std::string>(&r->find("family")->v.v);
    if (*family != "transformer" && *family != "moe" && *family != "encoder") continue;
    ++transformers;
    INFO(name << ": " << why);
    REQUIRE(derived);
    const auto* params = r->quantity_of("params");
    REQUIRE(params);
    INFO("derived " << derived->total << ", published " << params->si);
    CHECK(std::abs(derived->total / params->si - 1) <= parameter_tolerance);
    if (const auto* active = r->quantity_of("active_params")) {
      INFO("derived active " << derived->active << ", published " << active->si);
      CHECK(std::abs(derived->active / active->si - 1) <= parameter_tolerance);
    }
  }
  CHECK(transformers >= 21);
}

TEST_CASE("published counts pinned: Llama 3 8B, Mixtral 8x7B, DeepSeek-V3") {
  const auto& reg = registry::embedded();
  std::string why;
  // Llama 3 8B: 32 x (attention 4096*(4096+2*1024+4096) + FFN 3*4096*14336 + 2 norms 2*4096)
  // + embeddings 2*128256*4096 + final norm 4096 = 8,030,261,248 (the model card's 8.03B).
  auto llama = derive_parameters(*reg.find("Llama3_8B"), reg, why);
  REQUIRE(llama);
  CHECK(llama->total == 8030261248.0);
  // Mixtral 8x7B: 46.7B total, 12.9B active (2 of 8 experts), Mistral AI's announcement.
  auto mixtral = derive_parameters(*reg.find("Mixtral_8x7B"), reg, why);
  REQUIRE(mixtral);
  CHECK(mixtral->total == Approx(46.7e9).epsilon(0.02));
  CHECK(mixtral->active == Approx(12.9e9).epsilon(0.02));
  // DeepSeek-V3: 671B total, 37B activated (technical report, section 1).
  auto deepseek = derive_parameters(*reg.find("DeepSeek_V3"), reg, why);
  REQUIRE(deepseek);
  CHECK(deepseek->total == Approx(671e9).epsilon(0.02));
  CHECK(deepseek->active == Approx(37e9).epsilon(0.02));
}

TEST_CASE("broken entries fail with file:line findings") {
  registry reg(unit_table::builtin());
  reg.add_file("hardware/broken.toml", with_source("NoUnit", R"(
[NoUnit]
name = "n"
vendor = "v"
class = "datacenter-gpu"
year = 2024
memory = 80
bandwidth = "3.35 TB/s"
[NoUnit.peak]
fp16 = "989 TFLOP/s"
)") + with_source("WrongDim", R"(
[WrongDim]
name = "n"
vendor = "v"
class = "datacenter-gpu"
year = 2024
memory = "80 GB"
bandwidth = "3.35 TB"
tdp = "700 W/s"
[WrongDim.peak]
fp16 = "989 TB/s"
)") + with_source("DenseAboveSparse", R"(
[DenseAboveSparse]
name = "n"
vendor = "v"
class = "datacenter-gpu"
year = 2024
memory = "80 GB"
bandwidth = "3.35 TB/s"
[DenseAboveSparse.peak]
fp16 = "1979 TFLOP/s"
[DenseAboveSparse.peak_sparse]
fp16 = "989 TFLOP/s"
)") + with_source("SlowMemory", R"(
[SlowMemory]
name = "n"
vendor = "v"
class = "datacenter-gpu"
year = 2024
memory = "80 GB"
bandwidth = "3.35 GB/s"
[SlowMemory.peak]
fp16 = "989 TFLOP/s"
)") + R"(
[NoSource]
name = "n"
vendor = "v"
class = "mcu"
year = 2021
memory = "512 KiB"
bandwidth = "1 GB/s"
[NoSource.peak]
fp32 = "1 GFLOP/s"
[NoSource.sources.memory]
title = "t"
as_of = "2031-01"
)");
  reg.add_file("regions/broken.toml", with_source("Nowhere", R"(
[Nowhere]
name = "n"
carbon_intensity = "390 g"
pue = 0.9
electricity_price = "0.08 USD/kWh"
)"));
  auto tiny = [](const std::string& name, const std::string& context) {
    return with_source(name, "[" + name + R"(]
name = "n"
family = "transformer"
layers = 2
d_model = 64
heads = 4
ffn = 256
vocab = 1000
params = 1e9
context = )" + context + "\n");
  };
  reg.add_file("models/broken.toml", "\n" + tiny("Tiny", "512") + tiny("Tiny2", "\"512 tokens\""));
  auto all = check_registry(reg);
  CHECK(finding(all, "NoUnit.memory has no unit") ==
        "hardware/broken.toml:7:10: error: NoUnit.memory has no unit: it must be data (B), e.g. \"80 GB\"");
  CHECK(finding(all, "WrongDim.bandwidth") ==
        "hardware/broken.toml:23:13: error: WrongDim.bandwidth must be bandwidth (B/s), not data (B)");
  CHECK(finding(all, "WrongDim.tdp").find("must be power (J/s), not J/s^2") != std::string::npos);
  CHECK(finding(all, "WrongDim.peak.fp16").find("must be compute rate (FLOP/s), not bandwidth (B/s)") !=
        std::string::npos);
  CHECK(finding(all, "DenseAboveSparse.peak.fp16").find("the dense peak 1.98 PFLOP/s is above the sparse peak") !=
        std::string::npos);
  CHECK(finding(all, "implausible ridge point").rfind("hardware/broken.toml:56:13: error", 0) == 0);
  CHECK(finding(all, "SlowMemory: implausible ridge point 295224 FLOP/B") != "");
  CHECK(finding(all, "NoSource: missing required field 'source'").rfind("hardware/broken.toml:65:1: error", 0) == 0);
  CHECK(finding(all, "NoSource.sources.memory: missing 'url'") != "");
  CHECK(finding(all, "NoSource.sources.memory.as_of '2031-01' is in the future") != "");
  CHECK(finding(all, "Nowhere.carbon_intensity must be carbon intensity (kg/J), not mass (kg)") != "");
  CHECK(finding(all, "Nowhere.pue must be between 1 and 3") != "");
  CHECK(finding(all, "Tiny2.context must be a plain number >= 0, not a quantity of tokens") != "");
  auto params = finding(all, "Tiny: parameters derived from the shapes");
  CHECK(params.find("(259392) differ from the published params (1e9) by -100.0% (limit 2%)") != std::string::npos);
  CHECK(params.rfind("models/broken.toml:", 0) == 0);
}

TEST_CASE("a region's rtt table names other regions and agrees with theirs") {
  registry reg(unit_table::builtin());
  auto region = [](const std::string& name, const std::string& rtt) {
    return with_source(name, "[" + name + R"(]
name = "n"
carbon_intensity = "390 g/kWh"
pue = 1.2
electricity_price = "0.08 USD/kWh"
[)" + name + ".rtt]\n" + rtt + "\n");
  };
  reg.add_file("regions/a.toml", region("East", "West = \"70 ms\"\nWset = \"1 ms\"\nNorth = \"5 GB\"") +
                                     region("West", "East = \"72 ms\"") + region("North", ""));
  auto all = check_registry(reg);
  CHECK(finding(all, "East.rtt.Wset").find("warning: East.rtt.Wset: unknown region 'Wset'; did you mean West?") !=
        std::string::npos);
  CHECK(finding(all, "East.rtt.North must be").find("error: East.rtt.North must be time") != std::string::npos);
  CHECK(finding(all, "East.rtt.West = 70 ms but West.rtt.East = 72 ms").find("warning") != std::string::npos);
  CHECK(finding(all, "North.rtt is empty").find("error") != std::string::npos);
}

TEST_CASE("a name defined twice is a finding; a user directory overrides silently") {
  registry reg(unit_table::builtin());
  reg.add_file("hardware/a.toml", with_source("Twice", "[Twice]\nname = \"a\"\n"));
  reg.add_file("regions/b.toml", "\n\n" + with_source("Twice", "[Twice]\nname = \"b\"\n"));
  CHECK(finding(check_registry(reg), "defined twice") ==
        "regions/b.toml:3:1: error: 'Twice' is defined twice: also at hardware/a.toml:1 (a name is unique across all "
        "kinds)");
  CHECK(reg.find("Twice")->kind == "region");  // the later definition wins

  registry layered(unit_table::builtin());
  layered.add_file("hardware/a.toml", "[Mine]\nname = \"a\"\n");
  layered.begin_layer();
  layered.add_file("hardware/a.toml", "[Mine]\nname = \"b\"\n");
  CHECK(layered.problems().empty());
  CHECK(std::get<std::string>(layered.find("Mine")->find("name")->v.v) == "b");
}

TEST_CASE("registry check: the command and its exit codes") {
  std::ostringstream out, err;
  CHECK(run_cli({"ironlaw", "registry", "check"}, {out, err}) == 0);
  CHECK(out.str().rfind("registry: ", 0) == 0);
  CHECK(out.str().find(": 0 errors") != std::string::npos);

  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / "ironlaw_registry_check_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "hardware");
  std::ofstream(dir / "hardware" / "mine.toml") << "[MyChip]\nname = \"mine\"\nbandwidth = 400\n";
  std::ostringstream out2, err2;
  CHECK(run_cli({"ironlaw", "registry", "check", "--registry", dir.string()}, {out2, err2}) == 1);
  CHECK(err2.str().find("hardware/mine.toml:3:13: error: MyChip.bandwidth has no unit") != std::string::npos);
  CHECK(err2.str().find("MyChip: missing required field 'source'") != std::string::npos);
  fs::remove_all(dir);

  std::ostringstream out3, err3;
  CHECK(run_cli({"ironlaw", "registry", "lint"}, {out3, err3}) == 1);
  CHECK(err3.str().rfind("error: registry takes one subcommand", 0) == 0);
}
