// Bindings of the serving solvers: decode.
#include <fmt/format.h>

#include "bind_entities.hpp"
#include "bindings.hpp"
#include "ironlaw/runtime/bind_units.hpp"
#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::runtime::bindings {
namespace {

const std::vector<std::string>& precision_words() {
  static const std::vector<std::string> words(stdlib::precision_names.begin(), stdlib::precision_names.end());
  return words;
}

param_spec model_param() {
  return {.name = "model", .kind = param_kind::entity, .entity_kind = "model", .required = true,
          .doc = "the model (a transformer)"};
}
param_spec hardware_param() {
  return {.name = "hardware", .kind = param_kind::entity, .entity_kind = "hardware", .required = true,
          .doc = "the accelerator"};
}

// An efficiency default from registry/efficiency.toml, with its source title.
struct efficiency_default {
  double value = 1;
  std::string source;
};
efficiency_default efficiency_from(const registry& reg, std::string_view regime, std::string_view field_name) {
  const record* r = reg.efficiency(regime);
  const quantity* q = r ? r->quantity_of(field_name) : nullptr;
  if (!q) return {1, "no default in the registry: the ideal bound"};
  std::string source;
  if (const auto* s = r->find("source"); s && s->v.as_record())
    if (const auto* t = s->v.as_record()->find("title"); t && std::get_if<std::string>(&t->v.v))
      source = std::get<std::string>(t->v.v);
  return {q->si, source};
}

field make(std::string name, quantity q, std::string note = {}) { return {std::move(name), value{q}, std::move(note)}; }

std::optional<value> decode_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto hw_rec = args.entity("hardware");
  auto batch = args.count("batch", 1, true);
  auto context = args.quantity_of("context");
  auto precision_word = args.word("precision");
  auto kv_word = args.given("kv_precision") ? args.word("kv_precision") : std::optional<std::string>{};
  auto bw_default = efficiency_from(args.reg(), "decode", "bandwidth");
  auto compute_default = efficiency_from(args.reg(), "decode", "compute");
  auto bw_eff = args.fraction("bandwidth_efficiency", bw_default.value);
  auto compute_eff = args.fraction("compute_efficiency", compute_default.value);
  if (!model_rec || !hw_rec || !batch || !context || !precision_word || !bw_eff || !compute_eff ||
      (args.given("kv_precision") && !kv_word))
    return std::nullopt;
  auto model = to_transformer(*model_rec, args, "model");
  auto hw = to_accelerator(*hw_rec, args, "hardware");
  if (!model || !hw) return std::nullopt;

  stdlib::decode_request req;
  req.batch = *batch;
  req.context = context->si;
  if (req.context < 0 || req.context > model->context) {
    args.error("context", fmt::format("context must be between 0 and {}'s maximum of {} tokens, got {}",
                                      model_rec->name, format_number(model->context), format_number(req.context)));
    return std::nullopt;
  }
  req.weights = *stdlib::precision_from_name(*precision_word);
  // The KV cache stays 16-bit under weight-only quantization (int8, int4) unless asked.
  auto default_kv = stdlib::bytes_per_element(req.weights) >= 1 && req.weights != stdlib::precision::int8
                        ? req.weights
                        : stdlib::precision::fp16;
  req.kv = kv_word ? *stdlib::precision_from_name(*kv_word) : default_kv;
  req.achieved = {*compute_eff, *bw_eff};
  if (!stdlib::effective_peak(*hw, req.weights)) {
    args.error("hardware", fmt::format("hardware '{}' has no compute peak for {} or a 16-bit format", hw->name,
                                       *precision_word));
    return std::nullopt;
  }

  auto r = stdlib::decode(*model, *hw, req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::string bound_note;
  if (r.step.bottleneck == stdlib::bound::memory) {
    bound_note = r.kv_bytes.value() > 0
                     ? fmt::format("memory-bound: {} of weights and {} of KV cache read per step at {}",
                                   show(r.weight_bytes), show(r.kv_bytes), show(hw->bandwidth))
                     : fmt::format("memory-bound: {} of weights read per token at {}", show(r.weight_bytes),
                                   show(hw->bandwidth));
  } else {
    bound_note = fmt::format("compute-bound: {} per step at {} ({} peak)", show(r.flops),
                             show(hw->peak_at(r.compute_precision)), stdlib::name_of(r.compute_precision));
  }
  bool memory_bound = r.step.bottleneck == stdlib::bound::memory;
  std::string itl_note = fmt::format(
      "the bound at {} efficiency {}{}; see :why", memory_bound ? "bandwidth" : "compute",
      format_number(memory_bound ? req.achieved.bandwidth : req.achieved.compute),
      args.given(memory_bound ? "bandwidth_efficiency" : "compute_efficiency")
          ? " (given)"
          : fmt::format(" (default: {})", memory_bound ? bw_default.source : compute_default.source));

  auto out = std::make_shared<record>();
  out->kind = "decode";
  out->fields = {
      make("itl_bound", to_runtime(r.itl_bound), bound_note),
      make("itl", to_runtime(r.itl), itl_note),
      {"bottleneck", value{symbol{stdlib::name_of(r.step.bottleneck)}}, bound_note},
      make("throughput", to_runtime(r.throughput), "tokens per second across the batch"),
      make("flops", to_runtime(r.flops), "per decode step, whole batch"),
      make("bytes", to_runtime(r.bytes), "weights + KV cache read per step"),
      make("weight_bytes", to_runtime(r.weight_bytes)),
      make("kv_bytes", to_runtime(r.kv_bytes)),
      make("intensity", to_runtime(r.step.intensity), "FLOPs per byte moved"),
      make("ridge", to_runtime(r.step.ridge), "the intensity above which the step is compute-bound"),
      make("compute_time", to_runtime(r.step.compute_time), "FLOPs / peak FLOP/s"),
      make("memory_time", to_runtime(r.step.memory_time), "bytes / peak bandwidth"),
      make("utilization", quantity{r.step.utilization, {}}, "achieved FLOP/s over peak"),
      make("bandwidth_efficiency", quantity{req.achieved.bandwidth, {}}),
      make("compute_efficiency", quantity{req.achieved.compute, {}}),
      {"compute_precision", value{symbol{std::string(stdlib::name_of(r.compute_precision))}},
       "the peak the matmuls run at"},
  };
  return value{record_ptr(out)};
}

}  // namespace

std::vector<builtin> serving() {
  param_spec precision{.name = "precision", .kind = param_kind::word, .words = precision_words(),
                       .fallback = value{symbol{"fp16"}}, .default_text = "fp16",
                       .doc = "the weights' numeric format"};
  param_spec kv{.name = "kv_precision", .kind = param_kind::word, .words = precision_words(),
                .default_text = "the weights' format; fp16 for int8 and int4 weights",
                .doc = "the KV cache's numeric format"};
  return {
      builtin{
          .name = "decode",
          .summary = "One LLM decode step (every sequence emits a token): ITL and its roofline bound.",
          .params =
              {model_param(), hardware_param(),
               {.name = "batch", .kind = param_kind::count, .fallback = value{quantity{1, {}}}, .default_text = "1",
                .doc = "sequences decoded together"},
               {.name = "context", .kind = param_kind::quantity, .d = dim::of(base_dim::token),
                .fallback = value{quantity{0, dim::of(base_dim::token)}}, .default_text = "0 tokens",
                .doc = "tokens already in each sequence's KV cache"},
               precision, kv,
               {.name = "bandwidth_efficiency", .kind = param_kind::fraction,
                .default_text = "registry efficiency.decode.bandwidth",
                .doc = "achieved fraction of peak memory bandwidth"},
               {.name = "compute_efficiency", .kind = param_kind::fraction,
                .default_text = "registry efficiency.decode.compute", .doc = "achieved fraction of peak FLOP/s"}},
          .invoke = decode_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
