// Bindings of two walls: weight_streaming (wafer-scale execution that
// streams weights layer by layer) and privacy (DP-SGD's training overhead).
#include <fmt/format.h>

#include "entities.hpp"
#include "fleet_helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/model.hpp"
#include "ironlaw/stdlib/privacy.hpp"
#include "ironlaw/stdlib/streaming.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

std::optional<value> weight_streaming_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto hw_rec = args.entity("hardware");
  auto tokens = positive(args, "tokens");
  auto precision_word = args.word("precision");
  auto mode = args.word("mode");
  auto injection = positive(args, "injection");
  if (!model_rec || !hw_rec || !tokens || !precision_word || !mode || !injection) return std::nullopt;
  auto model = to_transformer(*model_rec, args, "model");
  if (!model) return std::nullopt;
  auto format = *stdlib::precision_from_name(*precision_word);
  double peak = 0;
  std::string peak_origin = "given";
  if (args.given("peak")) {
    auto p = positive(args, "peak");
    if (!p) return std::nullopt;
    peak = *p;
  } else if (const auto* table = hw_rec->find("peak"); table && table->v.as_record()) {
    if (const auto* q = table->v.as_record()->quantity_of(*precision_word)) {
      peak = q->si;
      peak_origin = fmt::format("{}'s dense {} peak", hw_rec->name, *precision_word);
    }
  }
  if (peak <= 0) {
    args.error("hardware", fmt::format("hardware '{}' has no dense {} peak in the registry", hw_rec->name, *precision_word),
               "pass peak = ... (a dense FLOP/s figure)");
    return std::nullopt;
  }
  auto counts = stdlib::count_parameters(*model);
  stdlib::streaming_inputs in;
  in.weights = counts.total;
  in.matmul_weights = counts.active - counts.embedding;
  in.bytes_per_weight = stdlib::bytes_per_element(format);
  in.peak = peak * u::flop / u::second;
  in.injection = *injection * u::byte / u::second;
  in.tokens = *tokens;
  in.training = *mode == "training";
  auto r = stdlib::weight_streaming(in);
  auto show = [&](auto q) { return shown(args, to_runtime(q)); };
  bool streaming = r.bound == stdlib::streaming_bound::streaming;
  std::string bound_note =
      streaming ? fmt::format("streaming-bound: {} of weights at {} injection; {} tokens per step would balance",
                              show(r.streamed), show(in.injection), format_number(r.balance_tokens))
                : fmt::format("compute-bound: {} at {} ({}); streaming hides under compute", show(r.flops),
                              show(in.peak), peak_origin);
  return make_result("weight_streaming", {
      typed_field("step_time", r.step_time, bound_note),
      word_field("bound", std::string(stdlib::streaming_bound_names[static_cast<std::size_t>(r.bound)]), bound_note),
      typed_field("stream_time", r.stream_time, "weight bytes / injection bandwidth"),
      typed_field("compute_time", r.compute_time, fmt::format("FLOPs / peak ({})", peak_origin)),
      typed_field("streamed", r.streamed, in.training ? "weights in twice: forward and backward" : "weights in once"),
      typed_field("flops", r.flops, fmt::format("{} x matmul weights x tokens", in.training ? 6 : 2)),
      typed_field("balance_tokens", r.balance_tokens * u::token, "tokens per step where streaming equals compute"),
      typed_field("throughput", r.throughput, "tokens / step time"),
  });
}

// Beltran, Tobaben, Jalko, Loppi, Honkela (SaTML 2026, arXiv 2406.17298):
// Opacus DP-SGD throughput 2.6-8x below SGD; Ghost Clipping roughly halves that.
struct implementation_range {
  std::string_view name;
  stdlib::slowdown_range range;
  std::string_view source;
};
constexpr std::array<implementation_range, 2> implementations = {{
    {"opacus", {2.6, 8}, "Beltran et al., SaTML 2026: Opacus throughput 2.6-8x below SGD"},
    {"ghost_clipping", {1.3, 4}, "Beltran et al., SaTML 2026: Ghost Clipping roughly halves Opacus's cost (derived)"},
}};

std::optional<value> privacy_binding(call_args& args) {
  auto base = positive(args, "time");
  auto implementation = args.word("implementation");
  if (!base || !implementation) return std::nullopt;
  const auto* impl = &implementations[0];
  for (const auto& i : implementations)
    if (i.name == *implementation) impl = &i;
  stdlib::slowdown_range range = impl->range;
  std::string source(impl->source);
  if (args.given("slowdown")) {
    auto s = args.count("slowdown", 1, false);
    if (!s) return std::nullopt;
    range = {*s, *s};
    source = "given";
  }
  auto r = stdlib::dp_sgd(*base * u::second, range);
  return make_result("privacy", {
      typed_field("time", r.time, fmt::format("x {} (geometric middle of {}-{}x; {})", format_number(r.slowdown),
                                              format_number(range.low), format_number(range.high), source)),
      typed_field("time_low", r.time_low, fmt::format("x {}", format_number(range.low))),
      typed_field("time_high", r.time_high, fmt::format("x {}", format_number(range.high))),
      number_field("slowdown", r.slowdown, source),
      number_field("slowdown_low", range.low, source),
      number_field("slowdown_high", range.high, source),
  });
}

std::vector<std::string> implementation_words() {
  std::vector<std::string> out;
  for (const auto& i : implementations) out.emplace_back(i.name);
  return out;
}

}  // namespace

std::vector<builtin> streaming_privacy() {
  return {
      builtin{
          .name = "weight_streaming",
          .summary = "Wafer-scale weight streaming: injection vs compute per step, and the batch that balances them.",
          .params = {entity_param("model", "model", "the model (a transformer)"),
                     entity_param("hardware", "hardware", "the device the weights stream onto"),
                     quantity_param<u::tokens>("tokens", "tokens per step (sequences x tokens each)"),
                     quantity_param<u::byte_rate>("injection", "external memory to device bandwidth, per direction"),
                     precision_param("precision", "fp16", "the weights' numeric format"),
                     choice_param("mode", {"inference", "training"}, "inference",
                                  "forward only, or forward and backward"),
                     optional_quantity_param<u::flop_rate>("peak", "the hardware's dense peak", "dense FLOP/s")},
          .results = {quantity_result<u::seconds>("step_time", "max of stream and compute time"),
                      word_result("bound", words_of(stdlib::streaming_bound_names), "which side binds"),
                      quantity_result<u::seconds>("stream_time", "weight bytes / injection"),
                      quantity_result<u::seconds>("compute_time", "FLOPs / peak"),
                      quantity_result<u::bytes>("streamed", "weight bytes per step"),
                      quantity_result<u::flops>("flops", "FLOPs per step"),
                      quantity_result<u::tokens>("balance_tokens", "tokens per step where the two meet"),
                      quantity_result<u::token_rate>("throughput", "tokens per second")},
          .invoke = weight_streaming_binding,
      },
      builtin{
          .name = "privacy",
          .summary = "Training time under DP-SGD (per-example gradient clipping and noise) from measured slowdowns.",
          .params = {quantity_param<u::seconds>("time", "the non-private training time"),
                     choice_param("implementation", implementation_words(), "opacus", "the DP-SGD implementation"),
                     optional_number("slowdown", "the implementation's measured range", "a slowdown to use instead")},
          .results = {quantity_result<u::seconds>("time", "at the middle of the slowdown range"),
                      quantity_result<u::seconds>("time_low", "at the low end"),
                      quantity_result<u::seconds>("time_high", "at the high end"),
                      number_result("slowdown", "geometric middle of the range"),
                      number_result("slowdown_low", "low end"),
                      number_result("slowdown_high", "high end")},
          .invoke = privacy_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
