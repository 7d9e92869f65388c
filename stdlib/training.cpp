#include "ironlaw/stdlib/training.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace ironlaw::stdlib {
namespace {

// Activations and gradients travel in 16 bits at least (fp8 training keeps them in bf16).
double wire_bytes(precision p) { return std::max(2.0, bytes_per_element(p)); }

units::seconds allreduce(units::bytes message, double n, const link& l, double efficiency) {
  if (n <= 1) return {};
  return collective({.op = collective_op::allreduce, .message = message, .n = n, .fabric = l, .efficiency = efficiency})
      .time;
}

units::seconds alltoall(units::bytes message, double n, const link& l, double efficiency) {
  if (n <= 1) return {};
  return collective({.op = collective_op::alltoall, .message = message, .n = n, .fabric = l, .efficiency = efficiency})
      .time;
}

units::seconds allgather(units::bytes message, double n, const link& l, double efficiency) {
  if (n <= 1) return {};
  return collective({.op = collective_op::allgather, .message = message, .n = n, .fabric = l, .efficiency = efficiency})
      .time;
}

struct shares {
  double forward = 0;             // forward FLOPs per token, whole model
  double attention = 0;           // the score and value matmuls' part of it
  double hardware = 0;            // FLOPs per token actually executed, with recomputation
  double hardware_attention = 0;  // the attention core's part of `hardware`
};

shares flops_per_token(const transformer_shape& model, double seq, recompute_kind recompute) {
  shares s;
  s.forward = forward_flops_per_token(model, seq).value();
  s.attention = 4 * model.layers * seq * model.heads * model.head_dim;
  switch (recompute) {
    case recompute_kind::none:
      s.hardware = 3 * s.forward;
      s.hardware_attention = 3 * s.attention;
      break;
    case recompute_kind::selective:  // the attention core again
      s.hardware = 3 * s.forward + s.attention;
      s.hardware_attention = 4 * s.attention;
      break;
    case recompute_kind::full:  // the whole forward again
      s.hardware = 4 * s.forward;
      s.hardware_attention = 4 * s.attention;
      break;
  }
  return s;
}

// How the layers and micro-batches fall on the pipeline.
struct pipeline_shape {
  double p = 1, v = 1, m = 1;
  double chunk_layers = 0;  // layers in one model chunk of the fullest stage
  double stage_layers = 0;  // layers on the fullest stage (v chunks)
  double stage_share = 1;   // its share of the model's layers
  double in_flight = 0;     // layers' activations the first stage holds at its peak
};

pipeline_shape pipeline_of(const transformer_shape& model, const train_request& req) {
  pipeline_shape s;
  s.p = req.pp;
  s.v = req.schedule == pipeline_schedule::interleaved ? req.virtual_stages : 1;
  s.m = req.global_batch / (req.dp * req.microbatch);
  // Stages hold whole layers; when they do not divide evenly the fullest stage sets the pace.
  s.chunk_layers = std::ceil(model.layers / (s.p * s.v));
  s.stage_layers = s.chunk_layers * s.v;
  s.stage_share = s.stage_layers / model.layers;
  // Chunk-micro-batches whose activations the first stage holds at once: GPipe
  // all of them; 1F1B p; interleaved 1F1B its warm-up, 2 (p - 1) + (v - 1) p, plus one
  // (Megatron-LM's schedules; Narayanan et al. 2021, section 2.2).
  double chunks = req.schedule == pipeline_schedule::gpipe ? s.m * s.v
                  : s.v == 1                              ? std::min(s.m, s.p)
                                                          : std::min(s.m * s.v, s.v * s.p + s.p - 1);
  s.in_flight = chunks * s.chunk_layers;
  return s;
}

// Per-GPU gradient bytes a data-parallel group reduces: the dense shard over
// all dp ranks, the expert shard over the dp / ep ranks holding the same experts.
struct dp_volume {
  double dense_bytes = 0, expert_bytes = 0;
};

// One micro-batch's forward and backward on one GPU, and how many run per step.
struct dp_windows {
  units::seconds forward{}, backward{};
  double microbatches = 1;
};

// An all-reduce over the data-parallel group: hierarchical when the group has
// several ranks in each node and spans nodes (reduce-scatter on the scale-up
// link, all-reduce of the 1/g shard across nodes, all-gather on the scale-up
// link), else a flat ring on the link it spans.
units::seconds dp_allreduce(double bytes, double n, const train_request& req, const link& flat, double efficiency) {
  if (n <= 1) return {};
  // The group (dp x cp ranks, strided by tp) has per_node / tp members in each node it spans.
  const double in_node = std::min(n, std::max(1.0, std::floor(req.per_node / req.tp)));
  const bool spans = req.tp * n > req.per_node;
  if (spans && in_node > 1 && std::fmod(n, in_node) == 0)
    return collective({.op = collective_op::allreduce, .algorithm = collective_algorithm::hierarchical,
                       .message = bytes * units::byte, .n = n, .fabric = req.scaleout, .intra = req.scaleup,
                       .per_node = in_node, .efficiency = efficiency})
        .time;
  return allreduce(bytes * units::byte, n, flat, efficiency);
}

// What data-parallel traffic leaves on the critical path. Reduce-scatter and
// all-gather each move half an all-reduce's bytes (ring or hierarchical).
// Gradients go out in buckets as the backward pass produces them, so a
// collective hides under the compute that runs while it is in flight, up to
// `overlap`, except its last bucket (which starts when that compute ends):
//   ZeRO-0: the all-reduce hides under the last micro-batch's backward
//           (gradients accumulate locally until then; PyTorch DDP, Li et al. 2020);
//   ZeRO-1/2 (Megatron's distributed optimizer): the reduce-scatter hides under
//           the last backward, the parameter all-gather under the next step's
//           first forward (overlap_param_gather);
//   ZeRO-3/FSDP: every micro-batch gathers the parameters in its forward and
//           again in its backward, and reduce-scatters its gradients in its
//           backward: each hides under that micro-batch's own pass.
units::seconds exposed_dp_time(const dp_volume& v, const dp_windows& w, const train_request& req, const link& flat,
                               double efficiency) {
  const double total_bytes = v.dense_bytes + v.expert_bytes;
  // Context-parallel ranks hold the same weights and reduce their gradients with the DP group.
  units::seconds all = dp_allreduce(v.dense_bytes, req.dp * req.cp, req, flat, efficiency) +
                       dp_allreduce(v.expert_bytes, req.dp * req.cp / req.ep, req, flat, efficiency);
  if (all.value() <= 0 || total_bytes <= 0) return {};
  const double tail_share = std::min(1.0, dp_bucket_bytes / total_bytes);
  auto exposed = [&](units::seconds traffic, units::seconds window) {
    double left = std::max(traffic.value() - req.overlap * window.value(), tail_share * traffic.value());
    return left * units::second;
  };
  const units::seconds half = all / 2.0;
  switch (req.zero) {
    case 0: return exposed(all, w.backward);
    case 1:
    case 2: return exposed(half, w.backward) + exposed(half, w.forward);
    default: return w.microbatches * (exposed(half, w.forward) + exposed(all, w.backward));
  }
}

struct step_terms {
  units::seconds compute, elementwise, tp, cp, pp, dp, ep, bubble, step;
};

// Expert parallelism: each MoE layer dispatches every token to its k routed
// experts and combines their outputs (two all-to-alls forward, two backward,
// two more when recomputing). Tokens leave a node once per destination node:
// with routing limited to M nodes a token crosses the scale-out fabric
// min(k, M) times and reaches its experts inside each node over the scale-up
// link (DeepSeek-AI, "DeepSeek-V3 Technical Report", 2024, section 3.2.2).
// fp8 dispatch halves the forward dispatch's bytes (section 3.3); the
// combine and the backward pass stay 16-bit. `ep_overlap` of it hides under
// computation (DualPipe overlaps all of it: ep_overlap = 1). Shared experts
// run on every GPU for its own tokens and move nothing.
units::seconds expert_traffic(const transformer_shape& model, const train_request& req, double tokens,
                              double stage_share, placement where, double efficiency) {
  if (model.experts <= 0 || req.ep <= 1) return {};
  const double wire = wire_bytes(req.format);
  const double dispatch = req.fp8_dispatch ? 1 : wire;
  const double k = model.experts_active;
  const bool limited = where == placement::scaleout && req.node_limit > 0;
  const double copies = limited ? std::min(k, req.node_limit) : k;
  const link& l = where == placement::scaleup ? req.scaleup : req.scaleout;
  auto all_to_all = [&](double copies_sent, double bytes, const link& over, double ranks) {
    return alltoall(tokens * model.d_model * copies_sent * bytes * units::byte, ranks, over, efficiency);
  };
  const double extra_forward = req.recompute == recompute_kind::full ? 1 : 0;
  units::seconds forward = all_to_all(copies, dispatch, l, req.ep) + all_to_all(copies, wire, l, req.ep);
  units::seconds backward = 2.0 * all_to_all(copies, wire, l, req.ep);
  units::seconds inside{};  // forwarding to the k experts within the destination nodes
  if (limited) {
    const double in_node = std::min(req.ep, std::max(1.0, std::floor(req.per_node / req.tp)));
    inside = (2 + extra_forward) * (all_to_all(k, dispatch, req.scaleup, in_node) + all_to_all(k, wire, req.scaleup, in_node));
  }
  const double moe_layers = (model.layers - model.dense_layers) * stage_share;
  return (1 - req.ep_overlap) * moe_layers * ((1 + extra_forward) * forward + backward + inside);
}

}  // namespace

double bubble_fraction(double p, double m, double v) {
  double idle = (p - 1) / v;
  return idle / (m + idle);
}

double activation_bytes_per_token(const transformer_shape& model, double tp, recompute_kind recompute) {
  const double h = model.d_model;
  if (recompute == recompute_kind::full) return 2 * h / tp;  // the layer's input, sequence-parallel shard
  const double q = model.heads * model.head_dim;
  const double kv = kv_elements_per_token(model) / model.layers;
  // The FFN's stored intermediates: gated (gate, up, their product) 3 f, plain (before and after the activation) 2 f;
  // a mixture-of-experts layer's token passes through its routed and shared experts.
  const double per_ffn = model.ffn_type == ffn_kind::gated ? 3 : 2;
  const double moe_layers = model.experts > 0 ? model.layers - model.dense_layers : 0;
  const double moe_ffn = (model.experts_active + model.shared_experts) * model.expert_ffn;
  const double ffn = (moe_layers * moe_ffn + (model.layers - moe_layers) * model.ffn) / model.layers;
  // Two norm inputs (2 h), the attention and FFN inputs after their norms (2 h), Q and the
  // attention output (2 q), K and V (kv), and the FFN's intermediates; 2 bytes each.
  return 2 * (4 * h + 2 * q + kv + per_ffn * ffn) / tp;
}

memory_ledger train_memory(const transformer_shape& model, const accelerator& hw, const train_request& req) {
  const auto shape = pipeline_of(model, req);
  memory_request mr;
  mr.batch = req.microbatch;
  mr.context = req.seq / req.cp;
  mr.weights = req.format;
  mr.training = true;
  mr.zero = req.zero;
  mr.tp = req.tp;
  mr.pp = shape.p;
  mr.dp = req.dp * req.cp;  // context-parallel ranks hold the same weights: ZeRO shards across both
  mr.recompute = req.recompute;
  mr.device_memory = hw.memory;
  memory_ledger l = memory(model, mr);
  // The fullest stage holds stage_share of the layers (1 / p when they divide
  // evenly); experts are sharded once more across ep.
  auto params = count_parameters(model);
  const double expert_params = params.per_expert * model.experts * params.moe_layers;
  const double states = (params.total - expert_params + expert_params / req.ep) / params.total * shape.stage_share * shape.p;
  l.weights = l.weights * states;
  l.gradients = l.gradients * states;
  l.optimizer_state = l.optimizer_state * states;
  l.activations = activation_bytes_per_token(model, req.tp, req.recompute) * req.microbatch * (req.seq / req.cp) *
                  shape.in_flight * units::byte;
  l.total = l.weights + l.kv_cache + l.activations + l.gradients + l.optimizer_state + l.reserve;
  l.headroom = hw.memory - l.total;
  l.fits = l.headroom.value() >= 0;
  return l;
}

train_result train(const transformer_shape& model, const accelerator& hw, const train_request& req) {
  train_result r;
  const auto shape = pipeline_of(model, req);
  const double n = req.tp * req.cp * req.pp * req.dp;
  const double m = shape.m, v = shape.v, p = shape.p;
  r.microbatches = m;
  r.stage_layers = shape.stage_layers;
  r.in_flight = shape.in_flight;
  auto peak = effective_peak(hw, req.format);
  r.peak = peak ? peak->rate : units::flop_rate{};
  // The attention core runs in 16 bits even when the GEMMs run in fp8 (Transformer Engine's recipe).
  auto attention_peak = effective_peak(hw, bytes_per_element(req.format) < 2 ? precision::bf16 : req.format);
  const units::flop_rate peak_attention = attention_peak ? attention_peak->rate : r.peak;

  auto f = flops_per_token(model, req.seq, req.recompute);
  const double tokens_per_step = req.global_batch * req.seq;
  r.model_flops = 3 * f.forward * tokens_per_step * units::flop;
  r.hardware_flops = f.hardware * tokens_per_step * units::flop;

  // Placement: TP ranks innermost, then CP, then DP, then PP stages (Megatron-LM's order).
  auto place = [&](double span) { return span <= req.per_node ? placement::scaleup : placement::scaleout; };
  auto over = [&](placement where) -> const link& { return where == placement::scaleup ? req.scaleup : req.scaleout; };
  r.tp_place = place(req.tp);
  r.cp_place = place(req.tp * req.cp);
  r.ep_place = place(req.tp * req.cp * req.ep);
  r.dp_place = place(req.tp * req.cp * req.dp);
  r.pp_place = place(n);

  auto params = count_parameters(model);
  const double expert_params = params.per_expert * model.experts * params.moe_layers;
  const double dense_params = params.total - expert_params;
  const double wire = wire_bytes(req.format);
  const double tokens_mb = req.microbatch * req.seq / req.cp;  // tokens one GPU's micro-batch holds
  const double activation = tokens_mb * model.d_model * wire;  // b s h / cp, bytes
  const double passes = req.recompute == recompute_kind::full ? 6 : 4;  // collectives per layer per micro-batch
  const double forward_passes = passes / 2 - 1;                          // 1, or 2 when recomputing
  // Elementwise kernels (norms, activation functions, residuals, rotary) read and write the
  // tensors a layer stores, in the forward pass and again in the backward pass (x 4), plus the
  // forward again under full recomputation (x 6).
  const double elementwise_bytes = activation_bytes_per_token(model, req.tp, recompute_kind::selective) *
                                   (req.recompute == recompute_kind::full ? 6 : 4) * shape.stage_layers * tokens_mb;

  auto terms = [&](double ce, double be, double me) {
    step_terms t;
    const double share = shape.stage_share / req.tp;
    units::seconds gemm = (f.hardware - f.hardware_attention) * tokens_mb * share * units::flop / (r.peak * ce);
    units::seconds attention = f.hardware_attention * tokens_mb * share * units::flop / (peak_attention * ce);
    units::seconds elementwise{};
    if (hw.bandwidth.value() > 0) elementwise = elementwise_bytes * units::byte / (hw.bandwidth * be);
    units::seconds c = gemm + attention + elementwise;
    // Megatron TP: 2 all-reduces of b s h in the forward pass, 2 in the backward (2 more when recomputing).
    units::seconds tp =
        shape.stage_layers * passes * allreduce(activation * units::byte, req.tp, over(r.tp_place), me);
    // CP: each layer gathers the other ranks' K and V (forward, and again when recomputing) and
    // reduce-scatters their gradients (backward): (cp - 1) / cp of the sequence's K/V, per TP rank.
    units::seconds cp{};
    if (req.cp > 1) {
      const double kv = kv_elements_per_token(model) / model.layers / kv_shards(model, req.tp);
      units::bytes gathered = req.microbatch * req.seq * kv * wire * units::byte;
      cp = shape.stage_layers * (forward_passes + 1) * allgather(gathered, req.cp, over(r.cp_place), me);
    }
    units::seconds ep = expert_traffic(model, req, tokens_mb / req.tp, shape.stage_share, r.ep_place, me);
    units::seconds slot = c + tp + cp + ep;
    t.compute = m * c;
    t.elementwise = m * elementwise;
    t.tp = m * tp;
    t.cp = m * cp;
    t.ep = m * ep;
    t.bubble = (p - 1) / v * slot;
    // PP: each slot on the critical path receives one activation and one gradient,
    // b s h / (cp t) per GPU (scatter-gather across the TP ranks); interleaving multiplies the sends by v.
    if (p > 1) {
      const link& l = over(r.pp_place);
      units::seconds hop = activation / req.tp * units::byte / (me * l.bandwidth) + l.latency;
      t.pp = 2 * (v * m + p - 1) * hop;
    }
    units::seconds forward = c * (f.forward / f.hardware);
    t.dp = exposed_dp_time({.dense_bytes = dense_params * shape.stage_share / req.tp * wire,
                            .expert_bytes = expert_params * shape.stage_share / (req.tp * req.ep) * wire},
                           {.forward = forward, .backward = c - forward, .microbatches = m}, req, over(r.dp_place), me);
    t.step = t.compute + t.tp + t.cp + t.ep + t.bubble + t.pp + t.dp;
    return t;
  };

  auto ideal = terms(1, 1, 1);
  // A straggler slows the matmuls and the elementwise kernels alike.
  auto t = terms(req.compute_efficiency / req.straggler, req.bandwidth_efficiency / req.straggler, req.comm_efficiency);
  r.step_bound = ideal.step;
  r.step = t.step;
  r.compute = t.compute;
  r.elementwise = t.elementwise;
  r.tp_comm = t.tp;
  r.cp_comm = t.cp;
  r.pp_comm = t.pp;
  r.dp_comm = t.dp;
  r.ep_comm = t.ep;
  r.bubble = t.bubble;
  r.bubble_fraction = bubble_fraction(p, m, v);

  std::array<std::pair<train_term, units::seconds>, 7> all = {{{train_term::compute, t.compute},
                                                                {train_term::tp, t.tp},
                                                                {train_term::cp, t.cp},
                                                                {train_term::pp, t.pp},
                                                                {train_term::dp, t.dp},
                                                                {train_term::ep, t.ep},
                                                                {train_term::bubble, t.bubble}}};
  r.binding = std::max_element(all.begin(), all.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;

  units::flop_rate fleet = n * r.peak;
  r.mfu = (r.model_flops / (fleet * r.step)).value();
  r.hfu = (r.hardware_flops / (fleet * r.step)).value();
  r.scaling_efficiency = (t.compute / t.step).value();
  r.per_gpu = r.model_flops / (n * r.step);
  r.throughput = tokens_per_step * units::token / r.step;
  r.time_to_train = req.tokens * units::token / r.throughput;
  r.memory = train_memory(model, hw, req);
  return r;
}

}  // namespace ironlaw::stdlib
