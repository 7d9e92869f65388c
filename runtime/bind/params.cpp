#include "params.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ironlaw::runtime::bindings {

param_spec word_param(std::string name, std::vector<std::string> words, std::string fallback, std::string doc) {
  param_spec p{.name = std::move(name), .kind = param_kind::word, .words = std::move(words), .doc = std::move(doc)};
  p.fallback = value{symbol{fallback}};
  p.default_text = std::move(fallback);
  return p;
}

param_spec yes_no_param(std::string name, bool fallback, std::string doc) {
  param_spec p{.name = std::move(name), .kind = param_kind::word, .words = {"false", "true"}, .doc = std::move(doc)};
  p.fallback = value{fallback};
  p.default_text = fallback ? "true" : "false";
  return p;
}

param_spec optional_entity_param(std::string name, std::string kind, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::entity, .entity_kind = std::move(kind), .doc = std::move(doc)};
}

param_spec optional_count_param(std::string name, std::string default_text, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::count, .default_text = std::move(default_text),
          .doc = std::move(doc)};
}

field bool_field(std::string name, bool b, std::string note) { return {std::move(name), value{b}, std::move(note)}; }

std::optional<bool> yes_no(call_args& args, std::string_view name) {
  auto w = args.word(name);
  if (!w) return std::nullopt;
  return *w == "true";
}

std::optional<double> share(call_args& args, std::string_view name, double fallback) {
  if (!args.given(name)) return fallback;
  auto x = args.count(name, 0, false);
  if (!x) return std::nullopt;
  if (*x >= 1) {
    args.error(name, fmt::format("argument '{}' must be a fraction in [0, 1), got {}", name, format_number(*x)),
               "write 0.1 or 10 %");
    return std::nullopt;
  }
  return x;
}

bool check_context(call_args& args, std::string_view param, double tokens, const stdlib::transformer_shape& model,
                   const std::string& model_name, double minimum) {
  if (tokens >= minimum && tokens <= model.context && std::isfinite(tokens)) return true;
  args.error(param, fmt::format("{} must be between {} and {}'s maximum of {} tokens, got {}", param,
                                format_number(minimum), model_name, format_number(model.context),
                                format_number(tokens)));
  return false;
}

std::optional<formats> read_formats(call_args& args) {
  auto weights = args.word("precision");
  auto kv = args.given("kv_precision") ? args.word("kv_precision") : std::optional<std::string>{};
  if (!weights || (args.given("kv_precision") && !kv)) return std::nullopt;
  formats f;
  f.weights = *stdlib::precision_from_name(*weights);
  f.kv = kv ? *stdlib::precision_from_name(*kv) : stdlib::default_kv_precision(f.weights);
  return f;
}

bool check_peak(call_args& args, const stdlib::accelerator& hw, stdlib::precision weights) {
  if (stdlib::effective_peak(hw, weights)) return true;
  args.error("hardware", fmt::format("hardware '{}' has no compute peak for {} or a 16-bit format", hw.name,
                                     stdlib::name_of(weights)));
  return false;
}

std::optional<stdlib::tensor_parallel> read_tensor_parallel(call_args& args, const stdlib::accelerator& hw,
                                                            const stdlib::transformer_shape& model) {
  auto tp = args.count("tp", 1, true);
  auto latency = args.quantity_of("link_latency");
  if (!tp || !latency) return std::nullopt;
  stdlib::tensor_parallel par;
  par.tp = *tp;
  par.latency = latency->si * stdlib::units::second;
  par.link = hw.scaleup_bandwidth;
  par.efficiency = efficiency_from(args.reg(), "collective", "bandwidth").value;
  if (par.tp > model.heads) {
    args.error("tp", fmt::format("tp = {} exceeds the model's {} attention heads", format_number(par.tp),
                                 format_number(model.heads)));
    return std::nullopt;
  }
  if (par.tp > 1 && par.link.value() <= 0) {
    args.error("tp", fmt::format("hardware '{}' has no scaleup_bandwidth for tensor-parallel all-reduces", hw.name));
    return std::nullopt;
  }
  return par;
}

param_spec tp_param() { return count_param("tp", 1, "tensor-parallel degree (devices over the scale-up link)"); }

param_spec link_latency_param() {
  return quantity_param<stdlib::units::seconds>("link_latency", 0, "0 s",
                                                "alpha of each all-reduce step (the registry records none)");
}

param_spec reserve_param() {
  return optional_count_param("reserve", "registry efficiency.runtime_reserve.fraction",
                              "share of device memory the runtime keeps for itself");
}

std::string efficiency_note(call_args& args, std::string_view param, double used, const efficiency_default& d) {
  if (args.given(param)) return fmt::format("{} {} (given)", param, format_number(used));
  return fmt::format("{} {} ({}{})", param, format_number(used), d.calibrated ? "" : "default: ", d.source);
}

}  // namespace ironlaw::runtime::bindings
