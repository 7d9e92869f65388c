#include "ironlaw/runtime/app/import_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "import_model_json.hpp"
#include "ironlaw/runtime/app/registry_check.hpp"

namespace ironlaw::runtime {
namespace {

const std::vector<std::string> layouts = {"llama", "mistral", "qwen2", "mixtral"};

// Typed access to the config's top-level keys; every problem is a diagnostic
// at the key's value (or at the opening brace for a missing key).
class config_reader {
 public:
  config_reader(const json::value& root, lang::source_ptr source, lang::diagnostics& diags)
      : root_(root), source_(std::move(source)), diags_(diags) {}

  // A whole number from `minimum` to `maximum`. Absent or null: nullopt (an
  // error when required). A value beyond the maximum (or too long to be a
  // finite number) is an error: the entry would print `layers = inf`.
  std::optional<double> count(std::string_view key, bool required, double maximum, double minimum = 1) {
    const auto* v = present(key, required, "a whole number");
    if (!v) return std::nullopt;
    if (v->t != json::value::type::number || !v->integer || !(v->number >= minimum)) {
      error("E0803", v->where,
            fmt::format("\"{}\" must be a whole number >= {}, not {}", key, minimum,
                        v->t == json::value::type::number ? shown(v->where) : json::describe(v->t)));
      return std::nullopt;
    }
    if (!std::isfinite(v->number) || v->number > maximum) {
      error("E0803", v->where,
            fmt::format("\"{}\" is {}: no model has more than {}", key, shown(v->where), whole_text(maximum)),
            "check the config: a count this large is a corrupted or hostile file");
      return std::nullopt;
    }
    return v->number;
  }

  std::optional<bool> flag(std::string_view key) {
    const auto* v = present(key, false, "true or false");
    if (!v) return std::nullopt;
    if (v->t != json::value::type::boolean) {
      error("E0803", v->where, fmt::format("\"{}\" must be true or false, not {}", key, json::describe(v->t)));
      return std::nullopt;
    }
    return v->flag;
  }

  std::optional<std::string> text(std::string_view key, bool required) {
    const auto* v = present(key, required, "a string");
    if (!v) return std::nullopt;
    if (v->t != json::value::type::string) {
      error("E0803", v->where, fmt::format("\"{}\" must be a string, not {}", key, json::describe(v->t)));
      return std::nullopt;
    }
    return v->text;
  }

  lang::diagnostic& error(std::string code, lang::span where, std::string message, std::string help = {}) {
    lang::diagnostic d;
    d.code = std::move(code);
    d.source = source_;
    d.primary = where;
    d.message = std::move(message);
    d.help = std::move(help);
    ok_ = false;
    return diags_.add(std::move(d));
  }

  [[nodiscard]] lang::span where(std::string_view key) const {
    const auto* v = root_.find(key);
    return v ? v->where : opening();
  }
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  [[nodiscard]] lang::span opening() const { return {root_.where.begin, root_.where.begin + 1}; }
  // The value's text, shortened when it is long (a 400-digit number).
  [[nodiscard]] std::string shown(lang::span where) const {
    std::string text(source_->slice(where));
    return text.size() > 24 ? fmt::format("{}... ({} digits)", text.substr(0, 12), text.size()) : text;
  }
  static std::string whole_text(double v) { return fmt::format("{:.0f}", v); }

  const json::value* present(std::string_view key, bool required, std::string_view what) {
    const auto* v = root_.find(key);
    if (v && v->t != json::value::type::null) return v;
    if (required)
      error("E0802", opening(), fmt::format("the config has no \"{}\" ({})", key, what),
            "import-model reads the config.json of a Llama, Mistral, Qwen2 or Mixtral checkpoint");
    return nullptr;
  }

  const json::value& root_;
  lang::source_ptr source_;
  lang::diagnostics& diags_;
  bool ok_ = true;
};

// "meta-llama/Meta-Llama-3-8B" -> "Meta_Llama_3_8B": an identifier.
std::string identifier_from(std::string_view text) {
  auto slash = text.find_last_of("/\\");
  if (slash != std::string_view::npos) text.remove_prefix(slash + 1);
  std::string out;
  for (char c : text) {
    bool word = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (word) out += c;
    else if (c == '.') continue;  // "Llama-3.1" -> "Llama_31", as the registry names them
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (!out.empty() && std::isdigit(static_cast<unsigned char>(out[0]))) out = "M_" + out;
  return out;
}

std::string whole(double v) { return fmt::format("{:.0f}", v); }

}  // namespace

std::optional<imported_model> import_hf_config(const lang::source_ptr& config, const std::string& name,
                                               const std::string& as_of, lang::diagnostics& diags) {
  auto root = json::parse(config, diags);
  if (!root) return std::nullopt;
  if (root->t != json::value::type::object) {
    lang::diagnostic d;
    d.code = "E0803";
    d.source = config;
    d.primary = root->where;
    d.message = fmt::format("a config.json holds an object, not {}", json::describe(root->t));
    diags.add(std::move(d));
    return std::nullopt;
  }
  config_reader in(*root, config, diags);

  auto model_type = in.text("model_type", true);
  if (model_type && std::find(layouts.begin(), layouts.end(), *model_type) == layouts.end())
    in.error("E0804", in.where("model_type"), fmt::format("import-model does not read '{}' configs", *model_type),
             "it reads the Llama, Mistral, Qwen2 and Mixtral layouts (model_type llama, mistral, qwen2, mixtral)");
  if (!in.ok()) return std::nullopt;  // another layout: its keys would only add noise
  bool moe = model_type == "mixtral";

  // Each count's ceiling is far above any published model (Llama-3.1-405B: 126
  // layers, hidden 16,384, FFN 53,248, vocabulary 128,256; Llama-4 context 10M).
  constexpr double max_width = 1 << 20, max_layers = 100'000, max_heads = 1 << 16, max_vocab = 1 << 24;
  constexpr double max_context = 1u << 31;
  auto d_model = in.count("hidden_size", true, max_width);
  auto layers = in.count("num_hidden_layers", true, max_layers);
  auto heads = in.count("num_attention_heads", true, max_heads);
  auto kv_heads = in.count("num_key_value_heads", false, max_heads);
  auto head_dim = in.count("head_dim", false, max_width);
  auto ffn = in.count("intermediate_size", true, 4 * max_width);
  auto vocab = in.count("vocab_size", true, max_vocab);
  auto context = in.count("max_position_embeddings", true, max_context);
  auto tied = in.flag("tie_word_embeddings");
  auto sliding = in.count("sliding_window", false, max_context);
  auto act = in.text("hidden_act", false);
  std::optional<double> experts, top_k;
  if (moe) {
    experts = in.count("num_local_experts", true, max_heads);
    top_k = in.count("num_experts_per_tok", true, max_heads);
    if (experts && top_k && *top_k > *experts)
      in.error("E0803", in.where("num_experts_per_tok"),
               fmt::format("\"num_experts_per_tok\" ({}) is above \"num_local_experts\" ({})", whole(*top_k),
                           whole(*experts)));
  }
  if (heads && kv_heads && std::fmod(*heads, *kv_heads) != 0)
    in.error("E0803", in.where("num_key_value_heads"),
             fmt::format("\"num_key_value_heads\" ({}) must divide \"num_attention_heads\" ({})", whole(*kv_heads),
                         whole(*heads)));
  if (heads && d_model && !head_dim && std::fmod(*d_model, *heads) != 0)
    in.error("E0802", in.where("hidden_size"),
             fmt::format("without \"head_dim\", \"hidden_size\" ({}) must be a multiple of \"num_attention_heads\" ({})",
                         whole(*d_model), whole(*heads)));
  // Llama-style MLPs are gated: SiLU makes SwiGLU, GELU makes GeGLU.
  std::string ffn_kind = "swiglu";
  if (act) {
    if (*act == "gelu" || *act == "gelu_new" || *act == "gelu_pytorch_tanh") ffn_kind = "geglu";
    else if (*act != "silu" && *act != "swish")
      in.error("E0803", in.where("hidden_act"), fmt::format("unsupported \"hidden_act\" '{}'", *act),
               "the gated MLPs of these layouts use silu (SwiGLU) or gelu (GeGLU)");
  }

  std::string entry_name = name;
  if (entry_name.empty()) {
    auto hub = in.text("_name_or_path", false);
    auto parent = config->name().find_last_of("/\\");
    entry_name = identifier_from(hub ? *hub : parent == std::string::npos ? "" : config->name().substr(0, parent));
  }
  if (entry_name.empty())
    in.error("E0802", {root->where.begin, root->where.begin + 1}, "no name for the entry",
             "give one with --name (the config has no \"_name_or_path\" and its folder has no name)");
  if (!in.ok()) {
    diags.sort_by_position();
    return std::nullopt;
  }

  const std::string& n = entry_name;
  std::string body;
  auto line = [&](std::string_view key, const std::string& v) { body += fmt::format("{:<16}= {}\n", key, v); };
  line("name", json::quote(n + " (imported from config.json)"));
  line("family", moe ? "\"moe\"" : "\"transformer\"");
  line("layers", whole(*layers));
  line("d_model", whole(*d_model));
  line("heads", whole(*heads));
  line("kv_heads", whole(kv_heads.value_or(*heads)));
  line("head_dim", whole(head_dim.value_or(*d_model / *heads)));
  line("ffn", whole(*ffn));
  line("ffn_kind", json::quote(ffn_kind));
  line("vocab", whole(*vocab));
  line("context", whole(*context));
  line("tied_embeddings", tied.value_or(false) ? "true" : "false");
  line("norm", "\"rmsnorm\"");
  line("bias", "false");
  if (model_type == "qwen2") line("qkv_bias", "true");
  if (sliding) line("sliding_window", whole(*sliding));
  if (moe) {
    line("experts", whole(*experts));
    line("experts_active", whole(*top_k));
    line("shared_experts", "0");
    line("expert_ffn", whole(*ffn));
    line("dense_layers", "0");
  }
  auto hub = in.text("_name_or_path", false);
  bool repo_id = hub && std::count(hub->begin(), hub->end(), '/') == 1 && hub->front() != '/' && hub->front() != '.';
  std::string source = fmt::format(
      "\n[{}.source]\ntitle = {}\nurl   = {}\nas_of = {}\nnotes = {}\n", n,
      json::quote("Hugging Face config.json, imported by ironlaw import-model"),
      json::quote(repo_id ? fmt::format("https://huggingface.co/{}/blob/main/config.json", *hub) : config->name()),
      json::quote(as_of),
      json::quote(fmt::format("Read from {} (model_type {}). params{} derived from the shapes with the transformer "
                              "parameter count of docs/solvers.md, not a published figure: replace with the model "
                              "card's total and cite it.",
                              config->name(), *model_type, moe ? " and active_params are" : " is")));

  // The counts come from loading the entry exactly as a user would.
  registry scratch(unit_table::builtin());
  scratch.add_file("models/imported.toml", fmt::format("[{}]\n{}", n, body));
  std::string why;
  auto derived = scratch.find(n) ? derive_parameters(*scratch.find(n), scratch, why) : std::nullopt;
  if (!derived) {
    lang::diagnostic d;
    d.code = "E0900";
    d.message = fmt::format("import-model built an entry it cannot read back: {}", why);
    diags.add(std::move(d));
    return std::nullopt;
  }
  line("params", fmt::format("{:<14} # derived from the shapes", whole(derived->total)));
  if (moe) line("active_params", fmt::format("{:<14} # derived from the shapes", whole(derived->active)));

  imported_model out;
  out.name = n;
  out.params = derived->total;
  out.active_params = moe ? derived->active : 0;
  out.toml = fmt::format("# Imported by `ironlaw import-model` from {}.\n[{}]\n{}{}", config->name(), n, body, source);
  return out;
}

}  // namespace ironlaw::runtime
