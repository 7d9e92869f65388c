// Bindings of the model families beyond the transformer (stdlib/model_families.hpp):
// ssm_decode (Mamba: a fixed recurrent state per sequence) and dlrm (a
// recommendation model: embedding gathers and MLPs). LoRA serving lives with
// decode in serving.cpp.
#include <fmt/format.h>

#include "bindings.hpp"
#include "entities.hpp"
#include "helpers.hpp"
#include "params.hpp"
#include "ironlaw/runtime/bind/bind_units.hpp"
#include "ironlaw/runtime/interp/units.hpp"
#include "ironlaw/stdlib/model_families.hpp"

namespace ironlaw::runtime::bindings {

namespace {

namespace u = stdlib::units;

// The model entity of `family`, or an error naming what it is instead.
bool check_family(call_args& args, const record& model, std::string_view family, std::string_view solver,
                  std::string_view example) {
  if (family_of(model) == family) return true;
  args.error("model",
             fmt::format("model '{}' is a {} model; {} needs a model of family {}", model.name,
                         family_of(model).empty() ? "shapeless" : family_of(model), solver, family),
             fmt::format("pass a model of family {}, such as the registry's {}", family, example));
  return false;
}

// A number the family's registry entry must give (registry check enforces it
// for the registry; a user's own model may leave it out).
std::optional<double> shape_number(call_args& args, const record& model, std::string_view name) {
  if (const auto* q = model.quantity_of(name); q && q->si > 0) return q->si;
  args.error("model", fmt::format("model '{}' gives no {} (a positive number)", model.name, name),
             fmt::format("give the model a field `{}` (docs/registry.md, models)", name));
  return std::nullopt;
}

// The step's roofline fields, as decode reports them.
std::vector<field> roofline_fields(const stdlib::roofline_point& step, stdlib::precision used) {
  return {typed_field("intensity", step.intensity, "FLOPs per byte moved"),
          typed_field("ridge", step.ridge, "the intensity above which the step is compute-bound"),
          typed_field("compute_time", step.compute_time, "FLOPs / peak FLOP/s"),
          typed_field("memory_time", step.memory_time, "bytes / peak bandwidth"),
          word_field("bottleneck", stdlib::name_of(step.bottleneck)),
          word_field("compute_precision", std::string(stdlib::name_of(used)), "the peak the matmuls run at")};
}

std::optional<value> ssm_decode_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto hw_rec = args.entity("hardware");
  auto batch = args.count("batch", 1, true);
  auto weights = args.word("precision");
  auto state = args.word("state_precision");
  if (!model_rec || !hw_rec || !batch || !weights || !state || !check_family(args, *model_rec, "ssm", "ssm_decode", "Mamba_2_8B"))
    return std::nullopt;
  auto hw = to_accelerator(*hw_rec, args, "hardware");
  auto w = *stdlib::precision_from_name(*weights);
  if (!hw || !check_peak(args, *hw, w)) return std::nullopt;
  stdlib::ssm_shape m;
  for (auto [name, slot] : {std::pair{"params", &m.params}, {"layers", &m.layers}, {"d_model", &m.d_model},
                            {"d_state", &m.d_state}, {"expand", &m.expand}, {"d_conv", &m.d_conv}}) {
    auto v = shape_number(args, *model_rec, name);
    if (!v) return std::nullopt;
    *slot = *v;
  }
  stdlib::ssm_decode_request req{*batch, w, *stdlib::precision_from_name(*state)};
  auto r = stdlib::ssm_decode(m, *hw, req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::vector<field> fields = {
      typed_field("itl_bound", r.step.time_bound,
                  fmt::format("{} of weights + {} of state read and written, {} per step", show(r.weight_bytes),
                              show(r.state_bytes), show(r.flops))),
      typed_field("throughput", r.throughput, "tokens per second across the batch, at the bound"),
      typed_field("state_per_sequence", r.state_per_sequence,
                  fmt::format("layers x d_inner x (d_state + d_conv - 1) = {} x {} x ({} + {} - 1) x {} bytes: "
                              "the same at any context",
                              format_number(m.layers), format_number(m.expand * m.d_model), format_number(m.d_state),
                              format_number(m.d_conv), format_number(stdlib::bytes_per_element(req.state)))),
      typed_field("state_bytes", r.state_bytes, "batch x state_per_sequence"),
      typed_field("weight_bytes", r.weight_bytes, "params x bytes per weight"),
      typed_field("bytes", r.bytes, "weights + 2 x state (read and written back)"),
      typed_field("flops", r.flops, "batch x (2 x params + 8 x d_inner x d_state x layers)"),
  };
  for (auto& x : roofline_fields(r.step, r.compute_precision)) fields.push_back(std::move(x));
  return make_result("ssm_decode", std::move(fields));
}

std::optional<value> dlrm_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto hw_rec = args.entity("hardware");
  auto batch = args.count("batch", 1, true);
  auto weights = args.word("precision");
  auto embeddings = args.word("embedding_precision");
  if (!model_rec || !hw_rec || !batch || !weights || !embeddings || !check_family(args, *model_rec, "dlrm", "dlrm", "DLRM_Criteo_1TB"))
    return std::nullopt;
  auto hw = to_accelerator(*hw_rec, args, "hardware");
  auto w = *stdlib::precision_from_name(*weights);
  if (!hw || !check_peak(args, *hw, w)) return std::nullopt;
  stdlib::dlrm_request req;
  req.batch = *batch;
  req.weights = w;
  req.embeddings = *stdlib::precision_from_name(*embeddings);
  for (auto [name, slot] : {std::pair{"tables", &req.tables}, {"lookups", &req.lookups},
                            {"embedding_dim", &req.embedding_dim}, {"mlp_params", &req.mlp_params}}) {
    auto v = shape_number(args, *model_rec, name);
    if (!v) return std::nullopt;
    *slot = *v;
  }
  const auto* flops = model_rec->quantity_of("flops");
  if (!flops || !(flops->si > 0)) {
    args.error("model", fmt::format("model '{}' gives no flops (forward FLOPs per sample)", model_rec->name),
               "give the model a field `flops` (docs/registry.md, models)");
    return std::nullopt;
  }
  req.flops_per_sample = flops->si;
  if (args.given("lookups")) {
    auto l = args.count("lookups", 1, false);
    if (!l) return std::nullopt;
    req.lookups = *l;
  }
  auto r = stdlib::dlrm_inference(*hw, req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::vector<field> fields = {
      typed_field("time_bound", r.step.time_bound, "one batch at peak FLOP/s and bandwidth"),
      typed_field("throughput", r.throughput, "samples scored per second, at the bound"),
      typed_field("bytes_per_lookup", r.bytes_per_lookup, "embedding_dim x bytes: one gathered row"),
      typed_field("embedding_bytes", r.embedding_bytes,
                  fmt::format("batch x {} tables x {} lookups x {}", format_number(req.tables),
                              format_number(req.lookups), show(r.bytes_per_lookup))),
      typed_field("weight_bytes", r.weight_bytes, "the MLPs, read once per batch"),
      typed_field("bytes", r.bytes, "embedding rows gathered + MLP weights"),
      number_field("embedding_share", r.embedding_share, "embedding bytes over all bytes"),
      typed_field("flops", r.flops, "batch x the model's FLOPs per sample (MLPs and interaction)"),
  };
  for (auto& x : roofline_fields(r.step, r.compute_precision)) fields.push_back(std::move(x));
  return make_result("dlrm", std::move(fields));
}

}  // namespace

std::vector<builtin> model_families() {
  const std::vector<std::string> bounds = {"compute", "memory"};
  auto roofline_results = [&] {
    return std::vector<result_field>{quantity_result<u::intensity>("intensity", "FLOPs per byte"),
                                     quantity_result<u::intensity>("ridge", "peak / bandwidth"),
                                     quantity_result<u::seconds>("compute_time", "FLOPs / peak"),
                                     quantity_result<u::seconds>("memory_time", "bytes / bandwidth"),
                                     word_result("bottleneck", bounds, "which resource binds"),
                                     word_result("compute_precision", precision_words(), "the format whose peak is used")};
  };
  auto with = [](std::vector<result_field> a, const std::vector<result_field>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  return {
      builtin{
          .name = "ssm_decode",
          .summary = "One decode step of a state-space model (Mamba): a fixed recurrent state per sequence instead "
                     "of a KV cache.",
          .params = {entity_param("model", "model", "a state-space model (family ssm)"),
                     entity_param("hardware", "hardware", "the accelerator"),
                     count_param("batch", 1, "sequences decoded together"),
                     precision_param("precision", "fp16", "the weights' numeric format"),
                     precision_param("state_precision", "fp16", "the recurrent state's format")},
          .results = with({quantity_result<u::seconds>("itl_bound", "inter-token latency at peak FLOP/s and bandwidth"),
                           quantity_result<u::token_rate>("throughput", "tokens per second, whole batch"),
                           quantity_result<u::bytes>("state_per_sequence", "recurrent + convolution state, any context"),
                           quantity_result<u::bytes>("state_bytes", "the batch's state"),
                           quantity_result<u::bytes>("weight_bytes", "weights read per step"),
                           quantity_result<u::bytes>("bytes", "bytes moved per step"),
                           quantity_result<u::flops>("flops", "FLOPs per step, whole batch")},
                          roofline_results()),
          .invoke = ssm_decode_binding,
      },
      builtin{
          .name = "dlrm",
          .summary = "One batch of recommendation inference (DLRM): embedding-row gathers and MLP FLOPs on a roofline.",
          .params = {entity_param("model", "model", "a recommendation model (family dlrm)"),
                     entity_param("hardware", "hardware", "the accelerator"),
                     count_param("batch", 1, "samples scored together"),
                     optional_count_param("lookups", "the model's", "rows gathered per table per sample (pooling)"),
                     precision_param("precision", "fp32", "the MLPs' numeric format"),
                     precision_param("embedding_precision", "fp32", "the embedding tables' format")},
          .results = with({quantity_result<u::seconds>("time_bound", "one batch at the peaks"),
                           quantity_result<u::sample_rate>("throughput", "samples per second"),
                           quantity_result<u::bytes>("bytes_per_lookup", "one embedding row"),
                           quantity_result<u::bytes>("embedding_bytes", "rows gathered per batch"),
                           quantity_result<u::bytes>("weight_bytes", "MLP weights per batch"),
                           quantity_result<u::bytes>("bytes", "bytes moved per batch"),
                           number_result("embedding_share", "embedding bytes over all bytes"),
                           quantity_result<u::flops>("flops", "FLOPs per batch")},
                          roofline_results()),
          .invoke = dlrm_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
