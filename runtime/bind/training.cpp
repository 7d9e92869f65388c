// Bindings of the training solvers: train, training_flops, iron_law,
// chinchilla, reliability and checkpoint.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <vector>

#include "comms.hpp"
#include "entities.hpp"
#include "fleet_helpers.hpp"
#include "helpers.hpp"
#include "bindings.hpp"
#include "ironlaw/stdlib/reliability.hpp"
#include "ironlaw/stdlib/scaling.hpp"
#include "ironlaw/stdlib/training.hpp"

namespace ironlaw::runtime::bindings {
namespace {

namespace u = stdlib::units;

param_spec optional(param_spec p) {
  p.required = false;
  return p;
}
param_spec optional_count(std::string name, std::string default_text, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::count, .default_text = std::move(default_text),
          .doc = std::move(doc)};
}
param_spec words_param(std::string name, std::vector<std::string> words, std::string fallback, std::string doc) {
  return {.name = std::move(name), .kind = param_kind::word, .words = std::move(words), .fallback = value{symbol{fallback}},
          .default_text = fallback, .doc = std::move(doc)};
}
result_field text_result(std::string name, std::string doc) {
  return {.name = std::move(name), .kind = result_kind::text, .doc = std::move(doc)};
}
std::string source_note(const call_args& args, std::string_view name, const efficiency_default& d) {
  return args.given(name) ? "given" : (d.calibrated ? "" : "default: ") + d.source;
}

template <typename Q>
std::optional<Q> typed(call_args& args, std::string_view name) {
  auto q = args.quantity_of(name);
  if (!q) return std::nullopt;
  return Q::from_value(q->si);
}

// A time that must be positive (mtbf, duration...).
std::optional<u::seconds> positive_time(call_args& args, std::string_view name, bool allow_zero = false) {
  auto t = typed<u::seconds>(args, name);
  if (t && (t->value() < 0 || (!allow_zero && t->value() == 0))) {
    args.error(name, fmt::format("argument '{}' must be {} 0 s, got {}", name, allow_zero ? ">=" : "more than",
                                 args.reg().units().format(to_runtime(*t))));
    return std::nullopt;
  }
  return t;
}

// ---- train -------------------------------------------------------------------------

std::optional<stdlib::pipeline_schedule> schedule_of(const std::string& w) {
  if (w == "gpipe") return stdlib::pipeline_schedule::gpipe;
  if (w == "1f1b") return stdlib::pipeline_schedule::one_f_one_b;
  return stdlib::pipeline_schedule::interleaved;
}
stdlib::recompute_kind recompute_of(const std::string& w) {
  return w == "none" ? stdlib::recompute_kind::none : w == "full" ? stdlib::recompute_kind::full
                                                                 : stdlib::recompute_kind::selective;
}

// train_binding in steps: read the model and the system, the options, check
// the layout against the model and count the GPUs, read the batch and the
// tokens, call stdlib::train, build the record. Each step reports at the
// argument and returns false at its first error; they run in this order, so
// the diagnostics are those of one pass over the arguments.

// What train's arguments become: the stdlib request, and what the notes name.
struct train_inputs {
  record_ptr model_rec;
  stdlib::transformer_shape model;
  stdlib::accelerator hw;
  stdlib::train_request req;
  std::string scaleup_name, scaleout_name;
  bool have_scaleout = false;  // a fabric between nodes: the node's, or `fabric`
  std::string schedule_word, recompute_word;
  efficiency_default ce_default, be_default, me_default;
  double microbatch = 1;  // the `microbatch` argument, in sequences
  double gpus = 1;        // tp x pp x dp
};

// The model and the system: a node (accelerator, GPUs per node, scale-up and
// scale-out fabrics) or an accelerator with its own scale-up link and an
// optional scale-out fabric (one port per GPU); then the links' latency.
bool read_train_system(call_args& args, train_inputs& in) {
  in.model_rec = args.entity("model");
  if (!in.model_rec) return false;
  auto model = to_transformer(*in.model_rec, args, "model");
  if (!model) return false;
  in.model = *model;

  auto& req = in.req;
  record_ptr hw_rec;
  if (args.given("node")) {
    if (args.given("hardware")) {
      args.error("hardware", "give the hardware or a node, not both", "a node names its accelerator");
      return false;
    }
    auto node_rec = args.entity("node");
    if (!node_rec) return false;
    auto links = links_of_node(*node_rec, args, "node");
    if (!links) return false;
    hw_rec = links->accelerator;
    req.per_node = links->per_node;
    req.scaleup = links->scaleup.l;
    req.scaleout = links->scaleout.l;
    in.scaleup_name = links->scaleup.name;
    in.scaleout_name = links->scaleout.name;
    in.have_scaleout = true;
  } else if (args.given("hardware")) {
    hw_rec = args.entity("hardware");
    if (!hw_rec) return false;
  } else {
    args.error("", "needs the hardware or a node: train(model, H100_SXM, ...) or train(model, node = DGX_H100, ...)");
    return false;
  }
  auto hw = to_accelerator(*hw_rec, args, args.given("node") ? "node" : "hardware");
  if (!hw) return false;
  in.hw = *hw;
  if (!args.given("node")) {
    req.scaleup = {hw->scaleup_bandwidth, {}};
    in.scaleup_name = fmt::format("{} scale-up", hw->name);
    auto per_node = args.count("gpus_per_node", 1, true);
    if (!per_node) return false;
    req.per_node = *per_node;
  } else if (args.given("gpus_per_node")) {
    args.error("gpus_per_node", "a node fixes its GPUs per node");
    return false;
  }
  if (args.given("fabric")) {
    auto rec = args.entity("fabric");
    if (!rec) return false;
    auto l = link_of_fabric(*rec, args, "fabric");
    if (!l) return false;
    req.scaleout = l->l;
    in.scaleout_name = l->name + " (one port per GPU)";
    in.have_scaleout = true;
  }
  auto latency = positive_time(args, "latency", true);
  if (!latency) return false;
  if (args.given("latency")) req.scaleup.latency = req.scaleout.latency = *latency;
  return true;
}

// Format, parallel degrees, ZeRO, schedule, recomputation, overlap and the
// efficiencies (defaults from the registry).
bool read_train_options(call_args& args, train_inputs& in) {
  auto format_word = args.word("precision");
  auto tp = args.count("tp", 1, true);
  auto cp = args.count("cp", 1, true);
  auto pp = args.count("pp", 1, true);
  auto ep = args.count("ep", 1, true);
  auto zero = args.count("zero", 0, true);
  auto microbatch = args.count("microbatch", 1, true);
  auto schedule_word = args.word("schedule");
  auto recompute_word = args.word("recompute");
  auto v = args.count("virtual_stages", 1, true);
  auto overlap = args.count("overlap", 0, false);
  auto ep_overlap = args.count("ep_overlap", 0, false);
  auto node_limit = args.count("node_limit", 0, true);
  auto dispatch_word = args.word("dispatch");
  in.ce_default = efficiency_from(args.reg(), "training", "gemm");
  in.be_default = efficiency_from(args.reg(), "training", "bandwidth");
  in.me_default = efficiency_from(args.reg(), "collective", "bandwidth");
  auto ce = args.fraction("compute_efficiency", in.ce_default.value);
  auto be = args.fraction("bandwidth_efficiency", in.be_default.value);
  auto me = args.fraction("comm_efficiency", in.me_default.value);
  auto straggler = args.count("straggler", 1, false);
  if (!straggler) return false;
  if (!format_word || !tp || !cp || !pp || !ep || !zero || !microbatch || !schedule_word || !recompute_word || !v ||
      !overlap || !ep_overlap || !node_limit || !dispatch_word || !ce || !be || !me)
    return false;
  if (*zero > 3) {
    args.error("zero", fmt::format("ZeRO stages are 0 to 3 (3 = FSDP), got {}", format_number(*zero)));
    return false;
  }
  for (auto [name, share] : {std::pair{"overlap", *overlap}, std::pair{"ep_overlap", *ep_overlap}})
    if (share > 1) {
      args.error(name, fmt::format("argument '{}' must be a fraction in [0, 1], got {}", name, format_number(share)));
      return false;
    }
  auto& req = in.req;
  req.format = *stdlib::precision_from_name(*format_word);
  if (!stdlib::effective_peak(in.hw, req.format)) {
    args.error("precision", fmt::format("hardware '{}' has no compute peak for {} or a wider format", in.hw.name,
                                        *format_word));
    return false;
  }
  req.tp = *tp;
  req.cp = *cp;
  req.pp = *pp;
  req.ep = *ep;
  req.zero = static_cast<int>(*zero);
  req.schedule = *schedule_of(*schedule_word);
  req.virtual_stages = req.schedule == stdlib::pipeline_schedule::interleaved ? *v : 1;
  req.recompute = recompute_of(*recompute_word);
  req.overlap = *overlap;
  req.ep_overlap = *ep_overlap;
  req.node_limit = *node_limit;
  req.fp8_dispatch = *dispatch_word == "fp8";
  req.compute_efficiency = *ce;
  req.bandwidth_efficiency = *be;
  req.comm_efficiency = *me;
  req.straggler = *straggler;
  in.microbatch = *microbatch;
  in.schedule_word = *schedule_word;
  in.recompute_word = *recompute_word;
  return true;
}

// Shapes the parallelism must divide: the heads across tp; the layers fill pp x virtual_stages chunks (unequal chunks allowed: the
// fullest stage sets the pace).
bool check_train_shapes(call_args& args, const train_inputs& in) {
  const auto& req = in.req;
  if (std::fmod(in.model.heads, req.tp) != 0) {
    args.error("tp", fmt::format("{}'s {} attention heads do not divide across tp = {}", in.model_rec->name,
                                 format_number(in.model.heads), format_number(req.tp)),
               "tensor parallelism splits the heads: choose tp dividing them");
    return false;
  }
  if (req.pp * req.virtual_stages > in.model.layers) {
    args.error(args.given("virtual_stages") && req.virtual_stages > 1 ? "virtual_stages" : "pp",
               fmt::format("{}'s {} layers cannot fill pp x virtual_stages = {} x {} chunks", in.model_rec->name,
                           format_number(in.model.layers), format_number(req.pp), format_number(req.virtual_stages)),
               "pipeline stages hold whole layers: choose at most one chunk per layer");
    return false;
  }
  return true;
}

// GPU count: gpus = tp x pp x dp, whichever of gpus and dp is given; then
// expert parallelism, and the fabrics those GPUs need.
bool read_train_gpus(call_args& args, train_inputs& in) {
  auto& req = in.req;
  double dp = 1;
  if (args.given("dp")) {
    auto d = args.count("dp", 1, true);
    if (!d) return false;
    dp = *d;
  }
  const double model_parallel = req.tp * req.cp * req.pp;
  double gpus = model_parallel * dp;
  if (args.given("gpus")) {
    auto g = args.count("gpus", 1, true);
    if (!g) return false;
    if (!args.given("dp")) {
      dp = *g / model_parallel;
      if (dp != std::round(dp) || dp < 1) {
        args.error("gpus", fmt::format("gpus = {} is not a multiple of tp x cp x pp = {} x {} x {} = {}",
                                       format_number(*g), format_number(req.tp), format_number(req.cp),
                                       format_number(req.pp), format_number(model_parallel)));
        return false;
      }
    } else if (*g != gpus) {
      args.error("gpus", fmt::format("tp x cp x pp x dp = {} x {} x {} x {} = {}, but gpus = {}", format_number(req.tp),
                                     format_number(req.cp), format_number(req.pp), format_number(dp),
                                     format_number(gpus), format_number(*g)),
                 "the parallel degrees must multiply to the GPU count");
      return false;
    }
    gpus = *g;
  }
  req.dp = dp;
  in.gpus = gpus;
  if (req.ep > 1) {
    if (in.model.experts <= 0) {
      args.error("ep", fmt::format("{} has no experts to parallelize (ep = {})", in.model_rec->name,
                                   format_number(req.ep)));
      return false;
    }
    if (std::fmod(req.dp, req.ep) != 0 || std::fmod(in.model.experts, req.ep) != 0) {
      args.error("ep", fmt::format("ep = {} must divide dp = {} and the {} experts", format_number(req.ep),
                                   format_number(req.dp), format_number(in.model.experts)));
      return false;
    }
  }
  if (gpus > req.per_node && !in.have_scaleout) {
    args.error("", fmt::format("{} GPUs span more than one {}-GPU node: pass `fabric = IB_NDR` (between nodes) or "
                               "`node = DGX_H100`",
                               format_number(gpus), format_number(req.per_node)));
    return false;
  }
  if (gpus > 1 && req.scaleup.bandwidth.value() <= 0 && std::min(gpus, req.per_node) > 1) {
    args.error("hardware", fmt::format("hardware '{}' has no scale-up bandwidth (scaleup_bandwidth) for GPUs in one node",
                                       in.hw.name), "pass `node =` or give the hardware a scaleup_bandwidth");
    return false;
  }
  return true;
}

// Sequences and batch (about 4M tokens per step by default), micro-batches,
// and the tokens to train on (20 per parameter by default).
bool read_train_batch(call_args& args, train_inputs& in) {
  auto& req = in.req;
  double context = in.model.context;
  req.seq = std::min(context, 8192.0);
  if (args.given("seq")) {
    auto s = typed<u::tokens>(args, "seq");
    if (!s) return false;
    if (s->value() < 1 || s->value() > context) {
      args.error("seq", fmt::format("seq must be between 1 token and {}'s maximum of {} tokens, got {}",
                                    in.model_rec->name, format_number(context), format_number(s->value())));
      return false;
    }
    req.seq = s->value();
  }
  if (std::fmod(req.seq, req.cp) != 0) {
    args.error(args.given("seq") ? "seq" : "cp", fmt::format("seq = {} tokens do not split across cp = {}",
                                                            format_number(req.seq), format_number(req.cp)),
               "context parallelism gives each rank an equal slice of the sequence");
    return false;
  }
  double batch = 0;
  if (args.given("global_batch")) {
    auto b = args.count("global_batch", 1, true);
    if (!b) return false;
    batch = *b;
  } else {  // about 4M tokens per step, a multiple of dp x microbatch
    double unit = req.dp * in.microbatch;
    batch = std::max(1.0, std::ceil(4194304.0 / req.seq / unit)) * unit;
  }
  req.global_batch = batch;
  req.microbatch = in.microbatch;
  if (args.given("microbatches")) {
    auto m = args.count("microbatches", 1, true);
    if (!m) return false;
    req.microbatch = batch / (req.dp * *m);
    if (req.microbatch != std::round(req.microbatch) || req.microbatch < 1) {
      args.error("microbatches", fmt::format("global_batch = {} sequences do not split into dp x microbatches = {} x {} "
                                             "whole micro-batches",
                                             format_number(batch), format_number(req.dp), format_number(*m)));
      return false;
    }
  } else if (std::fmod(batch, req.dp * req.microbatch) != 0) {
    args.error("global_batch", fmt::format("global_batch = {} is not a multiple of dp x microbatch = {} x {}",
                                           format_number(batch), format_number(req.dp), format_number(req.microbatch)));
    return false;
  }
  auto params = stdlib::count_parameters(in.model);
  req.tokens = 20 * params.total;
  if (args.given("tokens")) {
    auto t = typed<u::tokens>(args, "tokens");
    if (!t) return false;
    if (t->value() <= 0) {
      args.error("tokens", "argument 'tokens' must be more than 0 tokens");
      return false;
    }
    req.tokens = t->value();
  }
  return true;
}

// Notes more than one of train's fields share.
struct train_notes {
  std::string step, memory, reason, ce, be, me;
};

train_notes notes_of(const call_args& args, const train_inputs& in, const stdlib::train_result& r) {
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  train_notes n;
  n.step = fmt::format(
      "compute {} + TP {} + CP {} + PP {} + DP {} + EP {} + bubble {}; {} binds", show(r.compute), show(r.tp_comm),
      show(r.cp_comm), show(r.pp_comm), show(r.dp_comm), show(r.ep_comm), show(r.bubble), stdlib::name_of(r.binding));
  n.memory = fmt::format("weights {} + gradients {} + optimizer {} + activations {} (ZeRO-{}, recompute {})",
                         show(r.memory.weights), show(r.memory.gradients), show(r.memory.optimizer_state),
                         show(r.memory.activations), in.req.zero, in.recompute_word);
  n.reason = r.memory.fits ? fmt::format("fits: {} of {} per GPU", show(r.memory.total), show(in.hw.memory))
                           : fmt::format("does not fit: needs {} per GPU, {} has {}", show(r.memory.total),
                                         in.hw.name, show(in.hw.memory));
  n.ce = source_note(args, "compute_efficiency", in.ce_default);
  n.be = source_note(args, "bandwidth_efficiency", in.be_default);
  n.me = source_note(args, "comm_efficiency", in.me_default);
  return n;
}

// The step and its parts, the efficiencies achieved and the time to train.
std::vector<field> train_time_fields(const call_args& args, const train_inputs& in, const stdlib::train_result& r,
                                     const train_notes& n) {
  const auto& units = args.reg().units();
  const auto& req = in.req;
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  auto where = [&](stdlib::placement p) {
    return p == stdlib::placement::scaleup
               ? fmt::format("within a node on {} ({})", in.scaleup_name, show(req.scaleup.bandwidth))
               : fmt::format("across nodes on {} ({} per GPU)", in.scaleout_name, show(req.scaleout.bandwidth));
  };
  auto share = [&](u::seconds t) { return fmt::format("{:.1f}% of the step", 100 * (t / r.step).value()); };
  return {
      typed_field("step", r.step, n.step),
      typed_field("step_bound", r.step_bound, "every efficiency 1"),
      typed_field("compute", r.compute,
                  fmt::format("{} micro-batches x forward + backward ({} recomputation) of the fullest stage's {} "
                              "layers: matmuls at {} x {} ({}) + elementwise; {}",
                              format_number(r.microbatches), in.recompute_word, format_number(r.stage_layers),
                              format_number(req.compute_efficiency), show(r.peak), n.ce, share(r.compute))),
      typed_field("elementwise", r.elementwise,
                  fmt::format("norms, activations, residuals: stored activations read and written at {} x {} ({})",
                              format_number(req.bandwidth_efficiency), show(in.hw.bandwidth), n.be)),
      typed_field("tp_comm", r.tp_comm,
                  req.tp > 1 ? fmt::format("TP {} {}: {} all-reduces of b s h per layer per micro-batch; {}",
                                           format_number(req.tp), where(r.tp_place),
                                           req.recompute == stdlib::recompute_kind::full ? 6 : 4, share(r.tp_comm))
                             : "no tensor parallelism"),
      typed_field("cp_comm", r.cp_comm,
                  req.cp > 1 ? fmt::format("CP {} {}: K and V gathered per layer; {}", format_number(req.cp),
                                           where(r.cp_place), share(r.cp_comm))
                             : "no context parallelism"),
      typed_field("pp_comm", r.pp_comm,
                  req.pp > 1 ? fmt::format("PP {} {}: activations and gradients between stages; {}",
                                           format_number(req.pp), where(r.pp_place), share(r.pp_comm))
                             : "no pipeline parallelism"),
      typed_field("dp_comm", r.dp_comm,
                  r.dp_comm.value() > 0 || req.dp > 1
                      ? fmt::format("DP {} {}: gradient all-reduce left after hiding under the backward pass "
                                    "(overlap {}); {}",
                                    format_number(req.dp), where(r.dp_place), format_number(req.overlap),
                                    share(r.dp_comm))
                      : "no data parallelism"),
      typed_field("ep_comm", r.ep_comm,
                  req.ep > 1 ? fmt::format("EP {} {}: token all-to-alls{}{}, {} hidden; {}", format_number(req.ep),
                                           where(r.ep_place),
                                           req.node_limit > 0 ? fmt::format(", tokens reach at most {} nodes",
                                                                            format_number(req.node_limit))
                                                              : "",
                                           req.fp8_dispatch ? ", fp8 dispatch" : "", format_number(req.ep_overlap),
                                           share(r.ep_comm))
                             : "no expert parallelism"),
      typed_field("bubble", r.bubble,
                  fmt::format("(p - 1) / v = {} idle micro-batch slots ({})", format_number((req.pp - 1) / req.virtual_stages),
                              in.schedule_word)),
      number_field("bubble_fraction", r.bubble_fraction, "((p - 1) / v) / (m + (p - 1) / v)"),
      word_field("binding", stdlib::name_of(r.binding), n.step),
      number_field("mfu", r.mfu, "model FLOPs (6 N + attention per token, no recomputation) / (GPUs x peak x step)"),
      number_field("hfu", r.hfu, "with recomputation's FLOPs"),
      number_field("scaling_efficiency", r.scaling_efficiency, "compute / step: what communication and the bubble leave"),
      typed_field("per_gpu", r.per_gpu, "model FLOP/s per GPU"),
      typed_field("throughput", r.throughput, "tokens per second, whole job"),
      typed_field("time_to_train", r.time_to_train,
                  args.given("tokens") ? "tokens / throughput"
                                       : fmt::format("tokens / throughput at the default {} tokens (20 per parameter)",
                                                     format_number(req.tokens))),
  };
}

// The job's size and layout, memory per GPU, feasibility and the efficiencies used.
std::vector<field> train_layout_fields(const call_args& args, const train_inputs& in, const stdlib::train_result& r,
                                       const train_notes& n) {
  const auto& req = in.req;
  return {
      typed_field("tokens", req.tokens * u::token),
      typed_field("global_batch", req.global_batch * req.seq * u::token,
                  fmt::format("{} sequences of {} tokens{}", format_number(req.global_batch), format_number(req.seq),
                              args.given("global_batch") ? "" : " (default: about 4M tokens)")),
      number_field("gpus", in.gpus),
      number_field("tp", req.tp),
      number_field("cp", req.cp),
      number_field("pp", req.pp),
      number_field("dp", req.dp),
      number_field("ep", req.ep),
      number_field("microbatches", r.microbatches, fmt::format("per pipeline per step, {} sequences each",
                                                               format_number(req.microbatch))),
      typed_field("memory", r.memory.total, n.memory),
      typed_field("weights", r.memory.weights),
      typed_field("gradients", r.memory.gradients),
      typed_field("optimizer_state", r.memory.optimizer_state, "Adam: fp32 master copy and two moments"),
      typed_field("activations", r.memory.activations,
                  fmt::format("{} layers' activations in flight on the first stage", format_number(r.in_flight))),
      typed_field("memory_available", in.hw.memory, in.hw.name),
      field{"feasible", value{r.memory.fits}, n.reason},
      field{"reason", value{n.reason}, {}},
      number_field("compute_efficiency", req.compute_efficiency, n.ce),
      number_field("bandwidth_efficiency", req.bandwidth_efficiency, n.be),
      number_field("comm_efficiency", req.comm_efficiency, n.me),
  };
}

value train_record(const call_args& args, const train_inputs& in, const stdlib::train_result& r) {
  auto n = notes_of(args, in, r);
  auto fields = train_time_fields(args, in, r, n);
  auto layout = train_layout_fields(args, in, r, n);
  fields.insert(fields.end(), std::make_move_iterator(layout.begin()), std::make_move_iterator(layout.end()));
  return make_result("train", std::move(fields));
}

// A training step whose memory per GPU exceeds the device's has no time.
std::optional<value> train_fit(call_args& args, const train_inputs& in, const stdlib::train_result& r) {
  auto shortfall = r.memory.fits ? std::string()
                                 : fit_shortfall(args.reg().units(), ledger_needs(r.memory), in.hw.memory.value(), "per GPU");
  return with_fit(args, train_record(args, in, r), shortfall);
}

std::optional<value> train_binding(call_args& args) {
  train_inputs in;
  if (!read_train_system(args, in) || !read_train_options(args, in) || !check_train_shapes(args, in) ||
      !read_train_gpus(args, in) || !read_train_batch(args, in))
    return std::nullopt;
  return train_fit(args, in, stdlib::train(in.model, in.hw, in.req));
}

// ---- the Iron Law, FLOPs and scaling laws ------------------------------------------------

std::optional<value> training_flops_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto tokens = typed<u::tokens>(args, "tokens");
  auto attention = args.word("attention");
  if (!model_rec || !tokens || !attention) return std::nullopt;
  auto model = to_transformer(*model_rec, args, "model");
  if (!model) return std::nullopt;
  double seq = std::min(model->context, 8192.0);
  if (args.given("seq")) {
    auto s = typed<u::tokens>(args, "seq");
    if (!s) return std::nullopt;
    seq = s->value();
  }
  if (tokens->value() < 0) {
    args.error("tokens", "argument 'tokens' must be >= 0 tokens");
    return std::nullopt;
  }
  return value{to_runtime(stdlib::training_flops(*model, *tokens, *attention == "true", seq).total)};
}

std::optional<value> iron_law_binding(call_args& args) {
  auto work = typed<u::flops>(args, "flops");
  auto n = args.count("n", 1, false);
  auto peak = typed<u::flop_rate>(args, "peak");
  auto mfu_default = efficiency_from(args.reg(), "training", "compute");
  auto mfu = args.fraction("mfu", mfu_default.value);
  auto scaling = args.fraction("scaling", 1);
  auto goodput = args.fraction("goodput", 1);
  if (!work || !n || !peak || !mfu || !scaling || !goodput) return std::nullopt;
  if (*n <= 0 || peak->value() <= 0 || work->value() < 0) {
    args.error(*n <= 0 ? "n" : peak->value() <= 0 ? "peak" : "flops",
               "n and peak must be more than 0, and flops at least 0");
    return std::nullopt;
  }
  auto r = stdlib::iron_law({*work, *n, *peak, *mfu, *scaling, *goodput});
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  auto note_of = [&](std::string_view name, const std::string& fallback) {
    return args.given(name) ? std::string("given") : fallback;
  };
  std::string why = fmt::format("{} / ({} x {} x mfu {} x scaling {} x goodput {})", show(*work), format_number(*n),
                                show(*peak), format_number(*mfu), format_number(*scaling), format_number(*goodput));
  return make_result("iron_law", {
      typed_field("time", r.time, why),
      typed_field("time_bound", r.time_bound, "at the peak: mfu, scaling and goodput 1"),
      typed_field("rate", r.rate, "achieved FLOP/s, whole fleet"),
      typed_field("gpu_time", r.device_time, "n x time (GPU-hours)"),
      number_field("efficiency", r.efficiency, "mfu x scaling x goodput"),
      word_field("binding", stdlib::name_of(r.binding), "the smallest factor: the largest loss"),
      number_field("mfu", *mfu, note_of("mfu", (mfu_default.calibrated ? "" : "default: ") + mfu_default.source)),
      number_field("scaling", *scaling, note_of("scaling", "1: perfect scaling unless given")),
      number_field("goodput", *goodput, note_of("goodput", "1: no failures unless given")),
  });
}

std::optional<value> chinchilla_binding(call_args& args) {
  auto ratio = args.count("tokens_per_param", 0, false);
  if (!ratio) return std::nullopt;
  if (*ratio <= 0) {
    args.error("tokens_per_param", "argument 'tokens_per_param' must be more than 0");
    return std::nullopt;
  }
  bool by_compute = args.given("compute"), by_params = args.given("params");
  if (by_compute == by_params) {
    args.error("", "give exactly one of compute = (FLOP) or params = (a count)",
               "chinchilla(compute = 5.76e23 FLOP) or chinchilla(params = 70e9)");
    return std::nullopt;
  }
  stdlib::chinchilla_result r;
  if (by_compute) {
    auto c = typed<u::flops>(args, "compute");
    if (!c) return std::nullopt;
    if (c->value() <= 0) {
      args.error("compute", "argument 'compute' must be more than 0 FLOP");
      return std::nullopt;
    }
    r = stdlib::chinchilla_from_compute(*c, *ratio);
  } else {
    auto p = args.count("params", 1, false);
    if (!p) return std::nullopt;
    r = stdlib::chinchilla_from_params(*p, *ratio);
  }
  std::string rule = fmt::format("D = {} N, C = 6 N D (Hoffmann et al. 2022)", format_number(*ratio));
  return make_result("chinchilla", {
      number_field("params", r.params, by_compute ? "sqrt(C / (6 x " + format_number(*ratio) + "))" : "given"),
      typed_field("tokens", r.tokens, rule),
      typed_field("compute", r.compute, rule),
      number_field("tokens_per_param", r.tokens_per_param),
      number_field("loss", r.loss, "1.69 + 406.4 / N^0.34 + 410.7 / D^0.28 nats per token (Hoffmann et al. 2022, eq. 10)"),
  });
}

// ---- reliability -----------------------------------------------------------------------------

std::optional<value> reliability_binding(call_args& args) {
  auto n = args.count("n", 1, true);
  auto per_node = args.count("gpus_per_node", 1, true);
  auto work = positive_time(args, "duration", true);
  auto write = positive_time(args, "checkpoint_write");
  auto restart = positive_time(args, "restart", true);
  if (!n || !per_node || !work || !write || !restart) return std::nullopt;
  if (args.given("mtbf") && !positive_time(args, "mtbf")) return std::nullopt;
  auto per_gpu = mtbf_per_gpu(args, *n, *per_node);
  if (!per_gpu) return std::nullopt;
  auto mtbf = std::optional<u::seconds>(per_gpu->seconds * u::second);
  stdlib::reliability_request req{*n, *mtbf, *work, *write, *restart, {}};
  if (args.given("interval")) {
    auto tau = positive_time(args, "interval");
    if (!tau) return std::nullopt;
    req.interval = *tau;
  }
  auto r = stdlib::reliability(req);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  // Daly's expected wall time grows as exp((interval + write) / MTBF): when a
  // checkpoint cycle is many cluster MTBFs long it has no finite value; the
  // job never finishes, which is said, never printed as inf.
  if (!std::isfinite(r.wall_time.value()) || !std::isfinite(r.expected_failures)) {
    args.error("checkpoint_write",
               fmt::format("the job never finishes: a failure every {} (cluster MTBF), a checkpoint every {} that "
                           "takes {}", show(r.cluster_mtbf), show(r.interval), show(*write)),
               "a checkpoint cycle must be far shorter than the cluster MTBF: faster checkpoints or fewer components");
    return std::nullopt;
  }
  const std::string& mtbf_note = per_gpu->note;
  return make_result("reliability", {
      typed_field("cluster_mtbf", r.cluster_mtbf,
                  fmt::format("{} per component / {} components ({})", show(*mtbf), format_number(*n), mtbf_note)),
      typed_field("interval", r.interval,
                  args.given("interval") ? "given"
                                         : fmt::format("Young: sqrt(2 x {} x {})", show(*write), show(r.cluster_mtbf))),
      typed_field("interval_daly", r.daly, "Daly's higher-order optimum"),
      number_field("expected_failures", r.expected_failures, "wall_time / cluster_mtbf"),
      number_field("goodput", r.goodput, "duration / wall_time (Daly's expected wall time)"),
      typed_field("wall_time", r.wall_time, "with checkpoints, rework and restarts"),
      number_field("checkpoint_overhead", r.checkpoint_overhead, "checkpoint_write / interval"),
      number_field("rework", r.rework, "(interval / 2 + restart) / cluster_mtbf"),
  });
}

// The fleet failure model's interruptions of one job, by component.
std::optional<value> failures_binding(call_args& args) {
  auto gpus = args.count("gpus", 1, true);
  auto per_node = args.count("gpus_per_node", 1, true);
  auto generation = args.word("generation");
  if (!gpus || !per_node || !generation) return std::nullopt;
  const bool a100 = *generation == "a100";
  auto f = stdlib::job_failure_rate(
      stdlib::fleet_failure_rates(a100 ? stdlib::hardware_generation::a100 : stdlib::hardware_generation::h100), *gpus,
      *per_node);
  const std::string source = a100 ? "A100: Kokolis et al., HPCA 2025 (Meta's research clusters)"
                                  : "H100: Llama 3 405B's 419 interruptions in 54 days by root cause (Table 5)";
  auto per_day = [](double per_hour) { return per_hour * 24; };
  const std::array<std::pair<const char*, double>, 6> causes = {
      {{"gpu", f.gpu}, {"hbm", f.hbm}, {"nic", f.nic}, {"network", f.network}, {"host", f.host}, {"job", f.job}}};
  auto top = std::max_element(causes.begin(), causes.end(), [](auto& a, auto& b) { return a.second < b.second; });
  return make_result("failures", {
      typed_field("mtbf", f.mtbf, fmt::format("1 / the summed rates ({})", source)),
      number_field("per_day", per_day(f.total), "interruptions per day of the job"),
      number_field("gpu", per_day(f.gpu), "per day: GPUs (die, SRAM, system processor, SDC, thermal)"),
      number_field("hbm", per_day(f.hbm), "per day: HBM"),
      number_field("nic", per_day(f.nic), "per day: NICs (one per GPU)"),
      number_field("network", per_day(f.network), "per day: switches and cables (the job's share)"),
      number_field("host", per_day(f.host), fmt::format("per day: hosts, {} nodes", format_number(std::ceil(*gpus / *per_node)))),
      number_field("job", per_day(f.job), "per day: software, whatever the job's size"),
      word_field("dominant", top->first, "the largest cause"),
      typed_field("per_gpu_mtbf", f.per_gpu_mtbf, "mtbf x gpus: every cause charged to a GPU"),
  });
}

std::optional<value> checkpoint_binding(call_args& args) {
  auto model_rec = args.entity("model");
  auto bandwidth = typed<u::byte_rate>(args, "storage_bandwidth");
  auto format_word = args.word("precision");
  auto optimizer_word = args.word("optimizer");
  auto gpus = args.count("gpus", 1, true);
  if (!model_rec || !bandwidth || !format_word || !optimizer_word || !gpus) return std::nullopt;
  if (bandwidth->value() <= 0) {
    args.error("storage_bandwidth", "argument 'storage_bandwidth' must be more than 0 B/s");
    return std::nullopt;
  }
  auto model = to_transformer(*model_rec, args, "model");
  if (!model) return std::nullopt;
  auto opt = *optimizer_word == "adam"       ? stdlib::checkpoint_optimizer::adam
             : *optimizer_word == "momentum" ? stdlib::checkpoint_optimizer::momentum
             : *optimizer_word == "sgd"      ? stdlib::checkpoint_optimizer::sgd
                                             : stdlib::checkpoint_optimizer::none;
  auto r = stdlib::checkpoint(*model, *stdlib::precision_from_name(*format_word), opt, *bandwidth, *gpus);
  const auto& units = args.reg().units();
  auto show = [&](auto q) { return units.format(to_runtime(q)); };
  return make_result("checkpoint", {
      typed_field("size", r.size, fmt::format("weights ({}) + optimizer state ({}); gradients are not saved",
                                              *format_word, *optimizer_word)),
      typed_field("weights", r.weights),
      typed_field("optimizer_state", r.optimizer_state, "fp32 master copy and moments"),
      typed_field("per_gpu", r.per_writer, fmt::format("size / {} GPUs writing their shards", format_number(*gpus))),
      typed_field("write_time", r.write_time, fmt::format("{} / {}", show(r.size), show(*bandwidth))),
      number_field("bytes_per_param", r.bytes_per_param),
  });
}

// train's entry in the function table: its parameters and results.
builtin train_builtin() {
  auto fraction_or_zero = [](std::string name, double fallback, std::string doc) {
    return count_param(std::move(name), fallback, std::move(doc));
  };
  return builtin{
      .name = "train",
      .summary = "Distributed training step: compute, exposed TP/PP/DP/EP communication, bubble, MFU, memory.",
      .params = {entity_param("model", "model", "the model (a transformer)"),
                 optional(entity_param("hardware", "hardware", "the accelerator (or give node =)")),
                 optional(entity_param("node", "node", "a node: accelerator, GPUs per node, scale-up and scale-out fabrics")),
                 optional(entity_param("fabric", "fabric", "the scale-out fabric between nodes (with hardware =)")),
                 optional_count("gpus", "tp x cp x pp x dp", "GPUs in the job"),
                 count_param("gpus_per_node", 8, "GPUs per node with hardware = (a node fixes it)"),
                 optional(quantity_param<u::tokens>("tokens", "tokens to train on (default: 20 per parameter)")),
                 optional_count("global_batch", "about 4M tokens", "sequences per optimizer step"),
                 optional(quantity_param<u::tokens>("seq", "tokens per sequence (default: the context, at most 8192)")),
                 count_param("microbatch", 1, "sequences per micro-batch"),
                 optional_count("microbatches", "global_batch / (dp x microbatch)", "micro-batches per step per pipeline"),
                 precision_param("precision", "bf16", "the training format"),
                 count_param("tp", 1, "tensor-parallel degree"),
                 count_param("cp", 1, "context-parallel degree (the sequence split across ranks)"),
                 count_param("pp", 1, "pipeline stages"),
                 optional_count("dp", "gpus / (tp x cp x pp)", "data-parallel degree"),
                 count_param("ep", 1, "expert-parallel degree (within dp)"),
                 fraction_or_zero("ep_overlap", 0, "share of the expert all-to-alls hidden under computation, 0-1"),
                 count_param("node_limit", 0, "routing sends a token to at most this many nodes (0: no limit)"),
                 words_param("dispatch", {"bf16", "fp8"}, "bf16", "the format tokens are dispatched to the experts in"),
                 count_param("zero", 0, "ZeRO stage 0-3 (3 = FSDP)"),
                 words_param("schedule", {"gpipe", "1f1b", "interleaved"}, "1f1b", "the pipeline schedule"),
                 count_param("virtual_stages", 2, "model chunks per GPU with schedule = interleaved"),
                 words_param("recompute", {"none", "selective", "full"}, "selective", "activation recomputation"),
                 fraction_or_zero("overlap", 1, "share of the backward pass the DP all-reduce hides under, 0-1"),
                 quantity_param<u::seconds>("latency", 0, "0 s", "alpha per collective step"),
                 fraction_param("compute_efficiency", "registry efficiency.training.gemm",
                                "achieved fraction of peak FLOP/s of the matmuls (GEMMs and attention)"),
                 fraction_param("bandwidth_efficiency", "registry efficiency.training.bandwidth",
                                "achieved fraction of memory bandwidth of the elementwise kernels"),
                 fraction_param("comm_efficiency", "registry efficiency.collective.bandwidth",
                                "achieved fraction of link bandwidth"),
                 allow_infeasible_param(),
                 count_param("straggler", 1, "the slowest rank's compute time over a typical rank's (>= 1); 1: none")},
      .results = {quantity_result<u::seconds>("step", "one optimizer step"),
                  quantity_result<u::seconds>("step_bound", "every efficiency 1"),
                  quantity_result<u::seconds>("compute", "forward + backward of the step's micro-batches"),
                  quantity_result<u::seconds>("elementwise", "the memory-bound part of compute"),
                  quantity_result<u::seconds>("tp_comm", "exposed tensor-parallel all-reduces"),
                  quantity_result<u::seconds>("cp_comm", "context-parallel K/V gathers"),
                  quantity_result<u::seconds>("pp_comm", "exposed pipeline sends"),
                  quantity_result<u::seconds>("dp_comm", "exposed gradient reduction"),
                  quantity_result<u::seconds>("ep_comm", "exposed expert all-to-alls"),
                  quantity_result<u::seconds>("bubble", "pipeline fill and drain"),
                  number_result("bubble_fraction", "bubble over the pipelined part of the step"),
                  word_result("binding", {"compute", "tp", "cp", "pp", "dp", "ep", "bubble"}, "the largest term"),
                  number_result("mfu", "model FLOPs utilization"),
                  number_result("hfu", "hardware FLOPs utilization"),
                  number_result("scaling_efficiency", "compute / step"),
                  quantity_result<u::flop_rate>("per_gpu", "model FLOP/s per GPU"),
                  quantity_result<u::token_rate>("throughput", "tokens per second"),
                  quantity_result<u::seconds>("time_to_train", "tokens / throughput"),
                  quantity_result<u::tokens>("tokens", "tokens to train on"),
                  quantity_result<u::tokens>("global_batch", "tokens per step"),
                  number_result("gpus", "GPUs"),
                  number_result("tp", "tensor-parallel degree"),
                  number_result("cp", "context-parallel degree"),
                  number_result("pp", "pipeline stages"),
                  number_result("dp", "data-parallel degree"),
                  number_result("ep", "expert-parallel degree"),
                  number_result("microbatches", "per pipeline per step"),
                  quantity_result<u::bytes>("memory", "per GPU"),
                  quantity_result<u::bytes>("weights", "per GPU"),
                  quantity_result<u::bytes>("gradients", "per GPU"),
                  quantity_result<u::bytes>("optimizer_state", "per GPU"),
                  quantity_result<u::bytes>("activations", "per GPU, stored for the backward pass"),
                  quantity_result<u::bytes>("memory_available", "the device's memory"),
                  bool_result("feasible", "the memory fits"),
                  text_result("reason", "why it is feasible or not"),
                  number_result("compute_efficiency", "used"),
                  number_result("bandwidth_efficiency", "used"),
                  number_result("comm_efficiency", "used")},
      .invoke = train_binding,
  };
}

}  // namespace

std::vector<builtin> training() {
  auto model = entity_param("model", "model", "the model (a transformer)");
  return {
      train_builtin(),
      builtin{
          .name = "training_flops",
          .summary = "Training FLOPs: 6 N D, plus the attention matmuls when asked.",
          .params = {model,
                     quantity_param<u::tokens>("tokens", "tokens trained on (D)"),
                     words_param("attention", {"false", "true"}, "false", "add 12 x layers x seq x heads x head_dim per token"),
                     optional(quantity_param<u::tokens>("seq", "sequence length for the attention term (default: the context, at most 8192)"))},
          .results = {quantity_result<u::flops>("", "training FLOPs")},
          .invoke = training_flops_binding,
      },
      builtin{
          .name = "iron_law",
          .summary = "The Iron Law: time = FLOPs / (N x peak x MFU x scaling efficiency x goodput).",
          .params = {quantity_param<u::flops>("flops", "total training FLOPs"),
                     param_spec{.name = "n", .kind = param_kind::count, .required = true, .doc = "accelerators"},
                     quantity_param<u::flop_rate>("peak", "peak FLOP/s per accelerator (dense)"),
                     fraction_param("mfu", "registry efficiency.training.compute", "model FLOPs utilization"),
                     fraction_param("scaling", "1", "scaling efficiency"),
                     fraction_param("goodput", "1", "share of wall time doing useful work")},
          .results = {quantity_result<u::seconds>("time", "at the three factors"),
                      quantity_result<u::seconds>("time_bound", "at the peak"),
                      quantity_result<u::flop_rate>("rate", "achieved FLOP/s of the fleet"),
                      quantity_result<u::seconds>("gpu_time", "n x time"),
                      number_result("efficiency", "mfu x scaling x goodput"),
                      word_result("binding", {"mfu", "scaling", "goodput"}, "the smallest factor"),
                      number_result("mfu", "used"),
                      number_result("scaling", "used"),
                      number_result("goodput", "used")},
          .invoke = iron_law_binding,
      },
      builtin{
          .name = "chinchilla",
          .summary = "Compute-optimal parameters and tokens (Hoffmann et al. 2022): D = 20 N, C = 6 N D.",
          .params = {optional(quantity_param<u::flops>("compute", "the compute budget")),
                     optional_count("params", "", "the parameters"),
                     count_param("tokens_per_param", 20, "D / N at the optimum")},
          .results = {number_result("params", "N"),
                      quantity_result<u::tokens>("tokens", "D"),
                      quantity_result<u::flops>("compute", "C = 6 N D"),
                      number_result("tokens_per_param", "used"),
                      number_result("loss", "the paper's fitted loss at (N, D)")},
          .invoke = chinchilla_binding,
      },
      builtin{
          .name = "reliability",
          .summary = "Failures at scale: cluster MTBF, Young-Daly checkpoint interval, goodput.",
          .params = {param_spec{.name = "n", .kind = param_kind::count, .required = true,
                                .doc = "components whose failure stops the job (GPUs)"},
                     mtbf_param(),
                     generation_param(),
                     count_param("gpus_per_node", 8, "GPUs per node (hosts fail per node)"),
                     quantity_param<u::seconds>("duration", "failure-free run time of the job"),
                     quantity_param<u::seconds>("checkpoint_write", "time to write one checkpoint"),
                     restart_param(),
                     optional(quantity_param<u::seconds>("interval", "checkpoint interval (default: Young's optimum)"))},
          .results = {quantity_result<u::seconds>("cluster_mtbf", "mtbf / n"),
                      quantity_result<u::seconds>("interval", "sqrt(2 x checkpoint_write x cluster_mtbf), or given"),
                      quantity_result<u::seconds>("interval_daly", "Daly's higher-order optimum"),
                      number_result("expected_failures", "over the wall time"),
                      number_result("goodput", "duration / wall time"),
                      quantity_result<u::seconds>("wall_time", "expected, with failures"),
                      number_result("checkpoint_overhead", "checkpoint_write / interval"),
                      number_result("rework", "(interval / 2 + restart) / cluster_mtbf")},
          .invoke = reliability_binding,
      },
      builtin{
          .name = "failures",
          .summary = "A synchronous job's interruptions by component, from fleet failure data.",
          .params = {param_spec{.name = "gpus", .kind = param_kind::count, .required = true, .doc = "GPUs in the job"},
                     count_param("gpus_per_node", 8, "GPUs per node"),
                     generation_param()},
          .results = {quantity_result<u::seconds>("mtbf", "the job's mean time between interruptions"),
                      number_result("per_day", "interruptions per day"),
                      number_result("gpu", "per day, GPUs"),
                      number_result("hbm", "per day, HBM"),
                      number_result("nic", "per day, NICs"),
                      number_result("network", "per day, switches and cables"),
                      number_result("host", "per day, hosts"),
                      number_result("job", "per day, software (per job)"),
                      word_result("dominant", {"gpu", "hbm", "nic", "network", "host", "job"}, "the largest cause"),
                      quantity_result<u::seconds>("per_gpu_mtbf", "mtbf x gpus")},
          .invoke = failures_binding,
      },
      builtin{
          .name = "checkpoint",
          .summary = "A training checkpoint: weights + optimizer state, and its write time.",
          .params = {model,
                     quantity_param<u::byte_rate>("storage_bandwidth", "aggregate write bandwidth to storage"),
                     precision_param("precision", "bf16", "the weights' format"),
                     words_param("optimizer", {"adam", "momentum", "sgd", "none"}, "adam", "optimizer state saved (none: weights only)"),
                     count_param("gpus", 1, "GPUs writing shards in parallel")},
          .results = {quantity_result<u::bytes>("size", "weights + optimizer state"),
                      quantity_result<u::bytes>("weights", "in the training format"),
                      quantity_result<u::bytes>("optimizer_state", "fp32 master copy and moments"),
                      quantity_result<u::bytes>("per_gpu", "size / gpus"),
                      quantity_result<u::seconds>("write_time", "size / storage bandwidth"),
                      number_result("bytes_per_param", "saved per parameter")},
          .invoke = checkpoint_binding,
      },
  };
}

}  // namespace ironlaw::runtime::bindings
