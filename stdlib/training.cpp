#include "ironlaw/stdlib/training.hpp"

#include <algorithm>
#include <array>

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

struct shares {
  double forward = 0;    // forward FLOPs per token, whole model
  double attention = 0;  // the score and value matmuls' part of it
  double hardware = 0;   // FLOPs per token actually executed, with recomputation
};

shares flops_per_token(const transformer_shape& model, double seq, recompute_kind recompute) {
  shares s;
  s.forward = forward_flops_per_token(model, seq).value();
  s.attention = 4 * model.layers * seq * model.heads * model.head_dim;
  switch (recompute) {
    case recompute_kind::none: s.hardware = 3 * s.forward; break;
    case recompute_kind::selective: s.hardware = 3 * s.forward + s.attention; break;  // the attention core again
    case recompute_kind::full: s.hardware = 4 * s.forward; break;                     // the whole forward again
  }
  return s;
}

struct step_terms {
  units::seconds compute, tp, pp, dp, ep, bubble, step;
};

}  // namespace

double bubble_fraction(double p, double m, double v) {
  double idle = (p - 1) / v;
  return idle / (m + idle);
}

train_result train(const transformer_shape& model, const accelerator& hw, const train_request& req) {
  train_result r;
  const double n = req.tp * req.pp * req.dp;
  const double m = req.global_batch / (req.dp * req.microbatch);
  const double v = req.schedule == pipeline_schedule::interleaved ? req.virtual_stages : 1;
  const double p = req.pp;
  r.microbatches = m;
  auto peak = effective_peak(hw, req.format);
  r.peak = peak ? peak->rate : units::flop_rate{};

  auto f = flops_per_token(model, req.seq, req.recompute);
  const double tokens_per_step = req.global_batch * req.seq;
  r.model_flops = 3 * f.forward * tokens_per_step * units::flop;
  r.hardware_flops = f.hardware * tokens_per_step * units::flop;

  // Placement: TP ranks innermost, then DP, then PP stages (Megatron-LM's order).
  auto place = [&](double span) { return span <= req.per_node ? placement::scaleup : placement::scaleout; };
  auto over = [&](placement where) -> const link& { return where == placement::scaleup ? req.scaleup : req.scaleout; };
  r.tp_place = place(req.tp);
  r.ep_place = place(req.tp * req.ep);
  r.dp_place = place(req.tp * req.dp);
  r.pp_place = place(n);

  auto params = count_parameters(model);
  const double expert_params = params.per_expert * model.experts * params.moe_layers;
  const double dense_params = params.total - expert_params;
  const double layers_per_stage = model.layers / p;
  const double wire = wire_bytes(req.format);
  const double activation = req.microbatch * req.seq * model.d_model * wire;  // b s h, bytes
  const double passes = req.recompute == recompute_kind::full ? 6 : 4;       // collectives per layer per micro-batch

  auto terms = [&](double ce, double me) {
    step_terms t;
    auto per_mb_flops = f.hardware * req.microbatch * req.seq / (req.tp * p) * units::flop;
    units::seconds c = per_mb_flops / (r.peak * ce);
    // Megatron TP: 2 all-reduces of b s h in the forward pass, 2 in the backward (2 more when recomputing).
    units::seconds tp = layers_per_stage * passes * allreduce(activation * units::byte, req.tp, over(r.tp_place), me);
    // EP: dispatch and combine all-to-alls of each token's k routed copies, forward and backward.
    units::seconds ep{};
    if (model.experts > 0)
      ep = params.moe_layers / p * passes *
           alltoall(activation * model.experts_active / req.tp * units::byte, req.ep, over(r.ep_place), me);
    units::seconds slot = c + tp + ep;
    t.compute = m * c;
    t.tp = m * tp;
    t.ep = m * ep;
    t.bubble = (p - 1) / v * slot;
    // PP: each slot on the critical path receives one activation and one gradient,
    // b s h / t per GPU (scatter-gather across the TP ranks); interleaving multiplies the sends by v.
    if (p > 1) {
      const link& l = over(r.pp_place);
      units::seconds hop = activation / req.tp * units::byte / (me * l.bandwidth) + l.latency;
      t.pp = 2 * (v * m + p - 1) * hop;
    }
    // DP: gradients all-reduced (ZeRO-1/2: reduce-scatter + all-gather, the same
    // volume; ZeRO-3/FSDP gathers the parameters once more: 1.5x, Rajbhandari et al. 2020),
    // hidden under the last micro-batch's backward pass up to `overlap`.
    double volume = req.zero >= 3 ? 1.5 : 1;
    units::seconds dp =
        volume * (allreduce(dense_params / (req.tp * p) * wire * units::byte, req.dp, over(r.dp_place), me) +
                  allreduce(expert_params / (req.tp * p * req.ep) * wire * units::byte, req.dp / req.ep,
                            over(r.dp_place), me));
    units::seconds backward = c * ((f.hardware - f.forward) / f.hardware);
    t.dp = std::max(0.0, (dp - req.overlap * backward).value()) * units::second;
    t.step = t.compute + t.tp + t.ep + t.bubble + t.pp + t.dp;
    return t;
  };

  auto ideal = terms(1, 1);
  auto t = terms(req.compute_efficiency, req.comm_efficiency);
  r.step_bound = ideal.step;
  r.step = t.step;
  r.compute = t.compute;
  r.tp_comm = t.tp;
  r.pp_comm = t.pp;
  r.dp_comm = t.dp;
  r.ep_comm = t.ep;
  r.bubble = t.bubble;
  r.bubble_fraction = bubble_fraction(p, m, v);

  std::array<std::pair<train_term, units::seconds>, 6> all = {{{train_term::compute, t.compute},
                                                                {train_term::tp, t.tp},
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

  // Memory per GPU: the 1F1B ledger (p micro-batches in flight on the first stage),
  // rescaled for the schedule and for experts sharded across EP.
  memory_request mr;
  mr.batch = req.microbatch;
  mr.context = req.seq;
  mr.weights = req.format;
  mr.training = true;
  mr.zero = req.zero;
  mr.tp = req.tp;
  mr.pp = p;
  mr.dp = req.dp;
  mr.recompute = req.recompute;
  mr.device_memory = hw.memory;
  auto& l = r.memory = memory(model, mr);
  double in_flight = req.schedule == pipeline_schedule::gpipe ? m : std::min(m, p);
  double extra = req.schedule == pipeline_schedule::interleaved ? 1 + (p - 1) / (p * v) : 1;
  l.activations = l.activations * (in_flight / p * extra);
  double states = (dense_params + expert_params / req.ep) / params.total;
  l.weights = l.weights * states;
  l.gradients = l.gradients * states;
  l.optimizer_state = l.optimizer_state * states;
  l.total = l.weights + l.kv_cache + l.activations + l.gradients + l.optimizer_state + l.reserve;
  l.headroom = hw.memory - l.total;
  l.fits = l.headroom.value() >= 0;
  return r;
}

}  // namespace ironlaw::stdlib
