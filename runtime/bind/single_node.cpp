// Bindings of the single-node solvers: roofline, synthesize, compress, generate.
#include <fmt/format.h>

#include <algorithm>

#include "entities.hpp"
#include "params.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/compression.hpp"
#include "ironlaw/stdlib/diffusion.hpp"
#include "ironlaw/stdlib/memory.hpp"
#include "ironlaw/stdlib/single_node.hpp"
#include "ironlaw/stdlib/synthesis.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;
using sample_rate = u::q<u::per<u::sample_unit, u::second_unit>>;

bool is_transformer(const record& r) {
  const auto* f = r.find("family");
  const auto* s = f ? std::get_if<std::string>(&f->v.v) : nullptr;
  return s && (*s == "transformer" || *s == "moe" || *s == "encoder");
}


// A model given as totals: FLOPs per sample (or per denoiser pass) and parameters.
struct totals {
  u::flops flops{};
  double params = 0;
};

std::optional<totals> read_totals(const record& r, call_args& args, std::string_view param) {
  const auto* f = r.quantity_of("flops");
  const auto* p = r.quantity_of("params");
  auto flops = f ? from_runtime<u::flops>(*f) : std::nullopt;
  if (!flops || !p || !p->d.dimensionless() || p->si <= 0) {
    args.error(param, fmt::format("model '{}' ({}) needs flops (FLOP per sample) and params to be used by its totals",
                                  r.name, family_of(r).empty() ? "no family" : family_of(r)));
    return std::nullopt;
  }
  return totals{*flops, p->si};
}

double model_params(const record& r, const stdlib::transformer_shape* shape) {
  if (shape) return stdlib::count_parameters(*shape).total;
  const auto* p = r.quantity_of("params");
  return p ? p->si : 0;
}

// ---- roofline -----------------------------------------------------------------------

const std::vector<std::string> phases = {"inference", "training"};
const std::vector<std::string> regimes = {"decode", "prefill", "training", "cnn_inference", "cnn_training", "none"};

std::optional<value> roofline_binding(call_args& args) {
  auto hw_rec = args.entity("hardware");
  auto model_rec = args.given("model") ? args.entity("model") : record_ptr{};
  auto batch = args.count("batch", 1, true);
  auto tokens = args.quantity_of("tokens");
  auto context = args.quantity_of("context");
  auto f = read_formats(args);
  auto phase = args.word("phase");
  auto runtime = args.word("runtime");
  if (!hw_rec || (args.given("model") && !model_rec) || !batch || !tokens || !context || !f || !phase || !runtime)
    return std::nullopt;
  bool generic = args.given("flops") || args.given("bytes");
  if (generic == static_cast<bool>(model_rec)) {
    args.error(generic ? "model" : "", generic ? "give either a model or flops = and bytes =, not both"
                                               : "give a model, or the work as flops = and bytes =");
    return std::nullopt;
  }
  auto hw = to_accelerator(*hw_rec, args, "hardware");
  if (!hw || !check_peak(args, *hw, f->weights)) return std::nullopt;
  bool training = *phase == "training";
  double optimizer_bytes = stdlib::optimizer_bytes_per_param(stdlib::optimizer_kind::adam, f->weights);

  stdlib::workload work;
  std::string regime = "none";
  std::string what;
  double layers = 0;  // what a runtime's host time per layer multiplies
  std::vector<memory_need> resident;  // what the device holds for a model; nothing for given FLOPs and bytes
  if (generic) {
    auto given_flops = args.given("flops") ? args.quantity_of("flops") : std::optional<quantity>{};
    auto given_bytes = args.given("bytes") ? args.quantity_of("bytes") : std::optional<quantity>{};
    if ((args.given("flops") && !given_flops) || (args.given("bytes") && !given_bytes)) return std::nullopt;
    if (!given_flops || !given_bytes) {
      args.error(given_flops ? "flops" : "bytes", "the generic roofline needs both flops = and bytes =");
      return std::nullopt;
    }
    if (given_flops->si < 0 || given_bytes->si <= 0) {
      args.error(given_bytes->si <= 0 ? "bytes" : "flops", "flops must be >= 0 and bytes > 0");
      return std::nullopt;
    }
    work = {given_flops->si * u::flop, given_bytes->si * u::byte};
    what = "the work as given";
  } else if (is_transformer(*model_rec)) {
    auto shape = to_transformer(*model_rec, args, "model");
    if (!shape) return std::nullopt;
    if (!check_context(args, "tokens", tokens->si, *shape, model_rec->name, 1) ||
        !check_context(args, "context", context->si + tokens->si, *shape, model_rec->name, 1))
      return std::nullopt;
    work = stdlib::transformer_workload(*shape, *batch, tokens->si, context->si, f->weights, f->kv, training,
                                        optimizer_bytes);
    layers = shape->layers;
    regime = training ? "training" : tokens->si > 1 ? "prefill" : "decode";
    stdlib::memory_request m{.batch = *batch, .context = context->si + tokens->si, .weights = f->weights, .kv = f->kv,
                             .training = training, .device_memory = hw->memory,
                             .reserve_fraction = runtime_reserve(args.reg())};
    resident = ledger_needs(stdlib::memory(*shape, m));
    what = fmt::format("{} x {} tokens of {}", format_number(*batch), format_number(tokens->si), model_rec->name);
  } else {
    auto t = read_totals(*model_rec, args, "model");
    if (!t) return std::nullopt;
    work = stdlib::totals_workload(t->flops, t->params, *batch, f->weights, training, optimizer_bytes);
    regime = training ? "cnn_training" : "cnn_inference";
    const auto* n = model_rec->quantity_of("layers");
    layers = n ? n->si : 0;
    double per_param = stdlib::bytes_per_element(f->weights);
    resident = {{"weights", t->params * per_param}};
    if (training) resident.push_back({"gradients and optimizer state", t->params * (per_param + optimizer_bytes)});
    what = fmt::format("{} samples of {}", format_number(*batch), model_rec->name);
  }
  auto compute_default = regime == "none" ? efficiency_default{1, "none: the ideal bound"}
                                          : stack_efficiency(args.reg(), regime, *runtime, f->weights, "compute");
  auto bw_default = regime == "none" ? efficiency_default{1, "none: the ideal bound"}
                                     : stack_efficiency(args.reg(), regime, *runtime, f->weights, "bandwidth");
  auto ce = args.fraction("compute_efficiency", compute_default.value);
  auto be = args.fraction("bandwidth_efficiency", bw_default.value);
  if (!ce || !be) return std::nullopt;
  auto peak = *stdlib::effective_peak(*hw, f->weights);
  auto r = stdlib::roofline(work.flops, work.bytes, peak.rate, hw->bandwidth, {*ce, *be});
  auto attainable = std::min(peak.rate, r.intensity * hw->bandwidth);
  // An eager runtime dispatches kernels from the host asynchronously: the pass
  // takes the longer of the device's time and the host's (docs/solvers.md).
  auto host = host_floor_of(args.reg(), regime, *runtime, layers);
  bool host_bound = host.value > r.time;
  auto device_time = r.time;
  if (host_bound) {
    r.time = host.value;
    r.utilization = (work.flops / r.time / peak.rate).value();
  }

  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  bool memory_bound = r.bottleneck == stdlib::bound::memory;
  std::string bound_note = memory_bound ? fmt::format("memory-bound: {} at {}", show(work.bytes), show(hw->bandwidth))
                                        : fmt::format("compute-bound: {} at {} ({} peak)", show(work.flops),
                                                      show(peak.rate), stdlib::name_of(peak.used));
  std::string time_note =
      "the bound at " + (memory_bound ? efficiency_note(args, "bandwidth_efficiency", *be, bw_default)
                                      : efficiency_note(args, "compute_efficiency", *ce, compute_default));
  if (host_bound)
    time_note = fmt::format("the host's dispatch time, longer than the device's {} ({})", show(device_time), time_note);
  std::string host_note = host.value.value() > 0
                              ? fmt::format("{} ({})", host.source, host_bound ? "binds" : "below the device time")
                              : host.source;
  return with_fit(args, make_result("roofline", {
      typed_field("time_bound", r.time_bound, bound_note),
      typed_field("time", r.time, time_note),
      word_field("bottleneck", host_bound ? "host" : stdlib::name_of(r.bottleneck),
                 host_bound ? "the host dispatches kernels slower than the device runs them" : bound_note),
      typed_field("host_time", host.value, host_note),
      typed_field("flops", work.flops, what + (training ? ", forward + backward (3 x forward)" : "")),
      typed_field("bytes", work.bytes, generic ? "as given"
                                       : training ? "parameter traffic of a training step (activations not counted)"
                                                  : "weights (+ KV cache) read; activations not counted"),
      typed_field("intensity", r.intensity, "FLOPs per byte"),
      typed_field("ridge", r.ridge, "peak / bandwidth"),
      typed_field("attainable", attainable, "min(peak, intensity x bandwidth)"),
      typed_field("compute_time", r.compute_time, "FLOPs / peak"),
      typed_field("memory_time", r.memory_time, "bytes / bandwidth"),
      number_field("utilization", r.utilization, "achieved FLOP/s over peak"),
      number_field("compute_efficiency", *ce),
      number_field("bandwidth_efficiency", *be),
      word_field("compute_precision", std::string(stdlib::name_of(peak.used)), "the peak the work runs at"),
      word_field("regime", regime, "the registry efficiency regime used"),
  }), fit_shortfall(units, resident, hw->memory.value()));
}

// ---- synthesize ---------------------------------------------------------------------

std::optional<value> synthesize_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto itl = args.quantity_of("itl");
  auto ttft = args.given("ttft") ? args.quantity_of("ttft") : std::optional<quantity>{};
  auto batch = args.count("batch", 1, true);
  auto context = args.quantity_of("context");
  auto f = read_formats(args);
  auto all = args.given("efficiency") ? args.fraction("efficiency", 1) : std::optional<double>{};
  auto bw_default = efficiency_from(args.reg(), "decode", "bandwidth");
  auto c_default = efficiency_from(args.reg(), "decode", "compute");
  auto p_default = efficiency_from(args.reg(), "prefill", "compute");
  auto be = args.fraction("bandwidth_efficiency", all ? *all : bw_default.value);
  auto ce = args.fraction("compute_efficiency", all ? *all : c_default.value);
  auto reserve_default = efficiency_from(args.reg(), "runtime_reserve", "fraction");
  auto reserve = share(args, "reserve", reserve_default.value);
  if (!model_rec || !itl || (args.given("ttft") && !ttft) || !batch || !context || !f || !be || !ce || !reserve ||
      (args.given("efficiency") && !all))
    return std::nullopt;
  auto model = to_transformer(*model_rec, args, "model");
  if (!model || !check_context(args, "context", context->si, *model, model_rec->name)) return std::nullopt;
  for (const auto* t : {&*itl, ttft ? &*ttft : nullptr}) {
    if (t && t->si <= 0) {
      args.error(t == &*itl ? "itl" : "ttft", "the latency objective must be a positive time");
      return std::nullopt;
    }
  }
  if (ttft && context->si < 1) {
    args.error("context", "a TTFT objective needs the prompt length: pass context = (tokens)");
    return std::nullopt;
  }
  stdlib::sla_request req;
  req.batch = *batch;
  req.context = context->si;
  req.weights = f->weights;
  req.kv = f->kv;
  req.itl = itl->si * u::second;
  if (ttft) req.ttft = ttft->si * u::second;
  req.decode = {*ce, *be};
  req.prefill_compute = all ? *all : p_default.value;
  req.reserve_fraction = *reserve;
  auto need = stdlib::synthesize(*model, req);

  // Every registry accelerator that meets all three.
  auto hardware = std::make_shared<list>();
  const auto& reg = args.reg();
  for (const auto& name : reg.names("hardware")) {
    auto rec = reg.find(name);
    if (!rec) continue;
    lang::diagnostics quiet;  // entries the solvers cannot read are skipped, not reported
    call_args probe(args.function(), reg, nullptr, {}, quiet);
    auto hw = to_accelerator(*rec, probe, "model");
    if (hw && stdlib::qualifies(*hw, need, req.weights, req.reserve_fraction)) hardware->push_back(value{rec});
  }

  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::string bw_note = fmt::format("{} per step / {} at {}", show(need.step_bytes), show(req.itl),
                                    efficiency_note(args, all ? "efficiency" : "bandwidth_efficiency", *be, bw_default));
  std::string compute_note =
      need.prefill_binds ? fmt::format("the TTFT sets it: {} of prefill / {}", show(need.prefill_flops), show(req.ttft))
                         : fmt::format("{} per step / {} at compute efficiency {}", show(need.step_flops), show(req.itl),
                                       format_number(*ce));
  return make_result("synthesize", {
      typed_field("bandwidth", need.bandwidth, bw_note),
      typed_field("compute", need.compute, compute_note),
      typed_field("memory", need.memory, "weights + KV cache at batch x context"),
      typed_field("step_bytes", need.step_bytes, "bytes one decode step reads"),
      typed_field("step_flops", need.step_flops, "FLOPs of one decode step"),
      field{"hardware", value{list_ptr(hardware)},
            fmt::format("registry hardware with the bandwidth, the {} peak and {} of memory after a {} reserve",
                        stdlib::name_of(req.weights), show(need.memory), format_number(req.reserve_fraction))},
      number_field("count", static_cast<double>(hardware->size()), "how many qualify"),
  });
}

// ---- compress -----------------------------------------------------------------------

const std::vector<std::string> methods = {"quantize", "prune", "distill"};

std::string accuracy_text(const stdlib::compress_request& req) {
  using stdlib::precision;
  switch (req.method) {
    case stdlib::compress_method::quantize:
      if (stdlib::bytes_per_element(req.bits) >= 2) return "16-bit or wider: the baseline, no change";
      if (req.bits == precision::int8)
        return "int8: no degradation measured up to 175B parameters with outlier handling "
               "(Dettmers et al., LLM.int8(), NeurIPS 2022, abstract); naive int8 can degrade";
      if (stdlib::bytes_per_element(req.bits) == 0.5)
        return "4-bit weights: negligible degradation for ~175B models with GPTQ; round-to-nearest 4-bit degrades "
               "sharply (Frantar et al., GPTQ, ICLR 2023); smaller models lose more; no range cited for this model";
      return "no published range cited for this format";
    case stdlib::compress_method::prune:
      if (req.structured)
        return "structured pruning: no one-shot range cited; it usually needs retraining to recover accuracy";
      if (req.sparsity <= 0.6)
        return "unstructured up to 50-60%: negligible perplexity increase on OPT-175B and BLOOM-176B, one-shot "
               "(Frantar and Alistarh, SparseGPT, ICML 2023, abstract); smaller models lose more";
      return "unstructured beyond 60%: outside the range SparseGPT reports; no cited range";
    case stdlib::compress_method::distill:
      return "DistilBERT keeps 97% of BERT's language-understanding score with 40% fewer parameters "
             "(Sanh et al. 2019, abstract); other teacher-student pairs differ";
  }
  return "";
}

std::optional<value> compress_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto method = args.word("method");
  auto bits = args.word("bits");
  auto sparsity = share(args, "sparsity", 0.5);
  auto structured = yes_no(args, "structured");
  auto student_rec = args.given("student") ? args.entity("student") : record_ptr{};
  auto hw_rec = args.given("hardware") ? args.entity("hardware") : record_ptr{};
  if (!model_rec || !method || !bits || !sparsity || !structured || (args.given("student") && !student_rec) ||
      (args.given("hardware") && !hw_rec))
    return std::nullopt;
  auto params_of = [&](const record& r, std::string_view param) -> std::optional<double> {
    if (is_transformer(r)) {
      auto shape = to_transformer(r, args, param);
      if (!shape) return std::nullopt;
      return model_params(r, &*shape);
    }
    double p = model_params(r, nullptr);
    if (p <= 0) args.error(param, fmt::format("model '{}' has no params", r.name));
    return p > 0 ? std::optional<double>(p) : std::nullopt;
  };
  auto params = params_of(*model_rec, "model");
  if (!params) return std::nullopt;
  auto hw = hw_rec ? to_accelerator(*hw_rec, args, "hardware") : std::optional<stdlib::accelerator>{};
  if (hw_rec && !hw) return std::nullopt;

  stdlib::compress_request req;
  req.method = *method == "quantize" ? stdlib::compress_method::quantize
               : *method == "prune"  ? stdlib::compress_method::prune
                                     : stdlib::compress_method::distill;
  req.params = *params;
  req.bits = *stdlib::precision_from_name(*bits);
  req.sparsity = *sparsity;
  req.structured = *structured;
  req.hw = hw ? &*hw : nullptr;
  if (req.method == stdlib::compress_method::distill) {
    if (!student_rec) {
      args.error("method", "distill needs student = (the smaller model)");
      return std::nullopt;
    }
    auto student = params_of(*student_rec, "student");
    if (!student) return std::nullopt;
    if (*student >= *params) {
      args.error("student", fmt::format("student '{}' is not smaller than '{}'", student_rec->name, model_rec->name));
      return std::nullopt;
    }
    req.student_params = *student;
  }
  auto r = stdlib::compress(req);
  std::string compute_note =
      req.method == stdlib::compress_method::quantize
          ? (hw ? fmt::format("{} peak over the fp16 peak on {}", *bits, hw->name)
                : std::string("pass hardware = to compare peaks; 1 until then"))
      : req.method == stdlib::compress_method::prune && !req.structured
          ? "unstructured sparsity: dense GPU kernels run the zeros"
          : "fewer dense FLOPs";
  return make_result("compress", {
      typed_field("size", r.size, req.method == stdlib::compress_method::prune && !req.structured
                                      ? "kept values + a 1-bit mask per weight"
                                      : ""),
      typed_field("baseline", r.baseline, "parameters x 2 B: the fp16 weights served today (not fp32)"),
      number_field("ratio", r.ratio, "baseline / size"),
      number_field("memory_bound_speedup", r.memory_bound_speedup,
                   req.method == stdlib::compress_method::prune && !req.structured
                       ? "unstructured sparsity: dense GPU kernels read dense weights"
                       : "bytes read per step shrink by this factor"),
      number_field("compute_bound_speedup", r.compute_bound_speedup, compute_note),
      field{"accuracy", value{accuracy_text(req)}, "an estimate from the literature, not a prediction"},
  });
}

// ---- generate -----------------------------------------------------------------------

std::optional<value> generate_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto hw_rec = args.entity("hardware");
  auto batch = args.count("batch", 1, true);
  auto guidance = yes_no(args, "guidance");
  auto f = read_formats(args);
  auto c_default = efficiency_from(args.reg(), "prefill", "compute");
  auto b_default = efficiency_from(args.reg(), "prefill", "bandwidth");
  auto ce = args.fraction("compute_efficiency", c_default.value);
  auto be = args.fraction("bandwidth_efficiency", b_default.value);
  if (!model_rec || !hw_rec || !batch || !guidance || !f || !ce || !be) return std::nullopt;
  if (family_of(*model_rec) != "diffusion") {
    args.error("model", fmt::format("model '{}' is a {} model; generate needs a diffusion model", model_rec->name,
                                    family_of(*model_rec).empty() ? "shapeless" : family_of(*model_rec)));
    return std::nullopt;
  }
  auto t = read_totals(*model_rec, args, "model");
  auto hw = to_accelerator(*hw_rec, args, "hardware");
  if (!t || !hw || !check_peak(args, *hw, f->weights)) return std::nullopt;
  const auto* default_steps = model_rec->quantity_of("steps");
  std::optional<double> steps = default_steps ? default_steps->si : 50;
  if (args.given("steps")) steps = args.count("steps", 1, true);
  if (!steps) return std::nullopt;

  stdlib::generate_request req;
  req.flops_per_pass = t->flops;
  req.params = t->params;
  req.steps = *steps;
  req.batch = *batch;
  req.guidance = *guidance;
  req.weights = f->weights;
  req.achieved = {*ce, *be};
  auto r = stdlib::generate(*hw, req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  std::string step_note = fmt::format("{} steps x {} passes x {} per image ({})", format_number(req.steps),
                                      format_number(r.passes_per_step), show(req.flops_per_pass),
                                      req.guidance ? "classifier-free guidance" : "no guidance");
  return make_result("generate", {
      typed_field("time_bound", r.time_bound, step_note),
      typed_field("time", r.time,
                  "the bound at " + efficiency_note(args, "compute_efficiency", *ce, c_default) +
                      " (no diffusion regime in the registry: prefill's); text encoder and VAE not counted"),
      typed_field("step_time", r.step.time, "one denoising step, the whole batch"),
      word_field("bottleneck", stdlib::name_of(r.step.bottleneck)),
      typed_field("flops", r.flops, step_note),
      typed_field("images_per_second", r.images_per_second * u::sample / u::second, "batch / time"),
      number_field("passes_per_step", r.passes_per_step),
      number_field("compute_efficiency", *ce),
      number_field("bandwidth_efficiency", *be),
  });
}

}  // namespace

std::vector<builtin> single_node() {
  const std::vector<std::string> bounds = {"compute", "memory"};
  auto formats_params = [] {
    return std::vector<param_spec>{
        precision_param("precision", "fp16", "the weights' numeric format"),
        precision_param("kv_precision", "", "the KV cache's format (default: the weights'; fp16 under weight-only "
                                            "int8, int4)")};
  };
  auto efficiency_params = [](const std::string& regime) {
    return std::vector<param_spec>{
        fraction_param("compute_efficiency", "registry efficiency." + regime + ".compute",
                       "achieved fraction of peak FLOP/s"),
        fraction_param("bandwidth_efficiency", "registry efficiency." + regime + ".bandwidth",
                       "achieved fraction of peak bandwidth")};
  };
  auto join = [](std::vector<param_spec> a, const std::vector<param_spec>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  return {
      builtin{
          .name = "roofline",
          .summary = "The roofline of one step of a model (transformer or totals) or of given FLOPs and bytes.",
          .params = join(join({optional_entity_param("model", "model", "the model; or give flops = and bytes ="),
                               entity_param("hardware", "hardware", "the accelerator"),
                               count_param("batch", 1, "sequences or samples per step"),
                               quantity_param<u::tokens>("tokens", 1, "1 token",
                                                         "new tokens per sequence (1: decode; the prompt: prefill)"),
                               quantity_param<u::tokens>("context", 0, "0 tokens", "tokens already cached per sequence"),
                               word_param("phase", phases, "inference", "inference or a training step (adam)"),
                               optional_quantity_param<u::flops>("flops", "none", "the work, generic form"),
                               optional_quantity_param<u::bytes>("bytes", "none", "bytes moved, generic form")},
                              formats_params()),
                         join(efficiency_params("<regime>"), {runtime_param(), allow_infeasible_param()})),
          .results = {quantity_result<u::seconds>("time_bound", "at peak FLOP/s and bandwidth"),
                      quantity_result<u::seconds>("time", "at the achieved efficiencies"),
                      word_result("bottleneck", {"compute", "memory", "host"},
                                  "which resource binds (host: the runtime's kernel dispatch)"),
                      quantity_result<u::seconds>("host_time",
                                                  "the runtime's host dispatch time per pass (0 s when none)"),
                      quantity_result<u::flops>("flops", "the step's FLOPs"),
                      quantity_result<u::bytes>("bytes", "the step's bytes"),
                      quantity_result<u::intensity>("intensity", "FLOPs per byte"),
                      quantity_result<u::intensity>("ridge", "peak / bandwidth"),
                      quantity_result<u::flop_rate>("attainable", "min(peak, intensity x bandwidth)"),
                      quantity_result<u::seconds>("compute_time", "FLOPs / peak"),
                      quantity_result<u::seconds>("memory_time", "bytes / bandwidth"),
                      number_result("utilization", "achieved FLOP/s over peak"),
                      number_result("compute_efficiency", "the compute efficiency used"),
                      number_result("bandwidth_efficiency", "the bandwidth efficiency used"),
                      word_result("compute_precision", precision_words(), "the format whose peak is used"),
                      word_result("regime", regimes, "the registry efficiency regime")},
          .invoke = roofline_binding,
      },
      builtin{
          .name = "synthesize",
          .summary = "The inverse roofline: the bandwidth, FLOP/s and memory a latency objective needs, and the "
                     "registry hardware that has them.",
          .params = join({entity_param("model", "model", "the model (a transformer)"),
                          quantity_param<u::seconds>("itl", "inter-token latency objective"),
                          optional_quantity_param<u::seconds>("ttft", "none", "time-to-first-token objective"),
                          count_param("batch", 1, "sequences decoded together"),
                          quantity_param<u::tokens>("context", 0, "0 tokens", "tokens per sequence (the prompt for TTFT)"),
                          optional_count_param("efficiency", "none", "sets every efficiency at once (1: the bound)"),
                          fraction_param("bandwidth_efficiency", "registry efficiency.decode.bandwidth",
                                         "achieved fraction of bandwidth the device will reach"),
                          fraction_param("compute_efficiency", "registry efficiency.decode.compute",
                                         "achieved fraction of FLOP/s the device will reach"),
                          reserve_param()},
                         formats_params()),
          .results = {quantity_result<u::byte_rate>("bandwidth", "least memory bandwidth"),
                      quantity_result<u::flop_rate>("compute", "least FLOP/s"),
                      quantity_result<u::bytes>("memory", "least memory (before the reserve)"),
                      quantity_result<u::bytes>("step_bytes", "bytes per decode step"),
                      quantity_result<u::flops>("step_flops", "FLOPs per decode step"),
                      {.name = "hardware", .kind = result_kind::entities, .doc = "registry hardware that qualifies"},
                      number_result("count", "how many qualify")},
          .invoke = synthesize_binding,
      },
      builtin{
          .name = "compress",
          .summary = "Quantization, pruning or distillation: size against fp16, speedup by regime, accuracy range.",
          .params = {entity_param("model", "model", "the model"),
                     word_param("method", methods, "quantize", "quantize, prune or distill"),
                     precision_param("bits", "int4", "quantize: the target format"),
                     optional_count_param("sparsity", "0.5", "prune: share of weights removed, in [0, 1)"),
                     yes_no_param("structured", false, "prune: whole rows, heads or channels"),
                     optional_entity_param("student", "model", "distill: the student model"),
                     optional_entity_param("hardware", "hardware", "for the compute-bound speedup")},
          .results = {quantity_result<u::bytes>("size", "compressed weights"),
                      quantity_result<u::bytes>("baseline", "fp16 weights"),
                      number_result("ratio", "baseline / size"),
                      number_result("memory_bound_speedup", "speedup of a memory-bound step"),
                      number_result("compute_bound_speedup", "speedup of a compute-bound step"),
                      {.name = "accuracy", .kind = result_kind::text, .doc = "the published range, with its source"}},
          .invoke = compress_binding,
      },
      builtin{
          .name = "generate",
          .summary = "Diffusion image generation: steps x denoiser passes, classifier-free guidance doubling.",
          .params = join(join({entity_param("model", "model", "a diffusion model"),
                               entity_param("hardware", "hardware", "the accelerator"),
                               optional_count_param("steps", "the model's steps, else 50", "denoising steps"),
                               count_param("batch", 1, "images generated together"),
                               yes_no_param("guidance", true, "classifier-free guidance (2 passes per step)")},
                              formats_params()),
                         efficiency_params("prefill")),
          .results = {quantity_result<u::seconds>("time_bound", "per batch, at the peaks"),
                      quantity_result<u::seconds>("time", "per batch, at the achieved efficiencies"),
                      quantity_result<u::seconds>("step_time", "one denoising step"),
                      word_result("bottleneck", bounds, "which resource binds a step"),
                      quantity_result<u::flops>("flops", "per image, all steps"),
                      quantity_result<sample_rate>("images_per_second", "images per second"),
                      number_result("passes_per_step", "denoiser passes per step"),
                      number_result("compute_efficiency", "the compute efficiency used"),
                      number_result("bandwidth_efficiency", "the bandwidth efficiency used")},
          .invoke = generate_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
