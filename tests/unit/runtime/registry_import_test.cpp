// `ironlaw import-model`: Hugging Face config.json files (tests/data/import_model)
// become registry entries whose parameter counts come from the shapes; bad
// files are diagnostics at file:line:col.
#include <catch2/catch.hpp>

#include "harness.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ironlaw/runtime/app/cli.hpp"
#include "ironlaw/runtime/app/import_model.hpp"

using namespace ironlaw;
using namespace ironlaw::runtime;

namespace {

using testing::cli;

std::string data(const std::string& file) { return std::string(IRONLAW_SOURCE_DIR) + "/tests/data/import_model/" + file; }

std::optional<imported_model> import_text(const std::string& json, lang::diagnostics& diags, std::string name = "M") {
  auto source = std::make_shared<const lang::source_file>("config.json", json);
  return import_hf_config(source, name, "2026-01-01", diags);
}

}  // namespace

TEST_CASE("import-model: Llama 3 8B reproduces the registry's count exactly") {
  auto r = cli({"import-model", data("llama3_8b/config.json")});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  // The same shapes as registry Llama3_8B: 8,030,261,248 (registry_check_test derives it by hand).
  CHECK(r.out.find("[Meta_Llama_3_8B]\n") != std::string::npos);
  CHECK(r.out.find("\nparams          = 8030261248 ") != std::string::npos);
  CHECK(r.out.find("\nkv_heads        = 8\n") != std::string::npos);
  CHECK(r.out.find("\nhead_dim        = 128\n") != std::string::npos);  // 4096 / 32: no head_dim key
  CHECK(r.out.find("url   = \"https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json\"") !=
        std::string::npos);
}

TEST_CASE("import-model: Mistral, Qwen2 and Mixtral layouts match their published totals within 2%") {
  struct expected {
    const char* file;
    double params;  // published total
    double active;  // published active (MoE), else 0
  };
  // Mistral 7B: 7.24B (Mistral AI); Qwen2.5-7B: 7.61B (Qwen2.5 model card);
  // Mixtral 8x7B: 46.7B total, 12.9B active (Mistral AI, "Mixtral of experts").
  for (const auto& e : {expected{"mistral_7b/config.json", 7.24e9, 0}, expected{"qwen25_7b/config.json", 7.61e9, 0},
                        expected{"mixtral_8x7b/config.json", 46.7e9, 12.9e9}}) {
    INFO(e.file);
    std::ifstream in(data(e.file));
    std::stringstream text;
    text << in.rdbuf();
    lang::diagnostics diags;
    auto m = import_text(text.str(), diags);
    REQUIRE(m);
    CHECK(m->params == Approx(e.params).epsilon(0.02));
    if (e.active > 0) CHECK(m->active_params == Approx(e.active).epsilon(0.02));
  }
}

TEST_CASE("import-model: the written entry loads, validates and is usable with --registry") {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / "ironlaw_import_model_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "models");
  auto out = (dir / "models" / "mixtral.toml").string();
  auto r = cli({"import-model", data("mixtral_8x7b/config.json"), "--name", "My_Mixtral", "--out", out});
  REQUIRE(r.code == 0);
  CHECK(r.out == "wrote My_Mixtral to " + out + " (4.67e10 parameters, 1.29e10 active)\n");
  CHECK(cli({"registry", "check", "--registry", dir.string()}).code == 0);
  CHECK(cli({"eval", "My_Mixtral.active_params", "--registry", dir.string()}).out == "1.29e10\n");
  CHECK(cli({"eval", "My_Mixtral.experts_active", "--registry", dir.string()}).out == "2\n");
  fs::remove_all(dir);

  CHECK(cli({"import-model", data("llama3_8b/config.json"), "--name", "3bad"}).err.rfind(
            "error: --name must be an identifier", 0) == 0);
}

TEST_CASE("import-model: malformed JSON, missing keys and wrong types are diagnostics at file:line:col") {
  auto comma = cli({"import-model", data("trailing_comma.json"), "--diagnostics", "short"});
  CHECK(comma.code == 1);
  CHECK(comma.out.empty());
  CHECK(comma.err == data("trailing_comma.json") + ":4:1: error[E0801]: a comma before '}'\n");

  auto missing = cli({"import-model", data("missing_key.json"), "--diagnostics", "short"});
  CHECK(missing.code == 1);
  CHECK(missing.err == data("missing_key.json") + ":1:1: error[E0802]: the config has no \"vocab_size\" (a whole number)\n");

  auto wrong = cli({"import-model", data("wrong_type.json"), "--diagnostics", "short"});
  CHECK(wrong.code == 1);
  CHECK(wrong.err == data("wrong_type.json") +
                         ":3:18: error[E0803]: \"hidden_size\" must be a whole number >= 1, not a string\n" +
                         data("wrong_type.json") +
                         ":6:26: error[E0803]: \"num_key_value_heads\" (7) must divide \"num_attention_heads\" (32)\n" +
                         data("wrong_type.json") +
                         ":10:26: error[E0803]: \"tie_word_embeddings\" must be true or false, not a string\n");

  auto layout = cli({"import-model", data("gpt2.json"), "--diagnostics", "short"});
  CHECK(layout.code == 1);
  CHECK(layout.err == data("gpt2.json") + ":2:17: error[E0804]: import-model does not read 'gpt2' configs\n");

  auto unreadable = cli({"import-model", data("absent.json")});
  CHECK(unreadable.code == 1);
  CHECK(unreadable.err.find("cannot read") != std::string::npos);
}

TEST_CASE("import-model: the JSON reader rejects what RFC 8259 rejects") {
  auto first_error = [](const std::string& json) {
    lang::diagnostics diags;
    auto m = import_text(json, diags);
    REQUIRE_FALSE(m);
    REQUIRE(!diags.items().empty());
    return diags.items().front().message;
  };
  CHECK(first_error("") == "the input ends where a value was expected");
  CHECK(first_error("{'a': 1}") == "expected a key in double quotes");
  CHECK(first_error("{\"a\": 01}") == "expected ',' or '}' after an object member");
  CHECK(first_error("{\"a\": 1.}") == "invalid number: expected digit after '.'");
  CHECK(first_error("{\"a\": \"x") == "unterminated string");
  CHECK(first_error("{\"a\": \"\\q\"}") == "invalid string: forbidden character after backslash");
  CHECK(first_error("{\"a\": tru}").starts_with("expected a JSON value"));
  CHECK(first_error("{\"a\": 1,}") == "a comma before '}'");
  CHECK(first_error("{\"a\" 1}") == "expected ':' after the key");
  CHECK(first_error("[1 2]") == "expected ',' or ']' after an array item");
  CHECK(first_error("{\"a\": 1e999}") == "a number beyond the range of a double (about 1.8e308)");
  CHECK(first_error("{} {}") == "unexpected text after the JSON value");
  CHECK(first_error("[1, 2]") == "a config.json holds an object, not an array");
  CHECK(first_error(std::string(100, '[') + std::string(100, ']')) == "nested deeper than 64 levels");
  CHECK(first_error("{\"model_type\": \"llama\", \"hidden_size\": 4096.5}").find("whole number") != std::string::npos);
  CHECK(first_error("{\"model_type\": null}") == "the config has no \"model_type\" (a string)");
}
