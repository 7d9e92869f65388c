// Binding of the memory solver: the itemized ledger of one device.
#include <fmt/format.h>

#include "entities.hpp"
#include "helpers.hpp"
#include "params.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/memory.hpp"
#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

const std::vector<std::string> optimizers = {"adam", "momentum", "sgd"};
const std::vector<std::string> recomputes = {"selective", "none", "full"};

std::optional<value> memory_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto batch = args.count("batch", 1, true);
  auto context = args.quantity_of("context");
  auto precision_word = args.word("precision");
  auto kv_word = args.given("kv_precision") ? args.word("kv_precision") : std::optional<std::string>{};
  auto training = yes_no(args, "training");
  auto optimizer = args.word("optimizer");
  auto recompute = args.word("recompute");
  auto zero = args.count("zero", 0, true);
  auto tp = args.count("tp", 1, true);
  auto pp = args.count("pp", 1, true);
  auto dp = args.count("dp", 1, true);
  auto hw_rec = args.given("hardware") ? args.entity("hardware") : record_ptr{};
  auto reserve_default = efficiency_from(args.reg(), "runtime_reserve", "fraction");
  auto reserve = share(args, "reserve", reserve_default.value);
  if (!model_rec || !batch || !context || !precision_word || !training || !optimizer || !recompute || !zero || !tp ||
      !pp || !dp || !reserve || (args.given("kv_precision") && !kv_word) || (args.given("hardware") && !hw_rec))
    return std::nullopt;
  if (*zero > 3) {
    args.error("zero", fmt::format("argument 'zero' must be a ZeRO stage 0, 1, 2 or 3, got {}", format_number(*zero)));
    return std::nullopt;
  }
  auto model = to_transformer(*model_rec, args, "model");
  auto hw = hw_rec ? to_accelerator(*hw_rec, args, "hardware") : std::optional<stdlib::accelerator>{};
  if (!model || (hw_rec && !hw)) return std::nullopt;
  if (!check_context(args, "context", context->si, *model, model_rec->name)) return std::nullopt;
  if (*pp > model->layers) {
    args.error("pp", fmt::format("pp = {} exceeds {}'s {} layers", format_number(*pp), model_rec->name,
                                 format_number(model->layers)));
    return std::nullopt;
  }

  stdlib::memory_request req;
  req.batch = *batch;
  req.context = context->si;
  req.weights = *stdlib::precision_from_name(*precision_word);
  req.kv = kv_word ? *stdlib::precision_from_name(*kv_word) : stdlib::default_kv_precision(req.weights);
  req.training = *training;
  req.optimizer = *optimizer == "adam" ? stdlib::optimizer_kind::adam
                  : *optimizer == "momentum" ? stdlib::optimizer_kind::momentum
                                             : stdlib::optimizer_kind::sgd;
  req.recompute = *recompute == "selective" ? stdlib::recompute_kind::selective
                  : *recompute == "full" ? stdlib::recompute_kind::full
                                         : stdlib::recompute_kind::none;
  req.zero = static_cast<int>(*zero);
  req.tp = *tp;
  req.pp = *pp;
  req.dp = *dp;
  if (hw) {
    req.device_memory = hw->memory;
    req.reserve_fraction = *reserve;
  }
  auto l = stdlib::memory(*model, req);

  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  double shards = req.tp * req.pp;
  std::string shard_text = shards > 1 ? fmt::format(", / {} (tp x pp)", format_number(shards)) : "";
  std::string weights_note = fmt::format("{} parameters x {} B ({}){}", format_number(stdlib::count_parameters(*model).total),
                                         format_number(stdlib::bytes_per_weight(req.weights)), *precision_word,
                                         shard_text);
  std::string kv_note =
      req.training ? "training keeps no KV cache"
                   : fmt::format("{} sequences x {} tokens x {} per token ({})", format_number(req.batch),
                                 format_number(req.context),
                                 show(stdlib::kv_elements_per_token(*model) * stdlib::bytes_per_element(req.kv) * u::byte),
                                 stdlib::name_of(req.kv));
  std::string act_note = req.training ? fmt::format("stored for backward, {} recomputation (Korthikanti et al. 2022)", *recompute)
                                      : "one layer's working set for a prefill of `context` tokens";
  std::string reserve_note =
      hw ? fmt::format("{} of {} ({})", format_number(req.reserve_fraction), show(hw->memory),
                       args.given("reserve") ? "given" : "default: " + reserve_default.source)
         : "no hardware given";
  std::string fit_note = hw ? fmt::format("{} needed of {} on {}", show(l.total), show(hw->memory), hw->name)
                            : "no hardware given: pass hardware = to test the fit";
  return make_result("memory", {
      typed_field("weights", l.weights, weights_note),
      typed_field("kv_cache", l.kv_cache, kv_note),
      typed_field("activations", l.activations, act_note),
      typed_field("gradients", l.gradients, req.training ? fmt::format("{} B per parameter{}",
                                     format_number(stdlib::bytes_per_element(req.weights)),
                                     req.zero >= 2 ? fmt::format(", / {} (ZeRO-2)", format_number(req.dp)) : "")
                                                         : "inference keeps no gradients"),
      typed_field("optimizer_state", l.optimizer_state,
                  req.training ? fmt::format("{} B per parameter ({}{}){}", format_number(l.optimizer_bytes_per_param),
                                             *optimizer, l.optimizer_bytes_per_param > 0 && stdlib::bytes_per_element(req.weights) < 4
                                                             ? " moments + fp32 master weights" : "",
                                             req.zero >= 1 ? fmt::format(", / {} (ZeRO-{})", format_number(req.dp), req.zero) : "")
                               : "inference keeps no optimizer state"),
      typed_field("reserve", l.reserve, reserve_note),
      typed_field("total", l.total, "per device"),
      bool_field("fits", l.fits, fit_note),
      typed_field("headroom", l.headroom, hw ? "device memory - total" : "no hardware given"),
  });
}

}  // namespace

std::vector<builtin> memory() {
  return {
      builtin{
          .name = "memory",
          .summary = "What one device holds for a model: weights, KV cache, activations, gradients, optimizer state.",
          .params = {entity_param("model", "model", "the model (a transformer)"),
                     precision_param("precision", "fp16", "the weights' numeric format"),
                     count_param("batch", 1, "sequences resident together (training: the micro-batch)"),
                     quantity_param<u::tokens>("context", 0, "0 tokens", "tokens per sequence"),
                     yes_no_param("training", false, "count gradients, optimizer state and stored activations"),
                     word_param("optimizer", optimizers, "adam", "training optimizer (adam covers AdamW)"),
                     count_param("zero", 0, "ZeRO stage 0-3: shard optimizer state, gradients, weights over dp"),
                     count_param("tp", 1, "tensor-parallel degree"),
                     count_param("pp", 1, "pipeline-parallel degree"),
                     count_param("dp", 1, "data-parallel degree (what ZeRO shards over)"),
                     word_param("recompute", recomputes, "selective", "activation recomputation in training"),
                     precision_param("kv_precision", "", "the KV cache's format (default: the weights'; fp16 under "
                                                         "weight-only int8/int4)"),
                     optional_entity_param("hardware", "hardware", "the device to fit against"),
                     reserve_param()},
          .results = {quantity_result<u::bytes>("weights", "weights per device"),
                      quantity_result<u::bytes>("kv_cache", "KV cache per device"),
                      quantity_result<u::bytes>("activations", "activations per device"),
                      quantity_result<u::bytes>("gradients", "gradients per device (training)"),
                      quantity_result<u::bytes>("optimizer_state", "optimizer state per device (training)"),
                      quantity_result<u::bytes>("reserve", "what the runtime keeps for itself"),
                      quantity_result<u::bytes>("total", "the sum, per device"),
                      bool_result("fits", "whether the total fits the hardware's memory"),
                      quantity_result<u::bytes>("headroom", "device memory - total")},
          .invoke = memory_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
