// Bindings of the serving solvers: decode, prefill and serve.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "entities.hpp"
#include "params.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/memory.hpp"
#include "ironlaw/stdlib/model_families.hpp"
#include "ironlaw/stdlib/serving.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

// The model, hardware, formats and tensor parallelism every serving solver takes.
struct common_args {
  record_ptr model_rec;
  stdlib::transformer_shape model;
  stdlib::accelerator hw;
  formats fmt;
  stdlib::tensor_parallel parallel;
  std::string latency_origin;  // where the all-reduce latencies come from
  double group_size = 0;       // weights per quantization scale; 0: the format's default
  std::string runtime = "default";  // the software stack (`runtime =`)
};

std::optional<common_args> read_common(call_args& args) {
  common_args c;
  c.model_rec = args.entity("model");
  auto hw_rec = args.entity("hardware");
  auto f = read_formats(args);
  if (!c.model_rec || !hw_rec || !f) return std::nullopt;
  auto model = transformer_of(c.model_rec, args, "model");
  auto hw = accelerator_of(hw_rec, args, "hardware");
  if (!model || !hw || !check_peak(args, *hw, f->weights)) return std::nullopt;
  auto par = read_tensor_parallel(args, *hw, *model, &c.latency_origin);
  if (!par) return std::nullopt;
  auto runtime = args.word("runtime");
  if (!runtime) return std::nullopt;
  c.runtime = *runtime;
  if (args.given("group_size")) {
    auto g = args.count("group_size", 1, true);
    if (!g) return std::nullopt;
    c.group_size = *g;
  }
  c.model = *model;
  c.hw = *hw;
  c.fmt = *f;
  c.parallel = *par;
  return c;
}

// The achieved efficiencies of a regime, given or from the registry.
struct regime_efficiency {
  stdlib::efficiency used;
  efficiency_default compute, bandwidth;
  stack_overhead overhead;
};

// "the bound at bandwidth_efficiency 0.7 (source)[ + 40 us fixed cost per pass]": the
// efficiency that binds, and the runtime's overhead when it has one.
std::string time_note(call_args& args, const regime_efficiency& e, bool memory_bound) {
  std::string note = "the bound at " + (memory_bound ? efficiency_note(args, "bandwidth_efficiency", e.used.bandwidth, e.bandwidth)
                                                     : efficiency_note(args, "compute_efficiency", e.used.compute, e.compute));
  if (e.overhead.value.value() > 0)
    note += fmt::format(" + {} fixed cost per pass ({})", format_number(e.overhead.value.value() * 1e3) + " ms",
                        e.overhead.source);
  return note;
}

// The efficiency and overhead fields every pass reports, each noting its source.
// A quiet call (call_args::quiet) leaves the notes empty.
std::vector<field> figure_fields(call_args& args, const regime_efficiency& e) {
  bool quiet = args.quiet();
  return {number_field("bandwidth_efficiency", e.used.bandwidth,
                       quiet ? std::string() : efficiency_note(args, "bandwidth_efficiency", e.used.bandwidth, e.bandwidth)),
          number_field("compute_efficiency", e.used.compute,
                       quiet ? std::string() : efficiency_note(args, "compute_efficiency", e.used.compute, e.compute)),
          typed_field("overhead", e.overhead.value, quiet ? std::string() : e.overhead.source)};
}

// The efficiencies of a regime, given or from the registry for the call's
// runtime and weight format (stack_efficiency), and the runtime's fixed cost per pass.
std::optional<regime_efficiency> read_efficiency(call_args& args, const common_args& c, std::string_view regime,
                                                 std::string_view compute_param, std::string_view bandwidth_param) {
  // The registry's part depends on names only: read once per search thread (call_args::memo).
  auto key = fmt::format("regime_efficiency {} {} {} {}", regime, c.runtime, stdlib::name_of(c.fmt.weights), c.model.layers);
  regime_efficiency e = memoized<regime_efficiency>(args, key, [&] {
    regime_efficiency d;
    d.compute = stack_efficiency(args.reg(), regime, c.runtime, c.fmt.weights, "compute");
    d.bandwidth = stack_efficiency(args.reg(), regime, c.runtime, c.fmt.weights, "bandwidth");
    d.overhead = overhead_of(args.reg(), regime, c.runtime, c.model.layers);
    return d;
  });
  auto compute = args.fraction(compute_param, e.compute.value);
  auto bandwidth = args.fraction(bandwidth_param, e.bandwidth.value);
  if (!compute || !bandwidth) return std::nullopt;
  e.used = {*compute, *bandwidth};
  return e;
}

template <typename Show>
std::string roofline_note(const stdlib::roofline_point& roof, Show show, const stdlib::accelerator& hw,
                          stdlib::precision compute_precision, u::flops work, u::bytes weights, u::bytes kv,
                          std::string_view per) {
  if (roof.bottleneck == stdlib::bound::compute)
    return fmt::format("compute-bound: {} per {} at {} ({} peak)", show(work), per, show(hw.peak_at(compute_precision)),
                       stdlib::name_of(compute_precision));
  if (kv.value() > 0)
    return fmt::format("memory-bound: {} of weights and {} of KV cache per {} at {}", show(weights), show(kv), per,
                       show(hw.bandwidth));
  return fmt::format("memory-bound: {} of weights read per {} at {}", show(weights), per, show(hw.bandwidth));
}

std::string allreduce_note(const common_args& c) {
  const auto& par = c.parallel;
  if (par.tp <= 1) return "no tensor parallelism";
  return fmt::format("2 ring all-reduces per layer over {} devices, each alpha_0 {} us + {} steps x alpha {} us ({}) + "
                     "bytes at link efficiency {} (registry collective)",
                     format_number(par.tp), format_number(par.base.value() * 1e6), format_number(2 * (par.tp - 1)),
                     format_number(par.latency.value() * 1e6), c.latency_origin, format_number(par.efficiency));
}

// What one device holds for `batch` sequences of `context` tokens (weights, KV
// cache, transient activations and the registry's runtime reserve: the
// `memory` solver's inference ledger, with its defaults) against its memory;
// empty when it fits.
stdlib::memory_ledger inference_ledger(const common_args& c, double reserve, double batch, double context) {
  stdlib::memory_request m{.batch = batch, .context = context, .weights = c.fmt.weights, .kv = c.fmt.kv,
                           .group_size = c.group_size, .tp = c.parallel.tp, .device_memory = c.hw.memory,
                           .reserve_fraction = reserve};
  return stdlib::memory(c.model, m);
}

std::string inference_shortfall(call_args& args, const common_args& c, double batch, double context) {
  auto l = inference_ledger(c, runtime_reserve(args.reg()), batch, context);
  return fit_shortfall(args, ledger_needs(l), c.hw.memory.value());
}

// The ledger's total, summed in ledger_needs' order as fit_shortfall sums it
// (the same double), without building the list.
double inference_needs(const common_args& c, double reserve, double batch, double context) {
  auto l = inference_ledger(c, reserve, batch, context);
  double total = 0;
  for (double bytes : {l.weights.value(), l.kv_cache.value(), l.activations.value(), l.gradients.value(),
                       l.optimizer_state.value(), l.reserve.value()})
    total += bytes;
  return total;
}

// ---- decode -------------------------------------------------------------------------

std::optional<value> decode_binding(call_args& args) {
  auto c = read_common(args);
  auto batch = args.count("batch", 1, true);
  auto context = args.quantity_of("context");
  auto eff = c ? read_efficiency(args, *c, "decode", "compute_efficiency", "bandwidth_efficiency") : std::nullopt;
  if (!c || !batch || !context || !eff) return std::nullopt;
  if (!check_context(args, "context", context->si, c->model, c->model_rec->name)) return std::nullopt;

  stdlib::decode_request req{*batch,     context->si,    c->fmt.weights, c->fmt.kv,
                             eff->used,  c->parallel,    c->group_size,  eff->overhead.value};
  auto r = stdlib::decode(c->model, c->hw, req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  bool memory_bound = r.step.bottleneck == stdlib::bound::memory;
  // A quiet call (a search's point) words no notes.
  bool quiet = args.quiet();
  std::string bound_note = quiet ? std::string()
                                 : roofline_note(r.step, show, c->hw, r.compute_precision, r.flops, r.weight_bytes,
                                                 r.kv_bytes, r.kv_bytes.value() > 0 ? "step" : "token");
  std::string itl_note = quiet ? std::string() : time_note(args, *eff, memory_bound) + "; see :why";

  std::vector<field> fields = {
      typed_field("itl_bound", r.itl_bound, bound_note),
      typed_field("itl", r.itl, itl_note),
      word_field("bottleneck", stdlib::name_of(r.step.bottleneck), bound_note),
      typed_field("throughput", r.throughput, "tokens per second across the batch"),
      typed_field("flops", r.flops, "per decode step, whole batch, per device"),
      typed_field("bytes", r.bytes, "weights + KV cache read per step, per device"),
      typed_field("weight_bytes", r.weight_bytes),
      typed_field("kv_bytes", r.kv_bytes),
      typed_field("intensity", r.step.intensity, "FLOPs per byte moved"),
      typed_field("ridge", r.step.ridge, "the intensity above which the step is compute-bound"),
      typed_field("compute_time", r.step.compute_time, "FLOPs / peak FLOP/s"),
      typed_field("memory_time", r.step.memory_time, "bytes / peak bandwidth"),
      typed_field("allreduce", r.allreduce, quiet ? std::string() : allreduce_note(*c)),
      number_field("utilization", r.step.utilization, "achieved FLOP/s over peak"),
      word_field("compute_precision", std::string(stdlib::name_of(r.compute_precision)),
                 "the peak the matmuls run at"),
  };
  for (auto& f : figure_fields(args, *eff)) fields.push_back(std::move(f));
  return with_fit(args, make_result("decode", std::move(fields)), inference_shortfall(args, *c, *batch, context->si));
}

// decode's typed search path (interp/typed_solver.hpp): the model, hardware,
// formats and efficiencies read once; batch and context may be axes. It
// declines a design with any other axis and a point the generic call refuses.
class decode_typed final : public typed_solver {
 public:
  static std::unique_ptr<typed_solver> prepare(call_args& args, const typed_axes& axes) {
    auto t = std::make_unique<decode_typed>();
    for (std::size_t a = 0; a < axes.names.size(); ++a) {
      const auto& name = axes.names[a];
      if (name != "batch" && name != "context") return nullptr;
      dim want = name == "batch" ? dim{} : args.function().params[param_index(args, name)].d;
      if (!axes.values[a].all_of([&](const value& v) { const auto* q = v.as_quantity(); return q && q->d == want; }))
        return nullptr;
      (name == "batch" ? t->batch_axis_ : t->context_axis_) = a;
    }
    auto c = read_common(args);
    auto eff = c ? read_efficiency(args, *c, "decode", "compute_efficiency", "bandwidth_efficiency") : std::nullopt;
    auto allowed = args.word("allow_infeasible");
    if (!c || !eff || !allowed) return nullptr;
    // A fixed batch or context is read here; an axis's values at each point.
    if (t->batch_axis_ == none) {
      auto batch = args.count("batch", 1, true);
      if (!batch) return nullptr;
      t->batch_ = *batch;
    }
    if (t->context_axis_ == none) {
      auto context = args.quantity_of("context");
      if (!context) return nullptr;
      t->context_ = context->si;
    }
    t->c_ = *c;
    t->eff_ = *eff;
    t->reserve_ = runtime_reserve(args.reg());
    t->hypothetical_allowed = *allowed == "true";
    t->results_ = &args.function().results;
    return t;
  }

  // The one refusal class: a context past the model's maximum (check_context's
  // message, one reason for every such point once its numbers are N).
  static constexpr int context_past_maximum = 1;

  int eval(const point& p, double* out, bool& fits) const override {
    double batch = batch_axis_ == none ? batch_ : p.axes[batch_axis_];
    double context = context_axis_ == none ? context_ : p.axes[context_axis_];
    // What call_args::count and quantity_of refuse: the generic call words it.
    if (!std::isfinite(batch) || batch < 1 || batch != std::round(batch)) return declined;
    if (!std::isfinite(context) || context < 0) return declined;
    if (context > c_.model.context) return context_past_maximum;
    stdlib::decode_request req{batch,     context,      c_.fmt.weights, c_.fmt.kv,
                               eff_.used, c_.parallel,  c_.group_size,  eff_.overhead.value};
    auto r = stdlib::decode(c_.model, c_.hw, req);
    // The order of pass_results, as decode_binding fills its record.
    const auto& res = *results_;
    std::size_t i = 0;
    out[i++] = to_si(r.itl_bound);
    out[i++] = to_si(r.itl);
    out[i] = word_index(res[i], stdlib::name_of(r.step.bottleneck)), ++i;
    out[i++] = to_si(r.throughput);
    out[i++] = to_si(r.flops);
    out[i++] = to_si(r.bytes);
    out[i++] = to_si(r.weight_bytes);
    out[i++] = to_si(r.kv_bytes);
    out[i++] = to_si(r.step.intensity);
    out[i++] = to_si(r.step.ridge);
    out[i++] = to_si(r.step.compute_time);
    out[i++] = to_si(r.step.memory_time);
    out[i++] = to_si(r.allreduce);
    out[i++] = r.step.utilization;
    out[i] = word_index(res[i], stdlib::name_of(r.compute_precision)), ++i;
    out[i++] = eff_.used.bandwidth;
    out[i++] = eff_.used.compute;
    out[i++] = to_si(eff_.overhead.value);
    fits = inference_needs(c_, reserve_, batch, context) <= c_.hw.memory.value();
    return computed;
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  static std::size_t param_index(const call_args& args, std::string_view name) {
    const auto& ps = args.function().params;
    return static_cast<std::size_t>(std::find_if(ps.begin(), ps.end(), [&](const auto& p) { return p.name == name; }) - ps.begin());
  }
  static double word_index(const result_field& f, std::string_view word) {
    return static_cast<double>(std::find(f.words.begin(), f.words.end(), word) - f.words.begin());
  }
  std::size_t batch_axis_ = none, context_axis_ = none;
  common_args c_;
  regime_efficiency eff_;
  double batch_ = 1, context_ = 0, reserve_ = 0;
  const std::vector<result_field>* results_ = nullptr;
};

// ---- lora_decode --------------------------------------------------------------------

// A decode step of a base model serving many LoRA adapters (S-LoRA, Punica):
// every adapter resident in device memory, each step gathering the adapters
// its batch uses once and adding their low-rank FLOPs.
std::optional<value> lora_decode_binding(call_args& args) {
  auto c = read_common(args);
  auto batch = args.count("batch", 1, true);
  auto context = args.quantity_of("context");
  auto adapters = args.count("adapters", 1, true);
  auto rank = args.count("rank", 1, true);
  auto targets = args.count("targets", 1, true);
  auto adapter_format = args.word("adapter_precision");
  auto eff = c ? read_efficiency(args, *c, "decode", "compute_efficiency", "bandwidth_efficiency") : std::nullopt;
  if (!c || !batch || !context || !adapters || !rank || !targets || !adapter_format || !eff) return std::nullopt;
  if (!check_context(args, "context", context->si, c->model, c->model_rec->name)) return std::nullopt;
  stdlib::decode_request req{*batch,     context->si,    c->fmt.weights, c->fmt.kv,
                             eff->used,  c->parallel,    c->group_size,  eff->overhead.value};
  auto base = stdlib::decode(c->model, c->hw, req);
  stdlib::lora_request lr{*adapters, *rank, *targets, *batch, *stdlib::precision_from_name(*adapter_format)};
  auto lora = stdlib::lora_adapters(c->model, lr);
  // Adapters are split over the tensor-parallel group like the weights they adapt.
  const double tp = c->parallel.tp;
  auto flops = base.flops + lora.flops_per_step / tp;
  auto bytes = base.bytes + lora.bytes_per_step / tp;
  auto step = stdlib::roofline(flops, bytes, c->hw.peak_at(base.compute_precision), c->hw.bandwidth, eff->used);
  // The base step's all-reduce and fixed overhead stay as decode has them.
  auto itl_bound = base.itl_bound - base.step.time_bound + step.time_bound;
  auto itl = base.itl - base.step.time + step.time;
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::vector<field> fields = {
      typed_field("itl_bound", itl_bound,
                  fmt::format("decode's step plus {} of adapters read ({} distinct in the batch) and {} of their FLOPs",
                              show(lora.bytes_per_step / tp), format_number(lora.distinct), show(lora.flops_per_step / tp))),
      typed_field("itl", itl, time_note(args, *eff, step.bottleneck == stdlib::bound::memory)),
      typed_field("base_itl_bound", base.itl_bound, "the same step without adapters (decode's itl_bound)"),
      typed_field("throughput", *batch * u::token / itl, "tokens per second across the batch"),
      typed_field("adapter_bytes", lora.per_adapter,
                  fmt::format("rank x (d_in + d_out) x layers x targets x bytes = {} x 2 x {} x {} x {} x {}",
                              format_number(*rank), format_number(c->model.d_model), format_number(c->model.layers),
                              format_number(*targets), format_number(stdlib::bytes_per_element(lr.adapter)))),
      typed_field("adapter_memory", lora.memory / tp, "all adapters resident, per device"),
      number_field("distinct_adapters", lora.distinct, "adapters one step reads: min(adapters, batch)"),
      typed_field("adapter_step_bytes", lora.bytes_per_step / tp, "distinct x adapter_bytes, per device"),
      typed_field("adapter_flops", lora.flops_per_step / tp, "batch x 2 x the adapter's weights, per device"),
      typed_field("flops", flops, "decode's FLOPs + the adapters'"),
      typed_field("bytes", bytes, "decode's bytes + the adapters read"),
      typed_field("intensity", step.intensity, "FLOPs per byte moved"),
      typed_field("ridge", step.ridge, "the intensity above which the step is compute-bound"),
      typed_field("compute_time", step.compute_time, "FLOPs / peak FLOP/s"),
      typed_field("memory_time", step.memory_time, "bytes / peak bandwidth"),
      word_field("bottleneck", stdlib::name_of(step.bottleneck)),
  };
  stdlib::memory_request m{.batch = *batch, .context = context->si, .weights = c->fmt.weights, .kv = c->fmt.kv,
                           .tp = c->parallel.tp, .device_memory = c->hw.memory,
                           .reserve_fraction = runtime_reserve(args.reg())};
  auto needs = ledger_needs(stdlib::memory(c->model, m));
  needs.push_back({"LoRA adapters", (lora.memory / tp).value()});
  return with_fit(args, make_result("lora_decode", std::move(fields)),
                  fit_shortfall(units, needs, c->hw.memory.value()));
}

// ---- prefill ------------------------------------------------------------------------

std::optional<value> prefill_binding(call_args& args) {
  auto c = read_common(args);
  auto batch = args.count("batch", 1, true);
  auto prompt = args.quantity_of("prompt");
  auto cached = args.quantity_of("cached");
  auto eff = c ? read_efficiency(args, *c, "prefill", "compute_efficiency", "bandwidth_efficiency") : std::nullopt;
  if (!c || !batch || !prompt || !cached || !eff) return std::nullopt;
  if (!check_context(args, "prompt", prompt->si, c->model, c->model_rec->name, 1)) return std::nullopt;
  if (cached->si < 0 || cached->si >= prompt->si) {
    args.error("cached", fmt::format("cached must be between 0 and the prompt's {} tokens less one, got {}",
                                     format_number(prompt->si), format_number(cached->si)));
    return std::nullopt;
  }
  stdlib::prefill_request req{*batch,    prompt->si,  cached->si,    c->fmt.weights,     c->fmt.kv,
                              eff->used, c->parallel, c->group_size, eff->overhead.value};
  auto r = stdlib::prefill(c->model, c->hw, req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  const auto& roof = r.pass.roof;
  bool memory_bound = roof.bottleneck == stdlib::bound::memory;
  std::string bound_note = roofline_note(roof, show, c->hw, r.compute_precision, r.flops, r.weight_bytes, r.kv_bytes, "pass");
  std::string ttft_note = time_note(args, *eff, memory_bound);
  std::vector<field> fields = {
      typed_field("ttft_bound", r.ttft_bound, bound_note),
      typed_field("ttft", r.ttft, ttft_note),
      word_field("bottleneck", stdlib::name_of(roof.bottleneck), bound_note),
      typed_field("throughput", r.throughput, "prompt tokens computed per second"),
      typed_field("flops", r.flops, "2 N per token + causal attention, whole batch, per device"),
      typed_field("bytes", r.bytes, "weights + KV written and cached prefix read, per device"),
      typed_field("weight_bytes", r.weight_bytes),
      typed_field("kv_bytes", r.kv_bytes),
      typed_field("intensity", roof.intensity, "FLOPs per byte moved"),
      typed_field("ridge", roof.ridge, "the intensity above which the pass is compute-bound"),
      typed_field("compute_time", roof.compute_time, "FLOPs / peak FLOP/s"),
      typed_field("memory_time", roof.memory_time, "bytes / peak bandwidth"),
      typed_field("allreduce", r.pass.comm, allreduce_note(*c)),
      number_field("utilization", roof.utilization, "achieved FLOP/s over peak"),
      word_field("compute_precision", std::string(stdlib::name_of(r.compute_precision)), "the peak the matmuls run at"),
  };
  for (auto& f : figure_fields(args, *eff)) fields.push_back(std::move(f));
  return with_fit(args, make_result("prefill", std::move(fields)), inference_shortfall(args, *c, *batch, prompt->si));
}

// ---- serve --------------------------------------------------------------------------

const std::vector<std::string> schedulers = {"continuous", "static", "chunked"};
const std::vector<std::string> allocators = {"paged", "contiguous"};
const std::vector<std::string> limits = {"none", "memory", "latency", "both"};

// prompt + output = context, each defaulted from the others (output 256 tokens).
bool read_lengths(call_args& args, const common_args& c, stdlib::serve_request& req) {
  auto context = args.given("context") ? args.quantity_of("context") : std::optional<quantity>{};
  auto prompt = args.given("prompt") ? args.quantity_of("prompt") : std::optional<quantity>{};
  auto output = args.given("output") ? args.quantity_of("output") : std::optional<quantity>{};
  if ((args.given("context") && !context) || (args.given("prompt") && !prompt) || (args.given("output") && !output))
    return false;
  const double default_output = 256;
  if (output) req.output = output->si;
  else if (context && prompt) req.output = context->si - prompt->si;
  else req.output = context ? std::min(default_output, std::floor(context->si / 2)) : default_output;
  if (prompt) req.prompt = prompt->si;
  else req.prompt = context ? context->si - req.output : 1024;
  req.context = context ? context->si : req.prompt + req.output;
  if (req.output < 1 || req.output != std::round(req.output)) {
    args.error(args.given("output") ? "output" : "context",
               fmt::format("output must be a whole number of tokens >= 1, got {}", format_number(req.output)));
    return false;
  }
  if (req.prompt < 1) {
    args.error(args.given("prompt") ? "prompt" : "context",
               fmt::format("prompt must be at least 1 token, got {}", format_number(req.prompt)));
    return false;
  }
  if (req.prompt + req.output > req.context) {
    args.error("context", fmt::format("context ({} tokens) must hold prompt + output ({} + {} tokens)",
                                      format_number(req.context), format_number(req.prompt), format_number(req.output)));
    return false;
  }
  return check_context(args, args.given("context") ? "context" : "prompt", req.context, c.model, c.model_rec->name, 2);
}

bool read_speculation(call_args& args, const common_args& c, stdlib::serve_request& req) {
  if (!args.given("draft")) {
    if (args.given("acceptance") || args.given("draft_tokens")) {
      args.error(args.given("acceptance") ? "acceptance" : "draft_tokens", "speculative decoding needs a draft model",
                 "pass draft = a smaller model of the same family");
      return false;
    }
    return true;
  }
  auto draft_rec = args.entity("draft");
  auto tokens = args.count("draft_tokens", 1, true);
  if (!draft_rec || !tokens) return false;
  auto draft = to_transformer(*draft_rec, args, "draft");
  if (!draft) return false;
  if (!args.given("acceptance")) {
    args.error("draft", "speculative decoding needs acceptance = (the chance the target accepts a draft token)",
               "it depends on the pair of models and the task; Leviathan et al. 2023 measure 0.5-0.9");
    return false;
  }
  auto acceptance = args.fraction("acceptance", 0.5);
  if (!acceptance) return false;
  if (*acceptance >= 1) {
    args.error("acceptance", "acceptance must be below 1 (1 would accept every draft token forever)");
    return false;
  }
  if (draft->context < req.context) {
    args.error("draft", fmt::format("draft '{}' holds {} tokens of context, fewer than the {} requested",
                                    draft_rec->name, format_number(draft->context), format_number(req.context)));
    return false;
  }
  req.speculative = stdlib::speculation{*draft, *tokens, *acceptance};
  (void)c;
  return true;
}

std::optional<value> serve_binding(call_args& args) {
  auto c = read_common(args);
  auto batch = args.count("batch", 1, true);
  auto scheduler = args.word("scheduler");
  auto chunk = args.quantity_of("chunk");
  auto allocator = args.word("allocator");
  auto page = args.quantity_of("page_size");
  auto reserve_default = efficiency_from(args.reg(), "runtime_reserve", "fraction");
  auto frag_default = efficiency_from(args.reg(), "paged_attention", "fragmentation");
  auto reserve = share(args, "reserve", reserve_default.value);
  auto prefix = share(args, "prefix_hit", 0);
  auto decode_eff = c ? read_efficiency(args, *c, "decode", "compute_efficiency", "bandwidth_efficiency") : std::nullopt;
  auto prefill_default = c ? stack_efficiency(args.reg(), "prefill", c->runtime, c->fmt.weights, "compute")
                           : efficiency_from(args.reg(), "prefill", "compute");
  auto prefill_eff = args.fraction("prefill_efficiency", prefill_default.value);
  auto rate = args.given("rate") ? args.quantity_of("rate") : std::optional<quantity>{};
  if (!c || !batch || !scheduler || !chunk || !allocator || !page || !reserve || !prefix || !decode_eff || !prefill_eff ||
      (args.given("rate") && !rate))
    return std::nullopt;
  if (rate && !(rate->si > 0)) {
    args.error("rate", "the arrival rate must be more than 0 req/s");
    return std::nullopt;
  }
  bool paged = *allocator == "paged";
  auto frag = share(args, "fragmentation", paged ? frag_default.value : 0);
  if (!frag) return std::nullopt;

  stdlib::serve_request req;
  req.batch = *batch;
  req.weights = c->fmt.weights;
  req.kv = c->fmt.kv;
  req.parallel = c->parallel;
  req.group_size = c->group_size;
  if (!read_lengths(args, *c, req) || !read_speculation(args, *c, req)) return std::nullopt;
  if (chunk->si < 1 || page->si < 1) {
    args.error(chunk->si < 1 ? "chunk" : "page_size", "must be at least 1 token");
    return std::nullopt;
  }
  for (auto name : {"max_ttft", "max_itl"}) {
    if (!args.given(name)) continue;
    auto limit = args.quantity_of(name);
    if (!limit) return std::nullopt;
    if (limit->si <= 0) {
      args.error(name, fmt::format("{} must be a positive time", name));
      return std::nullopt;
    }
    (std::string_view(name) == "max_ttft" ? req.max_ttft : req.max_itl) = limit->si * u::second;
  }
  req.decode_eff = decode_eff->used;
  req.prefill_eff = {*prefill_eff, stack_efficiency(args.reg(), "prefill", c->runtime, c->fmt.weights, "bandwidth").value};
  auto prefill_overhead = overhead_of(args.reg(), "prefill", c->runtime, c->model.layers);
  req.decode_overhead = decode_eff->overhead.value;
  req.prefill_overhead = prefill_overhead.value;
  req.rate = rate ? rate->si : 0;
  req.scheduler = *scheduler == "static" ? stdlib::scheduler_kind::static_batching
                  : *scheduler == "chunked" ? stdlib::scheduler_kind::chunked
                                            : stdlib::scheduler_kind::continuous;
  req.chunk = chunk->si;
  req.allocator = paged ? stdlib::allocator_kind::paged : stdlib::allocator_kind::contiguous;
  req.page = page->si;
  req.fragmentation = *frag;
  req.reserve_fraction = *reserve;
  req.prefix_hit = *prefix;

  auto r = stdlib::serve(c->model, c->hw, req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  auto tokens = [&](double n) { return fmt::format("{} tokens", format_number(n)); };

  std::string scheduler_text = *scheduler == "static"    ? "static batching: the whole batch prefills together"
                               : *scheduler == "chunked" ? fmt::format("chunked prefill: {} per iteration beside the decodes",
                                                                       tokens(req.chunk))
                                                         : "continuous batching: each prompt prefills alone";
  // A quiet call (a search's point) words no notes (note_of).
  std::string ttft_note = note_of(args, [&] {
    return fmt::format("{}; {}", scheduler_text,
                       efficiency_note(args, "prefill_efficiency", *prefill_eff, prefill_default));
  });
  std::string itl_note = note_of(args, [&] {
    return fmt::format(
        "mean gap between tokens (= TPOT){}{}; decode {}", req.scheduler == stdlib::scheduler_kind::static_batching ? "" :
                                                            ", prefills of arriving requests included",
        req.speculative ? fmt::format(", {:.2f} tokens per speculative step", r.tokens_per_step) : "",
        efficiency_note(args, "bandwidth_efficiency", req.decode_eff.bandwidth, decode_eff->bandwidth));
  });
  std::string step_note = note_of(args, [&] {
    return roofline_note(r.step.step, show, c->hw, r.step.compute_precision, r.step.flops, r.step.weight_bytes,
                         r.step.kv_bytes, "step");
  });
  std::string kv_note = note_of(args, [&] {
    return fmt::format("{} x {} per token ({})", tokens(req.context),
                       show(stdlib::kv_elements_per_token(c->model) * stdlib::bytes_per_element(req.kv) * u::byte),
                       stdlib::name_of(req.kv));
  });
  std::string alloc_note = note_of(args, [&] {
    return paged ? fmt::format("pages of {}, fragmentation {} ({}){}", tokens(req.page), format_number(req.fragmentation),
                               args.given("fragmentation") ? "given" : "default: " + frag_default.source,
                               req.parallel.tp > 1 ? ", per device" : "")
                 : fmt::format("contiguous: the model's maximum {} reserved per request", tokens(c->model.context));
  });
  std::string avail_note = note_of(args, [&] {
    return fmt::format("{} less a {} runtime reserve ({})", show(c->hw.memory), format_number(req.reserve_fraction),
                       args.given("reserve") ? "given" : "default: " + reserve_default.source);
  });
  std::string max_note = note_of(args, [&] {
    return fmt::format("({} - {} weights) / {} per request; weights + KV only, activations not counted",
                       show(r.memory_available), show(r.weights), show(r.kv_allocated_per_request));
  });
  std::string limit_note;
  if (!args.quiet()) {
    if (r.limit == stdlib::serve_limit::memory || r.limit == stdlib::serve_limit::both)
      limit_note = fmt::format("needs {} of {}", show(r.memory_used), show(r.memory_available));
    if (r.limit == stdlib::serve_limit::latency || r.limit == stdlib::serve_limit::both)
      limit_note += fmt::format("{}TTFT {}, ITL {} against the limits", limit_note.empty() ? "" : "; ", show(r.ttft),
                                show(r.itl));
  }

  std::string load_note = note_of(args, [&] {
    return rate ? fmt::format("TTFT + the wait's quantile at {} (M/M/c over {} slots)", units.format(*rate),
                              format_number(req.batch))
                : "no rate: TTFT (no queue)";
  });
  std::string tpot_note = req.scheduler == stdlib::scheduler_kind::static_batching
                              ? "static batching: every request's gaps are the same"
                              : "plain step + prefills of the requests arriving during a decode (Poisson) per token";
  bool out_of_memory = r.limit == stdlib::serve_limit::memory || r.limit == stdlib::serve_limit::both;
  std::string shortfall =
      out_of_memory ? fit_shortfall(args, {{"weights", r.weights.value()}, {"KV cache", r.kv_cache.value()}},
                                    r.memory_available.value(), "per device after the runtime reserve")
                    : "";
  return with_fit(args, make_result("serve", {
      typed_field("ttft_bound", r.ttft_bound, "TTFT at peak FLOP/s and bandwidth"),
      typed_field("ttft", r.ttft, ttft_note),
      typed_field("itl_bound", r.itl_bound, "ITL at peak FLOP/s and bandwidth"),
      typed_field("itl", r.itl, itl_note),
      typed_field("itl_max", r.itl_max, "the longest gap: a decode step and the prefills that land in it"),
      typed_field("e2e", r.e2e, note_of(args, [&] { return fmt::format("TTFT + (output - 1) x ITL, output {}", tokens(req.output)); })),
      typed_field("throughput", r.throughput, "output tokens per second, the whole replica"),
      typed_field("throughput_per_gpu", r.throughput_per_gpu,
                  note_of(args, [&] { return fmt::format("over {} devices", format_number(req.parallel.tp)); })),
      typed_field("throughput_per_user", r.throughput_per_user, "1 / ITL"),
      typed_field("requests", r.requests, "completed requests per second"),
      typed_field("kv_cache_per_request", r.kv_cache_per_request, kv_note),
      typed_field("kv_allocated_per_request", r.kv_allocated_per_request, alloc_note),
      typed_field("weights", r.weights, req.speculative ? "per device, with the draft model" : "per device"),
      typed_field("kv_cache", r.kv_cache, note_of(args, [&] { return fmt::format("{} requests, per device", format_number(req.batch)); })),
      typed_field("memory_used", r.memory_used, "weights + KV cache, per device"),
      typed_field("memory_available", r.memory_available, avail_note),
      number_field("max_batch", r.max_batch, max_note),
      bool_field("feasible", r.feasible, r.feasible ? "fits memory and meets the latency limits" : limit_note),
      word_field("limit", stdlib::name_of(r.limit), r.feasible ? "nothing binds" : limit_note),
      word_field("bottleneck", stdlib::name_of(r.bottleneck), step_note),
      number_field("tokens_per_step", r.tokens_per_step,
                   req.speculative ? "(1 - a^(k+1)) / (1 - a), Leviathan et al. 2023" : "no speculation"),
      typed_field("allreduce", r.allreduce, note_of(args, [&] { return allreduce_note(*c); })),
      number_field("prefills_per_gap", r.prefills_per_gap, "prefill iterations between two tokens of a request, mean"),
      number_field("utilization", r.utilization, rate ? "arrival rate / request capacity" : "no rate: saturated"),
      bool_field("stable", r.utilization < 1 + 1e-9,
                 r.utilization < 1 + 1e-9 ? "the queue drains (utilization <= 1)"
                                          : "arrivals exceed the replica's capacity: the queue grows without bound, "
                                            "waits and tails are infinite"),
      typed_field("queue_wait", r.queue_wait, rate ? "mean wait for a slot: M/M/c over `batch` slots (Erlang C)"
                                                   : "no rate: no queue"),
      typed_field("ttft_p50", r.ttft_p50, load_note),
      typed_field("ttft_p90", r.ttft_p90, load_note),
      typed_field("ttft_p99", r.ttft_p99, load_note),
      typed_field("tpot_p50", r.tpot_p50, tpot_note),
      typed_field("tpot_p90", r.tpot_p90, tpot_note),
      typed_field("tpot_p99", r.tpot_p99, tpot_note),
      typed_field("decode_overhead", req.decode_overhead, decode_eff->overhead.source),
      typed_field("prefill_overhead", req.prefill_overhead, prefill_overhead.source),
      typed_field("prompt", req.prompt * u::token),
      typed_field("output", req.output * u::token),
      typed_field("context", req.context * u::token, "KV tokens reserved per request"),
  }), shortfall);
}

std::vector<param_spec> common_params() {
  return {entity_param("model", "model", "the model (a transformer)"),
          entity_param("hardware", "hardware", "the accelerator (one device of the tp group)")};
}

std::vector<param_spec> tail_params(std::string regime) {
  // Parameters added later go last, so positional calls keep their meaning.
  auto latencies = link_latency_params();  // link_latency, link_base_latency
  return {precision_param("precision", "fp16", "the weights' numeric format"),
          precision_param("kv_precision", "", "the KV cache's numeric format (default: the weights' format; fp16 "
                                              "under weight-only int8, int4, fp6 and fp4)"),
          tp_param(),
          latencies[0],
          fraction_param("bandwidth_efficiency", "registry efficiency." + regime + "[_FORMAT|_RUNTIME].bandwidth",
                         "achieved fraction of peak memory bandwidth"),
          fraction_param("compute_efficiency", "registry efficiency." + regime + "[_FORMAT|_RUNTIME].compute",
                         "achieved fraction of peak FLOP/s"),
          latencies[1],
          optional_count_param("group_size", "the format's: int4 128 (fp16 scale and zero per group), fp4 16 (fp8 scale)",
                               "weights per quantization scale of int4 and fp4 weights"),
          runtime_param(), allow_infeasible_param()};
}

std::vector<param_spec> join(std::vector<param_spec> a, const std::vector<param_spec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<result_field> pass_results(std::string time, std::string what) {
  const std::vector<std::string> bounds = {"compute", "memory"};
  return {quantity_result<u::seconds>(time + "_bound", what + " at peak FLOP/s and bandwidth"),
          quantity_result<u::seconds>(time, what + " at the achieved efficiencies"),
          word_result("bottleneck", bounds, "which resource binds"),
          quantity_result<u::token_rate>("throughput", "tokens per second, whole batch"),
          quantity_result<u::flops>("flops", "FLOPs per pass, per device"),
          quantity_result<u::bytes>("bytes", "bytes moved per pass, per device"),
          quantity_result<u::bytes>("weight_bytes", "weight bytes read per pass"),
          quantity_result<u::bytes>("kv_bytes", "KV cache bytes moved per pass"),
          quantity_result<u::intensity>("intensity", "FLOPs per byte"),
          quantity_result<u::intensity>("ridge", "peak / bandwidth"),
          quantity_result<u::seconds>("compute_time", "FLOPs / peak"),
          quantity_result<u::seconds>("memory_time", "bytes / bandwidth"),
          quantity_result<u::seconds>("allreduce", "tensor-parallel all-reduce time per pass"),
          number_result("utilization", "achieved FLOP/s over peak"),
          word_result("compute_precision", precision_words(), "the format whose peak the matmuls use"),
          number_result("bandwidth_efficiency", "the bandwidth efficiency used (its note: where it came from)"),
          number_result("compute_efficiency", "the compute efficiency used (its note: where it came from)"),
          quantity_result<u::seconds>("overhead", "the runtime's fixed cost per pass, in the time")};
}

}  // namespace

std::vector<builtin> serving() {
  const std::vector<std::string> bounds = {"compute", "memory"};
  return {
      builtin{
          .name = "decode",
          .summary = "One LLM decode step (every sequence emits a token): ITL and its roofline bound.",
          .params = join(join(common_params(),
                              {count_param("batch", 1, "sequences decoded together"),
                               quantity_param<u::tokens>("context", 0, "0 tokens",
                                                         "tokens already in each sequence's KV cache")}),
                         tail_params("decode")),
          .results = pass_results("itl", "inter-token latency"),
          .invoke = decode_binding,
          .typed = decode_typed::prepare,
      },
      builtin{
          .name = "lora_decode",
          .summary = "A decode step serving many LoRA adapters on one base model (S-LoRA, Punica): adapter memory "
                     "and the per-step cost of the adapters a batch uses.",
          .params = join(join(common_params(),
                              {count_param("batch", 1, "sequences decoded together, each with its own adapter"),
                               quantity_param<u::tokens>("context", 0, "0 tokens",
                                                         "tokens already in each sequence's KV cache"),
                               count_param("adapters", 8, "adapters resident on the device"),
                               count_param("rank", 16, "LoRA rank r"),
                               count_param("targets", 4, "adapted projections per layer (q, k, v, o)"),
                               precision_param("adapter_precision", "fp16", "the adapters' numeric format")}),
                         tail_params("decode")),
          .results = {quantity_result<u::seconds>("itl_bound", "inter-token latency at the peaks, adapters included"),
                      quantity_result<u::seconds>("itl", "at the achieved efficiencies"),
                      quantity_result<u::seconds>("base_itl_bound", "without adapters"),
                      quantity_result<u::token_rate>("throughput", "tokens per second, whole batch"),
                      quantity_result<u::bytes>("adapter_bytes", "one adapter"),
                      quantity_result<u::bytes>("adapter_memory", "all adapters, per device"),
                      number_result("distinct_adapters", "adapters one step reads"),
                      quantity_result<u::bytes>("adapter_step_bytes", "adapter bytes read per step, per device"),
                      quantity_result<u::flops>("adapter_flops", "adapter FLOPs per step, per device"),
                      quantity_result<u::flops>("flops", "FLOPs per step, per device"),
                      quantity_result<u::bytes>("bytes", "bytes per step, per device"),
                      quantity_result<u::intensity>("intensity", "FLOPs per byte"),
                      quantity_result<u::intensity>("ridge", "peak / bandwidth"),
                      quantity_result<u::seconds>("compute_time", "FLOPs / peak"),
                      quantity_result<u::seconds>("memory_time", "bytes / bandwidth"),
                      word_result("bottleneck", {"compute", "memory"}, "which resource binds")},
          .invoke = lora_decode_binding,
      },
      builtin{
          .name = "prefill",
          .summary = "One prefill pass over the prompts: TTFT and its roofline bound.",
          .params = join(join(common_params(),
                              {count_param("batch", 1, "prompts prefilled together"),
                               quantity_param<u::tokens>("prompt", "tokens per prompt"),
                               quantity_param<u::tokens>("cached", 0, "0 tokens",
                                                         "leading prompt tokens already cached (prefix caching)")}),
                         tail_params("prefill")),
          .results = pass_results("ttft", "time to first token"),
          .invoke = prefill_binding,
      },
      builtin{
          .name = "serve",
          .summary = "A serving replica in steady state: TTFT, ITL, throughput, KV capacity and feasibility.",
          .params = join(join(common_params(),
                              {optional_quantity_param<u::tokens>("context", "prompt + output",
                                                                  "KV tokens reserved per request"),
                               optional_quantity_param<u::tokens>("prompt", "context - output, else 1024 tokens",
                                                                  "prompt tokens per request"),
                               optional_quantity_param<u::tokens>("output", "context - prompt, else 256 tokens",
                                                                  "generated tokens per request"),
                               count_param("batch", 1, "concurrent requests")}),
                         join(tail_params("decode"),
                              {fraction_param("prefill_efficiency", "registry efficiency.prefill.compute",
                                              "achieved fraction of peak FLOP/s in prefill"),
                               word_param("scheduler", schedulers, "continuous",
                                          "continuous (iteration-level), static (whole batches) or chunked prefill"),
                               quantity_param<u::tokens>("chunk", 512, "512 tokens",
                                                         "prefill tokens per iteration (chunked)"),
                               word_param("allocator", allocators, "paged", "KV cache allocation"),
                               quantity_param<u::tokens>("page_size", 16, "16 tokens", "tokens per KV block (paged)"),
                               optional_count_param("fragmentation", "registry efficiency.paged_attention.fragmentation "
                                                                     "(paged), 0 (contiguous)",
                                                    "share of the KV pool lost to fragmentation"),
                               reserve_param(),
                               optional_count_param("prefix_hit", "0", "share of prompt tokens found in the prefix cache"),
                               optional_entity_param("draft", "model", "draft model for speculative decoding"),
                               count_param("draft_tokens", 4, "tokens the draft proposes per step"),
                               optional_count_param("acceptance", "none: required with draft",
                                                    "chance the target accepts each draft token"),
                               optional_quantity_param<u::seconds>("max_ttft", "none", "TTFT objective"),
                               optional_quantity_param<u::seconds>("max_itl", "none", "mean ITL (TPOT) objective"),
                               optional_quantity_param<u::request_rate>("rate", "none: saturated, no queue",
                                                                        "request arrivals, for queueing and percentiles")})),
          .results = {quantity_result<u::seconds>("ttft_bound", "TTFT at peak FLOP/s and bandwidth"),
                      quantity_result<u::seconds>("ttft", "time to first token"),
                      quantity_result<u::seconds>("itl_bound", "ITL at peak FLOP/s and bandwidth"),
                      quantity_result<u::seconds>("itl", "mean inter-token latency (= TPOT)"),
                      quantity_result<u::seconds>("itl_max", "the longest gap between two tokens"),
                      quantity_result<u::seconds>("e2e", "end-to-end latency of a request"),
                      quantity_result<u::token_rate>("throughput", "output tokens per second, the replica"),
                      quantity_result<u::token_rate>("throughput_per_gpu", "output tokens per second per device"),
                      quantity_result<u::token_rate>("throughput_per_user", "output tokens per second per request"),
                      quantity_result<u::request_rate>("requests", "completed requests per second"),
                      quantity_result<u::bytes>("kv_cache_per_request", "KV cache of one request at `context`"),
                      quantity_result<u::bytes>("kv_allocated_per_request", "what the allocator sets aside per request"),
                      quantity_result<u::bytes>("weights", "weights per device"),
                      quantity_result<u::bytes>("kv_cache", "KV cache at `batch`, per device"),
                      quantity_result<u::bytes>("memory_used", "weights + KV cache, per device"),
                      quantity_result<u::bytes>("memory_available", "device memory less the runtime reserve"),
                      number_result("max_batch", "concurrent requests whose KV fits at `context`"),
                      bool_result("feasible", "fits memory and meets the latency limits"),
                      word_result("limit", limits, "what makes it infeasible"),
                      word_result("bottleneck", bounds, "what binds a decode step"),
                      number_result("tokens_per_step", "expected tokens per decode step"),
                      quantity_result<u::seconds>("allreduce", "tensor-parallel all-reduces per decode step"),
                      number_result("prefills_per_gap", "prefill iterations between two tokens of a request, mean"),
                      number_result("utilization", "arrival rate over the replica's request capacity"),
                      bool_result("stable", "the queue drains; otherwise waits and tails are infinite"),
                      quantity_result<u::seconds>("queue_wait", "mean wait for a batch slot (with rate)"),
                      quantity_result<u::seconds>("ttft_p50", "median TTFT with queueing"),
                      quantity_result<u::seconds>("ttft_p90", "90th-percentile TTFT with queueing"),
                      quantity_result<u::seconds>("ttft_p99", "99th-percentile TTFT with queueing"),
                      quantity_result<u::seconds>("tpot_p50", "median time per output token of a request"),
                      quantity_result<u::seconds>("tpot_p90", "90th-percentile time per output token"),
                      quantity_result<u::seconds>("tpot_p99", "99th-percentile time per output token"),
                      quantity_result<u::seconds>("decode_overhead", "the runtime's fixed cost per decode iteration"),
                      quantity_result<u::seconds>("prefill_overhead", "the runtime's fixed cost per prefill pass"),
                      quantity_result<u::tokens>("prompt", "prompt tokens used"),
                      quantity_result<u::tokens>("output", "output tokens used"),
                      quantity_result<u::tokens>("context", "KV tokens per request used")},
          .invoke = serve_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
