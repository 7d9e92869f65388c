#include "params.hpp"

#include "comms.hpp"

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
                                                            const stdlib::transformer_shape& model,
                                                            std::string* latency_origin) {
  auto tp = args.count("tp", 1, true);
  auto latency = args.given("link_latency") ? args.quantity_of("link_latency") : std::optional<quantity>{};
  auto base = args.given("link_base_latency") ? args.quantity_of("link_base_latency") : std::optional<quantity>{};
  if (!tp || (args.given("link_latency") && !latency) || (args.given("link_base_latency") && !base)) return std::nullopt;
  for (auto [name, q] : {std::pair{"link_latency", latency}, std::pair{"link_base_latency", base}})
    if (q && q->si < 0) {
      args.error(name, fmt::format("argument '{}' must be at least 0 s", name));
      return std::nullopt;
    }
  stdlib::tensor_parallel par;
  par.tp = *tp;
  auto fabric = memoized<scaleup_latency>(args, "scaleup_latency " + hw.name,
                                          [&] { return scaleup_latency_of(args.reg(), hw.name); });
  par.latency = latency ? latency->si * stdlib::units::second : fabric.alpha;
  par.base = base ? base->si * stdlib::units::second : fabric.base;
  if (latency_origin)
    *latency_origin = latency && base ? "given" : latency || base ? "given, the other from " + fabric.origin : fabric.origin;
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

std::vector<param_spec> link_latency_params() {
  return {optional_quantity_param<stdlib::units::seconds>("link_latency", "the scale-up fabric's latency (registry)",
                                                          "alpha: latency of each all-reduce step"),
          optional_quantity_param<stdlib::units::seconds>("link_base_latency",
                                                          "the scale-up fabric's base_latency (registry)",
                                                          "alpha_0: fixed latency of each all-reduce")};
}

param_spec reserve_param() {
  return optional_count_param("reserve", "registry efficiency.runtime_reserve.fraction",
                              "share of device memory the runtime keeps for itself");
}

std::string efficiency_note(call_args& args, std::string_view param, double used, const efficiency_default& d) {
  if (args.given(param)) return fmt::format("{} {} (given)", param, format_number(used));
  return fmt::format("{} {} ({}{})", param, format_number(used), d.calibrated ? "" : "default: ", d.source);
}

const std::vector<std::string>& runtime_words() {
  static const std::vector<std::string> words = {"default",      "tensorrt_llm", "vllm",     "vllm_rocm",
                                                 "pytorch",      "torch_compile", "tensorrt", "llama_cpp"};
  return words;
}

param_spec runtime_param() {
  return word_param("runtime", runtime_words(), "default",
                    "the software stack: its efficiencies and fixed cost per pass come from registry/efficiency.toml "
                    "(tables REGIME_RUNTIME), else the regime's defaults");
}

efficiency_default stack_efficiency(const registry& reg, std::string_view regime, std::string_view runtime,
                                    stdlib::precision weights, std::string_view key) {
  std::string r(regime), rt(runtime), f(stdlib::name_of(weights));
  std::vector<std::string> tables;
  // The format's kernels before the runtime's: an int4 GEMV reaches less of
  // the bandwidth than a bf16 one whatever the framework around it.
  if (runtime != "default") tables.push_back(r + "_" + rt + "_" + f);
  tables.push_back(r + "_" + f);
  if (runtime != "default") tables.push_back(r + "_" + rt);
  for (const auto& t : tables) {
    const record* rec = reg.efficiency(t);
    if (!rec || !rec->quantity_of(key)) continue;
    auto d = efficiency_from(reg, t, key);
    if (!d.calibrated) d.source = "efficiency." + t + ": " + d.source;
    return d;
  }
  return efficiency_from(reg, regime, key);
}

namespace {

// A runtime's time per pass held in table regime_runtime as `fixed_key` (per
// pass) and `per_layer_key` (x the model's layers), with its source; 0 s when
// the table holds neither.
stack_overhead per_pass_time(const registry& reg, std::string_view regime, std::string_view runtime, double layers,
                             std::string_view fixed_key, std::string_view per_layer_key, std::string_view what) {
  std::string t = std::string(regime) + "_" + std::string(runtime);
  const record* rec = runtime == "default" ? nullptr : reg.efficiency(t);
  const quantity* fixed = rec ? rec->quantity_of(fixed_key) : nullptr;
  const quantity* per_layer = rec ? rec->quantity_of(per_layer_key) : nullptr;
  if (!fixed && !per_layer)
    return {{}, fmt::format("0 s: the registry holds no {} per {} pass for runtime {}", what, regime, runtime)};
  if (!fixed && layers <= 0)
    return {{}, fmt::format("0 s: runtime {}'s {} is per layer, and the model states no layers", runtime, what)};
  double seconds = (fixed ? fixed->si : 0) + (per_layer ? per_layer->si * layers : 0);
  std::string how = per_layer ? fmt::format("{} us per layer x {} layers{}", format_number(per_layer->si * 1e6),
                                            format_number(layers),
                                            fixed ? fmt::format(" + {} us", format_number(fixed->si * 1e6)) : "")
                              : fmt::format("{} us per pass", format_number(fixed->si * 1e6));
  auto d = efficiency_from(reg, t, per_layer ? per_layer_key : fixed_key);
  return {seconds * stdlib::units::second, fmt::format("{}; efficiency.{}: {}", how, t, d.source)};
}

}  // namespace

stack_overhead overhead_of(const registry& reg, std::string_view regime, std::string_view runtime, double layers) {
  return per_pass_time(reg, regime, runtime, layers, "overhead", "overhead_per_layer", "fixed cost");
}

stack_overhead host_floor_of(const registry& reg, std::string_view regime, std::string_view runtime, double layers) {
  return per_pass_time(reg, regime, runtime, layers, "host", "host_per_layer", "host dispatch time");
}

}  // namespace ironlaw::runtime::bindings
