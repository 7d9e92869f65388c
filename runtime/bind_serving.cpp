// Bindings of the serving solvers: decode.
#include <fmt/format.h>

#include "bind_entities.hpp"
#include "bind_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

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
  bool memory_bound = r.step.bottleneck == stdlib::bound::memory;
  std::string bound_note =
      !memory_bound ? fmt::format("compute-bound: {} per step at {} ({} peak)", show(r.flops),
                                  show(hw->peak_at(r.compute_precision)), stdlib::name_of(r.compute_precision))
      : r.kv_bytes.value() > 0
          ? fmt::format("memory-bound: {} of weights and {} of KV cache read per step at {}", show(r.weight_bytes),
                        show(r.kv_bytes), show(hw->bandwidth))
          : fmt::format("memory-bound: {} of weights read per token at {}", show(r.weight_bytes),
                        show(hw->bandwidth));
  std::string_view binding_param = memory_bound ? "bandwidth_efficiency" : "compute_efficiency";
  std::string itl_note = fmt::format(
      "the bound at {} efficiency {} ({}); see :why", memory_bound ? "bandwidth" : "compute",
      format_number(memory_bound ? req.achieved.bandwidth : req.achieved.compute),
      args.given(binding_param) ? "given"
                                : "default: " + (memory_bound ? bw_default.source : compute_default.source));

  return make_result("decode", {
      typed_field("itl_bound", r.itl_bound, bound_note),
      typed_field("itl", r.itl, itl_note),
      word_field("bottleneck", stdlib::name_of(r.step.bottleneck), bound_note),
      typed_field("throughput", r.throughput, "tokens per second across the batch"),
      typed_field("flops", r.flops, "per decode step, whole batch"),
      typed_field("bytes", r.bytes, "weights + KV cache read per step"),
      typed_field("weight_bytes", r.weight_bytes),
      typed_field("kv_bytes", r.kv_bytes),
      typed_field("intensity", r.step.intensity, "FLOPs per byte moved"),
      typed_field("ridge", r.step.ridge, "the intensity above which the step is compute-bound"),
      typed_field("compute_time", r.step.compute_time, "FLOPs / peak FLOP/s"),
      typed_field("memory_time", r.step.memory_time, "bytes / peak bandwidth"),
      number_field("utilization", r.step.utilization, "achieved FLOP/s over peak"),
      number_field("bandwidth_efficiency", req.achieved.bandwidth),
      number_field("compute_efficiency", req.achieved.compute),
      word_field("compute_precision", std::string(stdlib::name_of(r.compute_precision)),
                 "the peak the matmuls run at"),
  });
}

}  // namespace

std::vector<builtin> serving() {
  const std::vector<std::string> bounds = {"compute", "memory"};
  return {
      builtin{
          .name = "decode",
          .summary = "One LLM decode step (every sequence emits a token): ITL and its roofline bound.",
          .params = {entity_param("model", "model", "the model (a transformer)"),
                     entity_param("hardware", "hardware", "the accelerator"),
                     count_param("batch", 1, "sequences decoded together"),
                     quantity_param<u::tokens>("context", 0, "0 tokens", "tokens already in each sequence's KV cache"),
                     precision_param("precision", "fp16", "the weights' numeric format"),
                     precision_param("kv_precision", "", "the KV cache's numeric format (default: the weights' "
                                                         "format; fp16 under int8 and int4 weights)"),
                     fraction_param("bandwidth_efficiency", "registry efficiency.decode.bandwidth",
                                    "achieved fraction of peak memory bandwidth"),
                     fraction_param("compute_efficiency", "registry efficiency.decode.compute",
                                    "achieved fraction of peak FLOP/s")},
          .results = {quantity_result<u::seconds>("itl_bound", "inter-token latency at peak FLOP/s and bandwidth"),
                      quantity_result<u::seconds>("itl", "inter-token latency at the achieved efficiencies"),
                      word_result("bottleneck", bounds, "which resource binds"),
                      quantity_result<u::token_rate>("throughput", "tokens per second, whole batch"),
                      quantity_result<u::flops>("flops", "FLOPs per step, whole batch"),
                      quantity_result<u::bytes>("bytes", "bytes read per step"),
                      quantity_result<u::bytes>("weight_bytes", "weight bytes read per step"),
                      quantity_result<u::bytes>("kv_bytes", "KV cache bytes read per step"),
                      quantity_result<u::intensity>("intensity", "FLOPs per byte"),
                      quantity_result<u::intensity>("ridge", "peak / bandwidth"),
                      quantity_result<u::seconds>("compute_time", "FLOPs / peak"),
                      quantity_result<u::seconds>("memory_time", "bytes / bandwidth"),
                      number_result("utilization", "achieved FLOP/s over peak"),
                      number_result("bandwidth_efficiency", "the bandwidth efficiency used"),
                      number_result("compute_efficiency", "the compute efficiency used"),
                      word_result("compute_precision", precision_words(), "the format whose peak the matmuls use")},
          .invoke = decode_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
